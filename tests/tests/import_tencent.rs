//! `cloudspec import tencent` on a tiny tccli catalogue (`tests/import/tencent`): the specs it writes pass
//! `cloudspec check`, and the catalogue's facts land where the spec format wants them.

use std::path::{Path, PathBuf};

use cloudspec::spec::TypeKind;
use cloudspec_import::{ImportError, ImportReport, Overwrite};

fn catalogue() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("import/tencent")
}

#[test]
fn imported_apigateway_checks_and_keeps_the_catalogue_facts() {
    let out = tempfile::tempdir().unwrap();
    let report =
        cloudspec_import::tencent::import(&catalogue(), out.path(), &[], Overwrite::ImportedOnly, &|_, _, _| {})
            .unwrap();
    assert_eq!(report.services.len(), 1);
    let service = &report.services[0];
    assert_eq!((service.service.as_str(), service.version.as_str()), ("apigateway", "2018-08-08"));
    assert_eq!(service.actions, 3);
    assert!(service.remaining_errors.is_empty(), "{:#?}", service.remaining_errors);
    assert_eq!(service.examples_not_json, 0);
    assert!(service.examples_kept >= 3, "{service:#?}");

    let path = out.path().join("tencentcloud/apigateway/2018-08-08.json");
    assert_eq!(service.path, path);
    assert!(out.path().join("tencentcloud/provider.json").is_file());
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    let checked = cloudspec::check::check(&set);
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
    assert_eq!(set.services.len(), 1);
    let spec = &set.services[0].spec;
    assert_eq!(spec.provider, "tencentcloud");
    assert_eq!(spec.service.endpoints.default.as_deref(), Some("apigateway.tencentcloudapi.com"));

    let create = &spec.actions["CreateApiKey"];
    assert_eq!(create.summary, "This API is used to create an API key pair.");
    assert_eq!(create.title.as_deref(), Some("Creates key"));
    assert!(!create.idempotent);
    let names: Vec<&str> = create.request.keys().map(String::as_str).collect();
    assert_eq!(names, ["SecretName", "AccessKeyType", "AccessKeyId", "AccessKeySecret", "Tags"]);
    assert!(create.request["SecretName"].required);
    assert_eq!(create.request["SecretName"].ty, "string");
    assert!(!create.request["AccessKeyType"].required);
    assert_eq!(create.request["Tags"].ty, "list<Tag>");
    // Responses are all optional (the audit's all-Option rule); nullability is kept.
    assert_eq!(create.response["Result"].ty, "ApiKey");
    assert!(!create.response["Result"].required);
    assert!(create.response["Result"].nullable);
    assert_eq!(create.response["RequestId"].ty, "string");
    assert!(!create.response["RequestId"].required);
    assert_eq!(create.examples.len(), 1);

    let api_key = &spec.types["ApiKey"];
    assert_eq!(api_key.kind, TypeKind::Object);
    let fields = api_key.fields.as_ref().unwrap();
    assert_eq!(fields["Status"].ty, "int64");
    assert!(fields.values().all(|f| !f.required), "ApiKey is a response type: nothing is required");
    // Declared date/time formats are kept in the description, the type is a plain string.
    assert_eq!(fields["CreatedTime"].ty, "string");
    assert!(fields["CreatedTime"].description.as_deref().unwrap_or_default().contains("datetime_iso"));
    let tag = spec.types["Tag"].fields.as_ref().unwrap();
    assert_eq!(tag["Key"].ty, "string");

    // A second run over the same output directory writes the same bytes.
    let first = std::fs::read_to_string(&path).unwrap();
    cloudspec_import::tencent::import(
        &catalogue(),
        out.path(),
        &["apigateway".to_string()],
        Overwrite::ImportedOnly,
        &|_, _, _| {},
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
}

#[test]
fn unknown_service_and_bad_directory_are_errors_not_panics() {
    let out = tempfile::tempdir().unwrap();
    let error = cloudspec_import::tencent::import(
        &catalogue(),
        out.path(),
        &["nosuch".to_string()],
        Overwrite::ImportedOnly,
        &|_, _, _| {},
    )
    .unwrap_err();
    assert!(error.to_string().contains("nosuch"), "{error}");
    let error = import_into(out.path(), out.path()).unwrap_err();
    assert!(matches!(&error, ImportError::Usage(m) if m.contains("api.json")), "{error}");
    let error = import_into(&out.path().join("missing"), out.path()).unwrap_err();
    assert!(matches!(&error, ImportError::Usage(m) if m.contains("missing: no such directory")), "{error}");
}

/// Imports `catalogue` into `out`, as `cloudspec import tencent` does without `--force`.
fn import_into(catalogue: &Path, out: &Path) -> Result<ImportReport, ImportError> {
    cloudspec_import::tencent::import(catalogue, out, &[], Overwrite::ImportedOnly, &|_, _, _| {})
}

/// A catalogue with the fixture's apigateway, and `demo/v20200101/api.json` (and `examples.json`) as given.
fn catalogue_with_demo(api: &str, examples: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let apigateway = dir.path().join("apigateway/v20180808");
    std::fs::create_dir_all(&apigateway).unwrap();
    for file in ["api.json", "examples.json"] {
        std::fs::copy(catalogue().join("apigateway/v20180808").join(file), apigateway.join(file)).unwrap();
    }
    let demo = dir.path().join("demo/v20200101");
    std::fs::create_dir_all(&demo).unwrap();
    std::fs::write(demo.join("api.json"), api).unwrap();
    if let Some(examples) = examples {
        std::fs::write(demo.join("examples.json"), examples).unwrap();
    }
    dir
}

const DEMO_API: &str = r#"{"metadata": {"apiVersion": "2020-01-01"}, "actions": {"DoIt": {"document": "Does it.",
    "input": "DoItRequest", "output": "DoItResponse", "name": "Do it", "status": "online"}},
    "objects": {"DoItRequest": {"members": [], "type": "object"},
    "DoItResponse": {"members": [{"name": "RequestId", "type": "string", "member": "string"}], "type": "object"}}}"#;

