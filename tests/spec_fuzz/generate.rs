//! The seeded generator of hostile specs (issue 15 §4): from a `u64` seed, a provider and one or two
//! service versions whose names come from the hostile vocabulary, with nested, recursive and mutually
//! recursive types, maps of lists and lists of maps, conditions on renamed fields, `sensitive` on every
//! kind of type, colliding enum values and error codes, and documented examples.
//!
//! Each spec picks a hostility (the share of names and texts drawn from the hostile lists): at a low
//! one, most of the spec is plain, so a failure points at the one hostile part it has. Values it
//! writes (defaults, conditions, examples) are valid for their fields, so most specs pass `check` and
//! their code gets compiled.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::rng::Rng;
use super::tree::{Case, SpecTree};
use super::vocabulary as vocab;

const PROTOCOLS: &[&str] = &["tencent_json", "alibaba_rpc", "alibaba_roa"];
const SCALARS: &[&str] = &[
    "string",
    "bool",
    "int32",
    "int64",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "timestamp",
    "date",
    "binary",
    "any",
];
const TIME_FORMATS: &[&str] = &["iso8601", "datetime", "epoch_seconds", "epoch_millis"];
const PROVIDER_NAMES: &[&str] = &["std", "core", "serde", "cloudspec_runtime", "types", "client", "common", "examples"];
const SERVICE_NAMES: &[&str] =
    &["std", "core", "serde", "serde_json", "types", "client", "common", "examples", "fuzzcloud", "mod", "super_"];

/// The spec tree of seed `seed`.
pub fn hostile_spec(seed: u64, label: String) -> Case {
    let mut rng = Rng::new(seed);
    let hostility = *rng.pick(&[1, 3, 5, 15, 30, 60]);
    let protocol = rng.word(PROTOCOLS);
    let provider = if rng.percent(hostility / 3) { rng.pick(PROVIDER_NAMES).to_string() } else { "fuzzcloud".into() };
    let mut tree = SpecTree::new();
    let bidi = rng.percent(12);
    let mut g = Gen { rng: rng.fork(), hostility, protocol, enums: HashMap::new(), objects: HashMap::new(), bidi };
    tree.insert(format!("{provider}/provider.json"), pretty(&g.provider(&provider)));
    let services = 1 + usize::from(g.rng.percent(25));
    for i in 0..services {
        let name = if g.rng.percent(hostility / 2) { g.rng.pick(SERVICE_NAMES).to_string() } else { "widgets".into() };
        let version = if i == 0 { "2020-01-01" } else { g.rng.pick(&["2021-02-03", "v1", "1.0", "2020-01-01"]) };
        let mut service =
            Gen { rng: g.rng.fork(), hostility, protocol, enums: HashMap::new(), objects: HashMap::new(), bidi };
        let spec = service.service(&provider, &name, version);
        tree.insert(format!("{provider}/{name}/{version}.json"), pretty(&spec));
    }
    Case { label, tree }
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// Where a set of fields sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Response,
    Object,
}

struct Gen {
    rng: Rng,
    hostility: u32,
    protocol: &'static str,
    /// Enumerations declared so far, with their values.
    enums: HashMap<String, Vec<Value>>,
    /// Object types declared so far, with their required members' types.
    objects: HashMap<String, Vec<(String, String)>>,
    /// Whether texts may carry bidirectional controls (rustc refuses them in doc comments and
    /// literals): in one spec in eight, so they do not hide every other failure.
    bidi: bool,
}

impl Gen {
    fn text(&mut self) -> String {
        vocab::text(&mut self.rng, self.hostility, self.bidi)
    }

