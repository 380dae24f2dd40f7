//! Generates code into OUT_DIR, so the test suite proves that it compiles: the hostile spec's, the
//! Alibaba ecs (RPC), cs and cloudcontrol (ROA) specs the SDK interop test calls `cloudspec serve` with, and the paged
//! actions of `paging-specs/` the paginator tests page through.

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
    if let Err(error) = cloudspec::Builder::new()
        .specs(manifest.join("interop/specs"))
        .service("alibabacloud/ecs/2014-05-26")
        .service("alibabacloud/cs/2015-12-15")
        .service("alibabacloud/cloudcontrol/2022-08-30")
        .file_name("alibaba_interop.rs")
        .generate()
    {
        panic!("the Alibaba interop specs (tests/interop/specs) do not generate:\n{error}");
    }
    let paging = manifest.join("paging-specs");
    let mut builder = cloudspec::Builder::new().specs(&paging).file_name("paging.rs");
    for service in [
        "tencentcloud/cvm/2017-03-12",
        "tencentcloud/tag/2018-08-13",
        "tencentcloud/cam/2019-01-16",
        "alibabacloud/ecs/2014-05-26",
        "alibabacloud/servicemesh/2020-01-11",
    ] {
        builder = builder.service(service);
    }
    if let Err(error) = builder.generate() {
        panic!("the paging specs (tests/paging-specs) do not generate:\n{error}");
    }
}
