//! Tencent Cloud: the tccli catalogue (`tccli/services/<svc>/<version>/api.json` + `examples.json`).
//!
//! Mapping decisions, following the catalogue audit (`shared/research/tencent-catalogue/AUDIT.md`):
//!
//! - **Types.** `string` → `string`; `int` + `int64`/`uint64` → `int64`/`uint64`; `float` → `float64`;
//!   `bool` → `bool`; `binary` → `binary`; `list` + member → `list<member>`; `object` + member → the member
//!   object's name. `datetime`, `datetime_iso` and `date` become `string`, with the declared format stated in
//!   the description: the documented examples use `0000-00-00 00:00:00`, `-`, `""` and other shapes (§3, §8),
//!   so a typed timestamp would reject real responses.
//! - **Objects.** An action's `input`/`output` objects are inlined as its `request`/`response`; every object
//!   reachable from a member becomes a shared `types` entry of kind `object`.
//! - **Required.** Request fields keep `required`. Response fields are never required: examples omit fields
//!   flagged `output_required` often enough that only all-`Option` responses decode ≥ 99 % of them (§8.2).
//!   Members of shared objects keep `required` when the object is reachable from requests: for an object
//!   that responses carry too, the generated type makes such a member an `Option` that sending checks, so
//!   requests keep the documented rule and responses decode leniently (`nested_required` counts them).
//!   `value_allowed_null` becomes `nullable`.
//! - **Idempotency.** The catalogue does not say. Actions whose name starts with a read-only verb
//!   (`Describe`, `Get`, `List`, `Inquiry`, `Check`, `Query`) are marked idempotent, every other one is not.
//! - **Names.** Members whose snake_case names collide within one object, or that differ from an earlier
//!   member only in case, get a `rust_name` with a numeric suffix. Object names that would shadow prelude
//!   types or collide with the names generated for actions get a `rust_name` too.
//! - **Enumerations.** A request string member whose prose states a closed list of values without ambiguity
//!   (`Valid values: auto, manual`, `枚举值：<li>ON：…</li>`; see the crate's `prose_enums` module) gets an `enum` type,
//!   unless its own example or a documented request uses a value outside the list. Enums are open (unknown values decode), but
//!   response members stay strings all the same; numeric lists (`0: off; 1: on`) stay documentation.
//! - **Examples.** Kept verbatim when their output parses as JSON; the rest are dropped. `cloudspec check` then
//!   runs on the spec (in memory) and every example it rejects is dropped as well; both are counted. Member
//!   examples that are placeholders (`xx`, `无`) are not kept.
//! - **Both packages.** [`import_merged`] takes the English (`tccli-intl-en`) and the Chinese (`tccli`)
//!   package and imports every service version either has, once: English texts where the English package
//!   has them and Chinese ones otherwise, marked as such; the newer release's structure where both have an
//!   entry; English output examples that are not JSON repaired from their Chinese twins where the twin fits
//!   (modules `merge`, [`repair`] and [`merged`]). [`import`] of one package is unchanged.
//! - **Speed.** Service versions are imported in parallel (rayon), reporting progress through a callback.
//! - **Mark.** Every spec written carries `imported_from` (`tccli`, the release from tccli's `__init__.py`
//!   when the directory sits in tccli, and the `api.json` path); an existing spec without it (a
//!   hand-written one) is not overwritten unless forced, and an existing `provider.json` is never replaced.
//! - **Failures.** A service version that cannot be read or mapped (a corrupt or oversized `api.json`) is
//!   reported with its file and the rest are imported.
//! - **Paging.** Actions with an `Offset`, a page number or a token, a list in the response and, for a token,
//!   a next token beside it are marked paged (`crate::paging`, shared with the Alibaba importer); the
//!   page size's maximum is read from its prose (`Maximum value: 100`).
//! - **Errors.** `api.json` lists no error codes. The only ones the catalogue shows are in example responses
//!   that are error envelopes (`Response.Error.Code`/`Message`); those codes become the action's errors, with
//!   the example's message as description and retryability inherited from the provider's common code of their
//!   class (`InternalError.X` from `InternalError`). Codes the provider already lists are not repeated.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

