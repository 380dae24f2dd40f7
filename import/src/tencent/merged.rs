//! `cloudspec import tencent --english DIR --chinese DIR`: one catalogue from both tccli packages.
//!
//! Every service version of either package is imported once. A version only one package has is
//! imported from it as it is; a version both have is merged (`super::merge` for the structure and
//! texts, [`super::repair`] for the examples). The spec says where each text came from:
//!
//! - `sources` lists each package's `api.json` (and `examples.json`) with its `language`: the English
//!   package's as `tccli-intl-en-<service>` (`en`), the Chinese package's as `tccli-<service>` (`zh`);
//! - every action lists the source its description came from, so its documentation ends with a line
//!   such as "Source: tccli 3.1.189.1 api.json, cvm 2017-03-12, in Chinese (metadata).";
//! - in a spec with English texts, every field and type whose description is Chinese lists
//!   `tccli-<service>` in its `sources` (a field or type without `sources` is in English there; in a
//!   spec with only the Chinese source, everything is Chinese);
//! - a repaired example's description says its output is the Chinese catalogue's.
//!
//! `imported_from` names the package whose structure the spec took (the newer release where both have
//! the version), with the same relative `api.json` path both packages use.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cloudspec::spec::{Field, ServiceSpec, Source, SourceKind};
use indexmap::IndexMap;

use super::catalogue::{ApiFile, ExamplesFile, read_json};
use super::merge::{Language, Texts, merge_api, newer_release};
use super::repair::{Repairs, merge_examples};
use crate::ImportError;

/// The two packages' `tccli/services` directories.
#[derive(Debug, Clone, Copy)]
pub struct Packages<'a> {
    /// `tccli-intl-en`'s: English texts.
    pub english: &'a Path,
    /// `tccli`'s: Chinese texts.
    pub chinese: &'a Path,
}

/// What the merge did for one service version.
#[derive(Debug, Clone, Default)]
pub struct MergeReport {
    /// The English package has the version.
    pub in_english: bool,
    /// The Chinese package has the version.
    pub in_chinese: bool,
    /// Where both have it: the structure came from the English package (the newer release).
    pub structure_from_english: bool,
    /// Actions described in English, in Chinese, by neither.
    pub actions: TextCounts,
    /// Fields (request, response and shared-type members) described in English, in Chinese, by neither.
    pub fields: TextCounts,
    /// English outputs that are not JSON, repaired from their Chinese twins or not.
    pub repairs: Repairs,
    /// Repaired examples still in the spec after `cloudspec check` (which may reject one, as any example).
    pub repairs_kept: usize,
}

/// Texts by language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextCounts {
    /// In English.
    pub english: usize,
    /// In Chinese.
    pub chinese: usize,
    /// Not documented by either package.
    pub neither: usize,
}

impl TextCounts {
    fn add(&mut self, language: Language) {
        match language {
            Language::English => self.english += 1,
            Language::Chinese => self.chinese += 1,
            Language::Neither => self.neither += 1,
        }
    }
}

/// One package's copy of a service version, and the package's release.
#[derive(Debug, Clone)]
pub(super) struct PackageCopy {
    pub(super) dir: PathBuf,
    pub(super) release: Option<String>,
}

/// A merged service version, ready for the converter.
pub(super) struct Merged {
    pub(super) api: ApiFile,
    pub(super) examples: ExamplesFile,
    pub(super) has_examples: bool,
    /// The `api.json` whose structure was taken (for error messages).
    pub(super) api_path: PathBuf,
    texts: Texts,
    english: Option<PackageCopy>,
    chinese: Option<PackageCopy>,
    report: MergeReport,
}

fn read_copy(copy: &PackageCopy) -> Result<(ApiFile, ExamplesFile, bool), ImportError> {
    let api = read_json(&copy.dir.join("api.json"))?;
    let examples_path = copy.dir.join("examples.json");
    let has_examples = examples_path.is_file();
    let examples = if has_examples { read_json(&examples_path)? } else { ExamplesFile::default() };
    Ok((api, examples, has_examples))
}

