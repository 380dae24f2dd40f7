//! Paging detection, shared by both importers: which actions of an imported service page, and how.
//!
//! It reads the spec the importer wrote (not the catalogue), so both providers are judged by one set
//! of rules. An action is a candidate when its request has a paging cursor: an offset (`Offset`), a
//! page number (`PageNumber`, `PageNum`, `PageNo`, `PageIndex`, `Page`, `CurrentPage`) or a token
//! (`NextToken`, `Cursor`, `PaginationToken`, `Marker`, `PageToken`, …); names are compared without
//! case or underscores, so ROA's `page_number` and `nextToken` count. A candidate is marked when:
//!
//! - the cursor is an integer or a string holding one (offset, page number), or a string (token),
//!   travelling outside the path;
//! - the response holds exactly one list to page through, at the top or inside objects two levels
//!   down (`InstanceSet`, `Instances.Instance`, `Data.Items`), or one whose name reads as the action's
//!   noun (`DescribeInstances` → `InstanceSet`) among several;
//! - for a token, the response returns the next token (`NextToken`, `NextCursor`, `NextMarker`, the
//!   request's own name, …) as a string.
//!
//! The page size (`PageSize`, `Limit`, `MaxResults`, `MaxItems`, …) must then be a count too if there
//! is one; its maximum is the field's range, or else read from its prose (`Maximum value: 100`, `Value
//! range: [1, 100]`, `最大值为100`). The total (`TotalCount`, `Total`, `TotalNum`, `TotalRecords`, …) is
//! kept when it is a count beside the list or at the top. A page number counts from 1 unless its
//! default is 0 or its prose says it starts from 0. When an action has cursors of several
//! kinds, a token is preferred (the providers recommend it over page numbers), then a page number, then
//! an offset. An action whose paginators would take another action's method (`ListPlaylist`'s items
//! and the action `ListPlaylistItems`) is not marked. Every candidate that is not marked is a near miss
//! in the [`PagingReport`], with why.

mod report;

use indexmap::IndexMap;

use cloudspec::spec::types::TypeExpr;
use cloudspec::spec::{Action, Field, PageKind, Pagination, ParamLocation, ServiceSpec, TypeDef};

pub use report::{Marked, NearMiss, PagingReport};

const OFFSET: &[&str] = &["offset"];
const PAGE_NUMBER: &[&str] = &["pagenumber", "pagenum", "pageno", "pageindex", "page", "currentpage"];
const TOKEN: &[&str] =
    &["nexttoken", "cursor", "paginationtoken", "marker", "continuationtoken", "pagetoken", "nextpagetoken"];
/// Page sizes, in the order each kind prefers them: a token pairs with `MaxResults` (ECS's
/// `DescribeInstances` has `PageSize` for its page numbers and `MaxResults` for its tokens).
const TOKEN_PAGE_SIZE: &[&str] =
    &["maxresults", "maxitems", "maxkeys", "limit", "pagesize", "perpage", "size", "pagelimit"];
const PAGE_SIZE: &[&str] = &["pagesize", "limit", "maxresults", "maxitems", "maxkeys", "perpage", "size", "pagelimit"];
const OFFSET_PAGE_SIZE: &[&str] =
    &["limit", "maxresults", "pagesize", "maxitems", "maxkeys", "perpage", "size", "pagelimit"];
const NEXT_TOKEN: &[&str] = &[
    "nexttoken",
    "nextcursor",
    "cursor",
    "paginationtoken",
    "nextmarker",
    "marker",
    "nextpagetoken",
    "continuationtoken",
    "pagetoken",
];
const TOTAL: &[&str] = &[
    "totalcount",
    "total",
    "totalnum",
    "totalrecords",
    "totalrecordcount",
    "totalrecord",
    "totalitems",
    "totalnumber",
    "totalrecordnum",
];
/// Verbs that start list actions, taken off to find the action's noun.
const VERBS: &[&str] = &["Describe", "List", "Get", "Query", "Search", "Fetch", "Find"];

