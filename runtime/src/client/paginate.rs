//! Paginators: a paged action's pages ([`Pages`]) or items ([`Items`]) as a [`Stream`].
//!
//! The loop is here, once, and not generic: a `Walk` keeps where the list is (an offset, a page
//! number or a token), sets it on a copy of the validated request's parameters for each page, sends
//! that through the same non-generic call as a plain call (so validation, signing, retries and the
//! rate limit apply to every page), reads the next position, the total count and the end of the list
//! from the answer's JSON, and holds at most one request in flight. Generated code supplies only the
//! action's [`PagingMeta`] and the types to decode; `Pages` and `Items` are the thin typed ends.
//!
//! The list ends on the provider's end condition: an empty page; for offsets, an offset that reaches
//! the total; for page numbers, pages that cover the total; for tokens, a next token that is absent or
//! empty. A total that changes between pages is an [`Error::TotalChanged`] item before the page that
//! shows it, and the stream goes on; a token that comes back unchanged ends it with
//! [`Error::PagingStuck`], since following it would never end. Any other failed page ends the stream
//! after its error. Dropping the stream drops the request in flight and sends no other.

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use crate::json::Decode;
use serde_json::{Map, Value};

use crate::json::raw::Node;

pub use futures_core::Stream;

use super::{Classify, Client, Failure, Reply, classify, finish};
use crate::envelope::Inspected;
use crate::error::{Error, ServiceError, UndecodableResponse};
use crate::meta::{ActionMeta, PageKind, PagingMeta};

type InFlight = Pin<Box<dyn Future<Output = Result<Reply, Failure>> + Send>>;

/// Where the list is: what the next request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    Offset(u64),
    Page(u64),
    Token(Option<String>),
}

/// What the walk has to say next.
enum Step {
    /// A page's answer, or why there is none.
    Answer(Result<Reply, Failure>),
    /// The total count changed between two pages.
    TotalChanged { before: u64, after: u64 },
    /// The service returned the token it was sent.
    Stuck,
}

/// The non-generic state of a paginator.
struct Walk {
    client: Client,
    action: &'static ActionMeta,
    paging: &'static PagingMeta,
    classify: Classify,
    /// The validated request's parameters.
    params: Map<String, Value>,
    /// Why the request cannot be sent at all (it is invalid, or so is the page size): the only item.
    refused: Option<Failure>,
    position: Position,
    /// The page size asked for with `page_size`, applied to every page.
    page_size: Option<u64>,
    /// Whether total changes are left unreported.
    quiet_totals: bool,
    /// The last total count seen.
    total: Option<u64>,
    /// The items of the first page: the page size, when page-number paging sets none.
    first_page_items: Option<u64>,
    in_flight: Option<InFlight>,
    queue: VecDeque<Step>,
    finished: bool,
}

impl Walk {
    fn new(
        client: &Client,
        action: &'static ActionMeta,
        paging: &'static PagingMeta,
        prepared: Result<Value, Failure>,
        classify: Classify,
    ) -> Walk {
        let (params, refused) = match prepared {
            Ok(Value::Object(params)) => (params, None),
            Ok(_) => {
                (Map::new(), Some(Failure::Configuration(format!("the request of {} is not an object", action.name))))
            }
            Err(failure) => (Map::new(), Some(failure)),
        };
        let start = params.get(paging.cursor);
        let position = match paging.kind {
            PageKind::Offset => Position::Offset(start.and_then(count).unwrap_or(0)),
            PageKind::PageNumber => Position::Page(start.and_then(count).unwrap_or(paging.first_page)),
            PageKind::Token => Position::Token(start.and_then(token)),
        };
        Walk {
            client: client.clone(),
            action,
            paging,
            classify,
            params,
            refused,
            position,
            page_size: None,
            quiet_totals: false,
            total: None,
            first_page_items: None,
            in_flight: None,
            queue: VecDeque::new(),
            finished: false,
        }
    }

    /// The page size every page asks for, checked against the documented maximum.
    fn set_page_size(&mut self, size: u64) {
        self.page_size = Some(size);
        if self.refused.is_some() {
            return;
        }
        let Some(field) = self.paging.page_size else {
            self.refused = Some(Failure::Configuration(format!("{} has no page size to set", self.action.name)));
            return;
        };
        let max = self.paging.max_page_size.map(i128::from);
        let mut validator = crate::Validator::new();
        let range = cloudspec_rules::validation::IntRange { min: Some(1), max, ..Default::default() };
        validator.int_range(field, i128::from(size), &range);
        self.refused = validator.finish().err().map(Failure::Validation);
    }

