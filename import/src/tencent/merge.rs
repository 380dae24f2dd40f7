//! One service version from both tccli packages: the English `tccli-intl-en` and the Chinese `tccli`.
//!
//! The packages are different releases of one catalogue: the Chinese one has about twice the service
//! versions, and where both have a version each has actions, objects and members the other lacks (in
//! 3.1.193.1 / 3.1.189.1: 369 actions and 93 members only in English, 3,086 actions and 3,132 members only
//! in Chinese; 11 members typed differently). The merge is a union, matched by name:
//!
//! - **Structure.** Actions by name; objects by name; members by name within their object (a request or
//!   response parameter is a member of the action's input or output object, so a parameter path is an
//!   object name plus a member name). What both packages have takes its structure (type, required,
//!   nullable, status, input and output objects) from the newer release, by tccli's `__version__`; what
//!   only one has is taken from it. Members keep the order of the package their object's structure comes
//!   from, with the other package's extra members after them.
//! - **Text.** Every description (action `document` and `name`, object and member `document`) is the
//!   English one when the English package has that entry with a non-empty text, and the Chinese one
//!   otherwise; [`Texts`] records which, so that the spec can say so.
//! - **Member examples.** The structure's package's example, unless it is a placeholder (`无`, `xx`) and
//!   the other package's member has the same type: then the other's.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;

use super::catalogue::{ApiAction, ApiFile, ApiMember, ApiObject};
use super::convert::{non_empty, placeholder};

/// The language a text was taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Language {
    /// From the English package.
    English,
    /// From the Chinese package (the English one has no text for it).
    Chinese,
    /// Neither package documents it.
    Neither,
}

impl Language {
    fn of(english: Option<&str>, chinese: Option<&str>) -> Language {
        match (non_empty(english), non_empty(chinese)) {
            (Some(_), _) => Language::English,
            (None, Some(_)) => Language::Chinese,
            (None, None) => Language::Neither,
        }
    }
}

/// Which package each text of a merged `api.json` came from.
#[derive(Debug, Default)]
pub(super) struct Texts {
    /// Actions (`document`, and `name` when there is no document).
    pub(super) actions: HashMap<String, Language>,
    /// Objects' own documents.
    pub(super) objects: HashMap<String, Language>,
    /// Members' documents, by (object, member).
    pub(super) members: HashMap<(String, String), Language>,
}

impl Texts {
    /// The texts of a version only one package has: all in its language, or undocumented.
    pub(super) fn single(api: &ApiFile, language: Language) -> Texts {
        let of = |text: Option<&str>| if non_empty(text).is_some() { language } else { Language::Neither };
        let mut texts = Texts::default();
        for (name, action) in &api.actions {
            let text = non_empty(action.document.as_deref()).or_else(|| non_empty(action.name.as_deref()));
            texts.actions.insert(name.clone(), of(text.as_deref()));
        }
        for (name, object) in &api.objects {
            texts.objects.insert(name.clone(), of(object.document.as_deref()));
            for member in &object.members {
                texts.members.insert((name.clone(), member.name.clone()), of(member.document.as_deref()));
            }
        }
        texts
    }
}

