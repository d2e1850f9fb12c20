#!/usr/bin/env python3
"""Generates the as-you-type differential cases from PyPI `phonenumbers` (the reference).

Usage: phone-as-you-type.py OUT.json

A case is a typing sequence: the characters a person types one by one (ASCII digits, `+`
first) in a region, and what libphonenumber's `AsYouTypeFormatter` shows after each one.
Sequences: every region's example numbers typed the national way (with its national prefix),
without it, as `+CC…`, after the region's own international prefix and after `00`/`011`
from another region; then random digit strings. tests/phone_as_you_type.rs replays each
prefix through `signup_guard::fields::phone::format_as_you_type`.
"""

import json
import random
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F

# Regions every run covers in depth, besides one example per type of every region.
FOCUS = ["ID", "IR", "SA", "EG", "US", "GB", "DE", "FR", "IN", "BR"]


def digits(s):
    return "".join(c for c in s if c.isdigit() or c == "+")


def steps(region, typed):
    f = pn.AsYouTypeFormatter(region)
    return [f.input_digit(c) for c in typed]


def main():
    out = sys.argv[1]
    rng = random.Random(20261206)
    regions = sorted(r for r in pn.SUPPORTED_REGIONS if r not in ("AC", "TA"))
    cases = []

    def add(category, region, typed):
        cases.append({"category": category, "region": region, "typed": typed,
                      "shown": steps(region, typed)})

    for region in regions:
        meta = pn.PhoneMetadata.metadata_for_region(region)
        for t in range(12):
            n = pn.example_number_for_type(region, t)
            if n is None:
                continue
            nsn = pn.national_significant_number(n)
            cc = str(n.country_code)
            add("national", region, digits(pn.format_number(n, F.NATIONAL)))
            add("national_no_prefix", region, nsn)
            add("plus_cc", region, "+" + cc + nsn)
            add("plus_cc_foreign", rng.choice(FOCUS), "+" + cc + nsn)
            idd = meta.preferred_international_prefix or meta.international_prefix or ""
            if idd.isdigit():
                other = rng.choice([r for r in regions if r != region])
                oc = str(pn.country_code_for_region(other))
                add("idd", region, idd + oc + nsn)
            add("idd_00", "DE", "00" + cc + nsn)
            add("idd_011", "US", "011" + cc + nsn)
    for region in FOCUS:
        for _ in range(300):
            lead = rng.choice(["", "", "0", "+", "00", "1", "8", "09", "05", "01"])
            body = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 14)))
            add("random_focus", region, lead + body)
    for _ in range(3000):
        lead = rng.choice(["", "0", "+", "00", "011"])
        body = "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 16)))
        add("random", rng.choice(regions), lead + body)
    meta = {"phonenumbers": pn.__version__, "cases": len(cases)}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "cases": cases}, f, ensure_ascii=False)
    print("wrote %d typing sequences from phonenumbers %s to %s" % (len(cases), pn.__version__, out))


if __name__ == "__main__":
    main()
