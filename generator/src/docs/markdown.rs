//! Providers' Markdown (Alibaba's descriptions are Markdown) translated into rustdoc Markdown with a
//! real parser: headings, lists, emphasis, code spans and tables are kept; what would mislead rustdoc is
//! neutralised — code blocks are fenced as `text` (never doctests), raw HTML becomes text, links that
//! cannot resolve become their text (no broken or intra-doc links), bare URLs become autolinks — and
//! Alibaba's help-centre references (`[DescribeInstances](~~25506~~)`) become links to the help centre.
//! Asterisks the writer did not mean as emphasis (`acs:ecs:*:*:instance/*`) stay asterisks (the private
//! `emphasis` module decides which).

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream,
};

/// The help centre page of an Alibaba document id (`~~25506~~`).
const HELP_CENTRE: &str = "https://www.alibabacloud.com/help/en/doc-detail/";

/// Rustdoc lines for a Markdown description.
pub fn render(markdown: &str) -> Vec<String> {
    // A catalogue repeats its descriptions (`The region ID.` on most actions), and parsing and printing
    // them was a tenth of generating one.
    thread_local! {
        static RENDERED: crate::memo::Memo<Vec<String>> = crate::memo::Memo::new(1 << 16);
    }
    RENDERED.with(|memo| memo.get_or(markdown, || render_uncached(markdown)))
}

fn render_uncached(markdown: &str) -> Vec<String> {
    let mut clean: String = markdown.chars().filter(|c| !super::is_bidi_control(*c)).collect();
    // A code block that ends the text is only closed when a line break ends it too.
    clean.push('\n');
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Asterisks of resource patterns (`acs:ecs:*:*:instance/*`) are text, not emphasis.
    let clean = super::emphasis::escape_unmeant(&clean, options);
    let mut events: Vec<Event<'_>> = Vec::new();
    // Links whose target cannot be followed keep their text only; their end tag goes too.
    let mut dropped_links = Vec::new();
    let mut in_code_block = false;
    // Text comes merged: the parser splits it at escapes (`https\://…`), which would hide a bare URL.
    for event in TextMergeStream::new(Parser::new_ext(&clean, options)) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => match target(&dest_url) {
                Some(url) => {
                    dropped_links.push(false);
                    events.push(Event::Start(Tag::Link { link_type, dest_url: url, title, id }));
                }
                None => dropped_links.push(true),
            },
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            // Images have nowhere to show in rustdoc: their description stays, as text.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced("text".into()))));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(Event::End(TagEnd::CodeBlock));
            }
            // Document headings inside an item's docs: never above the third level.
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                events.push(Event::Start(Tag::Heading { level: demoted(level), id, classes, attrs }))
            }
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(demoted(level)))),
            // An HTML block becomes a paragraph of text: inside an HTML block the text would be written raw.
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::Paragraph)),
            Event::Html(html) | Event::InlineHtml(html) => html_as_text(&html, &mut events),
            // After a line break, leading spaces would have to be written as entities.
            Event::Text(text) if matches!(events.last(), Some(Event::HardBreak)) && !in_code_block => {
                autolinks(text.trim_start().to_string().into(), &mut events)
            }
            Event::Text(text) if !in_code_block => autolinks(text, &mut events),
            Event::FootnoteReference(name) => events.push(Event::Text(format!("[{name}]").into())),
            other => events.push(other),
        }
    }
    let mut out = String::new();
    // Bullets are `*`: the generator's own notes after a description are a `-` list, and a list that
    // ended the description would otherwise absorb them (only a change of bullet starts a new list).
    let written = pulldown_cmark_to_cmark::cmark_with_options(
        events.iter(),
        &mut out,
        options,
        pulldown_cmark_to_cmark::Options { code_block_token_count: 3, list_token: '*', ..Default::default() },
    );
    if written.is_err() {
        // Formatting into a `String` cannot fail; should it, the description still shows, escaped.
        return super::text(markdown);
    }
    trimmed_lines(&out)
}

/// A followable link target: an absolute `http(s)` URL, or an Alibaba help-centre reference.
fn target(url: &str) -> Option<CowStr<'static>> {
    let url = url.trim();
    if let Some(id) = url.strip_prefix("~~").and_then(|rest| rest.strip_suffix("~~")) {
        return id.chars().all(|c| c.is_ascii_digit()).then(|| format!("{HELP_CENTRE}{id}.html").into());
    }
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_string().into())
}

fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        other => other,
    }
}

/// Raw HTML shown as the text it is, except line breaks, which stay line breaks.
fn html_as_text<'a>(html: &str, events: &mut Vec<Event<'a>>) {
    let tag = html.trim().to_ascii_lowercase();
    if matches!(tag.as_str(), "<br>" | "<br/>" | "<br />") {
        events.push(Event::HardBreak);
    } else if !html.trim().is_empty() {
        events.push(Event::Text(html.trim_end_matches('\n').to_string().into()));
    }
}

