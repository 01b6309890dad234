//! Inline markdown in body blocks: emphasis and links reduced to text.

use super::plain::link_at_start;
use super::*;

/// Removes inline markdown punctuation, recording what it styled.
pub fn inline_markdown(kind: BlockKind, source: &str) -> Block {
    let mut text = String::with_capacity(source.len());
    let mut emphasis = Vec::new();
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        let marker = if rest.starts_with("**") {
            Some("**")
        } else if rest.starts_with("__") {
            Some("__")
        } else if c == '*' || c == '_' || c == '`' {
            Some(&rest[..1])
        } else {
            None
        };
        if let Some(m) = marker {
            if let Some(pos) = open.iter().rposition(|(o, _)| *o == m) {
                let (_, start) = open.remove(pos);
                let style = match m {
                    "**" | "__" => Emphasis::Bold,
                    "`" => Emphasis::Code,
                    _ => Emphasis::Italic,
                };
                if start < text.len() {
                    emphasis.push((start..text.len(), style));
                }
                rest = &rest[m.len()..];
                continue;
            }
            let next = rest[m.len()..].chars().next();
            // An opening marker must touch a word and have a closing partner.
            let word_inside = next.is_some_and(|n| !n.is_whitespace());
            let word_before = text.chars().last().is_some_and(char::is_alphanumeric);
            if word_inside && !(m == "_" && word_before) && rest[m.len()..].contains(m) {
                open.push((m, text.len()));
                rest = &rest[m.len()..];
                continue;
            }
        }
        if c == '['
            && let Some((label, _target, len)) = link_at_start(rest)
        {
            let label = inline_markdown(kind, label);
            let start = text.len();
            for (r, e) in label.emphasis {
                emphasis.push((r.start + start..r.end + start, e));
            }
            text.push_str(&label.text);
            emphasis.push((start..text.len(), Emphasis::Link));
            rest = &rest[len..];
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    emphasis.sort_by_key(|(r, _)| r.start);
    Block {
        kind,
        text,
        emphasis,
    }
}
