#!/usr/bin/env python3
"""`cargo package` (what `cargo publish --dry-run` runs; see source.py for why not publish itself) of every
crate of a generated catalogue workspace, offline, against the directory source source.py made.

usage: dryrun.py GENERATED_WORKSPACE REGISTRY_TOML OUT.jsonl [--verify]

One JSON line per crate (crate, actions, status, seconds, first error and its cause), appended to
OUT.jsonl; crates already there are skipped, so a stopped run resumes. Without --verify each crate is
packaged with `--no-verify`; with it, cargo builds the packaged crate against the source, as publish does.
Smallest crates first. CARGO_TARGET_DIR: $PUBLISH_TARGET, default GENERATED_WORKSPACE/../publish-target.
"""
import json, os, re, subprocess, sys, time

gen, config, out = (os.path.abspath(a) for a in sys.argv[1:4])
verify = "--verify" in sys.argv[4:]
target = os.environ.get("PUBLISH_TARGET", os.path.join(os.path.dirname(gen), "publish-target"))
env = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=target)

actions = {}
for service in json.load(open(f"{gen}/cloudspec-layout.json"))["services"]:
    actions[service["package"]] = actions.get(service["package"], 0) + service["actions"]
done = {json.loads(line)["crate"] for line in open(out)} if os.path.exists(out) else set()


def cause(stderr):
    """The first error and the first reason under it, with names, versions and paths taken out, so that
    failures with one cause group together."""
    lines = [l.strip() for l in stderr.splitlines()]
    first = next((l for l in lines if l.startswith("error")), "")
    reason = ""
    if "Caused by:" in lines:
        rest = lines[lines.index("Caused by:") + 1:]
        reason = next((l for l in rest if l), "")
    text = f"{first} / {reason}" if reason else first
    text = re.sub(r"`[^`]*`", "`…`", text)
    text = re.sub(r"(/[\w.+-]+)+", "PATH", text)
    return re.sub(r"\bv?\d+\.\d+\.\d+\S*", "VERSION", text)


for package, count in sorted(actions.items(), key=lambda kv: (kv[1], kv[0])):
    if package in done:
        continue
    started = time.monotonic()
    args = ["nice", "cargo", "package", "--allow-dirty", "--registry", "crates-io", "--config", config,
            "-p", package] + ([] if verify else ["--no-verify"])
    run = subprocess.run(args, cwd=gen, env=env, capture_output=True, text=True)
    row = {"crate": package, "actions": count, "status": "fail" if run.returncode else "pass", "verified": verify,
           "seconds": round(time.monotonic() - started, 1),
           "warnings": len(re.findall(r"^warning", run.stderr, re.M))}
    # crates.io refuses a .crate over 10 MiB by default; cargo does not check it.
    crate_files = [f for f in os.listdir(f"{target}/package") if f.startswith(f"{package}-") and f.endswith(".crate")
                   and f[len(package) + 1:-6].replace(".", "").isdigit()] if os.path.isdir(f"{target}/package") else []
    if crate_files and not run.returncode:
        row["crate_bytes"] = os.path.getsize(f"{target}/package/{sorted(crate_files)[-1]}")
    if run.returncode:
        row["first_error"] = next((l for l in run.stderr.splitlines() if l.startswith("error")), "")
        row["cause"] = cause(run.stderr)
        row["stderr_tail"] = run.stderr[-3000:]
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(package, row["status"], row["seconds"], flush=True)
