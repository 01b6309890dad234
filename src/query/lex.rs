//! The query's lexer: text cut into tokens with their byte spans.

use super::error::{ErrorKind, QueryError};
use super::syntax::Span;

/// One token: a parenthesis, an operator, a word, a phrase or `field:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Open,
    Close,
    Or,
    And,
    Minus,
    Word(String),
    Phrase(String),
    Field {
        name: String,
        name_span: Span,
        value: String,
        quoted: bool,
        value_span: Span,
    },
}

/// Whether `c` ends a bare word (so a value holding it must be quoted).
pub(super) fn ends_bare(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')'
}

/// Cuts the query text into tokens with their spans.
pub(super) fn lex(text: &str) -> Result<Vec<(Tok, Span)>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    let next_char = |i: usize| text[i..].chars().next();
    // A bare run from `i`: up to whitespace or a parenthesis.
    let bare_end = |i: usize| {
        text[i..]
            .char_indices()
            .find(|&(_, c)| ends_bare(c))
            .map_or(text.len(), |(n, _)| i + n)
    };
    // A quoted run whose opening quote is at `i`: (content, end after the quote).
    let quoted = |i: usize| -> Result<(String, usize), QueryError> {
        match text[i + 1..].find('"') {
            Some(n) => Ok((text[i + 1..i + 1 + n].to_owned(), i + n + 2)),
            None => Err(QueryError {
                kind: ErrorKind::UnclosedQuote,
                span: i..text.len(),
            }),
        }
    };
    while let Some(c) = next_char(i) {
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        match c {
            '(' => {
                out.push((Tok::Open, i..i + 1));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, i..i + 1));
                i += 1;
            }
            '-' if next_char(i + 1).is_some_and(|n| !ends_bare(n) || n == '(') => {
                out.push((Tok::Minus, i..i + 1));
                i += 1;
            }
            '"' => {
                let (content, end) = quoted(i)?;
                out.push((Tok::Phrase(content), i..end));
                i = end;
            }
            _ => {
                let letters = text[i..]
                    .char_indices()
                    .find(|&(_, c)| !c.is_ascii_alphabetic())
                    .map_or(text.len(), |(n, _)| i + n);
                if letters > i && text[letters..].starts_with(':') {
                    let name = text[i..letters].to_owned();
                    let name_span = i..letters + 1;
                    let v = letters + 1;
                    let (value, quoted_value, end) = if text[v..].starts_with('"') {
                        let (content, end) = quoted(v)?;
                        (content, true, end)
                    } else {
                        let end = bare_end(v);
                        (text[v..end].to_owned(), false, end)
                    };
                    out.push((
                        Tok::Field {
                            name,
                            name_span: name_span.clone(),
                            value,
                            quoted: quoted_value,
                            value_span: v..end,
                        },
                        i..end,
                    ));
                    i = end;
                } else {
                    let end = bare_end(i);
                    let word = &text[i..end];
                    let tok = match word {
                        "OR" => Tok::Or,
                        "AND" => Tok::And,
                        _ => Tok::Word(word.to_owned()),
                    };
                    out.push((tok, i..end));
                    i = end;
                }
            }
        }
    }
    Ok(out)
}
