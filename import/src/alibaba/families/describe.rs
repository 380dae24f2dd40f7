//! Merging the per-index descriptions of a family: what every index says is kept once, with the index
//! written `N` (`Filter.1.Key` → `Filter.N.Key`, "filter 1" → "filter N"); what differs is listed by wire
//! name, indices that say the same thing together. Text is compared sentence by sentence; a paragraph that
//! spans lines (a list, a note) is one piece.

use std::sync::LazyLock;

use indexmap::IndexMap;
use regex::Regex;

/// A piece of a description: a sentence, or a whole block (a list, a note) that is not split further.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    text: String,
    ends_paragraph: bool,
}

/// Sentences end at `.`, `!` or `?` followed by a space and a capital letter (or mark-up that opens one).
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.!?] +[A-Z`*\[>]").expect("a valid regex"));

fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut sentences = Vec::new();
        if paragraph.contains('\n') {
            sentences.push(paragraph.to_string());
        } else {
            let mut start = 0;
            for end in SENTENCE_END.find_iter(paragraph) {
                // The match is the stop, the spaces and the next sentence's first character.
                let stop = end.start() + 1;
                sentences.push(paragraph[start..stop].trim().to_string());
                start = end.end() - 1;
            }
            sentences.push(paragraph[start..].trim().to_string());
        }
        let last = sentences.len() - 1;
        out.extend(sentences.into_iter().enumerate().map(|(i, text)| Unit { text, ends_paragraph: i == last }));
    }
    out
}

fn render(units: &[Unit]) -> String {
    let mut out = String::new();
    for (i, unit) in units.iter().enumerate() {
        if i > 0 {
            out.push_str(if units[i - 1].ends_paragraph { "\n\n" } else { " " });
        }
        out.push_str(&unit.text);
    }
    out
}

/// The description of index `index`, with its own index written `N`: `Filter.1.Key` → `Filter.N.Key`,
/// "filter 1" → "filter N".
fn normalize(prefix: &str, index: usize, text: &str) -> String {
    let wire = Regex::new(&format!(r"\b{}\.{index}\b", regex::escape(prefix))).expect("an escaped regex");
    let text = wire.replace_all(text, format!("{prefix}.N").as_str());
    let words = cloudspec::names::snake(prefix).unwrap_or_default().replace('_', r"\s+");
    if words.is_empty() {
        return text.into_owned();
    }
    let prose = Regex::new(&format!(r"(?i)\b({words})\s+{index}\b")).expect("an escaped regex");
    prose.replace_all(&text, "${1} N").into_owned()
}

/// Merges the descriptions of one member at every index: the text every index shares once, the parts that
/// differ listed by wire name (`labels`). Also says whether they differed.
pub(super) fn merge_descriptions(
    prefix: &str,
    labels: &[String],
    texts: &[Option<&str>],
    indices: &[usize],
) -> (Option<String>, bool) {
    let normalized: Vec<Vec<Unit>> = texts
        .iter()
        .zip(indices)
        .map(|(text, index)| units(&normalize(prefix, *index, text.unwrap_or_default())))
        .collect();
    if normalized.iter().all(|u| *u == normalized[0]) {
        let text = render(&normalized[0]);
        return ((!text.is_empty()).then_some(text), false);
    }
    let shortest = normalized.iter().map(Vec::len).min().unwrap_or(0);
    let same = |text_of: &dyn Fn(&[Unit]) -> &str| normalized.iter().all(|u| text_of(u) == text_of(&normalized[0]));
    let mut head = 0;
    while head < shortest && same(&|u: &[Unit]| u[head].text.as_str()) {
        head += 1;
    }
    let mut tail = 0;
    while tail < shortest - head && same(&|u: &[Unit]| u[u.len() - 1 - tail].text.as_str()) {
        tail += 1;
    }
    // Indices that say the same thing are listed together.
    let mut differing: IndexMap<String, Vec<&str>> = IndexMap::new();
    for (units, label) in normalized.iter().zip(labels) {
        let middle = render(&units[head..units.len() - tail]);
        if !middle.is_empty() {
            differing.entry(middle).or_default().push(label);
        }
    }
    let mut parts = Vec::new();
    let mut head_units = normalized[0][..head].to_vec();
    if let Some(last) = head_units.last_mut() {
        last.ends_paragraph = true;
    }
    if head > 0 {
        parts.push(render(&head_units));
    }
    let items: Vec<String> = differing
        .iter()
        .map(|(text, labels)| {
            let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
            let indented = text.replace('\n', "\n    ").replace("\n    \n", "\n\n");
            format!("*   {}: {indented}", labels.join(", "))
        })
        .collect();
    if !items.is_empty() {
        parts.push(items.join("\n"));
    }
    if tail > 0 {
        let first = &normalized[0];
        parts.push(render(&first[first.len() - tail..]));
    }
    (Some(parts.join("\n\n")), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_middles_are_listed_together() {
        let labels = ["X.1".to_string(), "X.2".to_string(), "X.3".to_string()];
        let (text, diverged) = merge_descriptions(
            "X",
            &labels,
            &[Some("Head. One.\n\nTail."), Some("Head. Two.\n\nTail."), Some("Head. Two.\n\nTail.")],
            &[1, 2, 3],
        );
        assert!(diverged);
        assert_eq!(text.unwrap(), "Head.\n\n*   `X.1`: One.\n*   `X.2`, `X.3`: Two.\n\nTail.");
    }
}
