//! The query language: a hand-written lexer and recursive-descent parser.
//!
//! ```text
//! query   := group*                  groups are ANDed
//! group   := unary ("OR" unary)*     OR binds tighter than the implicit AND:
//!                                    `a b OR c` is a AND (b OR c)
//! unary   := "-" primary | primary   `-` excludes
//! primary := "(" query ")" | term
//! term    := word | "phrase" | field ":" value
//! value   := bare text | "quoted text"
//! ```
//!
//! `AND` (upper case) may be written between groups and changes nothing.
//! Fields (any case): `title:`, `author:`/`by:`, `tag:`/`region:`/`in:`,
//! `source:`, `date:`, `after:`, `before:`, `is:`, `has:`. Dates are `2003`,
//! `2003-10`, `2003-10-24`, or a time ago: `7d`, `2w`, `3m`, `1y`;
//! `date:` also takes ranges `A..B`, `A..`, `..B` (both ends included).
//! `after:X` is strictly after the period X, `before:X` strictly before it,
//! so `after:2003 before:2005` is the year 2004; `date:7d` is `after:7d`,
//! the last seven days.

//!
//! The tree is in [`super::syntax`], the errors in [`super::error`], the
//! lexer in `super::lex`; their public names are re-exported here.

use super::error::{DATE_HELP, FIELDS, HAS_VALUES, IS_VALUES, nearest};
use super::lex::{Tok, lex};
use super::text::fold_words;
use crate::article::Date;
use crate::search::fold;

pub use super::error::{ErrorKind, QueryError};
pub use super::syntax::{
    Expr, ExprKind, Flag, Part, Period, Query, Span, Term, TextField, Unit, days_in_month,
};

struct Parser {
    toks: Vec<(Tok, Span)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(t, _)| t)
    }

    fn span(&self) -> Span {
        self.toks.get(self.at).map_or(0..0, |(_, s)| s.clone())
    }

    /// Groups until the end or a `)` (left for the caller).
    fn sequence(&mut self, depth: usize) -> Result<Vec<Expr>, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => break,
                Some(Tok::Close) if depth > 0 => break,
                Some(Tok::Close) => {
                    return Err(QueryError {
                        kind: ErrorKind::UnbalancedParen,
                        span: self.span(),
                    });
                }
                Some(Tok::Or) => {
                    return Err(QueryError {
                        kind: ErrorKind::Dangling {
                            op: "OR",
                            side: "before",
                        },
                        span: self.span(),
                    });
                }
                Some(Tok::And) => {
                    let span = self.span();
                    self.at += 1;
                    let starts_term =
                        !matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And));
                    if items.is_empty() || !starts_term {
                        return Err(QueryError {
                            kind: ErrorKind::Dangling {
                                op: "AND",
                                side: if items.is_empty() { "before" } else { "after" },
                            },
                            span,
                        });
                    }
                }
                Some(_) => items.push(self.group(depth)?),
            }
        }
        Ok(items)
    }

    fn group(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let first = self.unary(depth)?;
        let mut items = vec![first];
        while self.peek() == Some(&Tok::Or) {
            let span = self.span();
            self.at += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                return Err(QueryError {
                    kind: ErrorKind::Dangling {
                        op: "OR",
                        side: "after",
                    },
                    span,
                });
            }
            items.push(self.unary(depth)?);
        }
        if items.len() == 1 {
            return Ok(items.remove(0));
        }
        let span = items[0].span.start..items[items.len() - 1].span.end;
        Ok(Expr {
            kind: ExprKind::Or(items),
            span,
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if self.peek() == Some(&Tok::Minus) {
            let span = self.span();
            self.at += 1;
            if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                return Err(QueryError {
                    kind: ErrorKind::NothingAfterMinus,
                    span,
                });
            }
            let inner = self.unary(depth)?;
            let span = span.start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let Some((tok, span)) = self.toks.get(self.at).cloned() else {
            return Err(QueryError {
                kind: ErrorKind::NothingAfterMinus,
                span: self.span(),
            });
        };
        self.at += 1;
        let term = match tok {
            Tok::Open => {
                let items = self.sequence(depth + 1)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(QueryError {
                        kind: ErrorKind::UnclosedParen,
                        span,
                    });
                }
                let close = self.span();
                self.at += 1;
                let whole = span.start..close.end;
                return match items.len() {
                    0 => Err(QueryError {
                        kind: ErrorKind::EmptyParens,
                        span: whole,
                    }),
                    1 => Ok(items.into_iter().next().unwrap_or_else(Expr::all)),
                    _ => Ok(Expr {
                        kind: ExprKind::And(items),
                        span: whole,
                    }),
                };
            }
            Tok::Word(w) => text_term(TextField::Any, &w, false),
            Tok::Phrase(p) => text_term(TextField::Any, &p, true),
            Tok::Field {
                name,
                name_span,
                value,
                quoted,
                value_span,
            } => field_term(&name, name_span, &value, quoted, value_span)?,
            // The callers check for these before coming here.
            Tok::Close | Tok::Or | Tok::And | Tok::Minus => {
                return Err(QueryError {
                    kind: ErrorKind::NothingAfterMinus,
                    span,
                });
            }
        };
        Ok(Expr {
            kind: ExprKind::Term(term),
            span,
        })
    }
}