mod catalogue;
mod convert;
mod merge;
pub mod merged;
mod outputs;
pub mod repair;

pub use merged::{MergeReport, Packages, TextCounts};
pub use outputs::{OutputExample, merged_output_examples, output_examples};
pub use repair::Repairs;

use catalogue::{ApiFile, ExamplesFile, catalogue_file, file_name, observed_values, read_json};
use convert::{Cx, non_empty};

use super::{
    Failure, ImportError, ImportReport, Overwrite, ServiceReport, check_overwrites, read_catalogue, sorted_dirs,
};
use cloudspec::diagnostics::{Segment, Severity};
use cloudspec::spec::{ErrorCode, Example, ImportedFrom, ServiceSpec};

/// The provider spec written next to the imported services when the output has none.
/// (`import/providers/` links to the repository's `specs/`, so the packaged crate carries the file.)
const PROVIDER_JSON: &str = include_str!("../../providers/tencentcloud.json");

/// The provider directory name under the output directory.
const PROVIDER: &str = "tencentcloud";

/// The catalogue's name in `imported_from`.
pub const CATALOGUE: &str = "tccli";

/// Imports every service version under `services_dir` (tccli's `tccli/services`), or only the services
/// named in `only`, into `out/tencentcloud/<service>/<YYYY-MM-DD>.json`. Writes `out/tencentcloud/provider.json`
/// when it is missing, so the output checks on its own. Existing specs are replaced as `overwrite` allows;
/// when one may not be, nothing is written. A service version that cannot be imported is listed in the
/// report's failures and the others are imported. `progress` is called once per service version done,
/// from any thread, with how many are done, how many there are, and the one just done (`cvm 2017-03-12`).
pub fn import(
    services_dir: &Path,
    out: &Path,
    only: &[String],
    overwrite: Overwrite,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<ImportReport, ImportError> {
    let release = tccli_release(services_dir);
    let targets = targets_in(services_dir, only)?
        .into_iter()
        .map(|(service, dir)| Target {
            service,
            dir_version: file_name(&dir),
            origin: Origin::Single { dir, release: release.clone() },
        })
        .collect();
    run(targets, out, overwrite, progress)
}

/// Imports every service version of both tccli packages as one catalogue, as [`import`] imports one:
/// English texts where the English package has them, Chinese otherwise, and the English output examples
/// that are not JSON repaired from their Chinese twins (see [`merged`]). `only` names services that
/// either package has. Each service version's [`ServiceReport::merge`] says what the merge did.
pub fn import_merged(
    packages: Packages<'_>,
    out: &Path,
    only: &[String],
    overwrite: Overwrite,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<ImportReport, ImportError> {
    for dir in [packages.english, packages.chinese] {
        if !dir.is_dir() {
            return Err(ImportError::Usage(format!("{}: no such directory", dir.display())));
        }
    }
    if packages.english.canonicalize().ok() == packages.chinese.canonicalize().ok() {
        return Err(ImportError::Usage(format!(
            "{}: the English and the Chinese package are the same directory",
            packages.english.display()
        )));
    }
    let (en_release, cn_release) = (tccli_release(packages.english), tccli_release(packages.chinese));
    let copy = |dir: Option<PathBuf>, release: &Option<String>| {
        dir.map(|dir| merged::PackageCopy { dir, release: release.clone() })
    };
    let targets = merged::versions(packages, only, targets_in)?
        .into_iter()
        .map(|((service, dir_version), (english, chinese))| Target {
            service,
            dir_version,
            origin: Origin::Merged { english: copy(english, &en_release), chinese: copy(chinese, &cn_release) },
        })
        .collect();
    run(targets, out, overwrite, progress)
}

/// A service version to import, and where its catalogue files are.
struct Target {
    service: String,
    /// `v20170312`.
    dir_version: String,
    origin: Origin,
}

enum Origin {
    /// One package's directory, imported as it is; the package's release.
    Single { dir: PathBuf, release: Option<String> },
    /// Either package's copy, or both, merged.
    Merged { english: Option<merged::PackageCopy>, chinese: Option<merged::PackageCopy> },
}

impl Target {
    /// The version directory named in failures: the single one, or the English copy when there is one.
    fn dir(&self) -> &Path {
        match &self.origin {
            Origin::Single { dir, .. } => dir,
            Origin::Merged { english, chinese } => {
                english.as_ref().or(chinese.as_ref()).map_or(Path::new(""), |c| c.dir.as_path())
            }
        }
    }
}

/// The `<service>/v<YYYYMMDD>` directories with an `api.json` under `services_dir`, of the services in
/// `only` when it names any (each must be there).
fn targets_in(services_dir: &Path, only: &[String]) -> Result<Vec<(String, PathBuf)>, ImportError> {
    if !services_dir.is_dir() {
        return Err(ImportError::Usage(format!("{}: no such directory", services_dir.display())));
    }
    let mut targets = Vec::new();
    for service_dir in sorted_dirs(services_dir)? {
        let service = file_name(&service_dir);
        if !only.is_empty() && !only.contains(&service) {
            continue;
        }
        for version_dir in sorted_dirs(&service_dir)? {
            let version = file_name(&version_dir);
            if wire_version(&version).is_some() && version_dir.join("api.json").is_file() {
                targets.push((service.clone(), version_dir));
            }
        }
    }
    for name in only {
        if !targets.iter().any(|(service, _)| service == name) {
            return Err(ImportError::Usage(format!(
                "{}: no service `{name}` with a `v<YYYYMMDD>/api.json`",
                services_dir.display()
            )));
        }
    }
    if targets.is_empty() {
        return Err(ImportError::Usage(format!(
            "{}: no `<service>/v<YYYYMMDD>/api.json` found; expected tccli's `tccli/services` directory",
            services_dir.display()
        )));
    }
    Ok(targets)
}

/// Writes the provider and schema when missing, then imports every target (in parallel).
fn run(
    targets: Vec<Target>,
    out: &Path,
    overwrite: Overwrite,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<ImportReport, ImportError> {
    let provider_dir = out.join(PROVIDER);
    let written: Vec<PathBuf> = targets
        .iter()
        .filter_map(|t| Some(provider_dir.join(&t.service).join(format!("{}.json", wire_version(&t.dir_version)?))))
        .collect();
    check_overwrites(&written, overwrite)?;

    // The specs name their JSON Schema (as hand-written specs do), so editors check them and the loader does not
    // warn about every file.
    let schema_path = out.join("cloudspec.schema.json");
    if !schema_path.is_file() {
        cloudspec::write_atomically(&schema_path, cloudspec::spec::json_schema().as_bytes())
            .map_err(|source| ImportError::Io { path: schema_path.clone(), source })?;
    }
    let provider_path = provider_dir.join(cloudspec::load::PROVIDER_FILE);
    if !provider_path.is_file() {
        cloudspec::write_atomically(&provider_path, PROVIDER_JSON.as_bytes())
            .map_err(|source| ImportError::Io { path: provider_path.clone(), source })?;
    }

    // The provider every written service is checked against (the one already in `out`, if any).
    let mut loaded = cloudspec::load::load(std::slice::from_ref(&provider_path))
        .map_err(|e| ImportError::Nothing(format!("cannot load {}: {e}", provider_path.display())))?;
    let provider = loaded.providers.remove(PROVIDER).map(|p| p.spec).ok_or_else(|| {
        let problems: Vec<String> = loaded.diagnostics.iter().map(|d| d.render()).collect();
        ImportError::Nothing(format!(
            "{}: not a usable provider spec\n{}",
            provider_path.display(),
            problems.join("\n")
        ))
    })?;
    let checker = Checker { provider, provider_path };

    // Service versions are independent: import them in parallel, report them in directory order.
    let (done, total) = (std::sync::atomic::AtomicUsize::new(0), targets.len());
    let outcomes: Vec<Result<ServiceReport, ImportError>> = targets
        .par_iter()
        .map(|target| {
            let report = import_version(target, &provider_dir, &checker);
            let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(done, total, &format!("{} {}", target.service, target.dir_version));
            report
        })
        .collect();
    let mut report = ImportReport::default();
    for (target, outcome) in targets.iter().zip(outcomes) {
        match outcome {
            Ok(service) => report.services.push(service),
            Err(error) => {
                report.failures.push(Failure { file: target.dir().join("api.json"), error: error.to_string() })
            }
        }
    }
    Ok(report)
}

/// tccli's release (`3.0.1200.1`), from the `__version__` line of `tccli/__init__.py` beside the
/// services directory, when it is there.
fn tccli_release(services_dir: &Path) -> Option<String> {
    let text = read_catalogue(&services_dir.parent()?.join("__init__.py")).ok()?;
    let line = text.lines().find(|l| l.trim_start().starts_with("__version__"))?;
    let value = line.split_once('=')?.1.trim().trim_matches(|c| c == '\'' || c == '"');
    let plain =
        !value.is_empty() && value.len() <= 64 && value.chars().all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c));
    plain.then(|| value.to_string())
}

/// Imports one `<service>/v<YYYYMMDD>` directory and checks what was written.
fn import_version(target: &Target, provider_dir: &Path, checker: &Checker) -> Result<ServiceReport, ImportError> {
    let (service, dir_version) = (target.service.as_str(), target.dir_version.clone());
    let (api, examples, has_examples, api_path, release, mut merged) = match &target.origin {
        Origin::Single { dir, release } => {
            let (api_path, examples_path) = (dir.join("api.json"), dir.join("examples.json"));
            let api: ApiFile = read_json(&api_path)?;
            let has_examples = examples_path.is_file();
            let examples: ExamplesFile =
                if has_examples { read_json(&examples_path)? } else { ExamplesFile::default() };
            (api, examples, has_examples, api_path, release.clone(), None)
        }
        Origin::Merged { english, chinese } => {
            let mut merged = merged::load(english.clone(), chinese.clone())?;
            let (api, examples) = (std::mem::take(&mut merged.api), std::mem::take(&mut merged.examples));
            (api, examples, merged.has_examples, merged.api_path.clone(), merged.release(), Some(merged))
        }
    };
    let mark = ImportedFrom {
        catalogue: CATALOGUE.into(),
        version: release,
        file: Some(catalogue_file(service, &dir_version)),
    };
    let version = wire_version(&dir_version).ok_or_else(|| ImportError::Unmappable {
        path: api_path.clone(),
        entry: "metadata.apiVersion".into(),
        message: format!("the directory `{dir_version}` is not `v<YYYYMMDD>`"),
    })?;
    if let Some(declared) = &api.metadata.api_version {
        if *declared != version {
            return Err(ImportError::Unmappable {
                path: api_path.clone(),
                entry: "metadata.apiVersion".into(),
                message: format!("`{declared}` does not match the directory `{dir_version}`"),
            });
        }
    }

    let mut report = ServiceReport { service: service.to_string(), version: version.clone(), ..Default::default() };
    let observed = observed_values(&api, &examples);
    let cx = Cx {
        api: &api,
        path: &api_path,
        enums: RefCell::default(),
        observed: &observed,
        nested_required: Default::default(),
    };
    let mut spec = cx.service(service, &version, &dir_version, has_examples)?;
    spec.imported_from = Some(mark);
    if let Some(merged) = &mut merged {
        report.merge = Some(merged.mark(&api, &mut spec, &dir_version));
    }
    report.paging = crate::paging::detect(&mut spec, &format!("{service} {version}"));
    for (name, action) in &mut spec.actions {
        for example in examples.actions.get(name).into_iter().flatten() {
            let output = example.output.clone().filter(|o| !o.trim().is_empty());
            let parsed = output.as_deref().map(serde_json::from_str::<Value>);
            if parsed.as_ref().is_some_and(Result::is_err) {
                report.examples_not_json += 1;
                continue;
            }
            if let Some((code, message)) = parsed.and_then(Result::ok).as_ref().and_then(example_error) {
                if !action.errors.iter().any(|e| e.code == code) && !COMMON_ERRORS.iter().any(|(c, _, _)| *c == code) {
                    let class = code.split('.').next().unwrap_or_default();
                    let (retryable, throttling) = COMMON_ERRORS
                        .iter()
                        .find(|(c, _, _)| *c == class)
                        .map_or((false, false), |(_, retryable, throttling)| (*retryable, *throttling));
                    action.errors.push(ErrorCode {
                        code,
                        description: message.map(|m| format!("Shown in a documented response: {m}")),
                        retryable,
                        http_status: None,
                        throttling,
                    });
                    report.errors_from_examples += 1;
                }
            }
            action.examples.push(Example {
                title: example.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| name.clone()),
                description: non_empty(example.document.as_deref()),
                input: example.input.clone().filter(|i| !i.trim().is_empty()),
                output,
            });
        }
    }

    report.sensitive = crate::sensitive::mark(&mut spec);
    let path = provider_dir.join(service).join(format!("{version}.json"));
    report.path = path.clone();
    report.actions = spec.actions.len();
    report.types = spec.types.len();
    report.enums = cx.enums.borrow().types.len();
    report.enum_members = cx.enums.borrow().members;
    report.nested_required = cx.nested_required.get();
    // Each round drops the examples the check rejects; it ends when no example is rejected (a dropped example
    // can hide another problem of the same action only behind itself, so the rounds are few). The rounds check
    // the spec in memory; the file is written once, at the end.
    let remaining = loop {
        let (checked, back) = checker.check(spec, &path);
        spec = back.ok_or_else(|| ImportError::Nothing(format!("{}: the check lost the spec", path.display())))?;
        let errors: Vec<_> = checked.iter().filter(|d| d.severity == Severity::Error).collect();
        let mut drop: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for error in &errors {
            if let [Segment::Key(actions), Segment::Key(action), Segment::Key(examples), Segment::Index(index), ..] =
                error.path.segments()
            {
                if actions == "actions" && examples == "examples" {
                    drop.entry(action.clone()).or_default().insert(*index);
                    *report.rejections.entry(error.code).or_default() += 1;
                }
            }
        }
        let rejected_before = report.examples_rejected;
        if drop.is_empty() {
            break !errors.is_empty();
        }
        for (action, indexes) in drop {
            if let Some(action) = spec.actions.get_mut(&action) {
                for index in indexes.into_iter().rev() {
                    if index < action.examples.len() {
                        action.examples.remove(index);
                        report.examples_rejected += 1;
                    }
                }
            }
        }
        if report.examples_rejected == rejected_before {
            // Nothing could be dropped: report what is left rather than loop.
            break true;
        }
    };
    write_spec(&path, &spec)?;
    if remaining {
        // Render what is left against the written file, with its positions.
        let set = cloudspec::load::load(std::slice::from_ref(&path))
            .map_err(|e| ImportError::Nothing(format!("cannot check {}: {e}", path.display())))?;
        let checked = cloudspec::check::check(&set);
        let errors = checked.diagnostics.iter().chain(&set.diagnostics).filter(|d| d.severity == Severity::Error);
        report.remaining_errors = errors.map(|d| d.render()).collect();
    }
    report.examples_kept = spec.actions.values().map(|a| a.examples.len()).sum();
    if let Some(merge) = &mut report.merge {
        let repaired = |e: &&Example| e.description.as_deref().is_some_and(|d| d.ends_with(repair::REPAIRED_NOTE));
        merge.repairs_kept = spec.actions.values().flat_map(|a| &a.examples).filter(repaired).count();
    }
    Ok(report)
}

