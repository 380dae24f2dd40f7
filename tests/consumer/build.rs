//! Generates the API Gateway client from this crate's own `specs/` into `$OUT_DIR/cloudspec.rs`.
//!
//! `cloudspec::Builder` prints `cargo:rerun-if-changed` for every spec file it reads, so cargo reruns
//! this script when a spec changes, and only then. A bad spec fails the build with the rendered
//! diagnostics, as `cloudspec check` prints them.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let generated = cloudspec::Builder::new()
        .specs(manifest.join("specs"))
        .service("tencentcloud/apigateway/2018-08-08")
        .generate();
    if let Err(error) = generated {
        // Cargo shows a failed build script's stderr under `--- stderr`; the diagnostics read best
        // there as they are, without a panic message around them.
        eprintln!("{error}");
        std::process::exit(1);
    }
}
