#!/usr/bin/env python3
"""Counts from dryrun.py's JSON lines, for docs/catalogue/publish.md: packaged / failed, and the
failures grouped by cause with the first error of one crate of each.

usage: summary.py TITLE OUT.jsonl [TITLE OUT.jsonl ...]
"""
import collections, json, sys

args = sys.argv[1:]
for title, path in zip(args[::2], args[1::2]):
    rows = [json.loads(line) for line in open(path)]
    failed = [r for r in rows if r["status"] == "fail"]
    # A crate of a split service after one of its crates failed: not packaged, for that crate's cause.
    blocked = [r for r in rows if r["status"] == "blocked"]
    seconds = sum(r.get("seconds", 0) for r in rows)
    sizes = sorted(r.get("crate_bytes", 0) for r in rows)
    over = sum(size > 10 * 1024 * 1024 for size in sizes)
    largest = f"{sizes[-1] / 1048576:.1f} MiB" if sizes else "–"
    passed = len(rows) - len(failed) - len(blocked)
    print(f"| {title} | {len(rows)} | {passed} | {len(failed)} | {largest} | {over} | {seconds:.0f} |")
    if blocked:
        crates = ", ".join(r["crate"] for r in blocked[:5]) + (" …" if len(blocked) > 5 else "")
        print(f"|   ↳ {len(blocked)} blocked behind a failed crate of their service | {crates} | | | | | |")
    causes = collections.defaultdict(list)
    for r in failed:
        causes[r["cause"]].append(r)
    for text, group in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        crates = ", ".join(r["crate"] for r in group[:5]) + (" …" if len(group) > 5 else "")
        print(f"|   ↳ {len(group)} × `{text}` (first: {group[0]['first_error']}) | {crates} | | | | | |")
