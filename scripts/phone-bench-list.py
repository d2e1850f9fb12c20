#!/usr/bin/env python3
"""Writes the phone benchmark's input list: N numbers from every region, in random order.

Usage: phone-bench-list.py OUT.tsv [N]   (default N = 60000; fixed seed, so the list is stable)

Each line is `text<TAB>default_region` (region empty for international forms). Numbers are the
example numbers of every region and type with their last digits randomized (so most are valid,
some are not, as in real sign-up data), written as E.164, international or national format.
"""
import random
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
rng = random.Random(7)
examples = []
for region in sorted(pn.SUPPORTED_REGIONS):
    for t in range(11):
        n = pn.example_number_for_type(region, t)
        if n is not None and (region, pn.national_significant_number(n)) not in examples:
            examples.append((region, n))
lines = []
while len(lines) < count:
    region, n = rng.choice(examples)
    nsn = pn.national_significant_number(n)
    k = rng.randint(1, min(3, len(nsn) - 1))
    nsn = nsn[:-k] + "".join(rng.choice("0123456789") for _ in range(k))
    try:
        m = pn.parse("+%d%s" % (n.country_code, nsn), None)
    except pn.NumberParseException:
        continue
    style = rng.random()
    if style < 0.3:
        lines.append((pn.format_number(m, F.E164), ""))
    elif style < 0.6 or region in ("AC", "TA"):
        lines.append((pn.format_number(m, F.INTERNATIONAL), ""))
    else:
        lines.append((pn.format_number(m, F.NATIONAL), region))
rng.shuffle(lines)
with open(out, "w", encoding="utf-8") as f:
    for text, region in lines:
        f.write("%s\t%s\n" % (text, region))
print("wrote %d numbers from %d regions to %s" % (len(lines), len({r for r, _ in examples}), out))