/// The one failure of a report whose apigateway was imported: its file and error.
fn only_failure(report: &ImportReport) -> (String, String) {
    assert_eq!(report.services.len(), 1, "the good version is imported: {report:#?}");
    assert_eq!(report.services[0].service, "apigateway");
    assert_eq!(report.failures.len(), 1, "{report:#?}");
    (report.failures[0].file.display().to_string(), report.failures[0].error.clone())
}

#[test]
fn unmappable_member_names_file_and_entry_and_the_rest_is_imported() {
    let api = DEMO_API.replace(
        r#""members": [], "type""#,
        r#""members": [{"name": "Odd", "type": "map", "member": "string"}], "type""#,
    );
    let dir = catalogue_with_demo(&api, None);
    let out = tempfile::tempdir().unwrap();
    let (file, error) = only_failure(&import_into(dir.path(), out.path()).unwrap());
    assert!(file.ends_with("demo/v20200101/api.json"), "{file}");
    assert!(error.contains("demo/v20200101/api.json"), "{error}");
    assert!(error.contains("objects.DoItRequest.members[0]"), "{error}");
    assert!(out.path().join("tencentcloud/apigateway/2018-08-08.json").is_file());
}

#[test]
fn a_corrupt_api_json_is_reported_and_the_rest_is_imported() {
    let dir = catalogue_with_demo(&DEMO_API[..DEMO_API.len() / 2], None);
    let out = tempfile::tempdir().unwrap();
    let (file, error) = only_failure(&import_into(dir.path(), out.path()).unwrap());
    assert!(file.ends_with("demo/v20200101/api.json") && error.contains("demo/v20200101/api.json"), "{error}");
    assert!(error.contains("EOF while parsing"), "{error}");
}

#[test]
fn text_after_the_json_of_a_catalogue_file_is_an_error_with_its_position() {
    for (api, examples, file) in [
        (format!("{DEMO_API}\n}} garbage"), None, "api.json"),
        (DEMO_API.to_string(), Some("{\"actions\": {}}\n\n  [1]"), "examples.json"),
    ] {
        let dir = catalogue_with_demo(&api, examples);
        let out = tempfile::tempdir().unwrap();
        let (_, error) = only_failure(&import_into(dir.path(), out.path()).unwrap());
        assert!(error.contains(&format!("demo/v20200101/{file}")), "{error}");
        let line = if file == "api.json" { 5 } else { 3 };
        let expected = format!("unexpected text after the JSON value, at line {line}, column");
        assert!(error.contains(&expected), "{expected}: {error}");
    }
}

#[test]
fn an_oversized_catalogue_file_is_refused_before_it_is_read() {
    let dir = catalogue_with_demo(DEMO_API, None);
    let api = dir.path().join("demo/v20200101/api.json");
    // Sparse: the size is what is refused, and nothing of it is read.
    let size = cloudspec_import::MAX_CATALOGUE_BYTES + 1;
    std::fs::File::options().write(true).open(&api).unwrap().set_len(size).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (_, error) = only_failure(&import_into(dir.path(), out.path()).unwrap());
    assert!(error.contains("demo/v20200101/api.json") && error.contains(&format!("{size} bytes")), "{error}");
    assert!(error.contains("limited to 32 MiB"), "{error}");
}