fn text_term(field: TextField, raw: &str, quoted: bool) -> Term {
    Term::Text {
        field,
        words: fold_words(raw),
        raw: raw.to_owned(),
        quoted,
    }
}

fn field_term(
    name: &str,
    name_span: Span,
    value: &str,
    quoted: bool,
    value_span: Span,
) -> Result<Term, QueryError> {
    let field = name.to_ascii_lowercase();
    if !FIELDS.contains(&field.as_str()) {
        return Err(QueryError {
            kind: ErrorKind::UnknownField {
                field: name.to_owned(),
                suggestion: nearest(&field, FIELDS),
            },
            span: name_span,
        });
    }
    if value.trim().is_empty() {
        let example = match field.as_str() {
            "title" => "title:pipeline",
            "author" | "by" => "author:saralaeva",
            "tag" | "region" | "in" => "tag:\"Central Asia\"",
            "source" => "source:reuters.com",
            "date" => "date:2003-10",
            "after" | "before" => "after:2003-01-01",
            "is" => "is:unread",
            _ => "has:date",
        };
        return Err(QueryError {
            kind: ErrorKind::EmptyValue {
                field: name.to_owned(),
                example,
            },
            span: name_span.start..value_span.end,
        });
    }
    let bad_value = |choices: &'static [&'static str]| QueryError {
        kind: ErrorKind::UnknownValue {
            field: field.clone(),
            value: value.to_owned(),
            choices,
            suggestion: nearest(value, choices),
        },
        span: value_span.clone(),
    };
    let date_error = |reason: String| QueryError {
        kind: ErrorKind::BadDate {
            value: value.to_owned(),
            reason,
        },
        span: value_span.clone(),
    };
    let value = value.trim();
    Ok(match field.as_str() {
        "title" => text_term(TextField::Title, value, quoted),
        "author" | "by" => text_term(TextField::Author, value, quoted),
        "tag" | "region" | "in" => Term::Tag(value.to_owned()),
        // An empty host would match every source and read back as nothing;
        // a quote is in no host and cannot be written back inside one.
        "source" => match host_of(value) {
            host if host.is_empty() || host.contains('"') => {
                return Err(QueryError {
                    kind: ErrorKind::NoHost {
                        value: value.to_owned(),
                    },
                    span: value_span,
                });
            }
            host => Term::Source(host),
        },
        "is" => match value.to_lowercase().as_str() {
            "unread" => Term::Is(Flag::Unread),
            "read" => Term::Is(Flag::Read),
            "starred" => Term::Is(Flag::Starred),
            _ => return Err(bad_value(IS_VALUES)),
        },
        "has" => match value.to_lowercase().as_str() {
            "date" => Term::Has(Part::Date),
            "location" | "locations" | "tag" | "tags" => Term::Has(Part::Location),
            "source" | "url" => Term::Has(Part::Source),
            _ => return Err(bad_value(HAS_VALUES)),
        },
        "after" => Term::After(period(value).map_err(date_error)?),
        "before" => Term::Before(period(value).map_err(date_error)?),
        _ => match value.split_once("..") {
            None => match period(value).map_err(date_error)? {
                Period::Ago(n, unit) => Term::Recent(n, unit),
                p => Term::Date(Some(p), Some(p)),
            },
            Some((from, to)) => {
                let from = (!from.is_empty())
                    .then(|| period(from))
                    .transpose()
                    .map_err(date_error)?;
                let to = (!to.is_empty())
                    .then(|| period(to))
                    .transpose()
                    .map_err(date_error)?;
                if from.is_none() && to.is_none() {
                    return Err(date_error(format!("a range needs an end; {DATE_HELP}")));
                }
                if let (Some(a), Some(b)) = (from, to)
                    && let (Some((a_first, _)), Some((_, b_last))) = (a.fixed(), b.fixed())
                    && b_last < a_first
                {
                    return Err(date_error(
                        "the range ends before it starts: write the earlier date first".into(),
                    ));
                }
                Term::Date(from, to)
            }
        },
    })
}

