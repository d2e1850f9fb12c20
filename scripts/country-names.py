#!/usr/bin/env python3
"""Writes src/audit/country_names_cldr.rs from CLDR's territory names (see refresh-country-names.sh).

Usage: python3 scripts/country-names.py PACKAGE_DIR CLDR_VERSION > src/audit/country_names_cldr.rs

PACKAGE_DIR is the unpacked npm package `cldr-localenames-full` (its `package/` folder). Only the
codes the core accepts (`CODES` in src/fields/country.rs) are kept; for each, the names of the
locales en, id, ar and fa, the plain form first, then the `-alt-short` and `-alt-variant` forms,
each once. A "name" that is itself two ASCII letters (`UK`, `US`, Indonesian `AS`) is left out:
codes are the core's business.
"""
import json
import os
import re
import sys

LOCALES = ["en", "id", "ar", "fa"]


def main() -> None:
    package, version = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "src/fields/country.rs"), encoding="utf-8") as f:
        source = f.read()
    block = source.split("pub const CODES: &[&str] = &[", 1)[1].split("];", 1)[0]
    codes = re.findall(r'"([A-Z]{2})"', block)
    names = {code: [] for code in codes}
    display = {code: {} for code in codes}
    for locale in LOCALES:
        path = os.path.join(package, "main", locale, "territories.json")
        with open(path, encoding="utf-8") as f:
            territories = json.load(f)["main"][locale]["localeDisplayNames"]["territories"]
        # Plain names first, then the alternates, so the first name of a code is its CLDR name.
        for key in sorted(territories, key=lambda k: ("-alt-" in k, k)):
            code = key.split("-alt-", 1)[0]
            name = territories[key].strip()
            if code not in names or re.fullmatch(r"[A-Za-z]{2}", name):
                continue
            if "-alt-" not in key:
                display[code][locale] = name
            if name not in names[code]:
                names[code].append(name)
    with open(os.path.join(package, "LICENSE"), encoding="utf-8") as f:
        licence = f.read().strip()
    out = sys.stdout
    out.write("//! Territory names from the Unicode CLDR (generated; do not edit).\n")
    out.write("//!\n")
    out.write(f"//! CLDR {version}, npm package `cldr-localenames-full` {version}, locales ")
    out.write(", ".join(LOCALES) + " (each name's plain,\n")
    out.write("//! `alt-short` and `alt-variant` forms). Regenerate: `bash scripts/refresh-country-names.sh`.\n")
    out.write("//!\n")
    out.write("//! The data is used under the Unicode License v3, whose notice follows.\n")
    out.write("//!\n")
    for line in licence.splitlines():
        out.write(("//! " + line).rstrip() + "\n")
    out.write("\n")
    out.write("/// The CLDR release the names come from.\n")
    out.write(f'pub const CLDR_VERSION: &str = "{version}";\n\n')
    out.write("/// Every ISO 3166-1 code the core accepts, with its names in en, id, ar and fa.\n")
    out.write("#[rustfmt::skip]\n")
    out.write("pub const NAMES: &[(&str, &[&str])] = &[\n")
    for code in codes:
        quoted = ", ".join(json.dumps(n, ensure_ascii=False) for n in names[code])
        out.write(f'    ("{code}", &[{quoted}]),\n')
    out.write("];\n\n")
    out.write("/// Each code's plain CLDR name in en, id, ar and fa (in that order), for messages.\n")
    out.write("#[rustfmt::skip]\n")
    out.write("pub const DISPLAY: &[(&str, [&str; 4])] = &[\n")
    for code in codes:
        quoted = ", ".join(json.dumps(display[code].get(l, code), ensure_ascii=False) for l in LOCALES)
        out.write(f'    ("{code}", [{quoted}]),\n')
    out.write("];\n")
    total = sum(len(v) for v in names.values())
    print(f"CLDR {version}: {len(codes)} codes, {total} names", file=sys.stderr)


if __name__ == "__main__":
    main()
