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

use std::fmt;
use std::ops::Range;

use thiserror::Error;

use super::text::{Highlights, fold_words};
use crate::article::Date;
use crate::regions::{Selector, TagIndex};
use crate::search::fold;

/// Byte offsets into the query text.
pub type Span = Range<usize>;

/// A parsed query: what the list shows. The empty query shows everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The expression; an empty `And` is everything.
    pub expr: Expr,
}

/// A node of the query with the part of the text it came from (empty for
/// parts built in code, like the Regions pane's selection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What the node means.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The shapes of a query node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// All of these (none: everything).
    And(Vec<Expr>),
    /// Any of these.
    Or(Vec<Expr>),
    /// Not this.
    Not(Box<Expr>),
    /// One condition.
    Term(Term),
}

/// Which text a word or phrase is looked for in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    /// Title, authors, standfirst and body.
    Any,
    /// The title only.
    Title,
    /// The author names only.
    Author,
}

/// A mark an article can carry (`is:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Not opened yet.
    Unread,
    /// Opened, or marked read.
    Read,
    /// Starred.
    Starred,
}

/// An optional part an article can have (`has:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A date.
    Date,
    /// At least one location tag.
    Location,
    /// A source URL.
    Source,
}

/// Units of a relative date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `d`
    Days,
    /// `w`
    Weeks,
    /// `m`
    Months,
    /// `y`
    Years,
}

/// A stretch of time as written: a year, a month, a day, or a day some time
/// before today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `2003`
    Year(i32),
    /// `2003-10`
    Month(i32, u8),
    /// `2003-10-24`
    Day(Date),
    /// `7d`: the day that long before today.
    Ago(u32, Unit),
}

/// One condition of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word or phrase.
    Text {
        /// Where to look.
        field: TextField,
        /// The folded tokens to find (empty: matches everything).
        words: Vec<String>,
        /// As written (without quotes).
        raw: String,
        /// Written in quotes.
        quoted: bool,
    },
    /// `tag:NAME`: a tag, a region group or an alias, resolved as the
    /// Regions pane resolves them.
    Tag(String),
    /// A selection made in the Regions pane, already resolved, with the name shown.
    Selected(Selector, String),
    /// `source:HOST`: the source URL's host is HOST or ends with `.HOST`.
    Source(String),
    /// `date:`: from the start of one period to the end of another, both
    /// ends included; a missing end is open.
    Date(Option<Period>, Option<Period>),
    /// `date:7d` and the like: after a time ago (what `after:7d` means).
    Recent(u32, Unit),
    /// `after:`: strictly after the period.
    After(Period),
    /// `before:`: strictly before the period.
    Before(Period),
    /// `is:`
    Is(Flag),
    /// `has:`
    Has(Part),
}

/// A query that cannot be read: what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct QueryError {
    /// What is wrong.
    pub kind: ErrorKind,
    /// The bytes of the query text it is about.
    pub span: Span,
}

impl QueryError {
    /// The column (1-based, in characters) where the problem starts in `text`.
    pub fn column(&self, text: &str) -> usize {
        text.get(..self.span.start)
            .map_or(1, |before| before.chars().count() + 1)
    }

    /// The message with its place, for the command line:
    /// `query, column 8: unknown field "auther:" — did you mean author:?`.
    pub fn report(&self, text: &str) -> String {
        format!("query, column {}: {self}", self.column(text))
    }
}