/// Marks every action of `spec` that pages (setting its `pagination`), and reports what it marked and
/// the candidates it rejected. `site` names the service version in the report (`cvm 2017-03-12`).
pub fn detect(spec: &mut ServiceSpec, site: &str) -> PagingReport {
    let mut report = PagingReport::default();
    let types = spec.types.clone();
    // The client methods of the actions: a paginator may not take one (`ListPlaylist`'s items would be
    // `list_playlist_items`, the method of an action `ListPlaylistItems`).
    let methods: std::collections::HashSet<String> = spec
        .actions
        .iter()
        .filter_map(|(name, action)| cloudspec::names::action(name, action.rust_name.as_deref()).ok())
        .collect();
    for (name, action) in &mut spec.actions {
        let candidates = candidates(&action.request);
        if candidates.is_empty() {
            continue;
        }
        let mut reasons = Vec::new();
        let mut chosen = None;
        for (kind, cursor) in &candidates {
            match judge(name, action, &types, *kind, cursor) {
                Ok(paging) if chosen.is_none() => chosen = Some(paging),
                Ok(_) => {}
                Err(reason) => reasons.push(reason),
            }
        }
        let method = cloudspec::names::action(name, action.rust_name.as_deref()).unwrap_or_default();
        let taken = cloudspec::names::paginators(&method).into_iter().find(|m| methods.contains(m));
        if let (Some(taken), Some(_)) = (&taken, &chosen) {
            reasons.push(format!("it pages, but its paginator `{taken}` would take the method of another action"));
            chosen = None;
        }
        match chosen {
            Some(paging) => {
                report.count(paging.kind, candidates.len() > 1);
                report.marked.push(Marked::new(site, name, &paging));
                action.pagination = Some(paging);
            }
            None => report.near_misses.push(NearMiss {
                site: site.to_string(),
                action: name.clone(),
                reason: reasons.join("; "),
            }),
        }
    }
    report
}

/// A name without case, underscores or dashes (`page_number`, `nextToken` → `pagenumber`, `nexttoken`).
fn plain(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The first field whose plain name is in `names`, in the order of `names`.
fn find<'a>(fields: &'a IndexMap<String, Field>, names: &[&str]) -> Option<(&'a str, &'a Field)> {
    names.iter().find_map(|wanted| fields.iter().find(|(wire, _)| plain(wire) == *wanted)).map(|(w, f)| (w.as_str(), f))
}

/// The paging cursors of a request, in order of preference: token, page number, offset.
fn candidates(request: &IndexMap<String, Field>) -> Vec<(PageKind, String)> {
    [(PageKind::Token, TOKEN), (PageKind::PageNumber, PAGE_NUMBER), (PageKind::Offset, OFFSET)]
        .into_iter()
        .filter_map(|(kind, names)| find(request, names).map(|(wire, _)| (kind, wire.to_string())))
        .collect()
}

/// An integer, or a string holding one (Tencent's VPC declares `Offset` and `Limit` as strings).
fn is_count(field: &Field) -> bool {
    matches!(&field.ty, TypeExpr::Scalar(s) if s.is_integer()) || is_string(field)
}

fn is_string(field: &Field) -> bool {
    field.ty == "string"
}

