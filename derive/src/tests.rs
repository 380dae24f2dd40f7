//! The derives on inputs they must refuse (an error at a span, never a panic) and on the shapes
//! generated code gives them. What the expansions do is tested by compiling and calling generated
//! code (`tests/tests/codegen.rs`, `validators.rs`, `generative.rs`, …).

use syn::DeriveInput;

fn input(text: &str) -> DeriveInput {
    syn::parse_str(text).expect("the test's input is Rust")
}

fn builder_error(text: &str) -> String {
    crate::builder::expand(&input(text)).err().map(|e| e.to_string()).unwrap_or_default()
}

fn service_error_error(text: &str) -> String {
    crate::service_error::expand(&input(text)).err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn builder_refuses_what_it_cannot_build() {
    assert!(builder_error("enum E { A }").contains("structs only"));
    assert!(builder_error("struct T(String);").contains("named fields"));
    assert!(builder_error("struct G<T> { t: T }").contains("generic"));
    assert!(builder_error("struct S { #[builder(optional)] a: String }").contains("expected `required`"));
    assert!(builder_error("#[builder(name = \"not an ident\")] struct S { a: String }").contains("expected"));
    assert!(builder_error("struct S { #[serde(rename = 5)] a: String }").contains("expected string literal"));
}

#[test]
fn builder_takes_generated_shapes() {
    let text = "struct S {
        #[serde(rename = \"Type\", skip_serializing_if = \"Option::is_none\")]
        #[builder(required, deprecated = \"use Kind\")]
        r#type: Option<String>,
        next: Option<Box<S>>,
        items: Vec<u32>,
        at: OffsetDateTime,
    }";
    let tokens = crate::builder::expand(&input(text)).expect("a generated shape").to_string();
    assert!(tokens.contains("SBuilder"));
    assert!(tokens.contains("\"Type\""), "the wire name names the missing field: {tokens}");
    assert!(tokens.contains("deprecated"));
}

#[test]
fn service_error_refuses_what_it_cannot_classify() {
    assert!(service_error_error("struct S;").contains("enums only"));
    assert!(service_error_error("enum E { A(ErrorMetadata), Common(C), Unknown(U) }").contains("#[code"));
    assert!(service_error_error("enum E { #[code(\"A\")] A(ErrorMetadata) }").contains("Common"));
    assert!(service_error_error("enum E { #[code(\"A\", fatal)] A(M), Common(C), Unknown(U) }").contains("retryable"));
    assert!(
        service_error_error("enum E { #[code(A)] A(M), Common(C), Unknown(U) }").contains("expected string literal")
    );
    assert!(service_error_error("enum E { A { m: M }, Common(C), Unknown(U) }").contains("one value"));
}

#[test]
fn service_error_takes_generated_shapes() {
    let text = "enum E {
        #[code(\"Internal.Error\", retryable, throttling)] InternalError(ErrorMetadata),
        Common(CommonError),
        Unknown(UnknownCode),
    }";
    let tokens = crate::service_error::expand(&input(text)).expect("a generated shape").to_string();
    assert!(tokens.contains("\"Internal.Error\""));
    assert!(tokens.contains("error_impls"));
}
