//! The catalogue's example probe (`--example-probe`): a binary crate of the generated workspace that
//! decodes official output examples with the generated response types, through each service
//! version's `example_probe::decode_output`. The catalogue scripts feed it the examples they take from
//! the providers' own files and count what decodes (`scripts/catalogue/README.md`).
//!
//! Being a member of the workspace, it reuses what building each crate alone compiled: the
//! artifacts of path packages are keyed by their path relative to the workspace root, so a
//! workspace of its own would rebuild every crate. Each service crate is an optional dependency
//! behind a feature named after its directory, so the probe builds on the crates that compile when
//! some do not. The protocol is described on [`crate::layout::manifest::ProbeEntry`].

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceCrate;
use crate::emit::{DocTable, ident, inner_doc_attrs};
use crate::layout::{GenerateError, rust_file};
use crate::output::{GENERATED_MARK, GeneratedFile};

/// The probe's package, binary and directory name. Service crates are `<provider>-<service>`
/// directories and `cloudspec-…` packages: only a provider whose module is `catalogue` could take
/// the directory, and [`super::split::check_names`] refuses that.
pub(super) const PROBE: &str = "catalogue-probe";

/// The probe's `Cargo.toml`: every service crate an optional dependency behind its own feature.
pub(super) fn manifest(crates: &[ServiceCrate<'_>]) -> GeneratedFile {
    let mut text = format!("# {}. Do not edit: change the specs and run `cloudspec generate`.\n\n", GENERATED_MARK);
    text.push_str(&format!(
        "[package]\nname = \"{PROBE}\"\nversion = \"{}\"\nedition = \"2024\"\npublish = false\n",
        env!("CARGO_PKG_VERSION")
    ));
    text.push_str("description = \"Decodes official output examples with the generated response types.\"\n");
    text.push_str("\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n");
    for krate in crates {
        text.push_str(&format!("{} = {{ path = \"../{}\", optional = true }}\n", krate.package(), krate.dir));
    }
    text.push_str("\n[features]\n");
    for krate in crates {
        text.push_str(&format!("{} = [\"dep:{}\"]\n", krate.dir, krate.package()));
    }
    GeneratedFile { path: Path::new(PROBE).join("Cargo.toml"), contents: text }
}

/// The probe's `src/main.rs`.
pub(super) fn main(crates: &[ServiceCrate<'_>]) -> Result<GeneratedFile, GenerateError> {
    let path = Path::new(PROBE).join("src/main.rs");
    rust_file(path, &[], main_tokens(crates), DocTable::default())
}

fn main_tokens(crates: &[ServiceCrate<'_>]) -> TokenStream {
    let services: Vec<(&str, &str)> = crates
        .iter()
        .flat_map(|krate| krate.versions.iter().map(|s| (krate.dir.as_str(), s.version_module.as_str())))
        .collect();
    let arms = crates.iter().flat_map(|krate| {
        let feature = &krate.dir;
        let library = ident(&krate.package().replace('-', "_"));
        krate.versions.iter().map(move |service| {
            let dir = &krate.dir;
            let name = &service.version_module;
            let module = ident(name);
            quote! {
                #[cfg(feature = #feature)]
                (#dir, #name) => #library::#module::example_probe::decode_output(action, body),
            }
        })
    });
    let known = services.iter().map(|(dir, module)| quote! { (#dir, #module) });
    let docs = inner_doc_attrs(&[
        "Decodes official output examples with the generated response types.".into(),
        String::new(),
        "Usage: `catalogue-probe EXAMPLES.jsonl RESULTS.jsonl`. Each line of EXAMPLES is `{\"id\", \"crate\", \
         \"version_module\", \"action\", \"body\"}`; RESULTS gets `{\"id\", \"status\", \"reason\"}` for each: \
         `ok`, `failed`, `unknown-action`, `unknown-crate`, `not-built` (the crate's feature is off) or `panic`."
            .into(),
    ]);
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #docs

        use std::collections::BTreeMap;
        use std::io::{BufRead, BufReader, BufWriter, Write};
        use std::process::ExitCode;

        /// Every service version of the catalogue: (crate directory, version module).
        const SERVICES: &[(&str, &str)] = &[#(#known),*];

        /// One line of the examples file.
        #[derive(serde::Deserialize)]
        struct Example {
            id: serde_json::Value,
            #[serde(rename = "crate")]
            krate: String,
            version_module: String,
            action: String,
            body: String,
        }

        /// One line of the results file.
        #[derive(serde::Serialize)]
        struct Outcome<'a> {
            id: &'a serde_json::Value,
            status: &'a str,
            reason: &'a str,
        }

        /// Decodes `body` as the output of `action` of a service version: the status and its reason.
        /// (With no feature on, no arm uses `action` and `body`.)
        #[allow(unused_variables)]
        fn probe(krate: &str, version: &str, action: &str, body: &str) -> (&'static str, String) {
            let decoded = match (krate, version) {
                #(#arms)*
                _ if SERVICES.contains(&(krate, version)) => {
                    return ("not-built", format!("the probe was built without the feature `{krate}`"));
                }
                _ => return ("unknown-crate", String::new()),
            };
            match decoded {
                None => ("unknown-action", String::new()),
                Some(Ok(())) => ("ok", String::new()),
                Some(Err(reason)) => ("failed", reason),
            }
        }

        fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
            match panic.downcast::<String>() {
                Ok(text) => *text,
                Err(panic) => panic.downcast_ref::<&str>().map(|text| text.to_string()).unwrap_or_default(),
            }
        }

        /// Probes each example of `examples` into `results`, and counts the statuses. A panic in
        /// generated code is a finding: it becomes the example's status, and is not printed.
        fn run(examples: &str, results: &str) -> Result<BTreeMap<&'static str, usize>, String> {
            let input = std::fs::File::open(examples).map_err(|e| format!("{examples}: {e}"))?;
            let output = std::fs::File::create(results).map_err(|e| format!("{results}: {e}"))?;
            let mut output = BufWriter::new(output);
            let mut counts = BTreeMap::new();
            std::panic::set_hook(Box::new(|_| {}));
            for (number, line) in BufReader::new(input).lines().enumerate() {
                let line = line.map_err(|e| format!("{examples}: {e}"))?;
                if line.trim().is_empty() {
                    continue;
                }
                let example: Example =
                    serde_json::from_str(&line).map_err(|e| format!("{examples}:{}: {e}", number + 1))?;
                let outcome = std::panic::catch_unwind(|| {
                    probe(&example.krate, &example.version_module, &example.action, &example.body)
                });
                let (status, reason) = outcome.unwrap_or_else(|panic| ("panic", panic_message(panic)));
                *counts.entry(status).or_default() += 1;
                let row = Outcome { id: &example.id, status, reason: &reason };
                let row = serde_json::to_string(&row).map_err(|e| format!("{results}: {e}"))?;
                writeln!(output, "{row}").map_err(|e| format!("{results}: {e}"))?;
            }
            output.flush().map_err(|e| format!("{results}: {e}"))?;
            Ok(counts)
        }

        fn main() -> ExitCode {
            let args: Vec<String> = std::env::args().collect();
            let [_, examples, results] = args.as_slice() else {
                eprintln!("usage: catalogue-probe EXAMPLES.jsonl RESULTS.jsonl");
                return ExitCode::from(2);
            };
            match run(examples, results) {
                Ok(counts) => {
                    eprintln!("{counts:?}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