    fn provider(&mut self, name: &str) -> Value {
        let tencent = self.protocol == "tencent_json";
        let mut errors = vec![
            json!({ "code": "InternalError", "description": "Internal error.", "retryable": true }),
            json!({ "code": "RequestLimitExceeded", "description": "Too many requests.", "retryable": true, "throttling": true }),
        ];
        let mut codes = vec!["InternalError".to_string(), "RequestLimitExceeded".to_string()];
        for _ in 0..self.rng.below(3) {
            let code = vocab::error_code(&mut self.rng, self.hostility);
            if !codes.contains(&code) {
                let description = self.text();
                errors.push(json!({ "code": code, "description": description, "retryable": self.rng.percent(50) }));
                codes.push(code);
            }
        }
        let title = format!("Fuzz {}", self.text());
        let envelope = if tencent {
            json!({ "wrapper": "Response", "request_id": "RequestId",
                    "error": { "container": "Error", "code": "Code", "message": "Message", "http_status": "ok" } })
        } else {
            json!({ "request_id": "RequestId", "error": { "code": "Code", "message": "Message", "http_status": "error_status" } })
        };
        let (signing, common) = if tencent {
            (
                json!({ "scheme": "TC3-HMAC-SHA256", "max_clock_skew_seconds": 300 }),
                json!({
                    "Action": { "type": "string", "location": "header", "wire_name": "X-TC-Action", "required": "always", "description": "The action." },
                    "Region": { "type": "string", "location": "header", "wire_name": "X-TC-Region", "required": "per_action", "description": "The region." }
                }),
            )
        } else {
            (
                json!({ "scheme": "ACS3-HMAC-SHA256", "max_clock_skew_seconds": 900 }),
                json!({ "x-acs-action": { "type": "string", "location": "header", "required": "always", "description": "The action." } }),
            )
        };
        json!({
            "$schema": "../cloudspec.schema.json",
            "format_version": 1,
            "provider": { "name": name, "title": title },
            "protocol": self.protocol,
            "signing": signing,
            "common_parameters": common,
            "envelope": envelope,
            "common_errors": errors,
            "endpoints": { "default": "{service}.fuzzcloud.test" },
            "credentials": { "env_access_key_id": "FUZZCLOUD_ID", "env_access_key_secret": "FUZZCLOUD_SECRET" }
        })
    }

    fn service(&mut self, provider: &str, name: &str, version: &str) -> Value {
        let types = self.types();
        let mut actions = Map::new();
        for _ in 0..self.rng.between(1, 4) {
            let action = vocab::action_name(&mut self.rng, self.hostility);
            let body = self.action(&action, &types);
            actions.insert(action, body);
        }
        let title = self.text();
        let description = self.text();
        let mut service = json!({
            "$schema": "../../cloudspec.schema.json",
            "format_version": 1,
            "provider": provider,
            "service": { "name": name, "title": title, "version": version, "description": description,
                         "endpoints": { "default": "svc.fuzzcloud.test" } },
            "actions": actions,
        });
        if self.protocol != "tencent_json" {
            service["service"]["protocol"] = json!(self.protocol);
        }
        if !types.is_empty() {
            service["types"] = Value::Object(types);
        }
        service
    }