#[test]
fn a_hand_written_spec_is_never_overwritten_without_force() {
    // tccli's layout: `tccli/__init__.py` beside `tccli/services`, whose release marks the specs.
    let root = tempfile::tempdir().unwrap();
    let services = root.path().join("tccli/services");
    copy_dir(&catalogue().join("apigateway"), &services.join("apigateway"));
    std::fs::write(root.path().join("tccli/__init__.py"), "__version__ = '3.0.1200.1'\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/tencentcloud");
    copy_dir(&seed, &out.path().join("tencentcloud"));
    let spec = out.path().join("tencentcloud/apigateway/2018-08-08.json");
    let (hand_written, provider) = (std::fs::read(&spec).unwrap(), std::fs::read(seed.join("provider.json")).unwrap());

    let error = import_into(&services, out.path()).unwrap_err().to_string();
    assert!(error.contains("refusing to overwrite 1 spec that no importer wrote"), "{error}");
    assert!(error.contains("tencentcloud/apigateway/2018-08-08.json") && error.contains("--force"), "{error}");
    assert_eq!(std::fs::read(&spec).unwrap(), hand_written, "the seed is as it was");

    // Forced, the spec is replaced and marked; provider.json, hand-written, is never replaced.
    let report = cloudspec_import::tencent::import(&services, out.path(), &[], Overwrite::Any, &|_, _, _| {}).unwrap();
    assert!(report.failures.is_empty(), "{report:#?}");
    let set = cloudspec::load::load(std::slice::from_ref(&spec)).unwrap();
    let mark = set.services[0].spec.imported_from.clone().expect("marked");
    assert_eq!(mark.catalogue, "tccli");
    assert_eq!(mark.version.as_deref(), Some("3.0.1200.1"));
    assert_eq!(mark.file.as_deref(), Some("apigateway/v20180808/api.json"));
    assert_eq!(std::fs::read(out.path().join("tencentcloud/provider.json")).unwrap(), provider);
    // What an importer wrote, it may replace.
    import_into(&services, out.path()).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() { copy_dir(&path, &target) } else { std::fs::copy(&path, &target).map(|_| ()).unwrap() }
    }
}