/// The host part of a `source:` value: folded, without scheme, path or port.
fn host_of(value: &str) -> String {
    let folded = fold(value.trim());
    let rest = folded.split_once("://").map_or(folded.as_str(), |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    host.trim_matches('.').to_owned()
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads one date value: `2003`, `2003-10`, `2003-10-24`, `7d`, `2w`, `3m`, `1y`.
fn period(text: &str) -> Result<Period, String> {
    let text = text.trim();
    if let Some(unit) = text
        .chars()
        .last()
        .and_then(|c| match c.to_ascii_lowercase() {
            'd' => Some(Unit::Days),
            'w' => Some(Unit::Weeks),
            'm' => Some(Unit::Months),
            'y' => Some(Unit::Years),
            _ => None,
        })
    {
        let digits = &text[..text.len() - 1];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return match digits.parse::<u32>() {
                Ok(n) if n <= 100_000 => Ok(Period::Ago(n, unit)),
                _ => Err("that is too long ago: at most 100000 of a unit".into()),
            };
        }
    }
    let parts: Vec<&str> = text.split('-').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        || parts[0].len() != 4
        || parts[1..].iter().any(|p| p.len() > 2)
    {
        return Err(DATE_HELP.into());
    }
    let number = |p: &str| p.parse::<u32>().map_err(|_| DATE_HELP.to_owned());
    let year = number(parts[0])? as i32;
    if year == 0 {
        return Err("there is no year 0: years run from 1 to 9999".into());
    }
    if parts.len() == 1 {
        return Ok(Period::Year(year));
    }
    let month = number(parts[1])?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "there is no month {month}: months run from 1 to 12"
        ));
    }
    let month = month as u8;
    if parts.len() == 2 {
        return Ok(Period::Month(year, month));
    }
    let day = number(parts[2])?;
    match u8::try_from(day)
        .ok()
        .and_then(|d| Date::new(year, month, d))
    {
        Some(d) => Ok(Period::Day(d)),
        None => Err(format!(
            "{} {year} has {} days",
            MONTH_NAMES[month as usize - 1],
            days_in_month(year, month)
        )),
    }
}

impl Query {
    /// Reads a query. Blank text is the query of everything.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let toks = lex(text)?;
        let mut parser = Parser { toks, at: 0 };
        let mut items = parser.sequence(0)?;
        let expr = if items.len() == 1 {
            items.remove(0)
        } else {
            let span = match (items.first(), items.last()) {
                (Some(a), Some(b)) => a.span.start..b.span.end,
                _ => 0..0,
            };
            Expr {
                kind: ExprKind::And(items),
                span,
            }
        };
        Ok(Query { expr })
    }
}
