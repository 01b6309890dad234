//! HTML to the text of an article: paragraphs kept (one line each, a blank
//! line between), links as their text, list items bulleted, no tags or
//! entities left. The HTML is parsed by html2text; this only says how each
//! element reads as plain text.

use html2text::render::TextDecorator;

use super::text::normalize;

/// Lines are never wrapped here: the reader wraps to its pane.
const NO_WRAP: usize = 1 << 16;

/// Text only: no markup characters for emphasis, links or headings; bullets
/// and numbers for list items.
#[derive(Debug, Clone, Copy, Default)]
struct TextOnly;

impl TextDecorator for TextOnly {
    type Annotation = ();

    fn decorate_link_start(&mut self, _url: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) {}
    fn decorate_preformat_cont(&self) {}
    fn decorate_image(&mut self, _src: &str, _title: &str) -> (String, ()) {
        // A picture is not text; its caption, if any, is in the HTML around it.
        (String::new(), ())
    }
    fn header_prefix(&self, _level: usize) -> String {
        String::new()
    }
    fn quote_prefix(&self) -> String {
        String::new()
    }
    fn unordered_item_prefix(&self) -> String {
        // ASCII: html2text sizes list indents by bytes.
        "* ".to_owned()
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        TextOnly
    }
}

/// HTML to plain text (see the module): text with neither `<` nor `&` is
/// taken as plain text and keeps its own paragraphs.
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return normalize(html);
    }
    let convert = || {
        html2text::config::with_decorator(TextOnly)
            .no_table_borders()
            .string_from_read(html.as_bytes(), NO_WRAP)
    };
    // A failure (or a panic) inside the HTML library must not lose the item:
    // then the text is kept with its tags dropped.
    match std::panic::catch_unwind(convert) {
        Ok(Ok(text)) => normalize(&text),
        _ => normalize(&without_tags(html)),
    }
}

/// The last resort: everything outside `<…>`, unchanged.
fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_dropped_as_a_last_resort() {
        assert_eq!(without_tags("<p>a <b>b</b></p>c"), "a bc");
    }

    #[test]
    fn nested_lists_and_tables_do_not_fail() {
        let text = html_to_text(
            "<ul><li>one<ul><li>two</li></ul></li></ul><table><tr><td>a</td><td>b</td></tr></table>",
        );
        assert!(
            text.contains("one") && text.contains("two") && text.contains('a'),
            "{text}"
        );
        assert!(!text.contains('<'));
    }
}
