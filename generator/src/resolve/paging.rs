//! Paginators: from a checked `pagination` to what the client module declares for it — the paging
//! metadata the runtime's paginator reads, the item type, and the two methods' documentation.

use super::Cx;
use crate::docs;
use crate::ir::{PagingIr, RustType};
use crate::names::table::ActionNames;
use crate::spec::{Action, PageKind, Pagination, response_field};

impl Cx<'_> {
    /// The paginators of `action` (named `name`), when it pages.
    pub(super) fn paging(&self, name: &str, action: &Action, names: &ActionNames) -> Option<PagingIr> {
        let (paging, methods) = (action.pagination.as_ref()?, names.paginators.as_ref()?);
        let cursor = paging.cursor_field()?.to_string();
        // Check made sure the path names a list.
        let items_field = response_field(&action.response, &self.spec.types, &paging.items).ok()?;
        let item = match self.rust_type(&items_field.ty, items_field) {
            RustType::List(item) => *item,
            _ => return None,
        };
        let max_page_size = paging.max_page_size.or_else(|| {
            let field = action.request.get(paging.page_size.as_deref()?)?;
            field.constraints.range.as_ref()?.max.as_ref()?.as_u64()
        });
        let how = how_it_pages(paging, &cursor, max_page_size);
        let summary = self.inline(&action.summary);
        let plain = &names.module;
        let mut pages_docs = vec![
            format!("Every page of `{name}`, as a stream of responses: {summary}"),
            String::new(),
            format!(
                "The items of each page are in `{}`. Use [`Self::{}`] for the items themselves.",
                docs::code(&paging.items),
                methods.items
            ),
        ];
        let mut items_docs = vec![
            format!("Every item of `{name}` (each page's `{}`), as a stream: {summary}", docs::code(&paging.items)),
            String::new(),
            format!("Use [`Self::{}`] for whole responses.", methods.pages),
        ];
        for lines in [&mut pages_docs, &mut items_docs] {
            lines.push(String::new());
            lines.extend(how.iter().cloned());
            lines.push(format!(
                "- Each page is a call of [`Self::{plain}`]: validated, signed, retried and paced to the rate limit \
                 alike. Dropping the stream sends no further request."
            ));
        }
        let is_text =
            |wire: Option<&str>| wire.and_then(|wire| action.request.get(wire)).is_some_and(|f| f.ty == "string");
        let path = |text: &str| text.split('.').map(str::to_string).collect::<Vec<_>>();
        Some(PagingIr {
            pages_method: methods.pages.clone(),
            pages_docs,
            items_method: methods.items.clone(),
            items_docs,
            static_ident: methods.paging_static.clone(),
            kind: paging.kind,
            cursor_as_text: paging.kind != crate::spec::PageKind::Token && is_text(Some(&cursor)),
            cursor,
            first_page: paging.first_page(),
            page_size_as_text: is_text(paging.page_size.as_deref()),
            page_size: paging.page_size.clone(),
            max_page_size,
            items: path(&paging.items),
            total: paging.total.as_deref().map(path),
            next_token: paging.next_token.as_deref().map(path),
            item,
        })
    }
}

/// Doc lines on how the action pages: what moves, when it ends, the page size and the total.
fn how_it_pages(paging: &Pagination, cursor: &str, max_page_size: Option<u64>) -> Vec<String> {
    let cursor = docs::code(cursor);
    let total = paging.total.as_deref().map(docs::code);
    let mut lines = vec![match (paging.kind, &total) {
        (PageKind::Offset, Some(total)) => format!(
            "- Pages by `{cursor}`, starting where the request's starts and advanced by the items of each page, \
             until it reaches `{total}` or a page is empty."
        ),
        (PageKind::Offset, None) => format!(
            "- Pages by `{cursor}`, starting where the request's starts and advanced by the items of each page, \
             until a page is empty."
        ),
        (PageKind::PageNumber, Some(total)) => format!(
            "- Pages by `{cursor}`, from the request's page (or {}) on, until the pages cover `{total}` or a page \
             is empty.",
            paging.first_page()
        ),
        (PageKind::PageNumber, None) => format!(
            "- Pages by `{cursor}`, from the request's page (or {}) on, until a page is empty.",
            paging.first_page()
        ),
        (PageKind::Token, _) => format!(
            "- Pages by `{cursor}`, from the request's token on, each next page asked with the token the previous \
             one returned in `{}`, until that token is absent or empty.",
            docs::code(paging.next_token.as_deref().unwrap_or_default())
        ),
    }];
    if let Some(size) = paging.page_size.as_deref() {
        let size = docs::code(size);
        lines.push(match max_page_size {
            Some(max) => format!(
                "- `.page_size(n)` sets `{size}` on every page (at most {max}); otherwise the request's own applies."
            ),
            None => format!("- `.page_size(n)` sets `{size}` on every page; otherwise the request's own applies."),
        });
    }
    if let Some(total) = total {
        lines.push(format!(
            "- A `{total}` that changes between pages is reported as an `Error::TotalChanged` item, after which \
             the stream goes on (`.allow_total_changes()` keeps it quiet)."
        ));
    }
    lines
}