    fn poll_step(&mut self, cx: &mut Context<'_>) -> Poll<Option<Step>> {
        loop {
            if let Some(step) = self.queue.pop_front() {
                return Poll::Ready(Some(step));
            }
            if let Some(call) = &mut self.in_flight {
                let result = ready!(call.as_mut().poll(cx));
                self.in_flight = None;
                self.answered(result);
                continue;
            }
            if self.finished {
                return Poll::Ready(None);
            }
            if let Some(failure) = self.refused.take() {
                self.finished = true;
                return Poll::Ready(Some(Step::Answer(Err(failure))));
            }
            let params = self.page_params();
            let (client, action, classify) = (self.client.clone(), self.action, self.classify);
            self.in_flight =
                Some(Box::pin(async move { client.call(action, Ok(super::Params::Tree(params)), classify).await }));
        }
    }

    /// The parameters of the next page's request.
    fn page_params(&self) -> Value {
        let mut params = self.params.clone();
        let cursor = self.paging.cursor.to_string();
        let count = |n: u64, as_text: bool| if as_text { Value::from(n.to_string()) } else { Value::from(n) };
        match &self.position {
            Position::Offset(n) | Position::Page(n) => {
                params.insert(cursor, count(*n, self.paging.cursor_as_text));
            }
            Position::Token(Some(token)) => {
                params.insert(cursor, Value::from(token.clone()));
            }
            Position::Token(None) => {
                params.remove(&cursor);
            }
        }
        if let (Some(size), Some(field)) = (self.page_size, self.paging.page_size) {
            params.insert(field.to_string(), count(size, self.paging.page_size_as_text));
        }
        Value::Object(params)
    }

    /// Reads a page's answer: where the list goes next, whether it ends, whether its total changed.
    fn answered(&mut self, result: Result<Reply, Failure>) {
        // Read from the tape the envelope was read from, as the page's items will be.
        let payload = match &result {
            Ok(Reply { inspected: Inspected::Success(payload), body, .. }) => payload.node(body),
            _ => {
                self.finished = true;
                self.queue.push_back(Step::Answer(result));
                return;
            }
        };
        let paging = self.paging;
        let items = payload.at(paging.items).and_then(Node::list_len).unwrap_or(0);
        let scalar = |path: &[&str]| payload.at(path).and_then(Node::scalar);
        let total = paging.total.and_then(scalar).as_ref().and_then(count);
        let next_token = paging.next_token.and_then(scalar).as_ref().and_then(token);
        if let (Some(before), Some(after)) = (self.total, total) {
            if before != after && !self.quiet_totals {
                self.queue.push_back(Step::TotalChanged { before, after });
            }
        }
        self.total = total.or(self.total);
        let mut stuck = false;
        let (next, end) = match &self.position {
            Position::Offset(offset) => {
                let next = offset.saturating_add(items);
                (Position::Offset(next), items == 0 || self.total.is_some_and(|total| next >= total))
            }
            Position::Page(page) => {
                let first_items = *self.first_page_items.get_or_insert(items);
                let size = self.page_size.or_else(|| self.requested_size()).unwrap_or(first_items);
                let covered = page.saturating_sub(paging.first_page).saturating_add(1).saturating_mul(size);
                let end = items == 0 || self.total.is_some_and(|total| covered >= total);
                (Position::Page(page.saturating_add(1)), end)
            }
            Position::Token(sent) => {
                stuck = next_token.is_some() && next_token == *sent;
                (Position::Token(next_token.clone()), next_token.is_none() || stuck)
            }
        };
        self.position = next;
        self.finished = end;
        self.queue.push_back(Step::Answer(result));
        if stuck {
            self.queue.push_back(Step::Stuck);
        }
    }

    /// The page size the request itself sets.
    fn requested_size(&self) -> Option<u64> {
        self.params.get(self.paging.page_size?).and_then(count)
    }
}

/// A count or position: a non-negative integer, or its decimal text (Alibaba sends both).
fn count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A next token: a string that is not empty. An absent, `null` or empty token ends the list.
fn token(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every page of a paged action, as a [`Stream`] of its responses (each a `Result`).
///
/// Made by a generated client's `<action>_pages` method; set the page size with [`Pages::page_size`]
/// before the first poll. Read it with `futures::StreamExt::next` or `futures::TryStreamExt::try_next`.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<T, E> {
    walk: Walk,
    _types: PhantomData<fn() -> (T, E)>,
}

/// Every item of a paged action, page after page, as a [`Stream`] (each a `Result`).
///
/// Made by a generated client's `<action>_items` method; set the page size with [`Items::page_size`]
/// before the first poll.
#[must_use = "a stream does nothing until polled"]
pub struct Items<T, E> {
    walk: Walk,
    buffer: VecDeque<T>,
    _types: PhantomData<fn() -> E>,
}

// Neither is ever pinned in place: the request in flight is boxed, and items are only moved out.
impl<T, E> Unpin for Pages<T, E> {}
impl<T, E> Unpin for Items<T, E> {}

