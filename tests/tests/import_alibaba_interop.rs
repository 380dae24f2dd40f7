//! The committed specs of the Alibaba SDK interop test (`tests/interop/specs/alibabacloud/`) are exactly
//! what `cloudspec import alibaba` writes for the committed Openmeta excerpts
//! (`tests/import/alibaba-interop/`): no hand edits, and a change to the importer that changes them shows
//! here. Regenerate with
//!
//! ```sh
//! rm -rf tests/interop/specs && cargo run -p cloudspec-cli -- import alibaba tests/import/alibaba-interop --out tests/interop/specs
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(current) = todo.pop() {
        for entry in std::fs::read_dir(&current).unwrap_or_else(|e| panic!("{}: {e}", current.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), text);
            }
        }
    }
    out
}

#[test]
fn the_interop_specs_are_a_fresh_import_of_the_excerpts() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let report = cloudspec_import::alibaba::import(
        &[tests.join("import/alibaba-interop")],
        out.path(),
        &[],
        cloudspec_import::Overwrite::ImportedOnly,
        &|_, _, _| {},
    )
    .expect("the excerpts import");
    assert_eq!(report.versions.len(), 3, "ecs 2014-05-26, cs 2015-12-15 and cloudcontrol 2022-08-30");

    let fresh = files(out.path());
    let committed = files(&tests.join("interop/specs"));
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "the committed spec files are not the imported ones"
    );
    for (path, text) in &fresh {
        assert!(
            committed[path] == *text,
            "tests/interop/specs/{} is not what `cloudspec import alibaba` writes for tests/import/alibaba-interop \
             (regenerate it: see this test's header)",
            path.display()
        );
    }
}
