#!/usr/bin/env python3
"""Regenerates the committed fuzz seed corpora (fuzz/corpus/<target>/) from tests/vectors.

Each target gets a few dozen short inputs drawn evenly from the shared vectors (so the seeds
cover accepted and refused cases in every script), plus a few hand-made edge cases for the JSON
and CSV targets. Files are named by the SHA-1 of their content, as libFuzzer names its own.
Input layouts (see fuzz/fuzz_targets/*.rs): phone = 1 byte region index + text; name = 1 byte
(field bit, max_chars) + text; audit_csv = 1 control byte + CSV; the rest are the bare text.

Usage: python3 scripts/fuzz-seed.py   (deterministic: no randomness, stdlib only)
"""
import hashlib
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"
PER_TARGET = 40


def load(name):
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def spread(items, n=PER_TARGET):
    """n items evenly spaced over the list (all of them when there are fewer)."""
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def country_codes():
    """The accepted codes in the order of `fields::country::CODES` (the phone target's index)."""
    src = (ROOT / "src" / "fields" / "country.rs").read_text(encoding="utf-8")
    block = re.search(r"pub const CODES: &\[&str\] = &\[(.*?)\];", src, re.S).group(1)
    return re.findall(r'"([A-Z]{2})"', block)


def write(target, seeds):
    out = CORPUS / target
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    seen = set()
    for seed in seeds:
        data = seed if isinstance(seed, bytes) else seed.encode("utf-8")
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        (out / digest).write_bytes(data)
    print(f"fuzz/corpus/{target}: {len(seen)} seeds")


def email_seeds():
    return [c["input"] for c in spread(load("email.json"))]


def phone_seeds():
    codes = country_codes()
    none = bytes([255])  # index past the table: no default region
    seeds = []
    for c in spread(load("phone.json"), 45):
        region = c.get("country")
        lead = bytes([codes.index(region)]) if region in codes else none
        seeds.append(lead + c["input"].encode("utf-8"))
    for region, text in [("US", "011 44 20 7946 0018"), ("GB", "+44 20 7946 0018 ext. 12"),
                         ("IR", "۰۹۱۲ ۳۴۵ ۶۷۸۹"), ("DE", "0049 30 123456;ext=7"),
                         (None, "+81 0066 2106 1066 2104")]:  # valid: 18 digits, JP toll-free
        seeds.append((bytes([codes.index(region)]) if region else none) + text.encode("utf-8"))
    return seeds


def name_seeds():
    seeds = []
    for c in spread(load("name.json")):
        field_bit = 1 if c.get("field") == "family_name" else 0
        limit = 100 if c.get("policy") == "acme-news" else 0  # acme-news: max_chars 100
        seeds.append(bytes([(limit << 1) | field_bit]) + c["input"].encode("utf-8"))
    seeds.append(bytes([(3 << 1)]) + "Ana".encode("utf-8"))  # exactly at a tiny max_chars
    return seeds


def submission_seeds():
    seeds = [json.dumps(c["submission"], ensure_ascii=False, separators=(",", ":"))
             for c in spread(load("submission.json"))]
    seeds += [
        '{"email":"a@b.co","email":"c@d.co"}',  # duplicate key: refused
        '{"email":"ani@gmail.com","extra":1}',  # unknown key: refused
        '{"email":"ani\\ud800@gmail.com"}',  # lone surrogate escape: refused by serde_json
        '{"email":"ani\\u0000@gmail.com","given_name":"A\\u202eni"}',  # control, bidi via escapes
        '{"consent":{"granted":["newsletter","newsletter"],"shown":{}}}',
        "{}",
    ]
    return seeds