macro_rules! paginator_options {
    ($name:ident) => {
        impl<T, E> $name<T, E> {
            /// Asks for `size` items per page, on every page. It must be between 1 and the action's
            /// documented maximum (the stream's first item is an [`Error::Validation`] otherwise), and
            /// the action must have a page size (an [`Error::Configuration`] otherwise).
            pub fn page_size(mut self, size: u64) -> Self {
                self.walk.set_page_size(size);
                self
            }

            /// Leaves a total count that changes between pages unreported: no
            /// [`Error::TotalChanged`] items. Items added or removed while paging may then be missed
            /// or seen twice without notice.
            pub fn allow_total_changes(mut self) -> Self {
                self.walk.quiet_totals = true;
                self
            }

            /// The last total count the service reported, if the action reports one.
            pub fn total(&self) -> Option<u64> {
                self.walk.total
            }
        }

        impl<T, E> std::fmt::Debug for $name<T, E> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("action", &self.walk.action.name)
                    .field("total", &self.walk.total)
                    .field("finished", &self.walk.finished)
                    .finish_non_exhaustive()
            }
        }
    };
}

paginator_options!(Pages);
paginator_options!(Items);

/// The error of a step that is not a page.
fn failed<E: ServiceError>(action: &'static ActionMeta, step: Step) -> Error<E> {
    match step {
        Step::Answer(result) => match finish::<serde::de::IgnoredAny, E>(action, result) {
            Err(error) => error,
            Ok(_) => Error::Configuration(format!("{}: a page was taken for an error", action.name)),
        },
        Step::TotalChanged { before, after } => Error::TotalChanged { action: action.name, before, after },
        Step::Stuck => Error::PagingStuck { action: action.name },
    }
}

impl<T: Decode, E: ServiceError> Stream for Pages<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let action = this.walk.action;
        Poll::Ready(match ready!(this.walk.poll_step(cx)) {
            None => None,
            Some(Step::Answer(result)) => Some(finish::<T, E>(action, result)),
            Some(step) => Some(Err(failed(action, step))),
        })
    }
}

impl<T: Decode, E: ServiceError> Stream for Items<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let action = this.walk.action;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(this.walk.poll_step(cx)) {
                None => return Poll::Ready(None),
                Some(Step::Answer(Ok(reply))) if matches!(reply.inspected, Inspected::Success(_)) => {
                    match page_items(action, this.walk.paging, reply) {
                        Ok(items) => this.buffer = items.into(),
                        Err(error) => return Poll::Ready(Some(Err(error))),
                    }
                }
                Some(step) => return Poll::Ready(Some(Err(failed(action, step)))),
            }
        }
    }
}

/// Decodes the items of a successful page.
fn page_items<T: Decode, E>(
    action: &'static ActionMeta,
    paging: &'static PagingMeta,
    reply: Reply,
) -> Result<Vec<T>, Error<E>> {
    let Reply { status, body, inspected, headers } = reply;
    let Inspected::Success(payload) = inspected else { return Ok(Vec::new()) };
    let Some(items) = payload.node(&body).at(paging.items).filter(|items| !items.is_null()) else {
        return Ok(Vec::new());
    };
    let error = match items.decode() {
        Ok(items) => return Ok(items),
        Err(error) => error,
    };
    let path = paging.items.join(".");
    let reason = format!("the response does not match the spec: `{path}`: {error}");
    let request_id =
        payload.request_id(&body).map(str::to_string).or_else(|| super::response::header_request_id(&headers));
    Err(Error::Undecodable(UndecodableResponse::new(status, body, reason, request_id, action.sensitive_output)))
}

impl Client {
    /// Every page of a paged action, starting from `request`: what a generated `<action>_pages`
    /// method returns. The request is validated once, here; each page is sent as [`Client::execute`]
    /// sends a call.
    pub fn pages<R, T, E>(&self, action: &'static ActionMeta, paging: &'static PagingMeta, request: &R) -> Pages<T, E>
    where
        R: super::Request,
        T: Decode,
        E: ServiceError,
    {
        let walk = Walk::new(self, action, paging, self.prepare_tree(request), classify::<E>);
        Pages { walk, _types: PhantomData }
    }

