#!/usr/bin/env python3
"""`cargo publish` of every crate of a generated catalogue, in plan.py's order: each split service's shared
crate, its parts, then its users' crate (cargo publish waits until a crate is in the index before it
returns, so the next one resolves it). Goes online: run it only to release, with a crates.io token in cargo's
configuration. dryrun.py is the offline rehearsal of the same order.

usage: publish.py GENERATED_WORKSPACE OUT.jsonl [--release MANIFEST] [--dry-run]

One JSON line per crate appended to OUT.jsonl; crates recorded `pass` are skipped, so a stopped run resumes
(crates.io refuses a version published twice). Stops at the first failure. --dry-run prints the cargo
commands and runs none.
"""
import json, os, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import read_plan  # noqa: E402

gen, out = (os.path.abspath(a) for a in sys.argv[1:3])
release = sys.argv[sys.argv.index("--release") + 1] if "--release" in sys.argv[3:] else None
dry_run = "--dry-run" in sys.argv[3:]
plan, problems = read_plan(gen, release)
if problems:
    sys.exit("\n".join(f"error: {p}" for p in problems))
done = {json.loads(l)["crate"] for l in open(out) if json.loads(l)["status"] == "pass"} if os.path.exists(out) else set()
for krate in plan:
    if krate["package"] in done:
        continue
    args = ["cargo", "publish", "-p", krate["package"]]
    if dry_run:
        print(" ".join(args), f"# {krate['version']}")
        continue
    started = time.monotonic()
    run = subprocess.run(args, cwd=gen, capture_output=True, text=True)
    row = {"crate": krate["package"], "version": krate["version"], "part_of": krate["part_of"],
           "status": "fail" if run.returncode else "pass", "seconds": round(time.monotonic() - started, 1)}
    if run.returncode:
        row["stderr_tail"] = run.stderr[-3000:]
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
    if run.returncode:
        sys.exit(f"{krate['package']} {krate['version']} was not published; stopping (the crates after it need it "
                 f"or come later):\n{run.stderr[-3000:]}")
    print(krate["package"], krate["version"], "published", flush=True)