/// The ways a query can be wrong, each with a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ErrorKind {
    /// `auther:`
    #[error(
        "unknown field \"{field}:\"{}",
        match suggestion {
            Some(s) => format!(" — did you mean {s}:?"),
            None => format!(" — fields are {}; to search for text with a colon, put it in quotes", FIELD_LIST),
        }
    )]
    UnknownField {
        /// The field as written.
        field: String,
        /// The nearest known field.
        suggestion: Option<&'static str>,
    },
    /// `"abc`
    #[error("unclosed quote: add a closing \"")]
    UnclosedQuote,
    /// `(abc`
    #[error("unclosed parenthesis: add a closing )")]
    UnclosedParen,
    /// `abc)`
    #[error("unbalanced parenthesis: this ) closes nothing")]
    UnbalancedParen,
    /// `()`
    #[error("empty parentheses: put a term inside or remove them")]
    EmptyParens,
    /// `author:`
    #[error("empty value after \"{field}:\": write what to look for, e.g. {example}")]
    EmptyValue {
        /// The field as written.
        field: String,
        /// An example of a good value.
        example: &'static str,
    },
    /// `date:2003-02-30`
    #[error("{value:?} is not a date: {reason}")]
    BadDate {
        /// The value as written.
        value: String,
        /// Why, and what would do.
        reason: String,
    },
    /// `is:stared`
    #[error(
        "unknown value \"{field}:{value}\" — {}",
        match suggestion {
            Some(s) => format!("did you mean {field}:{s}?"),
            None => format!("use one of {}", choices.join(", ")),
        }
    )]
    UnknownValue {
        /// The field as written (lower case).
        field: String,
        /// The value as written.
        value: String,
        /// The values that work.
        choices: &'static [&'static str],
        /// The nearest of them.
        suggestion: Option<&'static str>,
    },
    /// `OR` or `AND` without a term on one side.
    #[error("{op} needs a term {side} it")]
    Dangling {
        /// `OR` or `AND`.
        op: &'static str,
        /// `before` or `after`.
        side: &'static str,
    },
    /// `-` followed by nothing to exclude.
    #[error("nothing to exclude after -: write -word or -field:value")]
    NothingAfterMinus,
    /// `source:https://` or `source:/path`: an address without a host.
    #[error("\"{value}\" names no host: write one, e.g. source:reuters.com")]
    NoHost {
        /// The value as written.
        value: String,
    },
}

const FIELDS: &[&str] = &[
    "title", "author", "by", "tag", "region", "in", "source", "date", "after", "before", "is",
    "has",
];
const FIELD_LIST: &str =
    "title: author: by: tag: region: in: source: date: after: before: is: has:";
const IS_VALUES: &[&str] = &["unread", "read", "starred"];
const HAS_VALUES: &[&str] = &["date", "location", "source"];
const DATE_HELP: &str = "write a year (2003), a month (2003-10), a day (2003-10-24), \
                         a range (2003-01..2003-06) or a time ago (7d, 2w, 3m, 1y)";

