//! A per-thread memo of a pure conversion of text: what `names` (wire name → identifier) and `docs`
//! (Markdown → doc lines) keep, because a catalogue converts the same texts again and again (the
//! same field names in every action, `The region ID.` in most descriptions).

use std::cell::RefCell;
use std::collections::HashMap;

/// Results by input text, dropped all at once past `bound` entries (a long-lived process, a build
/// script or a server, may see ever new texts; a catalogue has far fewer).
pub(crate) struct Memo<V> {
    known: RefCell<HashMap<Box<str>, V>>,
    bound: usize,
}

impl<V: Clone> Memo<V> {
    pub(crate) fn new(bound: usize) -> Self {
        Memo { known: RefCell::new(HashMap::new()), bound }
    }

    /// The result for `text`: remembered, or made by `convert` (which must depend on `text` alone).
    pub(crate) fn get_or(&self, text: &str, convert: impl FnOnce() -> V) -> V {
        if let Some(known) = self.known.borrow().get(text) {
            return known.clone();
        }
        let converted = convert();
        let mut known = self.known.borrow_mut();
        if known.len() >= self.bound {
            known.clear();
        }
        known.insert(text.into(), converted.clone());
        converted
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn converts_each_text_once_and_forgets_past_its_bound() {
        let memo = Memo::new(2);
        let calls = std::cell::Cell::new(0);
        let get = |text: &str| {
            memo.get_or(text, || {
                calls.set(calls.get() + 1);
                text.len()
            })
        };
        assert_eq!((get("ab"), get("ab"), get("abc")), (2, 2, 3));
        assert_eq!(calls.get(), 2);
        get("abcd"); // past the bound: the memo starts again
        get("ab");
        assert_eq!(calls.get(), 4);
    }
}
