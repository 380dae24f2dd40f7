//! Generates the hostile spec's code into OUT_DIR, so the test suite proves that it compiles.

fn main() {
    let manifest =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    if let Err(error) = cloudspec::Builder::new()
        .specs(manifest.join("hostile-spec"))
        .service("hostilecloud/weird/2020-01-01")
        .file_name("hostile.rs")
        .generate()
    {
        panic!("the hostile spec does not generate:\n{error}");
    }
}