def policy_seeds():
    acme_text = (VECTORS / "policies" / "acme-news.json").read_text(encoding="utf-8")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((VECTORS / "policies").glob("*.json"))]
    acme = json.loads(acme_text)

    def variant(change):
        p = json.loads(acme_text)
        change(p)
        return json.dumps(p, ensure_ascii=False, separators=(",", ":"))

    seeds += [
        json.dumps(acme, separators=(",", ":")),
        variant(lambda p: p.update(unknown=True)),
        variant(lambda p: p["purposes"].append(dict(p["purposes"][0]))),  # duplicate id
        variant(lambda p: p["purposes"][0]["text"].pop("en")),
        variant(lambda p: p["purposes"][0]["text"].update(en=" ")),
        variant(lambda p: p["fields"]["given_name"].update(max_chars=0)),
        variant(lambda p: p["fields"]["phone"].update(types=["fixed_line", "voip"])),
        variant(lambda p: p["purposes"][1].update(channel="phone", required=True)),
        variant(lambda p: p.update(default_country="uk")),
        variant(lambda p: p.update(default_country="ZZ")),
        variant(lambda p: p.update(id="")),
        variant(lambda p: p.pop("purposes")),
        variant(lambda p: p["purposes"][0].update(id="news letter")),
        '{"id":"x","version":"1"}',
        '{"id":"x","version":"1","id":"y"}',
    ]
    return seeds


def audit_seeds():
    emails = [c["input"] for c in spread(load("email.json"), 12)]
    phones = [c["input"] for c in spread(load("phone.json"), 12)]
    names = [c["input"] for c in spread(load("name.json"), 12)]
    countries = [c["input"] for c in spread(load("country.json"), 12)]

    def cell(s):
        return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',;|\t"\r\n') else s

    def table(header, rows, sep=",", eol="\n"):
        lines = [sep.join(header)] + [sep.join(cell(v) for v in r) for r in rows]
        return eol.join(lines) + eol

    seeds = []
    rows = list(zip(names, emails, phones, countries))
    for control, (sep, eol, bom) in enumerate([(",", "\n", ""), (";", "\r\n", "\ufeff"),
                                               ("\t", "\n", ""), ("|", "\r\n", "")]):
        for part in range(3):
            body = table(["Name", "E-mail", "Mobile", "Country"], rows[part * 4:part * 4 + 4],
                         sep, eol)
            # control byte: acme-news policy on odd tables, default country ID on the last two,
            # a second run (two threads, chunks of 2 or 4 rows) on parts 1 and 2
            ctl = (2 if control % 2 else 0) | (4 if control >= 2 else 0) | [0, 0x28, 0x38][part]
            seeds.append(bytes([ctl]) + (bom + body).encode("utf-8"))
    dup = "Nama,Email\nAni,ani@tokobudi.co.id\nAni,ANI@tokobudi.co.id\nBudi,budi-at-x\n"
    seeds += [
        bytes([0]) + dup.encode(),
        bytes([0x20]) + dup.encode(),  # second run: one row per chunk
        bytes([0]) + b"email,name,country\nani@tokobudi.co.id\nbudi@tokobudi.co.id,Budi,ID,extra\n",
        bytes([0x21]) + b"email,name\n\xffani@gmail.com,Ani\nbudi@gmail.com,B\xe9di\n",  # not UTF-8
        bytes([0]) + b"email,name\n\xffani@gmail.com,Ani\n",  # not UTF-8, no --lossy: refused
        bytes([4]) + "phone\n0812-3456-7890\n+98 ۹۱۲ ۳۴۵ ۶۷۸۹\n".encode(),
        bytes([2]) + 'email,"given name"\n"a@b.co","multi\nline"\n'.encode(),
        bytes([0]) + b"who,what\n1,2\n",  # no email or phone column
        bytes([0]) + b"",
    ]
    return seeds


def main():
    write("email", email_seeds())
    write("phone", phone_seeds())
    write("name", name_seeds())
    write("submission", submission_seeds())
    write("policy", policy_seeds())
    write("audit_csv", audit_seeds())


if __name__ == "__main__":
    main()
