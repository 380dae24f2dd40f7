//! Workspace-level tests live in `tests/`. The library holds the code generated from the hostile spec
//! (`hostile-spec/`) by `build.rs`, so building the tests proves that it compiles, and the spec fuzzer
//! ([`spec_fuzz`]) the `generative` test and the `spec-fuzz` binary run.

pub mod spec_fuzz;

/// Where the workspace-level tests find the repository and the state their nested cargo builds share.
pub mod workspace {
    use std::path::{Path, PathBuf};

    /// The repository's root.
    pub fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
    }

    /// `$CARGO_TARGET_DIR/consumer-rerun` (relative to the repository when relative), else
    /// `target/consumer-rerun`: the target dir the nested builds of generated crates share, so each
    /// test compiles the runtime and its dependencies once.
    pub fn state_dir() -> PathBuf {
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
            Some(dir) => repo().join(dir),
            None => repo().join("target"),
        };
        target.join("consumer-rerun")
    }

    /// `name`, emptied, in [`state_dir`], with the lock the nested builds take turns by (they share one
    /// target directory): held until the returned file is dropped.
    pub fn fresh_build_dir(name: &str) -> (std::fs::File, PathBuf) {
        let state = state_dir();
        std::fs::create_dir_all(&state).unwrap();
        let lock = std::fs::File::create(state.join("copy.lock")).unwrap();
        lock.lock().unwrap();
        let dir = state.join(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        (lock, dir)
    }
}

/// Code generated from `hostile-spec/`: keywords, case-only differences, odd punctuation and very long
/// names.
#[allow(missing_docs)]
pub mod hostile {
    include!(concat!(env!("OUT_DIR"), "/hostile.rs"));
}

/// Code generated from the Alibaba Cloud ecs 2014-05-26 (RPC) and cs 2015-12-15 (ROA) specs under
/// `interop/specs/`, which `tests/sdk_interop_alibaba.rs` calls `cloudspec serve` with.
///
/// Two lints are allowed for what the emitter does not handle yet on Openmeta text: Markdown lists in
/// descriptions (`doc_lazy_continuation`), and the generated example tests of ROA actions, whose
/// responses have no request id to assert (`unused_variables`).
#[allow(missing_docs, unused_variables, clippy::doc_lazy_continuation)]
pub mod alibaba_interop {
    include!(concat!(env!("OUT_DIR"), "/alibaba_interop.rs"));
}

/// Code generated from the paged actions of `paging-specs/` (Tencent cvm, tag and cam; Alibaba ecs and
/// servicemesh: every kind of paging for both providers), which `tests/paginators.rs` pages through
/// against the fake.
#[allow(missing_docs)]
pub mod paging {
    include!(concat!(env!("OUT_DIR"), "/paging.rs"));
}
