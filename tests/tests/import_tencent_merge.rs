//! `cloudspec import tencent --english … --chinese …` on two tiny tccli packages (`tests/import/tencent-merge`):
//! one catalogue of every service version, English texts where English has them and marked Chinese otherwise,
//! the newer package's structure where both have an entry, and English examples that are not JSON repaired from
//! their Chinese twins only where the twin fits.

use std::path::{Path, PathBuf};

use cloudspec::spec::ServiceSpec;
use cloudspec_import::tencent::{Packages, repair};
use cloudspec_import::{ImportReport, Overwrite};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("import/tencent-merge")
}

fn import(english: &Path, chinese: &Path, out: &Path) -> ImportReport {
    let packages = Packages { english, chinese };
    cloudspec_import::tencent::import_merged(packages, out, &[], Overwrite::ImportedOnly, &|_, _, _| {}).unwrap()
}

fn services(root: &Path) -> PathBuf {
    root.join("tccli/services")
}

/// The specs written, after checking them all together: no errors.
fn load_checked(out: &Path) -> Vec<ServiceSpec> {
    let set = cloudspec::load::load(&[out.to_path_buf()]).unwrap();
    let checked = cloudspec::check::check(&set);
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
    set.services.into_iter().map(|l| l.spec).collect()
}

#[test]
fn both_packages_make_one_catalogue_with_english_text_first() {
    let out = tempfile::tempdir().unwrap();
    let report = import(&services(&fixture().join("en")), &services(&fixture().join("cn")), out.path());
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    let names: Vec<(&str, &str)> = report.services.iter().map(|s| (s.service.as_str(), s.version.as_str())).collect();
    assert_eq!(names, [("cnonly", "2021-01-01"), ("demo", "2020-01-01"), ("enonly", "2022-02-02")]);
    assert_eq!(report.remaining_errors(), 0);
    let specs = load_checked(out.path());
    let spec = |name: &str| specs.iter().find(|s| s.service.name == name).unwrap();

    // Both packages: the union of actions, English text first, each action naming its text's source.
    let demo = spec("demo");
    let merge = report.services[1].merge.as_ref().unwrap();
    assert!(merge.in_english && merge.in_chinese && merge.structure_from_english, "{merge:#?}");
    let actions: Vec<&str> = demo.actions.keys().map(String::as_str).collect();
    assert_eq!(actions, ["DescribeThings", "EnOnlyAction", "CnOnlyAction"]);
    assert_eq!(demo.service.title, "Demo Service");
    assert_eq!(demo.actions["DescribeThings"].summary, "This API is used to list things.");
    assert_eq!(demo.actions["DescribeThings"].sources, ["tccli-intl-en-demo"]);
    assert_eq!(demo.actions["CnOnlyAction"].summary, "本接口只在中文目录中。");
    assert_eq!(demo.actions["CnOnlyAction"].sources, ["tccli-demo"]);
    assert_eq!(demo.sources["tccli-intl-en-demo"].language.as_deref(), Some("en"));
    assert_eq!(demo.sources["tccli-demo"].language.as_deref(), Some("zh"));
    assert!(demo.sources["tccli-demo"].title.contains("tccli 3.1.1.0 api.json"), "{:?}", demo.sources["tccli-demo"]);
    assert!(
        demo.sources.contains_key("tccli-intl-en-demo-examples") && demo.sources.contains_key("tccli-demo-examples")
    );
    // The structure's package names the spec: the newer release.
    let mark = demo.imported_from.as_ref().unwrap();
    assert_eq!((mark.version.as_deref(), mark.file.as_deref()), (Some("3.1.2.0"), Some("demo/v20200101/api.json")));

    // Members: English text and no mark; Chinese text marked with the Chinese source; the newer type wins.
    let thing = demo.types["Thing"].fields.as_ref().unwrap();
    assert_eq!(thing["ThingId"].description.as_deref(), Some("ID of the thing."));
    assert!(thing["ThingId"].sources.is_empty());
    assert_eq!(thing["Size"].ty, "uint64");
    assert_eq!(thing["Colour"].description.as_deref(), Some("物品颜色。"));
    assert_eq!(thing["Colour"].sources, ["tccli-demo"]);
    let total = &demo.actions["DescribeThings"].response["TotalCount"];
    assert_eq!(
        (total.description.as_deref(), total.sources.as_slice()),
        (Some("物品总数。"), &["tccli-demo".to_string()][..])
    );
    // A placeholder example (`无`) gives way to the other package's real one.
    assert_eq!(demo.actions["EnOnlyAction"].request["Name"].example, None);
    assert_eq!(demo.actions["CnOnlyAction"].request["Name"].example, Some("box".into()));
    assert_eq!((merge.actions.english, merge.actions.chinese), (2, 1));
    assert_eq!((merge.fields.english, merge.fields.chinese, merge.fields.neither), (7, 4, 0), "{merge:#?}");

    // Examples: only #0 of DescribeThings had a twin that fits; the other broken ones are dropped, each counted.
    let repairs = &merge.repairs;
    assert_eq!((repairs.repaired, merge.repairs_kept), (1, 1));
    let reasons: Vec<(&str, usize)> = repairs.unrepaired.iter().map(|(r, n)| (*r, *n)).collect();
    let mut expected = vec![
        (repair::ENGLISH_HAS_MORE, 1),
        (repair::NO_TWIN, 1),
        (repair::TWIN_NOT_JSON, 1),
        (repair::TWIN_OFF_SHAPE, 1),
    ];
    expected.sort();
    assert_eq!(reasons, expected);
    let examples = &demo.actions["DescribeThings"].examples;
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].title, "Repairable");
    assert!(examples[0].output.as_deref().unwrap().contains("\"Colour\": \"红\""));
    let description = examples[0].description.as_deref().unwrap();
    assert!(description.starts_with("Lists one thing.") && description.ends_with(repair::REPAIRED_NOTE));
    assert_eq!(report.services[1].examples_not_json, 4);
    assert!(demo.actions["EnOnlyAction"].examples.is_empty());
    assert_eq!(demo.actions["CnOnlyAction"].examples.len(), 1);

    // One package only: imported as it is, its language on its sources, no per-field marks.
    let cnonly = spec("cnonly");
    assert_eq!(cnonly.sources.keys().collect::<Vec<_>>(), ["tccli-cnonly", "tccli-cnonly-examples"]);
    assert_eq!(cnonly.sources["tccli-cnonly"].language.as_deref(), Some("zh"));
    assert_eq!(cnonly.actions["GetWidget"].sources, ["tccli-cnonly"]);
    assert!(cnonly.actions["GetWidget"].response.values().all(|f| f.sources.is_empty()));
    assert_eq!(cnonly.imported_from.as_ref().unwrap().version.as_deref(), Some("3.1.1.0"));
    let cn_merge = report.services[0].merge.as_ref().unwrap();
    assert_eq!((cn_merge.actions.chinese, cn_merge.fields.chinese, cn_merge.repairs.repaired), (1, 3, 0));
    let enonly = spec("enonly");
    assert_eq!(enonly.sources["tccli-intl-en-enonly"].language.as_deref(), Some("en"));
    assert_eq!(enonly.actions["GetGadget"].sources, ["tccli-intl-en-enonly"]);

    let summary = cloudspec_import::tencent::merged::summary(&report);
    assert!(summary.contains("merged 3 service versions: 1 in both packages"), "{summary}");
    assert!(
        summary.contains("repaired from their Chinese twins: 1 (1 kept after check); not repaired: 4"),
        "{summary}"
    );

    // A second run writes the same bytes.
    let path = out.path().join("tencentcloud/demo/2020-01-01.json");
    let first = std::fs::read_to_string(&path).unwrap();
    import(&services(&fixture().join("en")), &services(&fixture().join("cn")), out.path());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn the_newer_release_gives_the_structure_and_english_still_gives_the_text() {
    let packages = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), packages.path());
    // Now the Chinese package is the newer release.
    std::fs::write(packages.path().join("cn/tccli/__init__.py"), "__version__ = '3.1.10.0'\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = import(&services(&packages.path().join("en")), &services(&packages.path().join("cn")), out.path());
    let demo = report.services.iter().find(|s| s.service == "demo").unwrap();
    assert!(!demo.merge.as_ref().unwrap().structure_from_english);
    let specs = load_checked(out.path());
    let demo = specs.iter().find(|s| s.service.name == "demo").unwrap();
    let thing = demo.types["Thing"].fields.as_ref().unwrap();
    assert_eq!(thing["Size"].ty, "int64");
    assert_eq!(thing["Size"].description.as_deref(), Some("Size of the thing."));
    // The newer package's actions come first, the other's after them.
    let actions: Vec<&str> = demo.actions.keys().map(String::as_str).collect();
    assert_eq!(actions, ["DescribeThings", "CnOnlyAction", "EnOnlyAction"]);
    assert_eq!(demo.imported_from.as_ref().unwrap().version.as_deref(), Some("3.1.10.0"));
}