    /// Shared types: names first, so any type may refer to any other, itself included.
    fn types(&mut self) -> Map<String, Value> {
        let mut names: Vec<String> = Vec::new();
        for _ in 0..self.rng.below(7) {
            let name = match self.rng.below(10) {
                // `<OtherType>Builder`, the name of another type's generated builder.
                0 if !names.is_empty() => format!("{}Builder", self.rng.pick(&names)),
                _ => vocab::type_name(&mut self.rng, self.hostility),
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let kinds: Vec<bool> = names.iter().map(|_| self.rng.percent(30)).collect();
        for (name, is_enum) in names.iter().zip(&kinds) {
            if *is_enum {
                let values = self.enum_values();
                self.enums.insert(name.clone(), values);
            }
        }
        let mut types = Map::new();
        for (name, is_enum) in names.iter().zip(&kinds) {
            let mut def = if *is_enum {
                let raw = self.enums[name].clone();
                let values: Vec<Value> = raw.iter().map(|v| self.enum_value(v)).collect();
                let mut def = json!({ "kind": "enum", "values": values });
                let numbers: Vec<i64> = values.iter().filter_map(|v| v["value"].as_i64()).collect();
                if numbers.iter().all(|n| i32::try_from(*n).is_ok()) && !numbers.is_empty() {
                    def["base"] = json!(self.rng.word(&["int32", "int64"]));
                } else if !numbers.is_empty() {
                    def["base"] = json!("int64");
                }
                def
            } else {
                let fields = self.fields(Role::Object, &names);
                let required = fields
                    .iter()
                    .filter(|(_, f)| f["required"] == json!(true))
                    .map(|(n, f)| (n.clone(), f["type"].as_str().unwrap_or_default().to_string()))
                    .collect();
                self.objects.insert(name.clone(), required);
                json!({ "kind": "object", "fields": fields })
            };
            def["description"] = json!(self.text());
            if self.rng.percent(self.hostility / 4) {
                def["rust_name"] = json!(vocab::rust_name(&mut self.rng));
            }
            types.insert(name.clone(), def);
        }
        types
    }

    /// An enumeration's values: strings that may collide once converted, or integers.
    fn enum_values(&mut self) -> Vec<Value> {
        let integer = self.rng.percent(30);
        let mut values: Vec<Value> = Vec::new();
        for _ in 0..self.rng.between(1, 5) {
            let value = if integer {
                json!(*self.rng.pick(&[0i64, 1, -1, 7, 2_147_483_647, 2_147_483_648, i64::MIN]))
            } else if self.rng.percent(self.hostility) {
                json!(match self.rng.below(4) {
                    0 => self.rng.pick(&["a-b", "a_b", "A B", "aB", "AB", "a.b"]).to_string(),
                    1 => self.rng.pick(vocab::STRICT_KEYWORDS).to_string(),
                    2 => self.rng.pick(&["Unknown", "unknown", "UNKNOWN", "Other", "VALUES"]).to_string(),
                    _ => vocab::field_name(&mut self.rng, 100),
                })
            } else {
                json!(self.rng.pick(&["auto", "manual", "on", "off", "enabled", "disabled"]).to_string())
            };
            if !values.contains(&value) {
                values.push(value);
            }
        }
        values
    }

    fn enum_value(&mut self, value: &Value) -> Value {
        let mut entry = json!({ "value": value, "description": self.text() });
        if value.is_number() || self.rng.percent(self.hostility / 3) {
            let name = if self.rng.percent(self.hostility) {
                vocab::rust_name(&mut self.rng).to_string()
            } else {
                format!("Value{}", self.rng.below(1000))
            };
            entry["name"] = json!(name);
        }
        entry
    }

    fn action(&mut self, name: &str, types: &Map<String, Value>) -> Value {
        let type_names: Vec<String> = types.keys().cloned().collect();
        let mut request = self.fields(Role::Request, &type_names);
        let mut response = self.fields(Role::Response, &type_names);
        if self.rng.percent(90) {
            response.insert(
                "RequestId".into(),
                json!({ "type": "string", "required": true, "description": "Request id." }),
            );
        }
        let mut action = json!({
            "summary": self.text(),
            "idempotent": self.rng.percent(50),
        });
        if self.protocol == "alibaba_roa" {
            let path_param = request
                .iter_mut()
                .find(|(_, f)| f["type"] == json!("string") && f.get("required_when").is_none())
                .map(|(n, f)| {
                    f["location"] = json!("path");
                    f["required"] = json!(true);
                    n.clone()
                });
            let path = match path_param {
                Some(param) => format!("/things/{{{param}}}"),
                None => "/things".into(),
            };
            action["http"] = json!({ "methods": [self.rng.pick(&["GET", "POST", "PUT", "DELETE"])], "path": path });
        }
        let mut codes: Vec<String> = Vec::new();
        for _ in 0..self.rng.below(4) {
            let code = vocab::error_code(&mut self.rng, self.hostility);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        let errors: Vec<Value> = codes
            .iter()
            .map(|code| json!({ "code": code, "description": self.text(), "retryable": self.rng.percent(40) }))
            .collect();
        let examples = self.examples(name, &request, &response, &codes);
        action["request"] = Value::Object(request);
        action["response"] = Value::Object(response);
        if !errors.is_empty() {
            action["errors"] = Value::Array(errors);
        }
        if !examples.is_empty() {
            action["examples"] = Value::Array(examples);
        }
        action
    }

    /// A set of fields, then conditions between them (request only).
    fn fields(&mut self, role: Role, type_names: &[String]) -> Map<String, Value> {
        let mut fields = Map::new();
        for _ in 0..self.rng.below(7) {
            let name = vocab::field_name(&mut self.rng, self.hostility);
            let field = self.field(role, type_names);
            fields.insert(name, field);
        }
        if role == Role::Request && fields.len() >= 2 && self.rng.percent(40) {
            let names: Vec<String> = fields.keys().cloned().collect();
            let target = self.rng.pick(&names).clone();
            let candidates: Vec<(String, Value)> = names
                .iter()
                .filter(|n| **n != target)
                .filter_map(|n| Some((n.clone(), self.condition_value(fields[n].get("type")?.as_str()?)?)))
                .collect();
            if !candidates.is_empty() {
                let (other, equals) = self.rng.pick(&candidates).clone();
                fields[&target]["required_when"] = json!({ "field": other, "equals": equals });
                fields[&target]["required"] = json!(false);
            }
        }
        fields
    }

    fn field(&mut self, role: Role, type_names: &[String]) -> Value {
        let ty = self.type_expr(type_names, 0);
        let mut field = json!({ "type": ty, "description": self.text() });
        if ty.contains("timestamp") {
            field["format"] = json!(self.rng.pick(TIME_FORMATS));
        }
        if self.rng.percent(30) {
            field["required"] = json!(true);
        }
        if role != Role::Request && self.rng.percent(15) {
            field["nullable"] = json!(true);
        }
        // `check` refuses `sensitive` on what cannot be redacted (anything but text), so it is mostly put
        // where it applies — and sometimes elsewhere, to see it refused.
        let element = ty.trim_start_matches("list<").trim_start_matches("map<").trim_end_matches('>');
        let redactable = element.split('<').next_back().is_some_and(|e| matches!(e, "string" | "binary"));
        let sensitive = if redactable { self.rng.percent(10 + self.hostility / 2) } else { self.rng.below(300) == 0 };
        if sensitive {
            field["sensitive"] = json!(true);
        }
        if self.rng.percent(5) {
            field["deprecated"] = json!({ "message": self.text() });
        }
        if self.rng.percent(self.hostility / 4) {
            field["rust_name"] = json!(vocab::rust_name(&mut self.rng));
        }
        if let Some(constraints) = self.constraints(&ty) {
            field["constraints"] = constraints;
        }
        let valid = self.valid_value(&ty, field.get("format"), 0);
        let plain = SCALARS.contains(&ty.as_str()) || self.enums.contains_key(&ty);
        let encoded = field.get("constraints").is_some_and(|c| c.get("encoding").is_some());
        if let Some(value) =
            valid.clone().filter(|_| role == Role::Request && plain && !encoded && self.rng.percent(15))
        {
            field["default"] = value;
        }
        if let Some(value) = valid.filter(|_| self.rng.percent(20)) {
            field["example"] = value;
        }
        if role == Role::Request && self.protocol != "tencent_json" && ty.starts_with("list") && self.rng.percent(30) {
            field["style"] = json!(self.rng.pick(&["repeat_list", "json", "flat"]));
        }
        field
    }

    /// A type expression: a scalar, a named type, or lists and maps of them nested up to three deep.
    fn type_expr(&mut self, type_names: &[String], depth: usize) -> String {
        match self.rng.below(10) {
            0 | 1 if depth < 3 => format!("list<{}>", self.type_expr(type_names, depth + 1)),
            2 if depth < 3 => format!("map<{}>", self.type_expr(type_names, depth + 1)),
            3..=5 if !type_names.is_empty() => self.rng.pick(type_names).clone(),
            _ => self.rng.pick(SCALARS).to_string(),
        }
    }

    /// Constraints that fit the type: length, pattern or encoding on strings, range on numbers,
    /// items on lists.
    fn constraints(&mut self, ty: &str) -> Option<Value> {
        if !self.rng.percent(35) {
            return None;
        }
        let element = ty.trim_start_matches("list<").trim_start_matches("map<").trim_end_matches('>');
        let mut constraints = Map::new();
        if ty.starts_with("list<") {
            constraints.insert("items".into(), json!({ "min": 0, "max": 10 }));
        }
        let rule = match element {
            "string" => match self.rng.below(3) {
                0 => Some(("length", json!({ "min": 1, "max": 64 }))),
                1 => {
                    let description = self.text();
                    Some(("pattern", json!({ "regex": "^[a-z0-9]+$", "description": description })))
                }
                _ => Some(("encoding", json!({ "kind": "base64", "decoded_length": { "min": 1, "max": 48 } }))),
            },
            "int32" | "int64" | "uint32" | "uint64" => Some(("range", json!({ "min": 0, "max": 100 }))),
            "float32" | "float64" => Some(("range", json!({ "min": 0.5, "max": 99.5, "exclusive_max": true }))),
            _ => None,
        };
        if let Some((key, rule)) = rule {
            constraints.insert(key.into(), rule);
        }
        if self.rng.percent(10) {
            constraints.insert("unchecked".into(), json!([self.text()]));
        }
        (!constraints.is_empty()).then_some(Value::Object(constraints))
    }

    /// A value a field of `ty` accepts, which satisfies the constraints [`Gen::constraints`] writes;
    /// `None` where none is easy to write (a recursive required member).
    fn valid_value(&mut self, ty: &str, format: Option<&Value>, depth: usize) -> Option<Value> {
        if depth > 4 {
            return None;
        }
        if let Some(inner) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            return Some(match self.valid_value(inner, format, depth + 1) {
                Some(item) if self.rng.percent(60) => json!([item]),
                _ => json!([]),
            });
        }
        if let Some(inner) = ty.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
            return Some(match self.valid_value(inner, format, depth + 1) {
                Some(item) => json!({ "k": item }),
                None => json!({}),
            });
        }
        Some(match ty {
            "string" => json!("abc"),
            "bool" => json!(true),
            "int32" | "int64" | "uint32" | "uint64" => json!(7),
            "float32" | "float64" => json!(1.5),
            "timestamp" => match format.and_then(Value::as_str) {
                Some("epoch_seconds") => json!(1_582_697_401),
                Some("epoch_millis") => json!(1_582_697_401_000i64),
                Some("datetime") => json!("2020-02-26 06:10:01"),
                _ => json!("2020-02-26T06:10:01Z"),
            },
            "date" => json!("2020-02-26"),
            "binary" => json!("YWJj"),
            "any" => json!({ "any": [1, "two"] }),
            named => {
                if let Some(values) = self.enums.get(named) {
                    return values.first().cloned();
                }
                let required = self.objects.get(named)?.clone();
                let mut object = Map::new();
                for (member, member_ty) in required {
                    object.insert(member, self.valid_value(&member_ty, None, depth + 1)?);
                }
                Value::Object(object)
            }
        })
    }

    /// What a condition on a field of type `ty` can compare with.
    fn condition_value(&mut self, ty: &str) -> Option<Value> {
        match ty {
            "bool" => Some(json!(true)),
            "string" => Some(json!("on")),
            "int32" | "int64" => Some(json!(1)),
            named => {
                let values = self.enums.get(named)?;
                Some(self.rng.pick(values).clone())
            }
        }
    }

    /// Documented examples: a success output, an error output, a request input, with hostile text.
    fn examples(
        &mut self,
        action: &str,
        request: &Map<String, Value>,
        response: &Map<String, Value>,
        codes: &[String],
    ) -> Vec<Value> {
        let tencent = self.protocol == "tencent_json";
        let mut examples = Vec::new();
        let title = self.text();
        if self.rng.percent(40) {
            let mut body = Map::new();
            let mut complete = true;
            for (name, field) in response {
                if field["required"] == json!(true) && field.get("nullable").is_none() {
                    let ty = field["type"].as_str().unwrap_or_default().to_string();
                    match self.valid_value(&ty, field.get("format"), 0) {
                        Some(value) => {
                            body.insert(name.clone(), value);
                        }
                        None => complete = false,
                    }
                }
            }
            body.insert("RequestId".into(), json!(format!("r-1{}", self.text())));
            if !response.contains_key("RequestId") {
                body.remove("RequestId");
            }
            let body = if tencent { json!({ "Response": body }) } else { Value::Object(body) };
            if complete {
                examples.push(json!({ "title": title.clone(), "output": body.to_string() }));
            }
        }
        if !codes.is_empty() && self.rng.percent(30) {
            let code = self.rng.pick(codes).clone();
            let body = if tencent {
                json!({ "Response": { "Error": { "Code": code, "Message": "m" }, "RequestId": "r-2" } })
            } else {
                json!({ "Code": code, "Message": "m", "RequestId": "r-2" })
            };
            examples.push(json!({ "title": format!("{title} (error)"), "output": body.to_string() }));
        }
        if self.protocol != "alibaba_roa" && self.rng.percent(30) {
            let mut body = Map::new();
            for (name, field) in request {
                if field["required"] == json!(true) {
                    let ty = field["type"].as_str().unwrap_or_default().to_string();
                    let Some(value) = self.valid_value(&ty, field.get("format"), 0) else { return examples };
                    body.insert(name.clone(), value);
                }
            }
            let header = if tencent { "X-TC-Action" } else { "x-acs-action" };
            let input = format!(
                "POST / HTTP/1.1\nHost: svc.fuzzcloud.test\nContent-Type: application/json\n{header}: {action}\n\n{}",
                Value::Object(body)
            );
            examples.push(json!({ "title": format!("{title} (input)"), "input": input }));
        }
        examples
    }
}
