//! An action's paging (`pagination`): which request field moves from page to page, which sets the
//! page size, and where the response keeps the items, the total count and the next token.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use cloudspec_rules::PageKind;

/// How a list action pages its results. Request fields are named by wire name; response fields by a
/// path of wire names from the top of the response (`Instances.Instance`, `Data.TotalCount`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Pagination {
    /// `offset` (Tencent's `Offset` / `Limit`), `page_number` (Alibaba's `PageNumber` / `PageSize`) or
    /// `token` (`NextToken`, `Cursor`).
    pub kind: PageKind,
    /// `offset` paging: the request field of the position of the first item (`Offset`): an integer, or a
    /// string holding one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// `page_number` paging: the request field of the page number (`PageNumber`): an integer, or a string
    /// holding one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<String>,
    /// `page_number` paging: the number of the first page, `1` unless documented otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_page: Option<u64>,
    /// `token` paging: the string request field that takes the previous page's token (`NextToken`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The request field of the page size (`Limit`, `PageSize`, `MaxResults`), when there is one: an
    /// integer, or a string holding one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<String>,
    /// The documented largest page size; without it, the page size field's `range` maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<u64>,
    /// The response path of the page's items, a `list<T>` (`InstanceSet`, `Instances.Instance`).
    pub items: String,
    /// The response path of the total count of items (`TotalCount`), when there is one: an integer, or a
    /// string holding one. A total that changes while paging is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// `token` paging: the response path of the string token of the next page (`NextToken`); an absent
    /// or empty one ends the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Pagination {
    /// The first page's number: `first_page`, or 1.
    pub fn first_page(&self) -> u64 {
        self.first_page.unwrap_or(1)
    }

    /// The request field that moves from page to page: the offset, page number or token field.
    pub fn cursor_field(&self) -> Option<&str> {
        match self.kind {
            PageKind::Offset => self.offset.as_deref(),
            PageKind::PageNumber => self.page_number.as_deref(),
            PageKind::Token => self.token.as_deref(),
        }
    }
}

/// Why a response path names no field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The segment that fails (`Items` in `Data.Items`), by position.
    pub segment: usize,
    /// What is wrong.
    pub message: String,
    /// The names that segment could have been, for a did-you-mean.
    pub candidates: Vec<String>,
}

/// The field a response path names (`Data.Items`): the first segment is a field of `response`, each
/// next one a member of the object type the previous one has.
pub fn response_field<'a>(
    response: &'a indexmap::IndexMap<String, super::Field>,
    types: &'a indexmap::IndexMap<String, super::TypeDef>,
    path: &str,
) -> Result<&'a super::Field, PathError> {
    let mut fields = response;
    let mut found: Option<&super::Field> = None;
    for (segment, name) in path.split('.').enumerate() {
        if let Some(previous) = found {
            let object = match &previous.ty {
                super::types::TypeExpr::Named(named) => types.get(named).and_then(|def| def.fields.as_ref()),
                _ => None,
            };
            let Some(members) = object else {
                return Err(PathError {
                    segment,
                    message: format!(
                        "`{}` is a `{}`, not an object with members",
                        segment_text(path, segment - 1),
                        previous.ty
                    ),
                    candidates: Vec::new(),
                });
            };
            fields = members;
        }
        let Some(field) = fields.get(name) else {
            return Err(PathError {
                segment,
                message: format!("no response field `{name}`"),
                candidates: fields.keys().cloned().collect(),
            });
        };
        found = Some(field);
    }
    found.ok_or_else(|| PathError { segment: 0, message: "the path is empty".into(), candidates: Vec::new() })
}

fn segment_text(path: &str, segment: usize) -> &str {
    path.split('.').nth(segment).unwrap_or_default()
}