/// Reads one service version from whichever packages have it, and merges it.
pub(super) fn load(english: Option<PackageCopy>, chinese: Option<PackageCopy>) -> Result<Merged, ImportError> {
    let mut report = MergeReport { in_english: english.is_some(), in_chinese: chinese.is_some(), ..Default::default() };
    let (api, examples, has_examples, texts, api_path) = match (&english, &chinese) {
        (Some(en), Some(cn)) => {
            let (en_api, en_examples, en_has) = read_copy(en)?;
            let (cn_api, cn_examples, cn_has) = read_copy(cn)?;
            // Unknown releases: the Chinese package, the fuller catalogue, gives the structure.
            let english_newer = newer_release(en.release.as_deref(), cn.release.as_deref()).unwrap_or(false);
            report.structure_from_english = english_newer;
            let (api, texts) = merge_api(en_api, cn_api, english_newer);
            let (examples, repairs) = merge_examples(&api, en_examples, cn_examples);
            report.repairs = repairs;
            let from = if english_newer { en } else { cn };
            (api, examples, en_has || cn_has, texts, from.dir.join("api.json"))
        }
        (Some(only), None) | (None, Some(only)) => {
            let (api, examples, has) = read_copy(only)?;
            report.structure_from_english = english.is_some();
            if english.is_some() {
                // Outputs that are not JSON stay so (and are dropped): there is no twin to repair them from.
                let (_, repairs) = merge_examples(&api, examples.clone(), ExamplesFile::default());
                report.repairs = repairs;
            }
            let language = if english.is_some() { Language::English } else { Language::Chinese };
            let texts = Texts::single(&api, language);
            (api, examples, has, texts, only.dir.join("api.json"))
        }
        (None, None) => return Err(ImportError::Nothing("a service version in neither package".into())),
    };
    Ok(Merged { api, examples, has_examples, api_path, texts, english, chinese, report })
}

impl Merged {
    /// The release of the package whose structure was taken, for `imported_from`.
    pub(super) fn release(&self) -> Option<String> {
        let from = if self.report.structure_from_english { &self.english } else { &self.chinese };
        from.as_ref().and_then(|c| c.release.clone())
    }

    /// Replaces the converter's single source by the packages' own, marks what is Chinese, and counts
    /// the texts by language. `dir_version` is the version directory (`v20170312`).
    pub(super) fn mark(&self, api: &ApiFile, spec: &mut ServiceSpec, dir_version: &str) -> MergeReport {
        let service = spec.service.name.clone();
        let version = spec.service.version.clone();
        let en_id = format!("tccli-intl-en-{service}");
        let zh_id = format!("tccli-{service}");
        let mut sources = IndexMap::new();
        let packages = [
            (&self.english, "tccli-intl-en", &en_id, "en", "English"),
            (&self.chinese, "tccli", &zh_id, "zh", "Chinese"),
        ];
        for (copy, package, id, code, language) in packages {
            let Some(copy) = copy else { continue };
            let release = copy.release.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
            let pinned = copy.release.as_deref().map(|r| format!("=={r}")).unwrap_or_default();
            for (suffix, file) in [("", "api.json"), ("-examples", "examples.json")] {
                if !copy.dir.join(file).is_file() {
                    continue;
                }
                sources.insert(
                    format!("{id}{suffix}"),
                    Source {
                        title: format!("{package}{release} {file}, {service} {version}, in {language}"),
                        kind: SourceKind::MachineReadable,
                        url: None,
                        last_updated: None,
                        language: Some(code.to_string()),
                        retrieved_from: Some(format!(
                            "{package}{pinned}:tccli/services/{service}/{dir_version}/{file}"
                        )),
                    },
                );
            }
        }
        spec.sources = sources;

        let mut report = self.report.clone();
        // A version only one package has is in that package's language throughout: its one source says so.
        let whole = match (&self.english, &self.chinese) {
            (Some(_), None) => Some(&en_id),
            (None, Some(_)) => Some(&zh_id),
            _ => None,
        };
        let texts = &self.texts;
        let language = |found: Option<&Language>| found.copied().unwrap_or(Language::Neither);
        let member = |object: &str, name: &str| language(texts.members.get(&(object.to_string(), name.to_string())));
        let count_fields = |fields: &mut IndexMap<String, Field>, object: &str, report: &mut MergeReport| {
            for (name, field) in fields {
                let language = member(object, name);
                report.fields.add(language);
                if whole.is_none() && language == Language::Chinese {
                    field.sources = vec![zh_id.clone()];
                }
            }
        };
        for (name, action) in &mut spec.actions {
            let action_language = language(texts.actions.get(name));
            report.actions.add(action_language);
            let id = match (whole, action_language) {
                (Some(id), _) => id,
                (None, Language::Chinese) => &zh_id,
                (None, Language::English) => &en_id,
                (None, Language::Neither) => {
                    if report.structure_from_english {
                        &en_id
                    } else {
                        &zh_id
                    }
                }
            };
            action.sources = vec![id.clone()];
            if let Some(api_action) = api.actions.get(name) {
                count_fields(&mut action.request, &api_action.input, &mut report);
                count_fields(&mut action.response, &api_action.output, &mut report);
            }
        }
        for (name, def) in &mut spec.types {
            if !api.objects.contains_key(name) {
                continue; // an enumeration made from prose
            }
            if whole.is_none() && language(texts.objects.get(name)) == Language::Chinese {
                def.sources = vec![zh_id.clone()];
            }
            if let Some(fields) = def.fields.as_mut() {
                count_fields(fields, name, &mut report);
            }
        }
        report
    }
}