/// The two packages' `api.json` of one service version as one, with where each text came from.
/// `english_newer` says whose structure wins where both have an entry.
pub(super) fn merge_api(english: ApiFile, chinese: ApiFile, english_newer: bool) -> (ApiFile, Texts) {
    let mut texts = Texts::default();
    let (newer, older) = if english_newer { (&english, &chinese) } else { (&chinese, &english) };

    let mut actions = IndexMap::new();
    for name in union(newer.actions.keys(), older.actions.keys()) {
        let (en, cn) = (english.actions.get(name), chinese.actions.get(name));
        let Some(structure) = newer.actions.get(name).or_else(|| older.actions.get(name)) else { continue };
        let document = text(en.and_then(|a| a.document.as_deref()), cn.and_then(|a| a.document.as_deref()));
        let title = text(en.and_then(|a| a.name.as_deref()), cn.and_then(|a| a.name.as_deref()));
        let language =
            match Language::of(en.and_then(|a| a.document.as_deref()), cn.and_then(|a| a.document.as_deref())) {
                Language::Neither => {
                    Language::of(en.and_then(|a| a.name.as_deref()), cn.and_then(|a| a.name.as_deref()))
                }
                known => known,
            };
        texts.actions.insert(name.clone(), language);
        actions.insert(name.clone(), ApiAction { document, name: title, ..structure.clone() });
    }

    let mut objects = IndexMap::new();
    for name in union(newer.objects.keys(), older.objects.keys()) {
        let (en, cn) = (english.objects.get(name), chinese.objects.get(name));
        let (first, second) = (newer.objects.get(name), older.objects.get(name));
        let Some(structure) = first.or(second) else { continue };
        let other = if first.is_some() { second } else { None };
        let members = merge_members(name, structure, other, en, cn, &mut texts);
        let en_doc = en.and_then(|o| o.document.as_deref());
        let cn_doc = cn.and_then(|o| o.document.as_deref());
        texts.objects.insert(name.clone(), Language::of(en_doc, cn_doc));
        objects.insert(name.clone(), ApiObject { document: text(en_doc, cn_doc), members });
    }

    let mut metadata = newer.metadata.clone();
    metadata.service_name_cn =
        text(english.metadata.service_name_cn.as_deref(), chinese.metadata.service_name_cn.as_deref());
    (ApiFile { metadata, actions, objects }, texts)
}

/// An object's members: `structure`'s, then those only `other` has; texts from English when it has them.
fn merge_members(
    object: &str,
    structure: &ApiObject,
    other: Option<&ApiObject>,
    english: Option<&ApiObject>,
    chinese: Option<&ApiObject>,
    texts: &mut Texts,
) -> Vec<ApiMember> {
    let find = |o: Option<&ApiObject>, name: &str| o.and_then(|o| o.members.iter().find(|m| m.name == name)).cloned();
    let extra = other.into_iter().flat_map(|o| &o.members);
    let mut seen = HashSet::new();
    let mut members = Vec::new();
    for member in structure.members.iter().chain(extra) {
        if !seen.insert(member.name.as_str()) {
            continue;
        }
        let (en, cn) = (find(english, &member.name), find(chinese, &member.name));
        let en_doc = en.as_ref().and_then(|m| m.document.as_deref());
        let cn_doc = cn.as_ref().and_then(|m| m.document.as_deref());
        texts.members.insert((object.to_string(), member.name.clone()), Language::of(en_doc, cn_doc));
        let mut merged = ApiMember { document: text(en_doc, cn_doc), ..member.clone() };
        if !usable_example(&merged) {
            let twin = [en, cn]
                .into_iter()
                .flatten()
                .find(|m| m.ty == merged.ty && m.member == merged.member && usable_example(m));
            if let Some(twin) = twin {
                merged.example = twin.example;
            }
        }
        members.push(merged);
    }
    members
}

/// Whether a member's example is a value rather than nothing or a placeholder.
fn usable_example(member: &ApiMember) -> bool {
    match &member.example {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::String(s)) => !placeholder(s),
        Some(_) => true,
    }
}

/// The English text when there is one, else the Chinese one.
fn text(english: Option<&str>, chinese: Option<&str>) -> Option<String> {
    non_empty(english).or_else(|| non_empty(chinese))
}

/// The names of `first`, then those of `second` that `first` lacks.
fn union<'a>(first: impl Iterator<Item = &'a String>, second: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut seen = HashSet::new();
    first.chain(second).filter(|name| seen.insert(*name)).collect()
}

/// Whether release `a` (`3.1.193.1`) is newer than `b`, comparing the dotted numbers; `None` when
/// either is missing or not dotted numbers.
pub(super) fn newer_release(a: Option<&str>, b: Option<&str>) -> Option<bool> {
    let parse = |v: &str| v.split('.').map(|p| p.parse::<u64>().ok()).collect::<Option<Vec<u64>>>();
    Some(parse(a?)? > parse(b?)?)
}
