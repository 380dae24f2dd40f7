#!/usr/bin/env python3
"""The (a) table in Markdown from the doc runs' JSON lines and the sample lists."""
import json, os, sys
WORK = os.environ.get("DOCSPROOF_WORK", "target/docsproof")
for title, rows_file, sample_file in [("Alibaba (Openmeta en_us)", "ali.jsonl", "ali-sample.txt"),
                                      ("Tencent merged (tccli-intl-en 3.1.193.1 + tccli 3.1.189.1)", "tc.jsonl", "tc-sample.txt")]:
    how = {l.split()[0]: l.split()[2] for l in open(f"{WORK}/{sample_file}")}
    rows = [json.loads(l) for l in open(f"{WORK}/{rows_file}")]
    crates = [r for r in rows if r["crate"] != "cloudspec-runtime"]
    passed = sum(r["status"] == "pass" for r in crates)
    print(f"### {title}: {passed} of {len(crates)} crates documented pass, "
          f"{sum(r['lints'] for r in crates)} rustdoc warnings\n")
    print("| crate | chosen | actions | result | warnings | rustdoc CPU (s) | wall (s) |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: |")
    prefix = crates[0]["crate"].rsplit("-", 1)[0].split("-")[:2] if crates else []
    ran = {r["crate"].split("-", 2)[2] for r in crates}
    for r in sorted(crates, key=lambda r: -r["actions"]):
        service = r["crate"].split("-", 2)[2]
        print(f"| `{r['crate']}` | {how.get(service, '?')} | {r['actions']} | {r['status']} | {r['lints']} | {r.get('cpu_seconds', '–')} | {r['seconds']} |")
    for line in open(f"{WORK}/{sample_file}"):
        service, actions, chosen = line.split()
        if service not in ran:
            print(f"| `{'-'.join(prefix)}-{service}` | {chosen} | {actions} | not run | – | – | – |")
    print()