/// Text with its bare URLs made autolinks, which rustdoc accepts (a bare URL is a lint warning).
fn autolinks<'a>(text: CowStr<'a>, events: &mut Vec<Event<'a>>) {
    if !text.contains("http://") && !text.contains("https://") {
        events.push(Event::Text(text));
        return;
    }
    let mut rest: &str = &text;
    while let Some(start) = ["https://", "http://"].iter().filter_map(|scheme| rest.find(scheme)).min() {
        let tail = &rest[start..];
        let end = tail.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ')', ';', ':']);
        if !rest[..start].is_empty() {
            events.push(Event::Text(rest[..start].to_string().into()));
        }
        let url_owned: CowStr<'a> = url.to_string().into();
        events.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: url_owned.clone(),
            title: "".into(),
            id: "".into(),
        }));
        events.push(Event::Text(url_owned));
        events.push(Event::End(TagEnd::Link));
        rest = &tail[url.len()..];
    }
    if !rest.is_empty() {
        events.push(Event::Text(rest.to_string().into()));
    }
}

/// The rendered text as lines, without blank lines at either end, block quotes written as people
/// write them (`> text`, without an empty `>` line first).
fn trimmed_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        let line = if line.trim_start().starts_with('>') { line.trim_start() } else { line };
        if line == ">" && lines.last().is_none_or(|l: &String| l.is_empty()) {
            continue;
        }
        lines.push(line.to_string());
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(markdown: &str) -> String {
        render(markdown).join("\n")
    }

    #[test]
    fn keeps_structure() {
        let text = rendered("### [](#)Considerations\n\n* one `code`\n* **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(text.starts_with("### Considerations"), "{text}");
        assert!(text.contains("* one `code`") || text.contains("- one `code`"), "{text}");
        assert!(text.contains("**two**"), "{text}");
        assert!(text.contains("|a|b|") || text.contains("| a | b |") || text.contains("|a |b |"), "{text}");
    }

    #[test]
    fn neutralises_what_would_mislead_rustdoc() {
        let text = rendered("See [DescribeInstanceStatus](~~2679688~~) and [local](#x) and [up](../y).");
        assert!(
            text.contains("[DescribeInstanceStatus](https://www.alibabacloud.com/help/en/doc-detail/2679688.html)"),
            "{text}"
        );
        assert!(text.contains("and local and up."), "{text}");
        let code = rendered("```java\nint x = 1;\n```");
        assert!(code.starts_with("```text"), "{code}");
        let html = rendered("a <b>bold</b> <br> b");
        assert!(!html.replace("\\<", "").contains('<'), "raw HTML is escaped: {html}");
        assert_eq!(html.lines().count(), 2, "a <br> is a line break: {html}");
        let url = rendered("Visit https://example.com/a_b.");
        assert!(url.contains("<https://example.com/a_b>"), "{url}");
        // The source's own escapes are not escaped again.
        let escaped = rendered("underscores (\\_)");
        assert_eq!(escaped, "underscores (\\_)");
        // A quote reads as one; a code block that ends the text is closed.
        let quoted = render("> quoted\n\n**Example**\n\n    a = 1\n    b = 2");
        assert_eq!(quoted, ["> quoted", "", "**Example**", "", "```text", "a = 1", "b = 2", "```"]);
        // Brackets that are not links stay text, not intra-doc links.
        let brackets = rendered("a [Foo] b");
        assert!(brackets.contains("\\[Foo\\]"), "{brackets}");
    }

    #[test]
    fn block_html_is_text_and_escaped_urls_are_links() {
        // openapiexplorer GetProductEndpoints: a closing tag on its own line, and a URL with an escaped colon.
        let text = rendered("<props=\"intl\">\n\n- see https\\://api.aliyun.com/product/Dysmsapi. Done.\n\n</props>\n");
        assert!(text.contains("\\</props>"), "the closing tag is text: {text}");
        assert!(!text.lines().any(|line| line.trim_start().starts_with("</")), "{text}");
        assert!(text.contains("<https://api.aliyun.com/product/Dysmsapi>"), "{text}");
    }

    #[test]
    fn resource_patterns_keep_their_asterisks() {
        // alikafka UpgradeInstanceVersion: a permissions table whose resource is a pattern.
        let text = rendered(
            "|Action|Resource|\n|---|---|\n|alikafka:UpgradeInstanceVersion|acs:alikafka:*:*:{instanceId}|\n\n**Note:** see *above*.",
        );
        assert!(text.contains("acs:alikafka:\\*:\\*:{instanceId}"), "{text}");
        assert!(text.contains("**Note:** see *above*."), "{text}");
        // As rustdoc reads it: the pattern is one piece of text, and `*above*` the only emphasis.
        let events: Vec<Event<'_>> = TextMergeStream::new(Parser::new_ext(&text, Options::ENABLE_TABLES)).collect();
        assert!(events.iter().any(|e| matches!(e, Event::Text(t) if t.as_ref() == "acs:alikafka:*:*:{instanceId}")));
        assert_eq!(events.iter().filter(|e| matches!(e, Event::Start(Tag::Emphasis))).count(), 1, "{events:?}");
    }

    #[test]
    fn a_closing_list_stays_apart_from_the_notes_after_it() {
        // As the generator writes an action's docs: the description, a blank line, its own `-` notes.
        let mut docs = render("Prerequisites:\n\n- An OIDC token is obtained.\n- A RAM role is created.");
        docs.extend(["".to_string(), "- Idempotent: retried automatically on transient errors.".to_string()]);
        let lists = Parser::new(&docs.join("\n")).filter(|event| matches!(event, Event::Start(Tag::List(_)))).count();
        assert_eq!(lists, 2, "the description's list and the notes are two lists: {docs:?}");
    }
}
