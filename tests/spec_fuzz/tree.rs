//! A spec tree held in memory: `<provider>/provider.json` and `<provider>/<service>/<version>.json`
//! files as bytes (a mutant need not be UTF-8), written to a directory only when it is examined.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// Files by path relative to the tree's root, with `/` separators.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecTree {
    files: BTreeMap<String, Vec<u8>>,
}

/// One spec tree to try, and where it came from.
#[derive(Debug, Clone)]
pub struct Case {
    /// How to reproduce it: `gen-<seed>-<index>`, `mut-<seed>-<index>` or `regression/<name>`.
    pub label: String,
    /// Its files.
    pub tree: SpecTree,
}

impl SpecTree {
    /// An empty tree.
    pub fn new() -> SpecTree {
        SpecTree::default()
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every file, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
    }

    /// The paths of the service files (every file but the providers').
    pub fn service_paths(&self) -> Vec<String> {
        self.files.keys().filter(|p| !p.ends_with("/provider.json")).cloned().collect()
    }

    /// Total size in bytes: the measure of a smaller repro.
    pub fn len(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Whether the tree has no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes every file under `dir`, creating directories.
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        for (path, bytes) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(target, bytes)?;
        }
        Ok(())
    }

    /// Reads every `*.json` file under `dir` into the tree, under `prefix` (`tencentcloud`).
    pub fn read_dir(dir: &Path, prefix: &str) -> io::Result<SpecTree> {
        let mut tree = SpecTree::new();
        read_into(&mut tree, dir, prefix)?;
        Ok(tree)
    }
}

fn read_into(tree: &mut SpecTree, dir: &Path, prefix: &str) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        if entry.file_type()?.is_dir() {
            read_into(tree, &entry.path(), &path)?;
        } else if name.ends_with(".json") {
            tree.insert(path, std::fs::read(entry.path())?);
        }
    }
    Ok(())
}