/// The paging of `action` by `cursor`, or why it does not page that way.
fn judge(
    name: &str,
    action: &Action,
    types: &IndexMap<String, TypeDef>,
    kind: PageKind,
    cursor: &str,
) -> Result<Pagination, String> {
    let field = &action.request[cursor];
    let fits = match kind {
        PageKind::Token => is_string(field),
        _ => is_count(field),
    };
    if !fits {
        let wanted = if kind == PageKind::Token { "a string" } else { "an integer or a string" };
        return Err(format!("`{cursor}` is a `{}`, not {wanted}", field.ty));
    }
    if matches!(field.location, Some(ParamLocation::Path | ParamLocation::Host)) {
        return Err(format!("`{cursor}` travels in the path"));
    }
    if action.http.as_ref().is_some_and(|h| h.response_body.is_some()) {
        return Err("the response is a bare body, with no fields beside the list".into());
    }
    let lists = lists(&action.response, types);
    let items = match lists.as_slice() {
        [] => return Err(format!("`{cursor}` in the request, but no list in the response")),
        [only] => only.clone(),
        several => best_list(name, several).ok_or_else(|| {
            let names: Vec<String> = several.iter().map(|l| format!("`{}`", l.join("."))).collect();
            format!("several lists in the response, none named after the action: {}", names.join(", "))
        })?,
    };
    let parent = &items[..items.len() - 1];
    let total = beside(&action.response, types, parent, TOTAL, is_count);
    let next_token = match kind {
        PageKind::Token => {
            let mut names = vec![plain(cursor)];
            names.extend(NEXT_TOKEN.iter().map(|n| n.to_string()));
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let found = beside(&action.response, types, parent, &names, is_string);
            Some(found.ok_or_else(|| format!("`{cursor}` in the request, but no string next token in the response"))?)
        }
        _ => None,
    };
    let sizes = match kind {
        PageKind::Token => TOKEN_PAGE_SIZE,
        PageKind::PageNumber => PAGE_SIZE,
        PageKind::Offset => OFFSET_PAGE_SIZE,
    };
    let page_size = find(&action.request, sizes).filter(|(wire, _)| *wire != cursor);
    if let Some((wire, size)) = page_size.filter(|(_, size)| !is_count(size)) {
        return Err(format!("the page size `{wire}` is a `{}`, not an integer or a string", size.ty));
    }
    let has_range_max = page_size.and_then(|(_, f)| f.constraints.range.as_ref()).is_some_and(|r| r.max.is_some());
    let max_page_size = match page_size {
        Some((_, field)) if !has_range_max => field.description.as_deref().and_then(prose_maximum),
        _ => None,
    };
    let wire = |kind_wanted: PageKind| (kind == kind_wanted).then(|| cursor.to_string());
    Ok(Pagination {
        kind,
        offset: wire(PageKind::Offset),
        page_number: wire(PageKind::PageNumber),
        first_page: (kind == PageKind::PageNumber && zero_based(field)).then_some(0),
        token: wire(PageKind::Token),
        page_size: page_size.map(|(wire, _)| wire.to_string()),
        max_page_size,
        items: items.join("."),
        total: total.map(|path| path.join(".")),
        next_token: next_token.map(|path| path.join(".")),
    })
}