#[test]
fn error_examples_become_error_codes_and_prose_lists_become_request_enums() {
    let dir = tempfile::tempdir().unwrap();
    let version = dir.path().join("demo/v20200101");
    std::fs::create_dir_all(&version).unwrap();
    let api = r#"{"metadata": {"apiVersion": "2020-01-01"}, "actions": {"SetMode": {"document": "Sets the mode.",
        "input": "SetModeRequest", "output": "SetModeResponse", "name": "Set mode", "status": "online"}},
        "objects": {"SetModeRequest": {"type": "object", "members": [
          {"name": "Mode", "type": "string", "member": "string", "required": true, "example": "xx",
           "document": "Mode. Valid values:\n<li>ON: enabled</li>\n<li>OFF: disabled</li>"},
          {"name": "Region", "type": "string", "member": "string", "example": "ap-guangzhou",
           "document": "Region, e.g. ap-guangzhou. Valid values: ap-guangzhou, ap-beijing."},
          {"name": "Level", "type": "string", "member": "string",
           "document": "Level. Valid values: low, high."}]},
        "SetModeResponse": {"type": "object", "members": [
          {"name": "State", "type": "string", "member": "string", "document": "State. Valid values: ON, OFF."},
          {"name": "RequestId", "type": "string", "member": "string", "document": "Request ID."}]}}}"#;
    // The documented request sends `medium`, which the prose list of `Level` lacks: no enum for it.
    let examples = r#"{"actions": {"SetMode": [
        {"title": "ok", "input": "POST / HTTP/1.1\nX-TC-Action: SetMode\n\n{\"Mode\": \"ON\", \"Level\": \"medium\"}",
         "output": "{\"Response\": {\"State\": \"ON\", \"RequestId\": \"r\"}}"},
        {"title": "busy", "input": "POST / HTTP/1.1\nX-TC-Action: SetMode\n\n{\"Mode\": \"OFF\"}",
         "output": "{\"Response\": {\"Error\": {\"Code\": \"InternalError.Busy\", \"Message\": \"Busy, retry.\"}, \"RequestId\": \"r\"}}"},
        {"title": "bad", "input": "POST / HTTP/1.1\nX-TC-Action: SetMode\n\n{\"Mode\": \"OFF\"}",
         "output": "{\"Response\": {\"Error\": {\"Code\": \"InvalidParameter\", \"Message\": \"Bad.\"}, \"RequestId\": \"r\"}}"}]}}"#;
    std::fs::write(version.join("api.json"), api).unwrap();
    std::fs::write(version.join("examples.json"), examples).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report =
        cloudspec_import::tencent::import(dir.path(), out.path(), &[], Overwrite::ImportedOnly, &|_, _, _| {}).unwrap();
    assert_eq!(report.remaining_errors(), 0, "{report:#?}");
    let service = &report.services[0];
    assert_eq!((service.enums, service.enum_members, service.errors_from_examples), (1, 1, 1), "{service:#?}");

    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    assert_eq!(cloudspec::check::check(&set).errors(), 0);
    let spec = &set.services[0].spec;
    let action = &spec.actions["SetMode"];
    // `Mode`: a closed list, its placeholder example `xx` ignored (and dropped).
    assert_eq!(action.request["Mode"].ty, "Mode");
    assert!(action.request["Mode"].example.is_none());
    let mode = &spec.types["Mode"];
    assert_eq!(mode.kind, TypeKind::Enum);
    let values: Vec<_> = mode.values.as_ref().unwrap().iter().map(|v| v.value.as_str().unwrap()).collect();
    assert_eq!(values, ["ON", "OFF"]);
    assert_eq!(mode.values.as_ref().unwrap()[0].description.as_deref(), Some("enabled"));
    // `e.g.` opens the list; a documented value outside the list refutes it; responses stay strings.
    assert_eq!(action.request["Region"].ty, "string");
    assert_eq!(action.request["Level"].ty, "string");
    assert_eq!(action.response["State"].ty, "string");
    // The error envelope's code is the action's own; `InvalidParameter` is a common code and not repeated.
    let codes: Vec<_> = action.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["InternalError.Busy"]);
    assert!(action.errors[0].retryable, "inherits InternalError's retryability");
    assert_eq!(action.errors[0].description.as_deref(), Some("Shown in a documented response: Busy, retry."));
    assert_eq!(action.examples.len(), 3);
}

#[test]
fn object_names_that_meet_in_rust_get_distinct_rust_names() {
    // `Req_Label` and `ReqLabel` are both `ReqLabel` in Rust; `Result` would shadow the prelude.
    let dir = tempfile::tempdir().unwrap();
    let version = dir.path().join("demo/v20200101");
    std::fs::create_dir_all(&version).unwrap();
    let api = r#"{"metadata": {"apiVersion": "2020-01-01"}, "actions": {"Get": {"document": "Gets.",
        "input": "GetRequest", "output": "GetResponse", "name": "Get", "status": "offline"}},
        "objects": {"GetRequest": {"type": "object", "members": [
          {"name": "A", "type": "object", "member": "Req_Label", "document": "a"},
          {"name": "B", "type": "list", "member": "ReqLabel", "document": "b"},
          {"name": "C", "type": "binary", "member": "binary", "document": "c"}]},
        "GetResponse": {"type": "object", "members": [
          {"name": "Result", "type": "object", "member": "Result", "document": "r"}]},
        "Req_Label": {"usage": "in", "members": [{"name": "K", "type": "string", "member": "string", "document": "k"}]},
        "ReqLabel": {"usage": "in", "members": [{"name": "V", "type": "string", "member": "string", "document": "v"}]},
        "Result": {"usage": "out", "members": [{"name": "Ok", "type": "bool", "member": "bool", "document": "ok"}]}}}"#;
    std::fs::write(version.join("api.json"), api).unwrap();
    let out = tempfile::tempdir().unwrap();
    let report =
        cloudspec_import::tencent::import(dir.path(), out.path(), &[], Overwrite::ImportedOnly, &|_, _, _| {}).unwrap();
    assert_eq!(report.remaining_errors(), 0, "{report:#?}");
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    assert_eq!(cloudspec::check::check(&set).errors(), 0);
    let spec = &set.services[0].spec;
    assert_eq!(spec.types["Req_Label"].rust_name, None);
    assert_eq!(spec.types["ReqLabel"].rust_name.as_deref(), Some("ReqLabel2"));
    assert_eq!(spec.types["Result"].rust_name.as_deref(), Some("ResultObject"));
    assert_eq!(spec.actions["Get"].status, cloudspec::spec::ActionStatus::Offline);
    assert_eq!(spec.actions["Get"].request["C"].ty, "binary");
}
