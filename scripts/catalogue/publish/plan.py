#!/usr/bin/env python3
"""The order a generated catalogue's crates are published in, and the versions they are published at.

usage: plan.py GENERATED_WORKSPACE [--release MANIFEST] [--json]

A crate can be published only once everything it depends on is in the registry: a split service's
users' crate (`cloudspec-alibabacloud-sas`) depends on the crates behind it at exactly its own version
(`= "=0.3.1"`), so each split service goes out as its shared crate, its part crates, then its users' crate.
Services are independent of each other: smallest first (by actions), so failures show early.

Versions come from each crate's Cargo.toml (`cargo metadata --no-deps`, offline): `cloudspec generate
--release MANIFEST` wrote them from the release manifest. The plan refuses a workspace whose versions
disagree with that: a crate behind a split at another version than its users' crate, or with --release,
a users' crate the manifest lists at another version (generated from an older manifest). Prints one line a
crate (`package version [behind USERS]`), or with --json the plan as JSON; exits 1 on a disagreement.
"""
import json, os, subprocess, sys


def read_plan(gen, release=None):
    """[{package, version, actions, part_of, dir}] in publishing order, and the disagreements found."""
    layout = json.load(open(os.path.join(gen, "cloudspec-layout.json")))
    if layout.get("layout") != "crate-per-service":
        raise SystemExit(f"{gen}: not a crate-per-service catalogue")
    meta = json.loads(subprocess.run(["cargo", "metadata", "--no-deps", "--format-version", "1", "--offline"],
                                     cwd=gen, capture_output=True, text=True, check=True).stdout)
    versions = {p["name"]: p["version"] for p in meta["packages"]}
    actions = {}
    for service in layout["services"]:
        actions[service["package"]] = actions.get(service["package"], 0) + service["actions"]
    # Each service's crates: those behind it in the manifest's order (its shared crate first), then its own.
    families = {}
    for krate in layout["crates"]:
        users = krate.get("part_of") or krate["package"]
        families.setdefault(users, [])
        if krate.get("part_of"):
            families[users].append({"package": krate["package"], "dir": krate["dir"], "part_of": users,
                                    "actions": krate.get("actions") or 0})
    dirs = {k["package"]: k["dir"] for k in layout["crates"]}
    for users, behind in families.items():
        behind.append({"package": users, "dir": dirs[users], "part_of": None, "actions": actions.get(users, 0)})
    problems = []
    released = json.load(open(release))["crates"] if release else {}
    for users, family in families.items():
        for krate in family:
            krate["version"] = versions.get(krate["package"])
            if krate["version"] is None:
                problems.append(f"{krate['package']}: in the layout manifest but not in the workspace")
        own = family[-1]["version"]
        for krate in family[:-1]:
            if krate["version"] != own:
                problems.append(f"{krate['package']} is at {krate['version']}, its users' crate {users} at {own}: "
                                "a crate behind a split is released at its users' crate's version")
        if users in released and released[users]["version"] != own:
            problems.append(f"{users} is at {own}, the release manifest says {released[users]['version']}: "
                            "generate again with --release")
    order = sorted(families.values(), key=lambda f: (sum(k["actions"] for k in f), f[-1]["package"]))
    return [k for family in order for k in family], problems


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        raise SystemExit(__doc__)
    release = args[args.index("--release") + 1] if "--release" in args else None
    plan, problems = read_plan(os.path.abspath(args[0]), release)
    if "--json" in args:
        print(json.dumps(plan, indent=1))
    else:
        for k in plan:
            print(k["package"], k["version"], *(("behind", k["part_of"]) if k["part_of"] else ()))
    for problem in problems:
        print("error:", problem, file=sys.stderr)
    sys.exit(1 if problems else 0)
