//! Checks of an action's `pagination`: the keys its kind needs (and no others), request fields that
//! exist with fitting types (integer offsets, page numbers and sizes — or strings holding them, as some
//! providers declare them — and a string token), response paths that name a list of items, a total
//! count and a string token, and a maximum page size that agrees
//! with the page size field's own range.

use super::cx::ServiceCx;
use crate::diagnostics::{JsonPath, Target, abbreviate, did_you_mean};
use crate::spec::types::{Scalar, TypeExpr};
use crate::spec::{Action, PageKind, Pagination, ParamLocation, response_field};

/// What a named field must be.
#[derive(Clone, Copy)]
enum Want {
    /// An integer, or a string holding one (Tencent's VPC declares `Offset` and `Limit` as strings).
    Count,
    String,
    List,
}

impl Want {
    fn fits(self, ty: &TypeExpr) -> bool {
        match self {
            Want::Count => matches!(ty, TypeExpr::Scalar(s) if s.is_integer() || *s == Scalar::String),
            Want::String => *ty == TypeExpr::Scalar(Scalar::String),
            Want::List => matches!(ty, TypeExpr::List(_)),
        }
    }

    fn described(self) -> &'static str {
        match self {
            Want::Count => "an integer (`int32`, `int64`, `uint32` or `uint64`), or a `string` holding one",
            Want::String => "a `string`",
            Want::List => "a `list<T>`",
        }
    }
}

/// Checks `action.pagination`, at `path` (the action's).
pub(super) fn check_pagination(cx: &mut ServiceCx<'_, '_>, path: &JsonPath, action: &Action) {
    let Some(paging) = &action.pagination else { return };
    let here = path.key("pagination");
    if action.http.as_ref().is_some_and(|h| h.response_body.is_some()) {
        cx.sink.error(
            "invalid-key",
            here.clone(),
            Target::Key,
            "an action whose `response_body` is the whole body has no response fields to page by",
            Some("remove `pagination`, or describe the response as named fields".into()),
        );
        return;
    }
    kind_keys(cx, &here, paging);
    let mut used: Vec<(&str, &str)> = Vec::new();
    let request_fields = [
        ("offset", paging.offset.as_deref(), Want::Count),
        ("page_number", paging.page_number.as_deref(), Want::Count),
        ("token", paging.token.as_deref(), Want::String),
        ("page_size", paging.page_size.as_deref(), Want::Count),
    ];
    for (key, name, want) in request_fields {
        let Some(name) = name else { continue };
        request_field(cx, &here.key(key), action, name, want, key);
        if let Some((other, _)) = used.iter().find(|(_, earlier)| *earlier == name) {
            cx.sink.error(
                "invalid-value",
                here.key(key),
                Target::Value,
                format!("`{key}` and `{other}` both name `{}`", abbreviate(name, 60)),
                Some("each paging parameter is a request field of its own".into()),
            );
        }
        used.push((key, name));
    }
    let response_paths =
        [("items", Some(paging.items.as_str()), Want::List), ("total", paging.total.as_deref(), Want::Count)];
    let token_path = [("next_token", paging.next_token.as_deref(), Want::String)];
    for (key, field_path, want) in response_paths.into_iter().chain(token_path) {
        if let Some(field_path) = field_path {
            response_path(cx, &here.key(key), action, field_path, want);
        }
    }
    max_page_size(cx, &here, action, paging);
}

/// The keys a kind needs, and those that belong to another kind.
fn kind_keys(cx: &mut ServiceCx<'_, '_>, here: &JsonPath, paging: &Pagination) {
    // (key, present, the kind it belongs to, needed by that kind, what it names)
    let keys = [
        ("offset", paging.offset.is_some(), PageKind::Offset, true, "the request field of the first item's position"),
        (
            "page_number",
            paging.page_number.is_some(),
            PageKind::PageNumber,
            true,
            "the request field of the page number",
        ),
        ("first_page", paging.first_page.is_some(), PageKind::PageNumber, false, ""),
        ("token", paging.token.is_some(), PageKind::Token, true, "the request field that takes the next token"),
        ("next_token", paging.next_token.is_some(), PageKind::Token, true, "the response path of the next token"),
    ];
    let kind = kind_name(paging.kind);
    for (key, present, owner, needed, what) in keys {
        if present && owner != paging.kind {
            cx.sink.error(
                "invalid-key",
                here.key(key),
                Target::Key,
                format!("`{key}` belongs to `{}` paging, and this action's is `{kind}`", kind_name(owner)),
                None,
            );
        }
        if !present && needed && owner == paging.kind {
            cx.sink.error(
                "missing-key",
                here.clone(),
                Target::Key,
                format!("`{kind}` paging needs `{key}`: {what}"),
                None,
            );
        }
    }
}