/// Runs `cloudspec check` on a service spec in memory, against the provider of the output directory.
///
/// The files are given no text: a diagnostic then carries its JSON path but no source position, which is all the
/// import needs (building the position index of a large spec for every round cost more than the check itself).
struct Checker {
    provider: cloudspec::spec::ProviderSpec,
    provider_path: PathBuf,
}

impl Checker {
    /// The check's report, and the spec back.
    fn check(&self, spec: ServiceSpec, path: &Path) -> (Vec<cloudspec::diagnostics::Diagnostic>, Option<ServiceSpec>) {
        use cloudspec::load::{Loaded, SourceFile, SpecSet};
        let mut set = SpecSet::default();
        let provider =
            Loaded { file: SourceFile::new(self.provider_path.clone(), String::new()), spec: self.provider.clone() };
        set.providers.insert(PROVIDER.to_string(), provider);
        set.services.push(Loaded { file: SourceFile::new(path.to_path_buf(), String::new()), spec });
        let diagnostics = cloudspec::check::check(&set).diagnostics;
        (diagnostics, set.services.pop().map(|l| l.spec))
    }
}

/// `v20180808` → `2018-08-08`.
fn wire_version(dir: &str) -> Option<String> {
    let digits = dir.strip_prefix('v')?;
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]))
}

