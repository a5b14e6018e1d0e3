#!/usr/bin/env python3
"""Validate a jurisdiction file (docs/contract.md "Jurisdiction file").

Usage: python3 deploy/jurisdictions/check.py [FILE ...]   (default: pingshan.yaml next to this script)
Needs PyYAML. Exit status 1 on any error; warnings (keyword overlaps) do not fail.
Minimum counts (--strict, on by default for pingshan): >= 25 units, >= 18 departments, >= 60 items,
>= 5 items with co_units, >= 3 needs_photos, >= 3 survey_excluded, some territorial items.
"""
import os
import re
import sys
from collections import Counter

import yaml

UNIT_CODE = re.compile(r"^[A-Za-z0-9._-]{1,32}$")  # docs/contract.md "Jurisdiction file"
ITEM_CODE = UNIT_CODE  # catalogue codes follow the same rule
PHONE = re.compile(r"^1[3-9][0-9]{9}$")
UNIT_KINDS = {"department", "street_office", "enterprise", "resident_committee"}
ITEM_KINDS = {"consultation", "help", "complaint", "report", "suggestion"}
URGENCIES = {"urgent", "fast", "normal"}
WARN_TARGETS = {"street_office"}  # symbolic targets besides unit codes


def check(path, strict):
    errors, warnings = [], []
    err = errors.append
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict):
        return [f"{path}: top level is not a mapping"], [], {}

    for key in ("jurisdiction", "leaders", "units", "areas", "warnings", "catalogue"):
        if key not in doc:
            err(f"missing top-level key {key!r}")
    extra = set(doc) - {"jurisdiction", "leaders", "units", "areas", "warnings", "catalogue", "retired", "transfers"}
    if extra:
        warnings.append(f"unknown top-level keys {sorted(extra)}")

    j = doc.get("jurisdiction") or {}
    for key in ("code", "name", "timezone", "profile"):
        if not isinstance(j.get(key), str) or not j.get(key):
            err(f"jurisdiction.{key} missing or not a string")

    def person(where, p):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not p["name"]:
            err(f"{where}: needs a name")
            return None
        ph = p.get("phone")
        if not isinstance(ph, str) or not PHONE.match(ph):
            err(f"{where}: phone {ph!r} is not an 11-digit string")
            return None
        return (p["name"], ph)

    principal = person("leaders.principal", (doc.get("leaders") or {}).get("principal"))

    # ---- units
    units = doc.get("units") or []
    codes = [u.get("code") for u in units]
    for code, n in Counter(codes).items():
        if n > 1:
            err(f"unit code {code!r} is used {n} times")
    unit_kind = {}
    head_phones = Counter()
    leaders = {}  # phone -> name
    for u in units:
        code = u.get("code")
        if not isinstance(code, str) or not UNIT_CODE.match(code):
            err(f"unit code {code!r} does not match {UNIT_CODE.pattern}")
            continue
        if code in ("territorial", "street_office"):
            err(f"unit code {code!r} is reserved")
        if not isinstance(u.get("name"), str) or not u.get("name"):
            err(f"unit {code}: no name")
        if u.get("kind") not in UNIT_KINDS:
            err(f"unit {code}: kind {u.get('kind')!r} not in {sorted(UNIT_KINDS)}")
        unit_kind[code] = u.get("kind")
        h = person(f"unit {code}.head", u.get("head"))
        l = person(f"unit {code}.leader_in_charge", u.get("leader_in_charge"))
        if h:
            head_phones[h[1]] += 1
        if l:
            if l[1] in leaders and leaders[l[1]] != l[0]:
                err(f"unit {code}: leader phone {l[1]} belongs to {leaders[l[1]]!r}, not {l[0]!r}")
            leaders[l[1]] = l[0]
        if h and l and h[1] == l[1]:
            err(f"unit {code}: head and leader_in_charge share phone {h[1]}")
    for ph, n in head_phones.items():
        if n > 1:
            err(f"head phone {ph} is used by {n} units")
        if ph in leaders:
            err(f"head phone {ph} is also a district leader's phone")
    if principal:
        if principal[1] in head_phones:
            err("principal leader's phone is also a unit head's phone")
        if principal[1] in leaders:
            err("principal leader's phone is also a leader-in-charge's phone")
    known = set(unit_kind)

    # ---- areas
    offices = set()
    streets = Counter()
    communities = Counter()
    for a in doc.get("areas") or []:
        streets[a.get("street")] += 1
        off = a.get("office")
        if off not in known:
            err(f"area {a.get('street')}: office {off!r} is not a unit")
        elif unit_kind[off] != "street_office":
            err(f"area {a.get('street')}: office {off} is a {unit_kind[off]}, not a street_office")
        offices.add(off)
        cs = a.get("communities") or []
        if not cs:
            err(f"area {a.get('street')}: no communities")
        for c in cs:
            communities[c] += 1
    for s, n in streets.items():
        if n > 1:
            err(f"street {s} listed {n} times")
    for c, n in communities.items():
        if n > 1:
            err(f"community {c} listed under {n} streets")
    for code, kind in unit_kind.items():
        if kind == "street_office" and code not in offices:
            err(f"street office {code} has no area")

    # ---- warnings
    w = doc.get("warnings") or {}
    for level in ("urgent", "fast"):
        for t in w.get(level) or []:
            if t not in known and t not in WARN_TARGETS:
                err(f"warnings.{level}: {t!r} is neither a unit nor {sorted(WARN_TARGETS)}")

    # ---- catalogue
    items = doc.get("catalogue") or []
    for code, n in Counter(i.get("code") for i in items).items():
        if n > 1:
            err(f"catalogue code {code!r} is used {n} times")
    kw_owner = {}
    counts = Counter()
    for i in items:
        code = i.get("code")
        where = f"item {code}"
        if not isinstance(code, str) or not ITEM_CODE.match(code):
            err(f"{where}: code does not match {ITEM_CODE.pattern}")
        if not isinstance(i.get("name"), str) or not i.get("name"):
            err(f"{where}: no name")
        owner = i.get("owner")
        if owner == "territorial":
            counts["territorial"] += 1
        elif owner not in known:
            err(f"{where}: owner {owner!r} is not a unit")
        co = i.get("co_units")
        if co is None or not isinstance(co, list):
            err(f"{where}: co_units must be a list")
            co = []
        for c in co:
            if c not in known:
                err(f"{where}: co-unit {c!r} is not a unit")
            if c == owner:
                err(f"{where}: co-unit {c} is also the owner")
        if len(set(co)) != len(co):
            err(f"{where}: duplicate co-units")
        if co:
            counts["with_co_units"] += 1
        if i.get("kind") is not None and i["kind"] not in ITEM_KINDS:
            err(f"{where}: kind {i['kind']!r}")
        if i.get("urgency") is not None and i["urgency"] not in URGENCIES:
            err(f"{where}: urgency {i['urgency']!r}")
        counts[f"kind:{i.get('kind')}"] += 1
        counts[f"urgency:{i.get('urgency')}"] += 1
        hwd = i.get("handle_working_days")
        if hwd is not None:
            if not isinstance(hwd, int) or isinstance(hwd, bool) or hwd < 1:
                err(f"{where}: handle_working_days {hwd!r}")
            counts["handle_override"] += 1
        for flag in ("needs_photos", "survey_excluded"):
            v = i.get(flag)
            if v is not None and not isinstance(v, bool):
                err(f"{where}: {flag} must be a boolean")
            if v:
                counts[flag] += 1
        b = i.get("basis")
        if not isinstance(b, str) or not (b.startswith("《") and "》" in b):
            err(f"{where}: basis {b!r} is not a 《…》 title")
        kws = i.get("keywords") or []
        if not (3 <= len(kws) <= 8):
            err(f"{where}: {len(kws)} keywords (want 3-8)")
        for k in kws:
            if not isinstance(k, str) or not k.strip():
                err(f"{where}: keyword {k!r} is not a non-empty string")
                continue
            if k in kw_owner and kw_owner[k] != code:
                err(f"keyword {k!r} is on both {kw_owner[k]} and {code}")
            kw_owner[k] = code
    # a keyword contained in another item's keyword matches the same text: warn
    kws = sorted(kw_owner, key=len)
    for a_i, a in enumerate(kws):
        for b in kws[a_i + 1:]:
            if a in b and kw_owner[a] != kw_owner[b]:
                warnings.append(f"keyword {a!r} ({kw_owner[a]}) is inside {b!r} ({kw_owner[b]})")

    n_dep = sum(1 for k in unit_kind.values() if k == "department")
    stats = {
        "units": len(units),
        "departments": n_dep,
        "street_offices": sum(1 for k in unit_kind.values() if k == "street_office"),
        "enterprises": sum(1 for k in unit_kind.values() if k == "enterprise"),
        "streets": len(streets),
        "communities": sum(communities.values()),
        "catalogue_items": len(items),
        "keywords": len(kw_owner),
        "distinct_leaders_in_charge": len(leaders),
        **dict(sorted(counts.items())),
    }
    if strict:
        for key, minimum in (("units", 25), ("departments", 18), ("catalogue_items", 60),
                             ("with_co_units", 5), ("needs_photos", 3), ("survey_excluded", 3),
                             ("territorial", 1), ("handle_override", 1)):
            if stats.get(key, 0) < minimum:
                err(f"only {stats.get(key, 0)} {key} (want >= {minimum})")
    return errors, warnings, stats


def main(argv):
    strict = "--no-strict" not in argv
    paths = [a for a in argv if not a.startswith("--")]
    if not paths:
        paths = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "pingshan.yaml")]
    failed = False
    for path in paths:
        errors, warnings, stats = check(path, strict)
        print(f"== {path}")
        for k, v in stats.items():
            print(f"  {k}: {v}")
        for w in warnings:
            print(f"  warning: {w}")
        for e in errors:
            print(f"  ERROR: {e}")
        print("  OK" if not errors else f"  {len(errors)} error(s)")
        failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