/// Every list field of the response, as paths of wire names, at most two objects down.
fn lists(response: &IndexMap<String, Field>, types: &IndexMap<String, TypeDef>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut stack: Vec<(Vec<String>, &IndexMap<String, Field>)> = vec![(Vec::new(), response)];
    while let Some((path, fields)) = stack.pop() {
        for (wire, field) in fields {
            let mut here = path.clone();
            here.push(wire.clone());
            match &field.ty {
                TypeExpr::List(_) => found.push(here),
                TypeExpr::Named(named) if path.len() < 2 => {
                    if let Some(members) = types.get(named).and_then(|def| def.fields.as_ref()) {
                        stack.push((here, members));
                    }
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

/// Among several lists, the one named after the action's noun (`DescribeInstances` → `InstanceSet`,
/// `Instances.Instance`), else after its last word (`DescribeNewL7Rules` → `Rules`), else the one with
/// a generic name (`List`, `Items`, `Data`), when exactly one is.
fn best_list(action: &str, lists: &[Vec<String>]) -> Option<Vec<String>> {
    let noun = VERBS.iter().find_map(|verb| action.strip_prefix(verb)).unwrap_or(action);
    let stem = |word: &str| plain(word).trim_end_matches("es").trim_end_matches('s').to_string();
    let last_word = cloudspec::names::words(noun).pop().unwrap_or_default();
    let (noun, last_word) = (stem(noun), stem(&last_word));
    let unique = |matches: &dyn Fn(&Vec<String>) -> bool| -> Option<Vec<String>> {
        let found: Vec<&Vec<String>> = lists.iter().filter(|path| matches(path)).collect();
        match found.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        }
    };
    let last = |path: &Vec<String>| path.last().map(|segment| plain(segment)).unwrap_or_default();
    (noun.len() >= 3)
        .then(|| unique(&|path| path.iter().any(|segment| plain(segment).contains(&noun))))
        .flatten()
        .or_else(|| (last_word.len() >= 3).then(|| unique(&|path| last(path).contains(&last_word))).flatten())
        .or_else(|| unique(&|path| GENERIC_LISTS.contains(&last(path).as_str())))
}

/// Names of the list a response pages, when it has no better one.
const GENERIC_LISTS: &[&str] =
    &["list", "items", "data", "records", "results", "datalist", "itemlist", "resultlist", "set"];

/// A field named one of `names` that `fits`, in the object holding the list (`parent`) or at the top.
fn beside(
    response: &IndexMap<String, Field>,
    types: &IndexMap<String, TypeDef>,
    parent: &[String],
    names: &[&str],
    fits: fn(&Field) -> bool,
) -> Option<Vec<String>> {
    let mut object = response;
    let mut objects = vec![(Vec::new(), response)];
    for (depth, segment) in parent.iter().enumerate() {
        let named = object.get(segment).and_then(|f| f.ty.named())?;
        object = types.get(named)?.fields.as_ref()?;
        objects.push((parent[..=depth].to_vec(), object));
    }
    // The innermost object first: a total beside the list is the list's.
    objects.into_iter().rev().find_map(|(path, fields)| {
        let (wire, _) = find(fields, names).filter(|(_, field)| fits(field))?;
        let mut path = path;
        path.push(wire.to_string());
        Some(path)
    })
}

/// Whether a page number counts from 0: its default is 0, or its prose says so.
fn zero_based(field: &Field) -> bool {
    static FROM_ZERO: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)start(?:s|ing)? (?:from|at|with) 0\b|from 0\b|0 (?:means|is|indicates) the first page|从0开始|0表示第一页").ok()
    });
    let default_zero = field.default.as_ref().and_then(|d| d.as_u64()) == Some(0);
    let prose = field.description.as_deref().zip(FROM_ZERO.as_ref()).is_some_and(|(text, re)| re.is_match(text));
    default_zero || prose
}

/// A page size's maximum, as its prose states it: `Value range: [1, 100]`, `ranges from 1 to 100`,
/// `Maximum value: 100`, `up to 100`, `最大值为100`, `取值范围：1~100`.
fn prose_maximum(text: &str) -> Option<u64> {
    static PATTERNS: std::sync::LazyLock<Vec<regex::Regex>> = std::sync::LazyLock::new(|| {
        [
            r"(?i)range[^\[\]\d]{0,12}[\[(]\s*\d+\s*[,，~-]\s*(\d+)\s*[\])]",
            r"(?i)(?:ranges?|values?) (?:from|between) \d+ (?:to|and) (\d+)",
            r"(?i)max(?:imum)?(?: value| number| page size| size)?(?: is|:|：| =| of)?\s*(\d+)",
            r"(?i)(?:up to|at most|no more than|not exceed|cannot exceed|not be greater than|not greater than|a maximum of)\s*(\d+)",
            r"最大(?:值|取值|支持|返回)?(?:为|是|：|:)?\s*(\d+)",
            r"(?:不超过|不能超过|不得超过|不大于|上限为?)\s*(\d+)",
            r"取值范围[：:]?\s*[\[【(（]?\s*\d+\s*[,，~\-－]\s*(\d+)",
        ]
        .iter()
        .filter_map(|pattern| regex::Regex::new(pattern).ok())
        .collect()
    });
    PATTERNS
        .iter()
        .find_map(|pattern| pattern.captures(text)?.get(1)?.as_str().parse::<u64>().ok())
        .filter(|max| (1..=1_000_000).contains(max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_states_maxima_in_many_ways() {
        for (text, max) in [
            ("<p>Size per page. Default: 10. Minimum: 10. Maximum: 100</p>", Some(100)),
            ("Number of results. Default value: 20. Maximum value: 100.", Some(100)),
            ("<p>Size per page. Optional. Default: 10. Value range: [10, 200]</p>", Some(200)),
            ("<p>Maximum number of returned results</p><p>Value ranges from 1 to 100</p>", Some(100)),
            ("Number limit, int, no more than 100.", Some(100)),
            ("返回数量，默认为20，最大值为100。", Some(100)),
            ("每页条数，取值范围：1~50", Some(50)),
            ("<p>Maximum number of result entries</p>", None),
            ("Pagination Limit. default: 20.", None),
        ] {
            assert_eq!(prose_maximum(text), max, "{text}");
        }
    }

    fn spec(actions: serde_json::Value, types: serde_json::Value) -> ServiceSpec {
        serde_json::from_value(serde_json::json!({
            "format_version": 1,
            "provider": "demo",
            "service": {"name": "demo", "title": "Demo", "version": "2020-01-01"},
            "actions": actions,
            "types": types,
        }))
        .unwrap()
    }

    fn action(request: serde_json::Value, response: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"summary": "s", "idempotent": true, "request": request, "response": response})
    }

    #[test]
    fn marks_each_kind_and_says_why_not() {
        let int = serde_json::json!({"type": "int64"});
        let text = serde_json::json!({"type": "string"});
        let mut spec = spec(
            serde_json::json!({
                // Tencent: offset, the list named after the action, a total beside it, a maximum in prose.
                "DescribeInstances": action(
                    serde_json::json!({"Offset": int, "Limit": {"type": "int64", "description": "Maximum value: 100."}}),
                    serde_json::json!({"TotalCount": int, "InstanceSet": {"type": "list<Item>"}, "Tags": {"type": "list<string>"}})),
                // Alibaba: page numbers and tokens; the token wins, with its own page size, inside `Data`.
                "ListThings": action(
                    serde_json::json!({"PageNumber": int, "PageSize": int, "NextToken": text, "MaxResults": int}),
                    serde_json::json!({"Data": {"type": "Page"}})),
                // ROA names, zero-based pages.
                "ListJobs": action(
                    serde_json::json!({"page_number": {"type": "int32", "default": 0}, "page_size": int}),
                    serde_json::json!({"jobs": {"type": "list<Item>"}, "total": int})),
                "FetchMessageByOffset": action(serde_json::json!({"Offset": int}), serde_json::json!({"Message": text})),
                "GetTemplates": action(serde_json::json!({"NextToken": int}), serde_json::json!({"List": {"type": "list<Item>"}})),
                "ListRows": action(serde_json::json!({"Cursor": text}), serde_json::json!({"Rows": {"type": "list<Item>"}})),
                "ListStuff": action(
                    serde_json::json!({"Offset": int}),
                    serde_json::json!({"Alpha": {"type": "list<Item>"}, "Beta": {"type": "list<Item>"}})),
            }),
            serde_json::json!({
                "Item": {"kind": "object", "fields": {"Id": text}},
                "Page": {"kind": "object", "fields": {"Things": {"type": "list<Item>"}, "NextToken": text, "TotalCount": int}},
            }),
        );
        let report = detect(&mut spec, "demo 2020-01-01");
        assert_eq!((report.offset, report.page_number, report.token, report.several_kinds), (1, 1, 1, 1));
        let paging = |name: &str| spec.actions[name].pagination.clone();
        let instances = paging("DescribeInstances").unwrap();
        assert_eq!((instances.items.as_str(), instances.total.as_deref()), ("InstanceSet", Some("TotalCount")));
        assert_eq!((instances.page_size.as_deref(), instances.max_page_size), (Some("Limit"), Some(100)));
        let things = paging("ListThings").unwrap();
        assert_eq!(things.kind, PageKind::Token);
        assert_eq!((things.page_size.as_deref(), things.items.as_str()), (Some("MaxResults"), "Data.Things"));
        assert_eq!(
            (things.next_token.as_deref(), things.total.as_deref()),
            (Some("Data.NextToken"), Some("Data.TotalCount"))
        );
        let jobs = paging("ListJobs").unwrap();
        assert_eq!((jobs.first_page, jobs.items.as_str(), jobs.total.as_deref()), (Some(0), "jobs", Some("total")));
        let why = |name: &str| report.near_misses.iter().find(|m| m.action == name).map(|m| m.reason.clone()).unwrap();
        assert!(why("FetchMessageByOffset").contains("no list in the response"));
        assert!(why("GetTemplates").contains("`NextToken` is a `int64`, not a string"));
        assert!(why("ListRows").contains("no string next token"));
        assert!(why("ListStuff").contains("several lists"));
        assert_eq!(report.near_misses.len(), 4);
    }

    #[test]
    fn names_compare_without_case_or_underscores() {
        assert_eq!(plain("page_number"), "pagenumber");
        assert_eq!(plain("nextToken"), "nexttoken");
        assert_eq!(plain("Max-Results"), "maxresults");
    }
}