/// The provider's common error codes (`specs/tencentcloud/provider.json`), with whether they are retryable and
/// throttling: an action's own code inherits these from its class (`InternalError.X` from `InternalError`).
static COMMON_ERRORS: std::sync::LazyLock<Vec<(String, bool, bool)>> = std::sync::LazyLock::new(|| {
    let provider: Value = serde_json::from_str(PROVIDER_JSON).unwrap_or_default();
    provider["common_errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e["code"].as_str()?.to_string(), e["retryable"] == true, e["throttling"] == true)))
        .collect()
});

/// The error code and message of an example response that is an error envelope (`{"Response": {"Error":
/// {"Code": …, "Message": …}}}`), when the code can name a Rust variant.
fn example_error(output: &Value) -> Option<(String, Option<String>)> {
    let error = output.get("Response")?.get("Error")?.as_object()?;
    let code = error.get("Code")?.as_str()?.trim();
    let valid = code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    valid.then(|| (code.to_string(), error.get("Message").and_then(Value::as_str).and_then(|m| non_empty(Some(m)))))
}

fn write_spec(path: &Path, spec: &ServiceSpec) -> Result<(), ImportError> {
    let mut text = serde_json::to_string_pretty(spec)
        .map_err(|e| ImportError::Json { path: path.to_path_buf(), message: e.to_string() })?;
    text.push('\n');
    cloudspec::write_atomically(path, text.as_bytes())
        .map_err(|source| ImportError::Io { path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::convert::{first_sentence, placeholder};
    use super::*;

    #[test]
    fn placeholders_are_not_examples() {
        for p in ["", " ", "无", "xx", "XXX", "-", "null", "None"] {
            assert!(placeholder(p), "{p:?}");
        }
        for v in ["auto", "x1", "test", "0"] {
            assert!(!placeholder(v), "{v:?}");
        }
    }

    #[test]
    fn versions_and_sentences() {
        assert_eq!(wire_version("v20180808").as_deref(), Some("2018-08-08"));
        assert_eq!(wire_version("v2018080"), None);
        assert_eq!(first_sentence("Creates a key. Then more."), "Creates a key.");
        assert_eq!(first_sentence("\nNo stop here"), "No stop here");
    }
}
