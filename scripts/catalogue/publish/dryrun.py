#!/usr/bin/env python3
"""`cargo package` (what `cargo publish --dry-run` runs; see source.py for why not publish itself) of every
crate of a generated catalogue workspace, offline, against the directory source source.py made.

usage: dryrun.py GENERATED_WORKSPACE REGISTRY_TOML OUT.jsonl [--verify | --bulk]

One JSON line per crate (crate, actions, status, seconds, first error and its cause), appended to
OUT.jsonl; crates already there are skipped, so a stopped run resumes. Without --verify each crate is
packaged with `--no-verify`; with it, cargo builds the packaged crate against the source, as publish does.
Smallest crates first. --bulk (no verify): one `cargo package --workspace` for all the crates left, which
resolves the workspace once instead of once a crate (3 s a crate at catalogue scale); if it fails,
every crate is packaged on its own, so each failure is recorded against its crate. CARGO_TARGET_DIR: $PUBLISH_TARGET, default GENERATED_WORKSPACE/../publish-target.
"""
import json, os, re, subprocess, sys, time

gen, config, out = (os.path.abspath(a) for a in sys.argv[1:4])
verify, bulk = "--verify" in sys.argv[4:], "--bulk" in sys.argv[4:]
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


def crate_bytes(package):
    """The size of the package's .crate (crates.io refuses one over 10 MiB by default; cargo does not check)."""
    path = f"{target}/package/{package}-{versions[package]}.crate"
    return os.path.getsize(path) if os.path.exists(path) else None


def record(row):
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
    print(row["crate"], row["status"], row["seconds"], flush=True)


manifest = json.loads(subprocess.run(["cargo", "metadata", "--no-deps", "--format-version", "1", "--offline"],
                                     cwd=gen, env=env, capture_output=True, text=True, check=True).stdout)
versions = {p["name"]: p["version"] for p in manifest["packages"]}

if bulk:
    left = sorted(p for p in actions if p not in done)
    started = time.monotonic()
    args = ["nice", "cargo", "package", "--no-verify", "--allow-dirty", "--registry", "crates-io", "--config", config,
            "--workspace"] + [a for p in sorted(set(versions) - set(left)) for a in ("--exclude", p)]
    run = subprocess.run(args, cwd=gen, env=env, capture_output=True, text=True) if left else None
    packaged = re.findall(r"^\s*Packaging (\S+) v", run.stderr, re.M) if run else []
    # A failure cannot be pinned on a crate from one run's output (cargo checks every manifest before it
    # packages any), so then every crate left is packaged on its own below.
    if run and run.returncode == 0:
        for package in packaged:
            record({"crate": package, "actions": actions.get(package, 0), "verified": False, "bulk": True,
                    "seconds": round((time.monotonic() - started) / len(packaged), 1), "status": "pass",
                    "crate_bytes": crate_bytes(package)})
            done.add(package)
    elif run:
        print("the bulk run failed; packaging each crate on its own", flush=True)

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
    if not run.returncode:
        row["crate_bytes"] = crate_bytes(package)
    if run.returncode:
        row["first_error"] = next((l for l in run.stderr.splitlines() if l.startswith("error")), "")
        row["cause"] = cause(run.stderr)
        row["stderr_tail"] = run.stderr[-3000:]
    record(row)