/// `(service, version directory)` → its directory in the English package, in the Chinese package.
pub(super) type Versions = BTreeMap<(String, String), (Option<PathBuf>, Option<PathBuf>)>;

/// Every service version either package has, with its copies.
pub(super) fn versions(
    packages: Packages<'_>,
    only: &[String],
    listing: impl Fn(&Path, &[String]) -> Result<Vec<(String, PathBuf)>, ImportError>,
) -> Result<Versions, ImportError> {
    let mut all = Versions::new();
    // A service named with --service need only be in one of the packages.
    let in_either = |dir: &Path| -> Result<Vec<(String, PathBuf)>, ImportError> {
        let wanted: Vec<String> = only.iter().filter(|s| dir.join(s.as_str()).is_dir()).cloned().collect();
        if !only.is_empty() && wanted.is_empty() { Ok(Vec::new()) } else { listing(dir, &wanted) }
    };
    for (service, dir) in in_either(packages.english)? {
        let version = super::catalogue::file_name(&dir);
        all.entry((service, version)).or_default().0 = Some(dir);
    }
    for (service, dir) in in_either(packages.chinese)? {
        let version = super::catalogue::file_name(&dir);
        all.entry((service, version)).or_default().1 = Some(dir);
    }
    if let Some(name) = only.iter().find(|name| !all.keys().any(|(service, _)| service == *name)) {
        return Err(ImportError::Usage(format!(
            "no service `{name}` with a `v<YYYYMMDD>/api.json` in {} or {}",
            packages.english.display(),
            packages.chinese.display()
        )));
    }
    Ok(all)
}

/// The merge's totals over an import, as lines for the terminal and the docs.
pub fn summary(report: &crate::ImportReport) -> String {
    let merges: Vec<&MergeReport> = report.services.iter().filter_map(|s| s.merge.as_ref()).collect();
    let count = |f: &dyn Fn(&MergeReport) -> bool| merges.iter().filter(|m| f(m)).count();
    let both = count(&|m| m.in_english && m.in_chinese);
    let english_only = count(&|m| m.in_english && !m.in_chinese);
    let chinese_only = count(&|m| !m.in_english && m.in_chinese);
    let structure_en = count(&|m| m.in_english && m.in_chinese && m.structure_from_english);
    let texts = |pick: &dyn Fn(&MergeReport) -> TextCounts| {
        let mut all = TextCounts::default();
        for m in &merges {
            let t = pick(m);
            (all.english, all.chinese, all.neither) =
                (all.english + t.english, all.chinese + t.chinese, all.neither + t.neither);
        }
        format!("{} in English, {} in Chinese, {} undocumented", all.english, all.chinese, all.neither)
    };
    let repaired: usize = merges.iter().map(|m| m.repairs.repaired).sum();
    let kept: usize = merges.iter().map(|m| m.repairs_kept).sum();
    let mut unrepaired = BTreeMap::<&str, usize>::new();
    for (reason, n) in merges.iter().flat_map(|m| &m.repairs.unrepaired) {
        *unrepaired.entry(reason).or_default() += n;
    }
    let broken = repaired + unrepaired.values().sum::<usize>();
    let mut text = format!(
        "merged {} service versions: {both} in both packages (structure from the English package in {structure_en}, \
         the Chinese in {}), {english_only} English only, {chinese_only} Chinese only\n",
        merges.len(),
        both - structure_en
    );
    text.push_str(&format!("action descriptions: {}\n", texts(&|m| m.actions)));
    text.push_str(&format!("field descriptions: {}\n", texts(&|m| m.fields)));
    text.push_str(&format!(
        "English output examples that are not JSON: {broken}; repaired from their Chinese twins: {repaired} \
         ({kept} kept after check); not repaired: {}\n",
        broken - repaired
    ));
    for (reason, n) in unrepaired {
        text.push_str(&format!("  not repaired: {n} × {reason}\n"));
    }
    text
}
