//! `cloudspec import alibaba` on small Openmeta fixtures (`tests/import/alibaba`, one quirk class each): the
//! specs it writes pass `cloudspec check`, every mapping rule lands where the spec format wants it, and the
//! defects of the catalogue are made safe and counted rather than fatal.

use std::path::{Path, PathBuf};

use cloudspec::spec::{
    ActionStatus, HttpMethod, OperationType, ParamLocation, ParamStyle, Protocol, ServiceSpec, TypeKind,
};
use cloudspec_import::Overwrite;
use cloudspec_import::alibaba::{AlibabaReport, import};

fn catalogue() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("import/alibaba")
}

fn run(out: &Path) -> AlibabaReport {
    import(&[catalogue()], out, &[], Overwrite::ImportedOnly, &|_, _, _| {}).unwrap()
}

fn spec(out: &Path, product: &str, version: &str) -> ServiceSpec {
    let path = out.join(format!("alibabacloud/{product}/{version}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn imported_specs_pass_check_and_skips_are_reported() {
    let out = tempfile::tempdir().unwrap();
    let report = run(out.path());
    assert_eq!(report.remaining_errors(), 0, "{report:#?}");
    assert!(out.path().join("alibabacloud/provider.json").is_file());
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    let checked = cloudspec::check::check(&set);
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
    assert_eq!(set.services.len(), 3);

    // By style: RPC, ROA and AliGenie (REST signed like ROA) imported, OSS skipped with a reason.
    assert_eq!(report.styles["RPC"].versions_imported, 1);
    assert_eq!(report.styles["RPC"].apis, 5);
    assert_eq!(report.styles["RPC"].apis_imported, 5);
    assert_eq!(report.styles["ROA"].apis_imported, 4);
    assert_eq!(report.styles["OSS"].versions_imported, 0);
    assert_eq!(report.styles["AliGenie"].versions_imported, 1);
    // Its version is no date: it still names a module.
    let genie = set.services.iter().find(|s| s.spec.service.version == "iap_1.0").expect("the AliGenie spec");
    assert_eq!(genie.spec.service.protocol, Some(cloudspec::spec::Protocol::AlibabaRoa));
    assert_eq!(cloudspec::names::version_module(&genie.spec.service.version), "iap_1_0");
    let reason = |version: &str, action: Option<&str>| {
        report
            .skipped
            .iter()
            .find(|s| s.version == version && s.action.as_deref() == action)
            .map(|s| (s.entry.clone(), s.reason.clone()))
            .unwrap_or_else(|| panic!("{version} {action:?} not skipped: {:#?}", report.skipped))
    };
    assert!(reason("objectstore/2019-05-17", None).1.contains("OSS"));
    // A lower-case action name is imported as it is: its Rust names read as words.
    assert!(report.skipped.iter().all(|s| s.action.as_deref() != Some("lowerCaseName")), "{:#?}", report.skipped);
    let demo = set.services.iter().find(|s| s.spec.service.name == "demo").expect("the demo spec");
    assert!(demo.spec.actions.contains_key("lowerCaseName"));
    assert_eq!(cloudspec::names::action("lowerCaseName", None).unwrap(), "lower_case_name");
    let (entry, why) = reason("roademo/2021-01-01", Some("ListProviderResources"));
    assert_eq!(entry, "apis.ListProviderResources.path");
    assert!(why.contains("{provider}"), "{why}");
    // A `*` path is imported when one unnamed path parameter carries it; not when two could.
    assert!(report.skipped.iter().all(|s| s.action.as_deref() != Some("GetResources")), "{:#?}", report.skipped);
    let (entry, why) = reason("roademo/2021-01-01", Some("GetPrices"));
    assert_eq!(entry, "apis.GetPrices.path");
    assert!(why.contains("2 path parameters could carry it (`requestPath`, `pricePath`)"), "{why}");

    // The report renders both ways.
    let markdown = report.markdown();
    assert!(markdown.contains("| dangling-ref-as-any | 1 |"), "{markdown}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["defects"]["counts"]["duplicate-parameter-dropped"], 1);
    assert!(report.summary().contains("errors left after check: 0"));

    // A second run writes the same bytes.
    let path = out.path().join("alibabacloud/demo/2020-01-01.json");
    let first = std::fs::read_to_string(&path).unwrap();
    import(
        &[catalogue().join("demo/2020-01-01/api-docs.json")],
        out.path(),
        &[],
        Overwrite::ImportedOnly,
        &|_, _, _| {},
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
}

#[test]
fn rpc_parameters_types_constraints_and_names() {
    let out = tempfile::tempdir().unwrap();
    let report = run(out.path());
    let spec = spec(out.path(), "demo", "2020-01-01");
    assert_eq!(spec.service.protocol, Some(Protocol::AlibabaRpc));
    assert_eq!(spec.service.product_code.as_deref(), Some("Demo"));
    assert_eq!(spec.service.endpoints.regional.as_deref(), Some("demo.{region}.aliyuncs.com"));
    assert_eq!(spec.service.endpoints.regions["cn-beijing"], "demo.cn-beijing.aliyuncs.com");

    let list = &spec.actions["ListWidgets"];
    let http = list.http.as_ref().unwrap();
    assert_eq!(http.methods, [HttpMethod::Post, HttpMethod::Get]);
    assert_eq!(http.path.as_deref(), Some("/"));
    assert_eq!(list.operation_type, Some(OperationType::List));
    assert!(list.idempotent, "list actions are safe to retry");
    let request = &list.request;
    // The duplicated `Name` is kept once; documented order otherwise.
    assert_eq!(request.keys().filter(|k| *k == "Name").count(), 1);
    // A keyword stays (emitted as `r#type`); dotted and header names get an explicit Rust name.
    assert_eq!(request["type"].rust_name, None);
    assert_eq!(request["TaskOption.HttpURI"].rust_name.as_deref(), Some("task_option_http_uri"));
    assert_eq!(request["x-acs-airticket-access-token"].location, Some(ParamLocation::Header));
    assert_eq!(request["Enabled"].location, Some(ParamLocation::Form));
    assert_eq!(request["Ids"].style, Some(ParamStyle::RepeatList));
    assert_eq!(request["Filter"].style, Some(ParamStyle::Json));
    assert_eq!(request["Tag"].style, Some(ParamStyle::Flat));
    assert_eq!(request["Names"].style, Some(ParamStyle::Simple));
    // A `$ref` to a non-object component is that component's type.
    assert_eq!(request["Names"].ty, "list<string>");

    // Constraints: string-encoded bounds, exclusive forms, lengths, patterns, item counts.
    let page = &request["PageSize"];
    assert_eq!(page.ty, "int32");
    let range = page.constraints.range.as_ref().unwrap();
    assert_eq!((range.min.as_ref().unwrap().as_i64(), range.max.as_ref().unwrap().as_i64()), (Some(1), Some(100)));
    assert_eq!(page.default, Some(serde_json::json!(10)));
    assert_eq!(page.example, None, "the masked example `95***135` is dropped");
    let ratio = request["Ratio"].constraints.range.as_ref().unwrap();
    assert!(ratio.exclusive_min && !ratio.exclusive_max);
    let name = &request["Name"].constraints;
    assert_eq!((name.length.as_ref().unwrap().min, name.length.as_ref().unwrap().max), (Some(2), Some(64)));
    assert_eq!(name.pattern.as_ref().unwrap().regex, "^[a-z]+$");
    let items = request["Ids"].constraints.items.as_ref().unwrap();
    assert_eq!((items.min, items.max), (Some(1), Some(5)));
    // Defaults that break their own schema are dropped and reported.
    assert_eq!(request["Enabled"].default, None);
    assert_eq!(request["Level"].default, None);
    assert_eq!(report.defects.get("default:not-true-or-false"), 1);
    assert_eq!(report.defects.get("default:outside-the-enum"), 1);
    assert_eq!(report.defects.get("example:not-an-integer (masked)"), 1);

    // Enumerations: string values with their titles as docs, integers with variant names.
    let kind = &spec.types[request["type"].ty.named().unwrap()];
    assert_eq!(kind.kind, TypeKind::Enum);
    let values = kind.values.as_ref().unwrap();
    assert_eq!(values[0].value, "small");
    assert_eq!(values[0].description.as_deref(), Some("Small widgets"));
    assert_eq!(values[1].description, None, "an empty title is no doc");
    let level = &spec.types[request["Level"].ty.named().unwrap()];
    assert_eq!(level.base.as_deref(), Some("int64"));
    let names: Vec<_> = level.values.as_ref().unwrap().iter().map(|v| v.name.clone().unwrap()).collect();
    assert_eq!(names, ["V1", "V2", "Minus1"]);

    // Nested objects: required members kept on the request side; case-only collisions disambiguated.
    let filter = spec.types[request["Filter"].ty.named().unwrap()].fields.as_ref().unwrap();
    assert!(filter["Key"].required);
    let tag = spec.types["ListWidgetsTag"].fields.as_ref().unwrap();
    assert_eq!(tag["Key"].rust_name, None);
    assert_eq!(tag["key"].rust_name.as_deref(), Some("key_deprecated"), "the deprecated spelling never takes `key`");
    assert!(tag["key"].deprecated.is_some());
}

#[test]
fn responses_errors_idempotency_and_defects() {
    let out = tempfile::tempdir().unwrap();
    let report = run(out.path());
    let spec = spec(out.path(), "demo", "2020-01-01");
    let list = &spec.actions["ListWidgets"];
    let response = &list.response;
    assert!(response.values().all(|f| !f.required), "every response field is optional");
    assert_eq!(response["TotalCount"].ty, "int64", "response int32 is widened");
    assert_eq!(response["5xxPv"].rust_name.as_deref(), Some("_5xx_pv"));
    assert_eq!(spec.types[response["Status"].ty.named().unwrap()].kind, TypeKind::Enum);
    assert_eq!(response["Labels"].ty, "map<string>");
    assert_eq!(response["Extra"].ty, "any", "free-form object");
    assert_eq!(response["Missing"].ty, "any", "dangling $ref");
    assert_eq!(response["Tree"].ty, "Node");
    // The itemNode wrapper is the object it is in JSON.
    let widgets = spec.types[response["Widgets"].ty.named().unwrap()].fields.as_ref().unwrap();
    assert!(matches!(widgets["Widget"].ty, cloudspec::spec::types::TypeExpr::List(_)));
    // The success example (with a `Code` field and a value above 2^31) is kept and checked.
    assert_eq!(list.examples.len(), 1);
    // A component named like a generated type is renamed.
    assert!(!spec.types.contains_key("UnifiedSearchRequest"));
    assert_eq!(spec.actions["UnifiedSearch"].request["Body"].location, Some(ParamLocation::Body));

    // Errors: placeholders kept, a repeat merged, the odd status kept without `http_status`, a
    // non-identifier dropped; throttling and transient codes retryable.
    let codes: Vec<&str> = list.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["InvalidParameter.%s", "InvalidType", "ServiceUnavailable", "Throttling.User", "Odd.Status"]);
    assert_eq!(list.errors[1].http_status, Some(400));
    assert!(list.errors[2].retryable && !list.errors[2].throttling);
    assert!(list.errors[3].retryable && list.errors[3].throttling);
    assert_eq!(list.errors[4].http_status, None);
    assert_eq!(report.defects.get("error-status-not-http"), 1);
    assert_eq!(report.defects.get("error-code-repeated-merged"), 1);
    assert_eq!(report.defects.get("error-code-not-an-identifier-dropped"), 1);

    // Idempotency: a write with ClientToken is idempotent through it; one without is not.
    let create = &spec.actions["CreateWidget"];
    assert!(create.idempotent);
    assert_eq!(create.idempotency_token.as_deref(), Some("ClientToken"));
    assert_eq!(create.operation_type, Some(OperationType::Create));
    // Its example has an undeclared field: `cloudspec check` rejects it, so it was dropped and counted.
    assert!(create.examples.is_empty());
    assert_eq!(report.rejections.get("example-violates-spec"), Some(&1));
    let delete = &spec.actions["DeleteWidget"];
    assert!(!delete.idempotent && delete.idempotency_token.is_none());
    assert!(delete.request["Id"].required);
    assert_eq!(delete.status, ActionStatus::Online);
}

#[test]
fn roa_paths_bodies_and_non_object_responses() {
    let out = tempfile::tempdir().unwrap();
    let report = run(out.path());
    let spec = spec(out.path(), "roademo", "2021-01-01");
    assert_eq!(spec.service.protocol, Some(Protocol::AlibabaRoa));
    // One host for every region: the default host.
    assert_eq!(spec.service.endpoints.default.as_deref(), Some("roademo.aliyuncs.com"));

    let create = &spec.actions["CreateCluster"];
    let http = create.http.as_ref().unwrap();
    // `[RegionId]` is repaired to a template parameter; the `?` stays part of the path.
    assert_eq!(http.path.as_deref(), Some("/clusters/{RegionId}/create?type=fast"));
    assert_eq!(http.methods, [HttpMethod::Post]);
    assert_eq!(create.request["RegionId"].location, Some(ParamLocation::Path));
    // A path parameter the template lacks is sent in the query.
    assert_eq!(create.request["Stray"].location, None);
    assert_eq!(report.defects.get("path-template-brackets-repaired"), 1);
    // The body parameter, with its client token found among its members.
    let body = &create.request["body"];
    assert_eq!(body.location, Some(ParamLocation::Body));
    assert_eq!(body.style, Some(ParamStyle::Json));
    assert_eq!(create.idempotency_token.as_deref(), Some("body.clientToken"));
    assert!(!create.idempotent, "the client fills top-level tokens only");
    let members = spec.types[body.ty.named().unwrap()].fields.as_ref().unwrap();
    assert!(members["name"].required);
    assert!(members["type"].default.is_none(), "member defaults are documented, not `default`");
    assert!(members["type"].description.as_deref().unwrap().contains("ManagedKubernetes"));

    // Non-object response roots.
    let clusters = &spec.actions["DescribeClusters"];
    assert!(clusters.response.is_empty());
    let body = clusters.http.as_ref().unwrap().response_body.as_ref().unwrap();
    assert_eq!(body.ty, "list<Cluster>");
    assert_eq!(clusters.examples.len(), 1, "the array example checks against the list");
    let policy = &spec.actions["GetPolicy"];
    assert_eq!(policy.http.as_ref().unwrap().response_body.as_ref().unwrap().ty, "string");
    assert_eq!(policy.examples.len(), 1);
    assert_eq!(spec.types["Cluster"].fields.as_ref().unwrap()["size"].ty, "int64");

    // `/providers/{provider}/resources/*` with one unnamed path parameter: that parameter is the whole
    // path, a greedy label, required, shaped like the documented template.
    let whole = &spec.actions["GetResources"];
    assert_eq!(whole.http.as_ref().unwrap().path.as_deref(), Some("/{requestPath+}"));
    let carrier = &whole.request["requestPath"];
    assert_eq!(carrier.location, Some(ParamLocation::Path));
    assert!(carrier.required, "the path cannot be built without it");
    let pattern = carrier.constraints.pattern.as_ref().expect("the documented shape as a pattern");
    assert!(pattern.description.contains("`/providers/{provider}/resources/*`"), "{}", pattern.description);
    let shape = regex::Regex::new(&pattern.regex).unwrap();
    assert!(shape.is_match("/providers/Aliyun/resources/DBInstance/r-1"));
    assert!(!shape.is_match("/providers/Aliyun/resources/../../admin"));
    assert_eq!(report.mapped.get("star-path-whole-path-parameter"), 1);
}

#[test]
fn generated_code_boxes_cycles_and_decodes_list_bodies() {
    let out = tempfile::tempdir().unwrap();
    run(out.path());
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    let options = cloudspec::Options::new(cloudspec::Layout::SingleFile("cloudspec.rs".into()), out.path());
    let (files, _) = cloudspec::generate(&set, &options).unwrap_or_else(|e| panic!("{e:#?}"));
    let file = &files[0];
    // Node.Children is a list: already indirect, no box.
    assert!(file.contents.contains("children: Option<Vec<Node>>"), "Node.Children is a plain list");
    // DescribeClusters answers with a list: one `body` field holds all of it.
    assert!(file.contents.contains("pub struct DescribeClustersResponse {"));
    assert!(file.contents.contains("parent: Option<Box<Node>>"), "Node.Parent is boxed in the code");
    // The whole body is the one field: `Decode` reads it as serde's `transparent` says.
    let lines: Vec<&str> = file.contents.lines().map(str::trim).collect();
    let at = lines.iter().position(|l| *l == "pub struct DescribeClustersResponse {").unwrap_or_default();
    assert_eq!(
        lines[at.saturating_sub(3)..at],
        ["#[derive(Debug, Clone, Decode)]", "#[serde(transparent)]", "#[non_exhaustive]"],
        "list body decodes whole"
    );
    // The client fills the top-level client token of CreateWidget.
    assert!(file.contents.contains(".idempotency_token(\"ClientToken\")"), "the token reaches the client");
}

/// Imports `inputs` into `out`, as `cloudspec import alibaba` does without `--force`.
fn import_into(inputs: &[PathBuf], out: &Path) -> Result<AlibabaReport, cloudspec_import::ImportError> {
    import(inputs, out, &[], Overwrite::ImportedOnly, &|_, _, _| {})
}

/// Writes `text` at `rel` under `dir`.
fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_bad_file_is_reported_by_name_and_the_others_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    write(dir.path(), "broken/2020-01-01/api-docs.json", "{\"info\": ");
    write(dir.path(), "nostyle/2020-01-01/api-docs.json", "{\"info\": {}, \"apis\": {}}");
    write(dir.path(), "noapis/2020-01-01/api-docs.json", "{\"info\": {\"style\": \"RPC\"}, \"apis\": []}");
    let good = std::fs::read_to_string(catalogue().join("demo/2020-01-01/api-docs.json")).unwrap();
    write(dir.path(), "demo/2020-01-01/api-docs.json", &good);
    write(dir.path(), "trailing/2020-01-01/api-docs.json", &format!("{good}\n{{\"more\": 1}}"));
    let report = import_into(&[dir.path().to_path_buf()], out.path()).unwrap();
    assert_eq!(report.versions.len(), 1, "the good file is imported: {report:#?}");
    assert!(out.path().join("alibabacloud/demo/2020-01-01.json").is_file());
    let failures: Vec<(String, &str)> =
        report.failures.iter().map(|f| (f.file.display().to_string(), f.error.as_str())).collect();
    assert_eq!(failures.len(), 4, "{failures:#?}");
    let failure = |product: &str| {
        let (file, error) = failures.iter().find(|(file, _)| file.contains(&format!("/{product}/"))).unwrap();
        assert!(file.ends_with(&format!("{product}/2020-01-01/api-docs.json")), "{file}");
        assert!(error.contains(&format!("{product}/2020-01-01/api-docs.json")), "the error names the file: {error}");
        error.to_string()
    };
    assert!(failure("broken").contains("EOF"), "{failures:#?}");
    assert!(failure("nostyle").contains("info.style"), "{failures:#?}");
    assert!(failure("noapis").contains("apis"), "{failures:#?}");
    // Text after the JSON value is an error, with its position.
    let trailing = failure("trailing");
    assert!(trailing.contains("unexpected text after the JSON value, at line"), "{trailing}");
    assert!(report.summary().contains("failed: 4 file(s)"), "{}", report.summary());
    assert!(report.markdown().contains("## Failed"));
}

#[test]
fn inputs_that_name_nothing_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let error =
        import(&[catalogue()], out.path(), &["nosuch".into()], Overwrite::ImportedOnly, &|_, _, _| {}).unwrap_err();
    assert!(matches!(&error, cloudspec_import::ImportError::Usage(m) if m.contains("nosuch")), "{error}");
    let error = import_into(&[dir.path().join("missing")], out.path()).unwrap_err();
    assert!(matches!(&error, cloudspec_import::ImportError::Usage(m) if m.contains("missing")), "{error}");
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let huge = write(dir.path(), "huge/2020-01-01/api-docs.json", "{}");
    // A sparse file: its size is what counts, and nothing of it is read.
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(cloudspec_import::MAX_CATALOGUE_BYTES + 1)
        .unwrap();
    let report = import_into(&[huge], out.path()).unwrap();
    assert_eq!(report.failures.len(), 1);
    let error = &report.failures[0].error;
    assert!(error.contains("huge/2020-01-01/api-docs.json") && error.contains("limited to 32 MiB"), "{error}");
    assert!(error.contains(&format!("{} bytes", cloudspec_import::MAX_CATALOGUE_BYTES + 1)), "{error}");
}

#[test]
fn a_hand_written_spec_is_never_overwritten_without_force() {
    let out = tempfile::tempdir().unwrap();
    let inputs = [catalogue().join("demo/2020-01-01/api-docs.json")];
    // A hand-written spec where the import would write, and a hand-written provider.json.
    let spec_path = write(out.path(), "alibabacloud/demo/2020-01-01.json", "{\"format_version\": 1}\n");
    let provider =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/alibabacloud/provider.json"))
            .unwrap()
            .replace("\"title\"", "\"title\" ");
    let provider_path = write(out.path(), "alibabacloud/provider.json", &provider);
    let error = import_into(&inputs, out.path()).unwrap_err().to_string();
    assert!(
        error.contains("refusing to overwrite 1 spec") && error.contains("alibabacloud/demo/2020-01-01.json"),
        "{error}"
    );
    assert!(error.contains("--force"), "{error}");
    assert_eq!(std::fs::read_to_string(&spec_path).unwrap(), "{\"format_version\": 1}\n");
    // Forced: the spec is replaced and marked; the provider spec stays as it was.
    let report = import(&inputs, out.path(), &[], Overwrite::Any, &|_, _, _| {}).unwrap();
    assert!(report.failures.is_empty(), "{report:#?}");
    let imported = spec(out.path(), "demo", "2020-01-01");
    let mark = imported.imported_from.expect("marked");
    assert_eq!((mark.catalogue.as_str(), mark.file.as_deref()), ("openmeta", Some("demo/2020-01-01/api-docs.json")));
    assert_eq!(std::fs::read_to_string(&provider_path).unwrap(), provider);
    // A spec an importer wrote is replaced without asking.
    import_into(&inputs, out.path()).unwrap();
}

#[test]
fn what_is_skipped_reaches_the_spec_and_the_crate_readme() {
    let out = tempfile::tempdir().unwrap();
    run(out.path());
    // A skipped action (its path names an undeclared `{provider}`) and a dropped error code are in the
    // specs' `omitted`, with the report's reasons; a whole-path action is not.
    let roa = spec(out.path(), "roademo", "2021-01-01");
    assert!(roa.omitted.iter().all(|o| o.name != "GetResources"), "{:#?}", roa.omitted);
    let skipped =
        roa.omitted.iter().find(|o| o.name == "ListProviderResources").expect("ListProviderResources omitted");
    assert_eq!(skipped.kind, cloudspec::spec::OmittedKind::Action);
    assert!(skipped.reason.contains("{provider}"), "{skipped:?}");
    let demo = spec(out.path(), "demo", "2020-01-01");
    let code = demo.omitted.iter().find(|o| o.name == "bad code!").expect("the dropped error code omitted");
    assert_eq!((code.kind, code.action.as_deref()), (cloudspec::spec::OmittedKind::ErrorCode, Some("ListWidgets")));

    // The crate-per-service layout lists them in each crate's README, one line each with the reason.
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    let layout = cloudspec::Layout::Catalogue(cloudspec::layout::CatalogueOptions::default());
    let (files, _) =
        cloudspec::generate(&set, &cloudspec::Options::new(layout, out.path())).unwrap_or_else(|e| panic!("{e:#?}"));
    let readme = |dir: &str| {
        let path = Path::new(dir).join("README.md");
        files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {}", path.display())).contents.clone()
    };
    let roa_readme = readme("alibabacloud-roademo");
    assert!(roa_readme.contains("\n## Not generated\n"), "{roa_readme}");
    let line = roa_readme
        .lines()
        .find(|l| l.starts_with("- action `ListProviderResources`: "))
        .expect("the ListProviderResources line");
    assert!(!roa_readme.contains("- action `GetResources`"), "{roa_readme}");
    assert!(line.contains("`{provider}`, which is not declared as a path parameter"), "{line}");
    let demo_readme = readme("alibabacloud-demo");
    assert!(
        demo_readme.contains("- error code `bad code!` of `ListWidgets`: the code is not letters"),
        "{demo_readme}"
    );
    // A crate with nothing omitted has no such section.
    let genie = readme("alibabacloud-genie");
    assert!(!genie.contains("Not generated"), "{genie}");
}

#[test]
fn cloudcontrol_whole_path_actions_are_imported_as_greedy_labels() {
    // The interop test's excerpt of cloudcontrol 2022-08-30: four `.../resources/*` actions and GetTask.
    let excerpt = Path::new(env!("CARGO_MANIFEST_DIR")).join("import/alibaba-interop/cloudcontrol/2022-08-30");
    let out = tempfile::tempdir().unwrap();
    let report = import_into(&[excerpt.join("api-docs.json")], out.path()).unwrap();
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
    assert_eq!(report.remaining_errors(), 0, "{report:#?}");
    assert_eq!(report.mapped.get("star-path-whole-path-parameter"), 4);
    let spec = spec(out.path(), "cloudcontrol", "2022-08-30");
    assert!(spec.omitted.iter().all(|o| o.kind != cloudspec::spec::OmittedKind::Action), "{:#?}", spec.omitted);
    for action in ["CreateResource", "GetResources", "DeleteResource", "UpdateResource"] {
        let action = &spec.actions[action];
        assert_eq!(action.http.as_ref().unwrap().path.as_deref(), Some("/{requestPath+}"));
        let carrier = &action.request["requestPath"];
        assert!(carrier.required && carrier.location == Some(ParamLocation::Path), "{carrier:?}");
        let shape = regex::Regex::new(&carrier.constraints.pattern.as_ref().unwrap().regex).unwrap();
        // The documented example fits the shape; a path that climbs out of it does not.
        let example = carrier.example.as_ref().and_then(|e| e.as_str()).expect("a documented example");
        assert!(shape.is_match(example), "{example}");
        assert!(!shape.is_match("/api/v1/providers/Aliyun/products/Redis/resources/../../../../tasks/t-1"));
        assert!(!shape.is_match("/api/v1/tasks/t-1"));
    }
    // The other parameters stay where they were documented.
    let create = &spec.actions["CreateResource"];
    assert_eq!(create.request["regionId"].location, None, "query, the ROA default");
    assert_eq!(create.request["body"].location, Some(ParamLocation::Body));
    assert_eq!(spec.actions["GetTask"].http.as_ref().unwrap().path.as_deref(), Some("/api/v1/tasks/{taskId}"));

    // The specs pass check, and the crate README lists nothing as not generated.
    let set = cloudspec::load::load(&[out.path().to_path_buf()]).unwrap();
    let checked = cloudspec::check::check(&set);
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
    let layout = cloudspec::Layout::Catalogue(cloudspec::layout::CatalogueOptions::default());
    let (files, _) =
        cloudspec::generate(&set, &cloudspec::Options::new(layout, out.path())).unwrap_or_else(|e| panic!("{e:#?}"));
    let readme = files.iter().find(|f| f.path == Path::new("alibabacloud-cloudcontrol/README.md")).unwrap();
    assert!(!readme.contents.contains("Not generated"), "{}", readme.contents);
    assert!(files.iter().any(|f| f.contents.contains("\"/{requestPath+}\"")), "the template reaches the client");
}
