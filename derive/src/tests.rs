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

fn decode_error(text: &str) -> String {
    crate::decode::expand(&input(text)).err().map(|e| e.to_string()).unwrap_or_default()
}

fn decode_tokens(text: &str) -> String {
    crate::decode::expand(&input(text)).expect("a generated shape").to_string()
}

#[test]
fn decode_refuses_what_it_cannot_read() {
    assert!(decode_error("enum E { A }").contains("structs only"));
    assert!(decode_error("struct T(String);").contains("named fields"));
    assert!(decode_error("struct G<T> { t: T }").contains("generic"));
    assert!(decode_error("#[serde(rename_all = \"camelCase\")] struct S { a: u8 }").contains("PascalCase"));
    assert!(decode_error("#[serde(transparent)] struct S { a: u8, b: u8 }").contains("exactly one field"));
    assert!(decode_error("struct S { #[serde(rename = 5)] a: String }").contains("expected string literal"));
    // A timestamp without its format, a format that is not the runtime's, and `::option` mismatched.
    assert!(decode_error("struct S { at: OffsetDateTime }").contains("needs its format"));
    assert!(
        decode_error("struct S { #[serde(with = \"my::iso8601\")] at: OffsetDateTime }").contains("timestamp module")
    );
    let required_as_option =
        "struct S { #[serde(with = \"cloudspec_runtime::timestamp::iso8601::option\")] at: OffsetDateTime }";
    assert!(decode_error(required_as_option).contains("timestamp module"));
    let option_as_required = "struct S { #[serde(with = \"cloudspec_runtime::timestamp::date\")] at: Option<Date> }";
    assert!(decode_error(option_as_required).contains("::option, on an `Option`"));
}

