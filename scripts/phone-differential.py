#!/usr/bin/env python3
"""Generates the phone differential cases from PyPI `phonenumbers` (the reference).

Usage: phone-differential.py OUT.json

For every region (and non-geographic calling code) and every number type that has an example
number, the example is rendered the ways people type it, and each rendering is parsed by
`phonenumbers` with a default region to record the reference verdict: validity, E.164, type,
region, extension and display formats. tests/phone_differential.rs replays them against
`signup_guard::fields::phone`.

Categories whose expectation is computed from a *different* string than the input are
deliberate policy differences and say so in `basis` (`bidi`: libphonenumber refuses bidi
marks inside a number, this crate removes them, so the reference is the mark-free text).
"""

import json
import random
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

TYPES = {
    T.FIXED_LINE: "fixed_line",
    T.MOBILE: "mobile",
    T.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    T.TOLL_FREE: "toll_free",
    T.PREMIUM_RATE: "premium_rate",
    T.SHARED_COST: "shared_cost",
    T.VOIP: "voip",
    T.PERSONAL_NUMBER: "personal_number",
    T.PAGER: "pager",
    T.UAN: "uan",
    T.VOICEMAIL: "voicemail",
}
FOREIGN = ["US", "DE", "RU", "IN", "BR", "ID", "GB", "FR", "IT", "CN", "AR", "MX"]


def digits_in(s, zero):
    return "".join(chr(zero + ord(c) - 48) if c.isdigit() and c.isascii() else c for c in s)


def reference(text, region):
    try:
        n = pn.parse(text, region)
    except pn.NumberParseException:
        return {"valid": False}
    if not pn.is_valid_number(n):
        return {"valid": False}
    return {
        "valid": True,
        "e164": pn.format_number(n, F.E164),
        "type": TYPES.get(pn.number_type(n)),
        "region_out": pn.region_code_for_number(n),
        "international": pn.format_number(pn.PhoneNumber(country_code=n.country_code,
                                                            national_number=n.national_number,
                                                            italian_leading_zero=n.italian_leading_zero,
                                                            number_of_leading_zeros=n.number_of_leading_zeros),
                                             F.INTERNATIONAL),
        "national": pn.format_number(pn.PhoneNumber(country_code=n.country_code,
                                                       national_number=n.national_number,
                                                       italian_leading_zero=n.italian_leading_zero,
                                                       number_of_leading_zeros=n.number_of_leading_zeros),
                                        F.NATIONAL),
        "extension": n.extension or None,
    }


def renderings(n, region, rng):
    e164 = pn.format_number(n, F.E164)
    intl = pn.format_number(n, F.INTERNATIONAL)
    natl = pn.format_number(n, F.NATIONAL)
    nsn = pn.national_significant_number(n)
    cc = str(n.country_code)
    # AC, TA and 001 are not ISO 3166-1 countries, so a form cannot name them as default region.
    own = region if region not in ("001", "AC", "TA") else None
    foreign = rng.choice([r for r in FOREIGN if r != region])
    yield "e164", e164, own
    yield "international", intl, own
    yield "national", natl, own
    yield "national_no_prefix", nsn, own
    yield "dashes", intl.replace(" ", "-"), own
    yield "dots", natl.replace(" ", ".").replace("-", "."), own
    parts = intl.split(" ")
    if len(parts) > 2:
        yield "parentheses", "%s (%s) %s" % (parts[0], parts[1], " ".join(parts[2:])), own
    yield "idd_00", "00 " + cc + " " + nsn, foreign
    yield "cc_without_plus", cc + " " + nsn, own
    yield "cc_without_plus_trunk", cc + " " + natl, own
    yield "plus_trunk", "+" + cc + " " + natl, own
    yield "idd_011", "011 " + cc + " " + nsn, "US"
    yield "extension", intl + " ext. 123", own
    yield "extension_rfc", e164 + ";ext=4567", own
    yield "extension_x", natl + " x89", own
    yield "arabic_indic", digits_in(natl, 0x660), own
    yield "persian", digits_in(intl, 0x6F0), own
    yield "fullwidth", digits_in(intl, 0xFF10).replace("+", "\uff0b"), own
    yield "nbsp", intl.replace(" ", "\u00a0"), own
    if own and pn.PhoneMetadata.metadata_for_region(own).national_prefix:
        np = pn.PhoneMetadata.metadata_for_region(own).national_prefix
        yield "trunk_in_parentheses", "+%s (%s) %s" % (cc, np, nsn), foreign
    yield "en_dash", natl.replace(" ", "\u2013").replace("-", "\u2013"), own
    yield "foreign_region_intl", intl, foreign
    yield "foreign_region_e164", e164, foreign
    yield "foreign_region_national", natl, foreign
    yield "no_region_national", natl, None
    i = rng.randrange(len(nsn))
    yield "digit_dropped", "+" + cc + nsn[:i] + nsn[i + 1:], own
    yield "digit_added", "+" + cc + nsn[:i] + str(rng.randrange(10)) + nsn[i:], own
    if own:
        j = rng.randrange(len(nsn))
        yield "digit_dropped_national", natl[: len(natl) - len(nsn)] + nsn[:j] + nsn[j + 1:], own
        yield "digit_added_national", nsn + str(rng.randrange(10)), own


