#!/usr/bin/env python3
"""An offline directory source standing in for crates.io, for `cargo publish --dry-run` of crates that
depend on cloudspec's runtime (which is not on crates.io; cargo ignores `[patch]` when it packages).

usage: source.py WORKSPACE OUT [--workspace [--verify]]

  OUT/vendor     `cargo vendor` of the workspace's dependency graph (third-party crates only)
  OUT/registry   the same entries (symlinks) plus the workspace crates the runtime needs, packaged with
                 `cargo package --no-verify` (dependencies first, each against the registry so far) and unpacked, each with the `.cargo-checksum.json` cargo
                 vendor would write (`package`: the .crate's sha256; `files`: every file's sha256)
  OUT/vendor.toml, OUT/registry.toml
                 configs for `cargo --config FILE`: crates-io replaced by the directory, net.offline

Which workspace crates go in: the runtime and every workspace member it reaches through normal or
build dependencies (cloudspec-rules today; a derive crate tomorrow), read from `cargo metadata`; with
--workspace, every publishable member. That is the workspace's own publish proof: `cargo package`
of each crate in dependency order against this source (with --verify, each one's verify build too),
one JSON line per crate in OUT/workspace.jsonl. (`cargo package`, not `cargo publish --dry-run`: with
crates-io replaced by a directory, publish insists on `--registry crates-io` and then fetches the
registry's config over HTTP even in a dry run; `cargo package --registry crates-io` is the same
packaging and verify build, offline.)
"""
import json, os, shutil, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from registry import unpack  # noqa: E402

workspace, out = (os.path.abspath(a) for a in sys.argv[1:3])
os.makedirs(out, exist_ok=True)
all_members, verify = "--workspace" in sys.argv[3:], "--verify" in sys.argv[3:]
# PUBLISH_VENDOR: a vendor directory made before (by another run) to use as it is.
vendor, registry = os.environ.get("PUBLISH_VENDOR", f"{out}/vendor"), f"{out}/registry"
env = dict(os.environ, CARGO_INCREMENTAL="0", CARGO_TARGET_DIR=f"{out}/target")


def run(args, **kw):
    print("+", " ".join(args), file=sys.stderr)
    return subprocess.run(args, cwd=workspace, env=env, check=True, **kw)


def write_config(path, directory):
    with open(path, "w") as f:
        f.write(f'[source.crates-io]\nreplace-with = "cloudspec-offline"\n\n'
                f'[source.cloudspec-offline]\ndirectory = "{directory}"\n\n[net]\noffline = true\n')


# 1. Third-party crates: the whole workspace's graph (a superset of the runtime's; the workspace's own
#    publish needs the rest), at Cargo.lock's versions. The one step that may go online: cargo vendor
#    takes every platform's crates, and a Linux machine's registry cache lacks the Windows ones.
#    PUBLISH_KEEP_VENDOR=1 keeps OUT/vendor made before; PUBLISH_VENDOR names one elsewhere.
if not ((os.environ.get("PUBLISH_KEEP_VENDOR") or os.environ.get("PUBLISH_VENDOR")) and os.path.isdir(vendor)):
    shutil.rmtree(vendor, ignore_errors=True)
    run(["cargo", "vendor", "--locked", "--versioned-dirs", "--manifest-path", f"{workspace}/Cargo.toml", vendor],
        stdout=subprocess.DEVNULL)
write_config(f"{out}/vendor.toml", vendor)

# 2. The workspace crates the runtime reaches through normal and build dependencies.
meta = json.loads(run(["cargo", "metadata", "--format-version", "1", "--offline"], capture_output=True).stdout)
members = set(meta["workspace_members"])
names = {p["id"]: p["name"] for p in meta["packages"]}
edges = {n["id"]: [d["pkg"] for d in n["deps"] if any(k["kind"] in (None, "build") for k in d["dep_kinds"])]
         for n in meta["resolve"]["nodes"]}
publishable = {p["id"] for p in meta["packages"] if p["id"] in members and p.get("publish") != []}
runtime = next(i for i in members if names[i] == "cloudspec-runtime")
needed, todo = set(), [runtime] + (sorted(publishable) if all_members else [])
while todo:
    pkg = todo.pop()
    if pkg in needed or pkg not in members:
        continue
    needed.add(pkg)
    todo += edges.get(pkg, [])
# Dependencies first: each crate is packaged against the registry that holds the ones before it
# (cargo's overlay of crates packaged together does not apply once crates-io is replaced).
order, placed = [], set()
while len(order) < len(needed):
    ready = sorted((p for p in needed - placed if all(d in placed or d not in needed for d in edges[p])),
                   key=names.get)
    if not ready:
        sys.exit("a dependency cycle among the workspace crates")
    order += ready
    placed |= set(ready)
print("workspace crates in the source:", ", ".join(names[p] for p in order), file=sys.stderr)

# 3. The registry: every vendored entry, then each workspace crate packaged against it and unpacked,
#    with its checksums.
shutil.rmtree(registry, ignore_errors=True)
os.makedirs(registry)
for entry in os.listdir(vendor):
    os.symlink(f"{vendor}/{entry}", f"{registry}/{entry}")
write_config(f"{out}/registry.toml", registry)
results = open(f"{out}/workspace.jsonl", "w") if all_members else None
for pkg in order:
    version = next(p["version"] for p in meta["packages"] if p["id"] == pkg)
    stem = f"{names[pkg]}-{version}"
    started = time.monotonic()
    packaged = subprocess.run(["nice", "cargo", "package", "--allow-dirty", "--registry", "crates-io",
                               "--config", f"{out}/registry.toml", "-p", names[pkg]]
                              + ([] if verify and all_members else ["--no-verify"]),
                              cwd=workspace, env=env, capture_output=True, text=True)
    errors = [l for l in packaged.stderr.splitlines() if l.startswith("error")]
    if results:
        results.write(json.dumps({"crate": names[pkg], "status": "fail" if packaged.returncode else "pass",
                                  "verified": verify, "seconds": round(time.monotonic() - started, 1),
                                  "first_error": errors[:1], "stderr_tail": packaged.stderr[-2000:]}) + "\n")
        results.flush()
    if packaged.returncode:
        sys.exit(f"{stem} did not package:\n{packaged.stderr[-3000:]}")
    crate = f"{out}/target/package/{stem}.crate"
    unpack(crate, registry)
    print(f"{stem}: {crate} unpacked into the registry", file=sys.stderr)
print(f"{out}/registry.toml")

