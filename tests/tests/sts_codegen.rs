//! The runtime's own STS clients, `runtime/src/credentials/sts_generated.rs`, are what the generator
//! makes of `specs/tencentcloud/sts/2018-08-13.json` and `specs/alibabacloud/sts/2015-04-01.json` in the
//! single-file layout. The runtime cannot depend on `cloudspec-apis` (that crate depends on it), so it
//! keeps a committed copy, and this test fails when the copy is stale (`UPDATE_RUNTIME_STS=1` rewrites
//! it).

use std::path::{Path, PathBuf};

use cloudspec::{Layout, Options};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The STS specs (and, through them, their providers) as one file of nested modules.
fn sts_code() -> String {
    let specs = repo().join("specs");
    let files = [specs.join("tencentcloud/sts/2018-08-13.json"), specs.join("alibabacloud/sts/2015-04-01.json")];
    let set = cloudspec::load::load(&files).unwrap_or_else(|e| panic!("{e}"));
    let options = Options::new(Layout::SingleFile("sts_generated.rs".into()), &specs);
    let (files, _) = cloudspec::generate(&set, &options).unwrap_or_else(|e| panic!("{e:#?}"));
    files.into_iter().next().expect("the single-file layout makes one file").contents
}

#[test]
fn the_runtime_sts_clients_are_what_the_generator_emits() {
    let expected = sts_code();
    let path = repo().join("runtime/src/credentials/sts_generated.rs");
    if std::env::var_os("UPDATE_RUNTIME_STS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == expected,
        "{} is stale: rerun with UPDATE_RUNTIME_STS=1 cargo test -p cloudspec-tests --test sts_codegen",
        path.display()
    );
    assert!(expected.contains("pub mod tencentcloud") && expected.contains("pub mod alibabacloud"));
}