/// The closest of `choices` to `word`, when it is close enough to be a typo.
fn nearest(word: &str, choices: &[&'static str]) -> Option<&'static str> {
    let word = word.to_lowercase();
    choices
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&word, c), *c))
        .filter(|(d, c)| *d <= if c.len() <= 3 { 1 } else { 2 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
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

fn ends_bare(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')'
}

/// Cuts the query text into tokens with their spans.
fn lex(text: &str) -> Result<Vec<(Tok, Span)>, QueryError> {
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

/// Days in a month of a year (0 for a month that does not exist).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    (28..=31)
        .rev()
        .find(|&d| Date::new(year, month, d).is_some())
        .unwrap_or(0)
}

impl Period {
    /// First and last day, for periods that do not depend on today.
    pub fn fixed(&self) -> Option<(Date, Date)> {
        match *self {
            Period::Year(y) => Some((Date::new(y, 1, 1)?, Date::new(y, 12, 31)?)),
            Period::Month(y, m) => {
                Some((Date::new(y, m, 1)?, Date::new(y, m, days_in_month(y, m))?))
            }
            Period::Day(d) => Some((d, d)),
            Period::Ago(..) => None,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Period::Day(d) => write!(f, "{d}"),
            Period::Ago(n, u) => write!(f, "{n}{}", u.letter()),
        }
    }
}

impl Unit {
    fn letter(self) -> char {
        match self {
            Unit::Days => 'd',
            Unit::Weeks => 'w',
            Unit::Months => 'm',
            Unit::Years => 'y',
        }
    }

    fn name(self, n: u32) -> String {
        let word = match self {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        }
    }
}

impl Expr {
    /// Everything: the empty conjunction.
    pub fn all() -> Expr {
        Expr {
            kind: ExprKind::And(Vec::new()),
            span: 0..0,
        }
    }

    fn term(term: Term) -> Expr {
        Expr {
            kind: ExprKind::Term(term),
            span: 0..0,
        }
    }

    fn is_all(&self) -> bool {
        matches!(&self.kind, ExprKind::And(items) if items.is_empty())
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

    /// The query of everything.
    pub fn all() -> Query {
        Query { expr: Expr::all() }
    }

    /// Whether this is the query of everything.
    pub fn is_all(&self) -> bool {
        self.expr.is_all()
    }

    /// Both this and `other`: how the prompt, the Regions pane's selection and
    /// the unread-only and starred-only switches combine into one query.
    pub fn and(self, other: Query) -> Query {
        if self.is_all() {
            return other;
        }
        if other.is_all() {
            return self;
        }
        let mut items = Vec::new();
        for e in [self.expr, other.expr] {
            match e.kind {
                ExprKind::And(inner) => items.extend(inner),
                kind => items.push(Expr { kind, span: e.span }),
            }
        }
        Query {
            expr: Expr {
                kind: ExprKind::And(items),
                span: 0..0,
            },
        }
    }

    /// The Regions pane's selection: any of these (none: everything).
    pub fn regions(selectors: &[Selector], index: &TagIndex) -> Query {
        let mut items: Vec<Expr> = selectors
            .iter()
            .map(|s| Expr::term(Term::Selected(s.clone(), index.name_of(s))))
            .collect();
        let expr = match items.len() {
            0 => Expr::all(),
            1 => items.remove(0),
            _ => Expr {
                kind: ExprKind::Or(items),
                span: 0..0,
            },
        };
        Query { expr }
    }

    /// Articles carrying a mark: `is:unread` for unread-only, `is:starred`
    /// for starred-only.
    pub fn flag(flag: Flag) -> Query {
        Query {
            expr: Expr::term(Term::Is(flag)),
        }
    }

    /// The positive words and phrases (not under a `-`), in query order.
    pub fn words(&self) -> Vec<(TextField, Vec<String>)> {
        fn walk(e: &Expr, negated: bool, out: &mut Vec<(TextField, Vec<String>)>) {
            match &e.kind {
                ExprKind::And(items) | ExprKind::Or(items) => {
                    items.iter().for_each(|i| walk(i, negated, out));
                }
                ExprKind::Not(inner) => walk(inner, !negated, out),
                ExprKind::Term(Term::Text { field, words, .. })
                    if !negated && !words.is_empty() =>
                {
                    out.push((*field, words.clone()));
                }
                ExprKind::Term(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.expr, false, &mut out);
        out
    }

    /// The `tag:` values that name no tag, region group or alias of the
    /// archive, with where they are written: they match nothing, and the
    /// prompt can say why the list is empty.
    pub fn unknown_tags(&self, index: &TagIndex) -> Vec<(String, Span)> {
        fn walk(e: &Expr, index: &TagIndex, out: &mut Vec<(String, Span)>) {
            match &e.kind {
                ExprKind::And(items) | ExprKind::Or(items) => {
                    items.iter().for_each(|i| walk(i, index, out));
                }
                ExprKind::Not(inner) => walk(inner, index, out),
                ExprKind::Term(Term::Tag(name)) if index.resolve(name).is_none() => {
                    out.push((name.clone(), e.span.clone()));
                }
                ExprKind::Term(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.expr, index, &mut out);
        out
    }

    /// Whether the query looks for words (so relevance can order the list).
    pub fn has_words(&self) -> bool {
        !self.words().is_empty()
    }

    /// What the reader highlights: every positive word and phrase.
    pub fn highlights(&self) -> Highlights {
        Highlights::new(self.words().into_iter().map(|(_, w)| w).collect())
    }

    /// The query in words, for the status bar: `containing "water", in
    /// Central Asia, by saralaeva, after 2003-01-01, unread`.
    pub fn describe(&self) -> String {
        if self.is_all() {
            return "all articles".into();
        }
        describe(&self.expr, false)
    }
}

fn describe(e: &Expr, nested: bool) -> String {
    match &e.kind {
        ExprKind::And(items) if items.is_empty() => "all articles".into(),
        ExprKind::And(items) => {
            let s = items
                .iter()
                .map(|i| describe(i, true))
                .collect::<Vec<_>>()
                .join(", ");
            if nested { format!("({s})") } else { s }
        }
        ExprKind::Or(items) => {
            let s = items
                .iter()
                .map(|i| describe(i, true))
                .collect::<Vec<_>>()
                .join(" or ");
            if nested { format!("({s})") } else { s }
        }
        ExprKind::Not(inner) => match &inner.kind {
            ExprKind::Term(Term::Is(Flag::Unread)) => "read".into(),
            ExprKind::Term(Term::Is(Flag::Read)) => "unread".into(),
            ExprKind::Term(Term::Is(Flag::Starred)) => "not starred".into(),
            ExprKind::Term(Term::Has(p)) => format!("without {}", part_name(*p)),
            ExprKind::Term(Term::Text {
                field: TextField::Any,
                raw,
                ..
            }) => format!("without \"{raw}\""),
            _ => format!("not {}", describe(inner, true)),
        },
        ExprKind::Term(t) => describe_term(t),
    }
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Date => "a date",
        Part::Location => "a location",
        Part::Source => "a source",
    }
}

fn describe_period(p: &Period) -> String {
    match p {
        Period::Ago(n, u) => format!("{} ago", u.name(*n)),
        p => p.to_string(),
    }
}

fn describe_term(t: &Term) -> String {
    match t {
        Term::Text { field, raw, .. } => match field {
            TextField::Any => format!("containing \"{raw}\""),
            TextField::Title => format!("titled \"{raw}\""),
            TextField::Author => format!("by {raw}"),
        },
        Term::Tag(name) => format!("in {name}"),
        Term::Selected(Selector::NoLocation, _) => "with no location".into(),
        Term::Selected(_, name) => format!("in {name}"),
        Term::Source(host) => format!("from {host}"),
        Term::Date(Some(a), Some(b)) if a == b => format!("dated {a}"),
        Term::Date(Some(a), Some(b)) => format!("dated {a} to {b}"),
        Term::Date(Some(a), None) => format!("dated {a} or later"),
        Term::Date(None, Some(b)) => format!("dated {b} or earlier"),
        Term::Date(None, None) => "dated".into(),
        Term::Recent(n, u) => format!("from the last {}", u.name(*n)),
        Term::After(p) => format!("after {}", describe_period(p)),
        Term::Before(p) => format!("before {}", describe_period(p)),
        Term::Is(Flag::Unread) => "unread".into(),
        Term::Is(Flag::Read) => "read".into(),
        Term::Is(Flag::Starred) => "starred".into(),
        Term::Has(p) => format!("with {}", part_name(*p)),
    }
}

/// A value as the query language reads it back: quoted when it holds
/// spaces or parentheses.
fn value(v: &str, quoted: bool) -> String {
    if quoted || v.is_empty() || v.chars().any(ends_bare) || v.starts_with('"') {
        format!("\"{v}\"")
    } else {
        v.to_owned()
    }
}

impl fmt::Display for Query {
    /// The query as text that reads back to the same query (for saved views).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grouped = |e: &Expr| match &e.kind {
            ExprKind::And(items) | ExprKind::Or(items) if items.len() != 1 => format!("({e})"),
            _ => e.to_string(),
        };
        match &self.kind {
            ExprKind::And(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|i| match &i.kind {
                        ExprKind::And(_) => grouped(i),
                        _ => i.to_string(),
                    })
                    .collect();
                write!(f, "{}", parts.join(" "))
            }
            ExprKind::Or(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|i| match &i.kind {
                        ExprKind::Term(_) | ExprKind::Not(_) => i.to_string(),
                        _ => grouped(i),
                    })
                    .collect();
                write!(f, "{}", parts.join(" OR "))
            }
            ExprKind::Not(inner) => match &inner.kind {
                ExprKind::Term(_) => write!(f, "-{inner}"),
                _ => write!(f, "-{}", grouped(inner)),
            },
            ExprKind::Term(t) => match t {
                Term::Text {
                    field, raw, quoted, ..
                } => match field {
                    TextField::Any if *quoted || raw == "OR" || raw == "AND" => {
                        write!(f, "\"{raw}\"")
                    }
                    TextField::Any => write!(f, "{raw}"),
                    TextField::Title => write!(f, "title:{}", value(raw, *quoted)),
                    TextField::Author => write!(f, "author:{}", value(raw, *quoted)),
                },
                Term::Tag(name) | Term::Selected(_, name) => {
                    write!(f, "tag:{}", value(name, false))
                }
                Term::Source(host) => write!(f, "source:{}", value(host, false)),
                // `date:P..P` reads back as `date:P` only for a fixed period:
                // `date:13m` alone means the last 13 months, not that one day.
                Term::Date(Some(a), Some(b)) if a == b && !matches!(a, Period::Ago(..)) => {
                    write!(f, "date:{a}")
                }
                Term::Date(a, b) => {
                    let show = |p: &Option<Period>| p.map(|p| p.to_string()).unwrap_or_default();
                    write!(f, "date:{}..{}", show(a), show(b))
                }
                Term::Recent(n, u) => write!(f, "date:{n}{}", u.letter()),
                Term::After(p) => write!(f, "after:{p}"),
                Term::Before(p) => write!(f, "before:{p}"),
                Term::Is(flag) => write!(
                    f,
                    "is:{}",
                    match flag {
                        Flag::Unread => "unread",
                        Flag::Read => "read",
                        Flag::Starred => "starred",
                    }
                ),
                Term::Has(p) => write!(
                    f,
                    "has:{}",
                    match p {
                        Part::Date => "date",
                        Part::Location => "location",
                        Part::Source => "source",
                    }
                ),
            },
        }
    }
}