def main():
    out = sys.argv[1]
    rng = random.Random(20261123)
    regions = sorted(pn.SUPPORTED_REGIONS) + ["001:%d" % c for c in sorted(pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS)]
    cases = []
    for entry in regions:
        for t in TYPES:
            if entry.startswith("001:"):
                region = "001"
                meta = pn.PhoneMetadata.metadata_for_nongeo_region(int(entry[4:]))
                n = pn.example_number_for_non_geo_entity(int(entry[4:])) if t == T.FIXED_LINE else None
                if meta is None:
                    continue
                desc = pn.phonenumberutil._number_desc_by_type(meta, t)
                if desc is not None and desc.example_number:
                    n = pn.parse("+%s%s" % (entry[4:], desc.example_number), None)
            else:
                region = entry
                n = pn.example_number_for_type(region, t)
            if n is None:
                continue
            for cat, text, default in renderings(n, region, rng):
                case = {"category": cat, "input": text, "region": default}
                case.update(reference(text, default))
                cases.append(case)
            # Deliberate difference: the mark-free text is the reference.
            intl = pn.format_number(n, F.INTERNATIONAL)
            marked = "\u200e" + intl.replace(" ", " \u200f")
            case = {"category": "bidi_marks", "input": marked, "region": None, "basis": intl}
            case.update(reference(intl, None))
            cases.append(case)
            # Narrow NBSP (U+202F, French typography) is not in libphonenumber's punctuation.
            own = region if region not in ("001", "AC", "TA") else None
            natl = pn.format_number(n, F.NATIONAL)
            case = {"category": "narrow_nbsp", "input": natl.replace(" ", "\u202f"), "region": own, "basis": natl}
            case.update(reference(natl, own))
            cases.append(case)
    # Random digit strings, with and without `+`, against random default regions: validity of
    # arbitrary input must agree too, not only of well-formed examples.
    geo = sorted(r for r in pn.SUPPORTED_REGIONS if r not in ("AC", "TA"))
    for _ in range(30000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 18)))
        start = rng.choice(["+", "", "", "00", "011", "8", "0", "+00", "+0"])
        text = start + digits
        default = rng.choice(geo + [None])
        case = {"category": "random_digits", "input": text, "region": default}
        case.update(reference(text, default))
        cases.append(case)
    # Deliberate differences: libphonenumber reads letters as keypad digits (vanity numbers,
    # `tel:` URIs, free text around a number); a signup form refuses them.
    for text, region in [("1-800-FLOWERS", "US"), ("+1 800 MICROSOFT", None),
                         ("tel:+1-650-253-0000", None), ("Call me: 0812 3456 7890", "ID"),
                         ("020 7946 0018 (home)", "GB"), ("0800 FLOWERS", "GB")]:
        case = {"category": "deliberate_letters", "input": text, "region": region,
                "deliberate": "phone.invalid_characters"}
        case.update(reference(text, region))
        cases.append(case)
    meta = {"phonenumbers": pn.__version__, "cases": len(cases)}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "cases": cases}, f, ensure_ascii=False)
    print("wrote %d cases from phonenumbers %s to %s" % (len(cases), pn.__version__, out))


if __name__ == "__main__":
    main()
