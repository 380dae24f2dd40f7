#!/usr/bin/env python3
"""Writes the trimmed Openmeta excerpts of this directory from the full catalogue.

    tar -xJf ../../../../shared/research/alibaba-openmeta/en_us.tar.xz -C /tmp en_us/ecs en_us/cs en_us/cloudcontrol
    python3 excerpt.py /tmp/en_us

Keeps `version`, `info`, `endpoints`, the listed actions verbatim and the `components.schemas` they
reference (transitively); drops the rest. Output is stable (sorted keys are not used: the order is the
catalogue's).
"""

import json
import sys
from pathlib import Path

ACTIONS = {
    "ecs/2014-05-26": [
        "DescribeRegions",
        "DescribeInstances",
        "TagResources",
        "ModifyInstanceAttribute",
        "AuthorizeSecurityGroup",
        "RunCommand",
    ],
    "cs/2015-12-15": [
        "DescribeClusterDetail",
        "DescribeClustersV1",
        "DeleteCluster",
        "ModifyCluster",
        "DescribeClusterUserKubeconfig",
        "ScaleClusterNodePool",
        "ListTagResources",
    ],
    # ROA with whole-path (`*`) actions: the caller's `requestPath` is the request path.
    "cloudcontrol/2022-08-30": [
        "CreateResource",
        "GetResources",
        "DeleteResource",
        "UpdateResource",
        "GetTask",
    ],
}


def refs(value, found):
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for inner in value.values():
            refs(inner, found)
    elif isinstance(value, list):
        for inner in value:
            refs(inner, found)


def main():
    root = Path(sys.argv[1])
    here = Path(__file__).resolve().parent
    for product, actions in ACTIONS.items():
        full = json.loads((root / product / "api-docs.json").read_text(encoding="utf-8"))
        apis = {name: full["apis"][name] for name in actions}
        schemas = full.get("components", {}).get("schemas", {})
        wanted, todo = set(), set()
        refs(apis, todo)
        while todo:
            name = todo.pop()
            if name in wanted or name not in schemas:
                continue
            wanted.add(name)
            refs(schemas[name], todo)
        excerpt = {
            "version": full.get("version"),
            "info": full["info"],
            "components": {"schemas": {k: v for k, v in schemas.items() if k in wanted}},
            "apis": apis,
            "endpoints": full.get("endpoints", []),
        }
        out = here / product / "api-docs.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(excerpt, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{out.relative_to(here)}: {len(apis)} actions, {len(wanted)} components")


if __name__ == "__main__":
    main()
