//! Helpers shared by the workspace tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cloudspec::diagnostics::Diagnostic;

/// The corpus directory (`tests/corpus`).
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The repository's `specs/` directory.
pub fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// A spec tree in a temporary directory: `fakecloud/provider.json` and `fakecloud/widgets/2020-01-01.json`.
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    /// The corpus's valid provider and service.
    pub fn valid() -> Tree {
        let tree = Tree { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(tree.service_path().parent().unwrap()).unwrap();
        std::fs::copy(corpus().join("provider.json"), tree.provider_path()).unwrap();
        std::fs::copy(corpus().join("service.json"), tree.service_path()).unwrap();
        tree
    }

    pub fn provider_path(&self) -> PathBuf {
        self.dir.path().join("fakecloud/provider.json")
    }

    pub fn service_path(&self) -> PathBuf {
        self.dir.path().join("fakecloud/widgets/2020-01-01.json")
    }

    /// Replaces the service spec's bytes.
    pub fn write_service(&self, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.service_path(), bytes).unwrap();
    }

    /// Loads and checks the tree: every diagnostic.
    pub fn check(&self) -> Vec<Diagnostic> {
        let set = cloudspec::load::load(&[self.dir.path().to_path_buf()]).unwrap();
        cloudspec::check::check(&set).diagnostics
    }

    /// Every diagnostic rendered, with the temporary directory removed from paths.
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let prefix = format!("{}/", self.dir.path().display());
        diagnostics.iter().map(|d| d.render().replace(&prefix, "")).collect()
    }
}

/// The corpus's valid service spec as JSON.
pub fn base_service() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(corpus().join("service.json")).unwrap()).unwrap()
}
