//! Nothing committed names a directory of the machine it was written on: the specs (and the copies of
//! them the tests use), the docs and the README say `../shared/` or a path inside the repository, never
//! `/work/…`, `/home/…`, `/tmp/…` or `C:\…` (issue 14: a spec's source titles named a local directory).

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An absolute local path: a Unix home, work or temporary directory, or a Windows drive, at the start of
/// a word (so `https://host/tmp/x` is not one).
fn local_path() -> regex::Regex {
    regex::Regex::new(r#"(?:^|[\s"'`(=:,\[])(?:/(?:work|home|tmp|root|Users|var/folders|private/tmp)/|[A-Za-z]:(?:\\\\|\\|/)[A-Za-z])"#)
        .unwrap()
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|e| ["json", "md", "txt", "tsv", "toml"].iter().any(|x| e == *x)) {
            out.push(path);
        }
    }
}

#[test]
fn the_pattern_finds_local_paths_and_only_those() {
    let pattern = local_path();
    for local in [
        r#""title": "… not copied into /work/shared)""#,
        r#""binary": "/tmp/cloudspec-final2""#,
        "see /home/me/notes",
        r#""runtime": "C:\\Users\\me\\runtime""#,
        "`C:/work/specs`",
    ] {
        assert!(pattern.is_match(local), "{local}");
    }
    for fine in ["not copied into ../shared/", "https://host.example/tmp/x", "runtime", "a:b", "path/to/work/x"] {
        assert!(!pattern.is_match(fine), "{fine}");
    }
}

#[test]
fn no_committed_spec_or_doc_names_a_local_path() {
    let root = repo();
    let mut files = vec![root.join("README.md")];
    for dir in ["specs", "docs", "tests/consumer/specs", "tests/corpus", "tests/hostile-spec"] {
        text_files(&root.join(dir), &mut files);
    }
    // The interop specs are imported catalogue data (an example value is `/home/user`); their provider
    // spec is a copy of the seed's.
    files.push(root.join("tests/interop/specs/alibabacloud/provider.json"));
    let pattern = local_path();
    let mut found = Vec::new();
    for file in &files {
        // Read as bytes: a corpus case is not UTF-8 on purpose (`invalid-utf8.json`), and is scanned too.
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let text = String::from_utf8_lossy(&bytes);
        for (number, line) in text.lines().enumerate() {
            if pattern.is_match(line) {
                let shown = file.strip_prefix(&root).unwrap_or(file).display();
                found.push(format!("{shown}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(files.len() > 20, "the scan reads the specs and the docs: {files:?}");
    assert!(
        found.is_empty(),
        "local paths in committed files (say `../shared/` or a repository path):\n{}",
        found.join("\n")
    );
}
