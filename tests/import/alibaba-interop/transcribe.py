#!/usr/bin/env python3
"""Interim, hand-run transcription of the excerpts here into cloudspec specs, until
`cloudspec import alibaba` lands (issue 9). NOT the importer: a deliberately small mapping, enough for
the SDK interop test, written down so the result is reproducible and reviewable.

    python3 transcribe.py ../../interop/specs

Maps: `in` → `location` (query implicit; formData → form; body, path, header); `style`; types (string,
integer int32/int64 → int32/int64 in requests and int64 in responses, number → float64, boolean → bool,
array → list<T>, object with properties → a shared type named after its place, additionalProperties →
map<T>, free-form → any, `$ref` → the component's type); `required`, minLength/maxLength, minimum/maximum,
maxItems/minItems. Not mapped (documentation only here): enum, pattern, default, example, errorCodes,
endpoints other than the regional pattern. The JSON `responseDemo` becomes the output example. Every
response field is optional.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXCERPTS = {"ecs/2014-05-26": ("ecs", "Elastic Compute Service", "Ecs"), "cs/2015-12-15": ("cs", "Container Service for Kubernetes", "CS")}
SOURCE_ID = "openmeta-excerpt"


def camel(text):
    parts = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


class Mapper:
    def __init__(self, components):
        self.components = components
        self.types = {}

    def type_of(self, schema, hint, request):
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[1]
            target = self.components.get(name)
            if target is None:
                return "any"
            return self.type_of(target, camel(name), request)
        kind = schema.get("type")
        if kind == "string":
            return "string"
        if kind == "integer":
            if not request:
                return "int64"
            return "int32" if schema.get("format") == "int32" else "int64"
        if kind == "number":
            return "float64"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            return f"list<{self.type_of(schema.get('items') or {}, hint + 'Item', request)}>"
        if kind == "object" or "properties" in schema:
            props = schema.get("properties")
            if props:
                name = hint
                if name not in self.types:
                    self.types[name] = None  # reserve against recursion
                    fields = distinct({wire: self.field(p, hint + camel(wire), request) for wire, p in props.items()})
                    self.types[name] = {"kind": "object", "fields": fields}
                    desc = (schema.get("description") or "").strip()
                    if desc:
                        self.types[name] = {"kind": "object", "description": desc, "fields": fields}
                return name
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return f"map<{self.type_of(extra, hint + 'Value', request)}>"
            return "any"
        return "any"

    def field(self, schema, hint, request):
        field = {"type": self.type_of(schema, hint, request)}
        if request and schema.get("required") is True:
            field["required"] = True
        desc = (schema.get("description") or "").strip()
        if desc:
            field["description"] = desc
        if request:
            constraints = {}
            length = {k: int(schema[s]) for k, s in (("min", "minLength"), ("max", "maxLength")) if s in schema}
            if length and field["type"] == "string":
                constraints["length"] = length
            numeric = {}
            for k, s in (("min", "minimum"), ("max", "maximum")):
                if s in schema:
                    try:
                        numeric[k] = int(str(schema[s]))
                    except ValueError:
                        pass
            if numeric and field["type"] in ("int32", "int64"):
                constraints["range"] = numeric
            items = {k: int(schema[s]) for k, s in (("min", "minItems"), ("max", "maxItems")) if s in schema}
            if items and field["type"].startswith("list<"):
                constraints["items"] = items
            if constraints:
                field["constraints"] = constraints
        if schema.get("deprecated") is True:
            field["deprecated"] = {"message": "deprecated in the Openmeta metadata"}
        return field


def distinct(fields):
    """Names that differ only in case (`Key` / `key`) get distinct Rust names: the later one a suffix."""
    taken = set()
    for wire, field in fields.items():
        name = field.get("rust_name") or rust_name(wire)
        if name in taken:
            n = 2
            while f"{name}_{n}" in taken:
                n += 1
            name = f"{name}_{n}"
            field["rust_name"] = name
        taken.add(name)
    return fields


def rust_name(wire):
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", wire)
    snake = re.sub(r"[^A-Za-z0-9]+", "_", snake).strip("_").lower()
    return snake


def transcribe(key, name, title, product, provider_text):
    doc = json.loads((HERE / key / "api-docs.json").read_text(encoding="utf-8"))
    style = doc["info"]["style"]
    mapper = Mapper(doc.get("components", {}).get("schemas", {}))
    actions = {}
    for action_name, api in doc["apis"].items():
        request, seen = {}, set()
        for parameter in api.get("parameters", []):
            wire = parameter["name"]
            if wire in seen:
                continue
            seen.add(wire)
            field = mapper.field(parameter.get("schema", {}), action_name + camel(wire), True)
            location = {"formData": "form", "body": "body", "path": "path", "header": "header"}.get(parameter.get("in"))
            if location:
                field["location"] = location
            if parameter.get("style") in ("repeatList", "json", "flat", "simple"):
                field["style"] = {"repeatList": "repeat_list"}.get(parameter["style"], parameter["style"])
            if re.search(r"[^A-Za-z0-9_]", wire):
                field["rust_name"] = rust_name(wire)
            request[wire] = field
        request = distinct(request)
        response_schema = api.get("responses", {}).get("200", {}).get("schema", {})
        props = response_schema.get("properties") or {}
        response = {wire: mapper.field(p, action_name + "Response" + camel(wire), False) for wire, p in props.items()}
        operation = (api.get("systemTags") or {}).get("operationType")
        methods = [m.upper() for m in api.get("methods", [])]
        path = api.get("path") or "/"
        action = {"summary": (api.get("summary") or action_name).strip().split("\n")[0]}
        if (api.get("description") or "").strip():
            action["description"] = api["description"].strip()
        action["sources"] = [SOURCE_ID]
        action["http"] = {"methods": methods, "path": path if style == "ROA" else "/"}
        action["idempotent"] = operation in ("get", "list")
        if operation in ("get", "list", "create", "update", "delete", "none"):
            action["operation_type"] = operation
        action["notes"] = ["Interim hand-run transcription (tests/import/alibaba-interop/transcribe.py), not the importer's output."]
        action["request"] = request
        action["response"] = response
        demos = [d for d in json.loads(api.get("responseDemo") or "[]") if d.get("type") == "json"]
        if demos:
            action["examples"] = [{"title": "Sample success response", "description": "JSON format (Openmeta responseDemo)", "output": demos[0]["example"]}]
        actions[action_name] = action
    types = {k: v for k, v in mapper.types.items() if v is not None}
    spec = {
        "$schema": "../../../../../specs/cloudspec.schema.json",
        "format_version": 1,
        "provider": "alibabacloud",
        "service": {
            "name": name,
            "title": title,
            "version": doc["info"]["version"],
            "product_code": product,
            "protocol": "alibaba_roa" if style == "ROA" else "alibaba_rpc",
            "description": "INTERIM, HAND-RUN TRANSCRIPTION for the SDK interop test: a few actions of the official Openmeta api-docs.json, mapped by tests/import/alibaba-interop/transcribe.py until `cloudspec import alibaba` replaces it.",
            "endpoints": {"regional": f"{name}.{{region}}.aliyuncs.com"},
        },
        "sources": {
            SOURCE_ID: {
                "title": f"Alibaba Cloud OpenAPI metadata (Openmeta) api-docs.json, {product} {doc['info']['version']}, English: excerpt",
                "kind": "machine_readable",
                "url": f"https://api.aliyun.com/meta/v1/products/{product}/versions/{doc['info']['version']}/api-docs.json?language=EN_US",
                "language": "en",
                "retrieved_from": f"tests/import/alibaba-interop/{key}/api-docs.json",
            }
        },
        "actions": actions,
        "types": types,
    }
    return spec


def main():
    out = Path(sys.argv[1]) / "alibabacloud"
    provider_text = (HERE / "../../../specs/alibabacloud/provider.json").read_text(encoding="utf-8")
    for key, (name, title, product) in EXCERPTS.items():
        spec = transcribe(key, name, title, product, provider_text)
        target = out / name / (spec["service"]["version"] + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{target}: {len(spec['actions'])} actions, {len(spec['types'])} types")
    provider = json.loads(provider_text)
    provider["$schema"] = "../../../../specs/cloudspec.schema.json"
    (out / "provider.json").write_text(json.dumps(provider, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
