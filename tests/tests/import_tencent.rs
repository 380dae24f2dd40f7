//! `cloudspec import tencent` on a tiny tccli catalogue (`tests/import/tencent`): the specs it writes pass
//! `cloudspec check`, and the catalogue's facts land where the spec format wants them.

use std::path::PathBuf;

use cloudspec::spec::TypeKind;

fn catalogue() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("import/tencent")
}

#[test]
fn imported_apigateway_checks_and_keeps_the_catalogue_facts() {
    let out = tempfile::tempdir().unwrap();
    let report = cloudspec::import::tencent::import(&catalogue(), out.path(), &[]).unwrap();
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
    cloudspec::import::tencent::import(&catalogue(), out.path(), &["apigateway".to_string()]).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
}

#[test]
fn unknown_service_and_bad_directory_are_errors_not_panics() {
    let out = tempfile::tempdir().unwrap();
    let error = cloudspec::import::tencent::import(&catalogue(), out.path(), &["nosuch".to_string()]).unwrap_err();
    assert!(error.to_string().contains("nosuch"), "{error}");
    let error = cloudspec::import::tencent::import(out.path(), out.path(), &[]).unwrap_err();
    assert!(error.to_string().contains("api.json"), "{error}");
}

#[test]
fn unmappable_member_names_file_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let version = dir.path().join("demo/v20200101");
    std::fs::create_dir_all(&version).unwrap();
    let api = r#"{"metadata": {"apiVersion": "2020-01-01"}, "actions": {"DoIt": {"document": "Does it.",
        "input": "DoItRequest", "output": "DoItResponse", "name": "Do it", "status": "online"}},
        "objects": {"DoItRequest": {"members": [{"name": "Odd", "type": "map", "member": "string"}], "type": "object"},
        "DoItResponse": {"members": [], "type": "object"}}, "version": "1.0"}"#;
    std::fs::write(version.join("api.json"), api).unwrap();
    let out = tempfile::tempdir().unwrap();
    let error = cloudspec::import::tencent::import(dir.path(), out.path(), &[]).unwrap_err().to_string();
    assert!(error.contains("demo/v20200101/api.json"), "{error}");
    assert!(error.contains("objects.DoItRequest.members[0]"), "{error}");
}
