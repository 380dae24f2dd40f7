#!/usr/bin/env python3
"""`cargo package` (what `cargo publish --dry-run` runs; see source.py for why not publish itself) of every
crate of a generated catalogue workspace, offline, against the directory source source.py made, in the
order they would be published (plan.py).

usage: dryrun.py GENERATED_WORKSPACE REGISTRY_TOML OUT.jsonl [--verify | --bulk] [--release MANIFEST]

One JSON line per crate (crate, part_of, version, actions, status, seconds, first error and its cause),
appended to OUT.jsonl; crates already there are skipped, so a stopped run resumes. Without --verify each
crate is packaged with `--no-verify`; with it, cargo builds the packaged crate against the source, as
publish does. Services smallest first; a split service's crates as they are published: its shared crate,
its parts, then its users' crate. Each crate behind a split is unpacked into the directory source once
packaged, as publishing puts it in the registry: its users' crate resolves its dependencies there (cargo's
overlay of crates packaged together does not reach a replaced source). When one fails, the crates of its
service after it are recorded `blocked`. --bulk (no verify): one `cargo package --workspace` for all the
unsplit crates left, which resolves the workspace once instead of once a crate (3 s a crate at catalogue
scale); if it fails, every crate is packaged on its own, so each failure is recorded against its crate.
--release: refuse to start when the versions are not the release manifest's (plan.py).
CARGO_TARGET_DIR: $PUBLISH_TARGET, default GENERATED_WORKSPACE/../publish-target.
"""
import json, os, re, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan import read_plan  # noqa: E402
from registry import directory, unpack  # noqa: E402

gen, config, out = (os.path.abspath(a) for a in sys.argv[1:4])
verify, bulk = "--verify" in sys.argv[4:], "--bulk" in sys.argv[4:]
release = sys.argv[sys.argv.index("--release") + 1] if "--release" in sys.argv[4:] else None
target = os.environ.get("PUBLISH_TARGET", os.path.join(os.path.dirname(gen), "publish-target"))
env = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=target)
registry = directory(config)

plan, problems = read_plan(gen, release)
if problems:
    sys.exit("\n".join(f"error: {p}" for p in problems))
rows = [json.loads(line) for line in open(out)] if os.path.exists(out) else []
done = {r["crate"] for r in rows if r["status"] == "pass"}
recorded = {r["crate"] for r in rows}


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


def crate_file(krate):
    return f"{target}/package/{krate['package']}-{krate['version']}.crate"


def crate_bytes(krate):
    """The size of the package's .crate (crates.io refuses one over 10 MiB by default; cargo does not check)."""
    path = crate_file(krate)
    return os.path.getsize(path) if os.path.exists(path) else None


def record(krate, row):
    row = {"crate": krate["package"], "part_of": krate["part_of"], "version": krate["version"],
           "actions": krate["actions"], **row}
    with open(out, "a") as f:
        f.write(json.dumps(row) + "\n")
    recorded.add(krate["package"])
    print(row["crate"], row["status"], row.get("seconds", ""), flush=True)


def published(krate):
    """What publishing does beyond packaging: a crate behind a split goes into the registry, where its users'
    crate finds it."""
    done.add(krate["package"])
    if krate["part_of"]:
        unpack(crate_file(krate), registry)


split = {k["part_of"] for k in plan if k["part_of"]}
unsplit = [k for k in plan if not k["part_of"] and k["package"] not in split]
if bulk:
    left = [k for k in unsplit if k["package"] not in recorded]
    others = sorted({k["package"] for k in plan} - {k["package"] for k in left})
    started = time.monotonic()
    args = ["nice", "cargo", "package", "--no-verify", "--allow-dirty", "--registry", "crates-io", "--config", config,
            "--workspace"] + [a for p in others for a in ("--exclude", p)]
    run = subprocess.run(args, cwd=gen, env=env, capture_output=True, text=True) if left else None
    packaged = set(re.findall(r"^\s*Packaging (\S+) v", run.stderr, re.M)) if run else set()
    # A failure cannot be pinned on a crate from one run's output (cargo checks every manifest before it
    # packages any), so then every crate left is packaged on its own below.
    if run and run.returncode == 0:
        for krate in left:
            if krate["package"] in packaged:
                record(krate, {"verified": False, "bulk": True, "status": "pass", "crate_bytes": crate_bytes(krate),
                               "seconds": round((time.monotonic() - started) / len(packaged), 1)})
                done.add(krate["package"])
    elif run:
        print("the bulk run failed; packaging each crate on its own", flush=True)

blocked_by = {}
for krate in plan:
    users = krate["part_of"] or krate["package"]
    if krate["package"] in done:
        # Packaged by an earlier run: back into the registry, which source.py may have made anew since.
        if krate["part_of"] and os.path.exists(crate_file(krate)):
            published(krate)
        continue
    if users in blocked_by:
        if krate["package"] not in recorded:
            record(krate, {"status": "blocked", "blocked_by": blocked_by[users], "verified": verify})
        continue
    if krate["package"] in recorded:
        # Failed before: its service's crates after it cannot be published either.
        blocked_by[users] = krate["package"]
        continue
    started = time.monotonic()
    args = ["nice", "cargo", "package", "--allow-dirty", "--registry", "crates-io", "--config", config,
            "-p", krate["package"]] + ([] if verify else ["--no-verify"])
    run = subprocess.run(args, cwd=gen, env=env, capture_output=True, text=True)
    row = {"status": "fail" if run.returncode else "pass", "verified": verify,
           "seconds": round(time.monotonic() - started, 1),
           "warnings": len(re.findall(r"^warning", run.stderr, re.M))}
    if run.returncode:
        row["first_error"] = next((l for l in run.stderr.splitlines() if l.startswith("error")), "")
        row["cause"] = cause(run.stderr)
        row["stderr_tail"] = run.stderr[-3000:]
        blocked_by[users] = krate["package"]
    else:
        row["crate_bytes"] = crate_bytes(krate)
        published(krate)
    record(krate, row)
