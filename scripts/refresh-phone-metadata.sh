#!/usr/bin/env bash
# Vendors libphonenumber's phone metadata at a named release, the input build.rs compiles into
# the phone tables:
#   src/fields/phone/data/metadata.json  every region's metadata (calling code, prefixes, number
#                                        types with patterns and possible lengths, formats), with
#                                        the release's version and date in its header
#   src/fields/phone/data/LICENSE        the Apache-2.0 licence the metadata is published under
# The metadata comes from PyPI `phonenumbers` VERSION (Apache-2.0), which republishes each
# libphonenumber release's PhoneNumberMetadata.xml, already processed by libphonenumber's own
# metadata build (defaults filled in, possible lengths merged); the date is that upload's.
# PyPI `phonenumbers` of the same version is also the reference of the phone tests
# (scripts/phone-venv.sh reads the version from the vendored file).
#
# Usage: bash scripts/refresh-phone-metadata.sh 9.0.43   (needs python3 with venv and PyPI; then
# review the diff and run `bash scripts/phone-differential.sh` and `cargo test --test vectors`).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: refresh-phone-metadata.sh VERSION (a libphonenumber release, e.g. 9.0.43)}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "not a release number: $version" >&2; exit 2; }
out=src/fields/phone/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --no-deps "phonenumbers==$version" >&2
mkdir -p "$out"
cp "$tmp"/venv/lib/python3*/site-packages/phonenumbers-"$version".dist-info/licenses/LICENSE "$out/LICENSE" 2>/dev/null ||
  cp "$tmp"/venv/lib/python3*/site-packages/phonenumbers-"$version".dist-info/LICENSE "$out/LICENSE"

"$tmp/venv/bin/python" - "$version" > "$tmp/metadata.json" <<'PY'
import json, re, sys, urllib.request
import phonenumbers as pn
from phonenumbers.phonemetadata import PhoneMetadata

version = sys.argv[1]
assert pn.__version__ == version, (pn.__version__, version)

# The release date: when this version was uploaded to PyPI (its simple API, PEP 691/700).
req = urllib.request.Request("https://pypi.org/simple/phonenumbers/",
                             headers={"Accept": "application/vnd.pypi.simple.v1+json"})
index = json.load(urllib.request.urlopen(req, timeout=60))
times = [f["upload-time"] for f in index["files"]
         if f["filename"].startswith(f"phonenumbers-{version}") and f.get("upload-time")]
if not times:
    sys.exit(f"no upload time for phonenumbers {version} in the PyPI index")
released = min(times)[:10]

# libphonenumber writes group references as `$1`; the Python port stores them as `\1`.
def groups(s):
    return None if s is None else re.sub(r"\\(\d)", r"$\1", s)

TYPES = ["fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
         "voip", "pager", "uan", "voicemail", "no_international_dialling"]

def desc(d):
    if d is None or d.national_number_pattern is None:
        return None
    return {"pattern": d.national_number_pattern,
            "possible_length": list(d.possible_length or ()),
            "possible_length_local_only": list(d.possible_length_local_only or ()),
            "example_number": d.example_number}

def fmt(f):
    return {"pattern": f.pattern,
            "format": groups(f.format),
            "leading_digits_pattern": list(f.leading_digits_pattern or ()),
            "national_prefix_formatting_rule": groups(f.national_prefix_formatting_rule),
            "national_prefix_optional_when_formatting":
                bool(f.national_prefix_optional_when_formatting),
            "domestic_carrier_code_formatting_rule": groups(f.domestic_carrier_code_formatting_rule)}

def region(m):
    r = {"id": m.id,
         "country_code": m.country_code,
         "main_country_for_code": bool(m.main_country_for_code),
         "leading_digits": m.leading_digits,
         "international_prefix": m.international_prefix,
         "preferred_international_prefix": m.preferred_international_prefix,
         "national_prefix": m.national_prefix,
         "national_prefix_for_parsing": m.national_prefix_for_parsing,
         "national_prefix_transform_rule": groups(m.national_prefix_transform_rule),
         "preferred_extn_prefix": m.preferred_extn_prefix,
         "mobile_number_portable_region": bool(m.mobile_number_portable_region),
         "general_desc": desc(m.general_desc)}
    for t in TYPES:
        r[t] = desc(getattr(m, t))
    r["number_format"] = [fmt(f) for f in m.number_format]
    r["intl_number_format"] = [fmt(f) for f in m.intl_number_format]
    return r

metas = [PhoneMetadata.metadata_for_region(r) for r in pn.SUPPORTED_REGIONS]
metas += [PhoneMetadata.metadata_for_nongeo_region(cc) for cc in pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS]
metas.sort(key=lambda m: (m.country_code, not m.main_country_for_code, m.id))
doc = {
    "source": "libphonenumber metadata (PhoneNumberMetadata.xml, processed by its metadata build), "
              f"as republished in PyPI phonenumbers {version}",
    "version": version,
    "released": released,
    "license": "Apache-2.0 (see LICENSE beside this file); Copyright (C) The Libphonenumber Authors",
    "changes": "Converted to this JSON form for signup-guard: one object per region with the field "
               "names of libphonenumber's PhoneMetadata, group references written $1 as in its XML",
    "generated_by": "bash scripts/refresh-phone-metadata.sh " + version + " (do not edit by hand)",
    "regions": [region(m) for m in metas],
}
# One region per line: a refresh diffs region by region.
lines = json.dumps({k: v for k, v in doc.items() if k != "regions"}, ensure_ascii=False)[:-1]
body = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in doc["regions"])
sys.stdout.write(lines + ',\n"regions":[\n' + body + "\n]}\n")
PY
mv "$tmp/metadata.json" "$out/metadata.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"metadata.json: libphonenumber {d['version']} of {d['released']}, {len(d['regions'])} regions\", file=sys.stderr)" "$out/metadata.json"
