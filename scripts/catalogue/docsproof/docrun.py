#!/usr/bin/env python3
"""cargo doc --no-deps, with rustdoc's lints denied, on the crates of both generated sample workspaces,
smallest first across both (the machine is loaded: the most crates first); one JSON line per crate
(actions, status, warnings, wall seconds, and CPU seconds: the user+system time of cargo and rustdoc,
which a loaded machine does not inflate as it does wall time), appended to WORK/ali.jsonl / WORK/tc.jsonl (WORK: $DOCSPROOF_WORK, default target/docsproof); crates already recorded are skipped."""
import json, os, re, resource, subprocess, time
WORK = os.path.abspath(os.environ.get("DOCSPROOF_WORK", "target/docsproof"))
env = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=f"{WORK}/target",
           RUSTDOCFLAGS="-D warnings -D rustdoc::broken_intra_doc_links -D rustdoc::invalid_html_tags -D rustdoc::bare_urls")
queue = []
for cat in ["ali", "tc"]:
    gen, out = f"{WORK}/{cat}-gen", f"{WORK}/{cat}.jsonl"
    done = {json.loads(l)["crate"] for l in open(out)} if os.path.exists(out) else set()
    actions = {}
    for v in json.load(open(f"{gen}/cloudspec-layout.json"))["services"]:
        actions[v["package"]] = actions.get(v["package"], 0) + v["actions"]
    queue += [(n, c, gen, out) for c, n in actions.items() if c not in done]
# WORK/first.txt (one crate a line), when present, names crates to document before the others.
first = open(f"{WORK}/first.txt").read().split() if os.path.exists(f"{WORK}/first.txt") else []
queue.sort(key=lambda q: (q[1] not in first, first.index(q[1]) if q[1] in first else 0, q[0], q[1]))
for n, crate, gen, out in queue:
    t = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(["nice", "cargo", "doc", "--no-deps", "-p", crate], cwd=gen, env=env, capture_output=True, text=True)
    s = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lints = re.findall(r"^(?:warning|error)(?:\[\w+\])?: (.*)$", p.stderr, re.M)
    lints = [l for l in lints if not l.startswith(("could not document", "aborting due to", "Compilation failed"))
             and "generated" not in l]
    row = {"crate": crate, "actions": n, "status": "pass" if p.returncode == 0 else "fail",
           "lints": len(lints), "seconds": round(s, 1), "cpu_seconds": round(cpu, 1), "first": lints[:5]}
    if p.returncode:
        row["stderr_tail"] = p.stderr[-3000:]
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