#[test]
fn bad_inputs_are_usage_errors() {
    let out = tempfile::tempdir().unwrap();
    let en = services(&fixture().join("en"));
    let same = Packages { english: &en, chinese: &en };
    let error = cloudspec_import::tencent::import_merged(same, out.path(), &[], Overwrite::ImportedOnly, &|_, _, _| {})
        .unwrap_err();
    assert!(error.to_string().contains("the same directory"), "{error}");
    let missing = Packages { english: &en, chinese: Path::new("no/such/dir") };
    let error =
        cloudspec_import::tencent::import_merged(missing, out.path(), &[], Overwrite::ImportedOnly, &|_, _, _| {})
            .unwrap_err();
    assert!(error.to_string().contains("no/such/dir: no such directory"), "{error}");
    let cn = services(&fixture().join("cn"));
    let both = Packages { english: &en, chinese: &cn };
    // A service in either package may be named; one in neither is an error.
    let only = ["cnonly".to_string()];
    let report =
        cloudspec_import::tencent::import_merged(both, out.path(), &only, Overwrite::ImportedOnly, &|_, _, _| {})
            .unwrap();
    assert_eq!(report.services.len(), 1);
    let nosuch = ["nosuch".to_string()];
    let error =
        cloudspec_import::tencent::import_merged(both, out.path(), &nosuch, Overwrite::ImportedOnly, &|_, _, _| {})
            .unwrap_err();
    assert!(error.to_string().contains("no service `nosuch`"), "{error}");
}