    /// Every item of a paged action, starting from `request`: what a generated `<action>_items` method
    /// returns.
    pub fn items<R, T, E>(&self, action: &'static ActionMeta, paging: &'static PagingMeta, request: &R) -> Items<T, E>
    where
        R: super::Request,
        T: Decode,
        E: ServiceError,
    {
        let walk = Walk::new(self, action, paging, self.prepare_tree(request), classify::<E>);
        Items { walk, buffer: VecDeque::new(), _types: PhantomData }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{EndpointsMeta, RegionRule, ServiceMeta, StatusFields};
    use serde_json::json;

    static SERVICE: ServiceMeta = ServiceMeta {
        name: "demo",
        signing_name: "demo",
        version: "2020-01-01",
        protocol: crate::envelope::Protocol::TencentJson,
        endpoints: EndpointsMeta { default: None, international: None, regional: None, regions: &[] },
    };
    static ACTION: ActionMeta = ActionMeta {
        service: &SERVICE,
        name: "ListThings",
        idempotent: true,
        rate_limit: None,
        region: RegionRule::Optional,
        method: "POST",
        path: "/",
        sensitive_output: false,
        params: &[],
        idempotency_token: None,
        status_fields: StatusFields { code: false, success: false },
    };
    const fn paging(kind: PageKind, cursor: &'static str) -> PagingMeta {
        PagingMeta {
            kind,
            cursor,
            cursor_as_text: false,
            first_page: 1,
            page_size: Some("Size"),
            page_size_as_text: false,
            max_page_size: Some(50),
            items: &["Data", "Items"],
            total: Some(&["Total"]),
            next_token: Some(&["Next"]),
        }
    }
    static TOKEN: PagingMeta = paging(PageKind::Token, "Token");
    static PAGE: PagingMeta = paging(PageKind::PageNumber, "Page");
    static OFFSET: PagingMeta = paging(PageKind::Offset, "Offset");

    fn start(paging: &'static PagingMeta, params: Value) -> Walk {
        let client = Client::new(crate::Config::new());
        Walk::new(&client, &ACTION, paging, Ok(params), |_| (false, false))
    }

    fn page(walk: &mut Walk, payload: Value) -> Vec<&'static str> {
        let body = bytes::Bytes::from(serde_json::to_vec(&payload).unwrap());
        let inspected = crate::envelope::inspect(crate::envelope::Protocol::AlibabaRpc, 200, &body);
        let reply = Reply { status: 200, body, inspected, headers: Default::default() };
        walk.answered(Ok(reply));
        walk.queue
            .drain(..)
            .map(|step| match step {
                Step::Answer(_) => "page",
                Step::TotalChanged { .. } => "total changed",
                Step::Stuck => "stuck",
            })
            .collect()
    }

    #[test]
    fn a_token_sent_back_unchanged_ends_the_list_after_its_page() {
        let mut walk = start(&TOKEN, json!({"Token": "t1"}));
        assert_eq!(walk.position, Position::Token(Some("t1".into())));
        assert_eq!(page(&mut walk, json!({"Data": {"Items": [1]}, "Next": "t2"})), ["page"]);
        assert!(!walk.finished);
        assert_eq!(walk.page_params()["Token"], "t2");
        assert_eq!(page(&mut walk, json!({"Data": {"Items": [2]}, "Next": "t2"})), ["page", "stuck"]);
        assert!(walk.finished);
        // An empty token ends the list, as an absent or null one does.
        for last in [json!({"Next": ""}), json!({"Next": null}), json!({})] {
            let mut walk = start(&TOKEN, json!({}));
            assert!(walk.page_params().get("Token").is_none(), "the first page sends no token");
            page(&mut walk, last);
            assert!(walk.finished);
        }
    }

    #[test]
    fn page_numbers_cover_the_total_with_the_first_page_as_the_size() {
        let mut walk = start(&PAGE, json!({}));
        assert_eq!(walk.page_params()["Page"], 1);
        page(&mut walk, json!({"Data": {"Items": [1, 2, 3]}, "Total": 7}));
        page(&mut walk, json!({"Data": {"Items": [4, 5, 6]}, "Total": "7"}));
        assert!(!walk.finished, "6 of 7");
        assert_eq!(walk.page_params()["Page"], 3);
        assert_eq!(page(&mut walk, json!({"Data": {"Items": [7]}, "Total": 8})), ["total changed", "page"]);
        assert!(walk.finished, "9 ≥ 8");
    }

    #[test]
    fn offsets_advance_by_the_items_received_and_page_sizes_are_bounded() {
        let mut walk = start(&OFFSET, json!({"Offset": 5, "Other": "kept"}));
        walk.set_page_size(20);
        assert_eq!(walk.page_params(), json!({"Offset": 5, "Size": 20, "Other": "kept"}));
        page(&mut walk, json!({"Data": {"Items": [1, 2]}, "Total": 9}));
        assert_eq!(walk.page_params()["Offset"], 7);
        page(&mut walk, json!({"Data": {"Items": [3, 4]}, "Total": 9}));
        assert!(walk.finished, "9 of 9");
        let mut walk = start(&OFFSET, json!({}));
        walk.set_page_size(51);
        assert!(matches!(walk.refused, Some(Failure::Validation(_))));
        // An empty page ends a list whatever its total says.
        let mut walk = start(&OFFSET, json!({}));
        page(&mut walk, json!({"Data": {"Items": []}, "Total": 100}));
        assert!(walk.finished);
    }
}