/// The kind as the spec writes it.
fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Offset => "offset",
        PageKind::PageNumber => "page_number",
        PageKind::Token => "token",
    }
}

/// A request field a paging key names: it exists, has the type the key needs, and travels where the
/// paginator can set it.
fn request_field(cx: &mut ServiceCx<'_, '_>, at: &JsonPath, action: &Action, name: &str, want: Want, key: &str) {
    let Some(field) = action.request.get(name) else {
        cx.sink.error(
            "unknown-field",
            at.clone(),
            Target::Value,
            format!("`{key}` names `{}`, which is not a request field", abbreviate(name, 60)),
            did_you_mean(name, action.request.keys().map(String::as_str)),
        );
        return;
    };
    if !want.fits(&field.ty) {
        cx.sink.error(
            "invalid-type",
            at.clone(),
            Target::Value,
            format!("`{key}` names `{name}`, a `{}`; it must be {}", field.ty, want.described()),
            None,
        );
    }
    if matches!(field.location, Some(ParamLocation::Path | ParamLocation::Host)) {
        cx.sink.error(
            "invalid-value",
            at.clone(),
            Target::Value,
            format!("`{name}` travels in the path or host, where a paginator cannot change it from page to page"),
            None,
        );
    }
}

/// A response path a paging key names: each segment exists, and the last has the type the key needs.
fn response_path(cx: &mut ServiceCx<'_, '_>, at: &JsonPath, action: &Action, path: &str, want: Want) {
    match response_field(&action.response, &cx.spec.types, path) {
        Ok(field) if want.fits(&field.ty) => {}
        Ok(field) => cx.sink.error(
            "invalid-type",
            at.clone(),
            Target::Value,
            format!("`{}` is a `{}`; it must be {}", abbreviate(path, 80), field.ty, want.described()),
            None,
        ),
        Err(error) => {
            let segment = path.split('.').nth(error.segment).unwrap_or_default();
            let hint = did_you_mean(segment, error.candidates.iter().map(String::as_str)).map(|hint| {
                // Offer the whole corrected path.
                let mut segments: Vec<&str> = path.split('.').collect();
                let corrected = hint.trim_start_matches("did you mean `").trim_end_matches("`?").to_string();
                if let Some(slot) = segments.get_mut(error.segment) {
                    *slot = &corrected;
                    return format!("did you mean `{}`?", segments.join("."));
                }
                hint
            });
            cx.sink.error(
                "unknown-field",
                at.clone(),
                Target::Value,
                format!("`{}`: {}", abbreviate(path, 80), error.message),
                hint,
            );
        }
    }
}

/// `max_page_size` needs a page size field, is at least 1, and is no more than that field's range allows.
fn max_page_size(cx: &mut ServiceCx<'_, '_>, here: &JsonPath, action: &Action, paging: &Pagination) {
    let Some(max) = paging.max_page_size else { return };
    let at = here.key("max_page_size");
    let Some(size_field) = paging.page_size.as_deref() else {
        cx.sink.error(
            "invalid-key",
            at,
            Target::Key,
            "`max_page_size` bounds the page size, but no `page_size` field is named",
            Some("name the request field of the page size in `page_size`".into()),
        );
        return;
    };
    if max == 0 {
        cx.sink.error("invalid-value", at, Target::Value, "a page holds at least one item", None);
        return;
    }
    let range_max = action
        .request
        .get(size_field)
        .and_then(|f| f.constraints.range.as_ref())
        .and_then(|r| r.max.as_ref())
        .and_then(serde_json::Number::as_u64);
    if let Some(range_max) = range_max.filter(|range_max| max > *range_max) {
        cx.sink.error(
            "invalid-value",
            at,
            Target::Value,
            format!("`max_page_size` is {max}, but `{size_field}` allows at most {range_max}"),
            Some(format!("make them agree, or leave `max_page_size` out to use {range_max}")),
        );
    }
}
