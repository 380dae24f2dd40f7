#!/usr/bin/env python3
"""The (a) table in Markdown from the doc runs' JSON lines and the sample lists."""
import json, os, sys
WORK = os.environ.get("DOCSPROOF_WORK", "target/docsproof")
for title, rows_file, sample_file in [("Alibaba (Openmeta en_us)", "ali.jsonl", "ali-sample.txt"),
                                      ("Tencent merged (tccli-intl-en 3.1.193.1 + tccli 3.1.189.1)", "tc.jsonl", "tc-sample.txt")]:
    how = {l.split()[0]: l.split()[2] for l in open(f"{WORK}/{sample_file}")}
    rows = [json.loads(l) for l in open(f"{WORK}/{rows_file}")]
    # WORK/<catalogue>-previous.jsonl: rows of an earlier session's run, for crates this run did not reach.
    previous = f"{WORK}/{rows_file.replace('.jsonl', '-previous.jsonl')}"
    if os.path.exists(previous):
        ran_now = {r["crate"] for r in rows}
        rows += [json.loads(l) for l in open(previous) if json.loads(l)["crate"] not in ran_now]
    crates = [r for r in rows if r["crate"] != "cloudspec-runtime"]
    passed = sum(r["status"] == "pass" for r in crates)
    earlier = sum(bool(r.get("previous")) for r in crates)
    print(f"### {title}: {passed} of {len(crates)} crates documented pass, "
          f"{sum(r['lints'] for r in crates)} rustdoc warnings" + (f" ({earlier} crates as documented by the earlier run)" if earlier else "") + "\n")
    print("| crate | chosen | actions | result | warnings | rustdoc CPU (s) | wall (s) |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: |")
    prefix = crates[0]["crate"].rsplit("-", 1)[0].split("-")[:2] if crates else []
    ran = {r["crate"].split("-", 2)[2] for r in crates}
    for r in sorted(crates, key=lambda r: -r["actions"]):
        service = r["crate"].split("-", 2)[2]
        print(f"| `{r['crate']}` | {how.get(service, '?')} | {r['actions']} | {r['status'] + (' (earlier run)' if r.get('previous') else '')} | {r['lints']} | {r.get('cpu_seconds', '–')} | {r['seconds']} |")
    for line in open(f"{WORK}/{sample_file}"):
        service, actions, chosen = line.split()
        if service not in ran:
            print(f"| `{'-'.join(prefix)}-{service}` | {chosen} | {actions} | not run | – | – | – |")
    print()