#[test]
fn decode_takes_generated_shapes() {
    let text = "#[serde(rename_all = \"PascalCase\")] struct S {
        request_id: String,
        #[serde(rename = \"DBNode\")]
        db_node: Option<String>,
        r#type: Option<u8>,
        #[serde(with = \"cloudspec_runtime::timestamp::epoch_millis::option\")]
        at: Option<OffsetDateTime>,
        next: Option<Box<S>>,
    }";
    let tokens = decode_tokens(text);
    // The wire names in field order: the rule's, the rename, the rule on a raw name.
    assert!(tokens.contains(r#"["RequestId" , "DBNode" , "Type" , "At" , "Next"]"#), "{tokens}");
    let missing = ":: cloudspec_runtime :: json :: DecodeError :: missing_field (\"RequestId\")";
    assert!(tokens.contains(missing), "only the field that is no Option: {tokens}");
    assert_eq!(tokens.matches("missing_field (").count(), 1, "{tokens}");
    let timestamp = "& mut :: cloudspec_runtime :: json :: TimestampSlot (& mut slot3 , :: cloudspec_runtime :: timestamp :: EpochMillis)";
    assert!(tokens.contains(timestamp), "{tokens}");
    // The slots are handed over by reference (no drop glue), as a table for the runtime's `Members`:
    // no type, `impl` or `match` of the struct's own.
    assert!(tokens.contains("& mut [& mut slot0 , & mut slot1 , & mut slot2 , & mut :: cloudspec_runtime"), "{tokens}");
    assert!(tokens.contains("reader . slots_into (& [\"RequestId\""), "{tokens}");
    assert!(!tokens.contains("impl :: cloudspec_runtime :: json :: Members for"), "{tokens}");
    assert!(tokens.contains(":: core :: option :: Option < Box < S > >"), "a boxed field's slot: {tokens}");
    // The serde `Deserialize` goes through the same decoding.
    assert!(tokens.contains(":: cloudspec_runtime :: json :: deserialize (deserializer)"), "{tokens}");
    // Without the rule, a field's wire name is its own name.
    assert!(decode_tokens("struct S { request_id: u8, b: u8 }").contains(r#"["request_id" , "b"]"#));
    // The whole body, and an object without fields.
    let body = decode_tokens("#[serde(transparent)] struct S { items: Vec<u8> }");
    assert!(body.contains("items : :: cloudspec_runtime :: json :: Decode :: decode (reader) ?"), "{body}");
    // Every field optional: read straight into the value's fields, no slots to move.
    let optional = decode_tokens("struct S { a: Option<u8>, b: Option<String> }");
    assert!(optional.contains("let mut value = Self { a : :: core :: option :: Option :: None , b"), "{optional}");
    assert!(optional.contains("[& mut value . a , & mut value . b]"), "{optional}");
    assert!(!optional.contains("slot0"), "{optional}");
    let empty = decode_tokens("struct S {}");
    assert!(empty.contains("reader . members_into (& [] , & mut ())"), "{empty}");
    // An open enumeration, read as its `from` type.
    let tokens = decode_tokens("#[serde(from = \"i64\", into = \"i64\")] enum E { A, Unknown(i64) }");
    assert!(tokens.contains("< i64 as :: cloudspec_runtime :: json :: Decode > :: decode (reader)"), "{tokens}");
    assert!(tokens.contains(":: core :: convert :: From < i64 >"), "{tokens}");
}

#[test]
fn builder_names_fields_by_the_rename_rule() {
    let text = "#[serde(rename_all = \"PascalCase\")] struct S { request_id: String, #[serde(rename = \"DBNode\")] db_node: String }";
    let tokens = crate::builder::expand(&input(text)).expect("a generated shape").to_string();
    // Missing required fields are reported by wire name (`Debug` prints the Rust names).
    assert!(tokens.contains("(\"RequestId\" , :: core :: matches ! (self . request_id"), "{tokens}");
    assert!(tokens.contains("(\"DBNode\" , :: core :: matches ! (self . db_node"), "{tokens}");
    assert!(!tokens.contains("(\"request_id\" , :: core") && !tokens.contains("\"DbNode\""), "{tokens}");
    // The builder's `Debug`: the names as the derived one prints them, and the values, as one table.
    assert!(tokens.contains("[\"request_id\" , \"db_node\"]"), "the builder's `Debug`: {tokens}");
    assert!(tokens.contains("[& self . request_id , & self . db_node]"), "the builder's `Debug`: {tokens}");
}

#[test]
fn pascal_case_is_serdes() {
    // serde_derive's own cases (`internals/case.rs`), and what generated names look like.
    for (field, pascal) in [
        ("outcome", "Outcome"),
        ("very_tasty", "VeryTasty"),
        ("a", "A"),
        ("z42", "Z42"),
        ("ipv6_address", "Ipv6Address"),
        ("_leading", "Leading"),
        ("double__under", "DoubleUnder"),
        ("trailing_", "Trailing"),
        ("type", "Type"),
    ] {
        assert_eq!(crate::shape::pascal_case(field), pascal);
    }
}

fn encode_error(text: &str) -> String {
    crate::encode::expand(&input(text)).err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn encode_refuses_what_it_cannot_write() {
    assert!(encode_error("enum E { A }").contains("structs only"));
    assert!(encode_error("struct T(String);").contains("named fields"));
    assert!(encode_error("struct G<T> { t: T }").contains("generic"));
    assert!(encode_error("struct S { at: OffsetDateTime }").contains("needs its format"));
    assert!(
        encode_error("struct S { #[serde(with = \"my::format\")] at: OffsetDateTime }").contains("timestamp module")
    );
    assert!(encode_error("#[serde(transparent)] struct S { a: String, b: String }").contains("exactly one field"));
    assert!(encode_error("#[serde(rename_all = \"camelCase\")] struct S { a: String }").contains("PascalCase"));
}

#[test]
fn encode_takes_generated_shapes() {
    let text = "#[serde(rename_all = \"PascalCase\")] struct S {
        #[serde(rename = \"Type\", skip_serializing_if = \"Option::is_none\")]
        r#type: Option<String>,
        next: Option<Box<S>>,
        #[serde(with = \"cloudspec_runtime::timestamp::iso8601\")]
        at: OffsetDateTime,
        #[serde(with = \"cloudspec_runtime::timestamp::epoch_millis::option\")]
        until: Option<OffsetDateTime>,
    }";
    let tokens = crate::encode::expand(&input(text)).expect("a generated shape").to_string();
    assert!(tokens.contains("member (\"Type\" , & self . r#type)"), "{tokens}");
    assert!(tokens.contains("member (\"Next\" , & self . next)"), "{tokens}");
    assert!(tokens.contains("timestamp (\"At\" , :: core :: option :: Option :: Some (& self . at)"), "{tokens}");
    assert!(tokens.contains("timestamp (\"Until\" , self . until . as_ref ()"), "{tokens}");
    assert!(tokens.contains("EpochMillis"), "{tokens}");
}

#[test]
fn encode_writes_a_table_unless_a_field_is_a_timestamp() {
    let expand = |text: &str| crate::encode::expand(&input(text)).expect("a generated shape").to_string();
    let table = expand("#[serde(rename_all = \"PascalCase\")] struct S { request_id: String, size: Option<u8> }");
    assert!(table.contains("out . object (& [\"RequestId\" , \"Size\"] , values)"), "{table}");
    assert!(table.contains("[& self . request_id , & self . size]"), "{table}");
    assert!(!table.contains("member"), "{table}");
    let text =
        "struct S { name: String, #[serde(with = \"cloudspec_runtime::timestamp::iso8601\")] at: OffsetDateTime }";
    let lines = expand(text);
    assert!(lines.contains("out . member (\"name\" , & self . name)"), "{lines}");
    assert!(!lines.contains("out . object"), "{lines}");
}
