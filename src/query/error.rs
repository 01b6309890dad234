//! What can be wrong with a query: [`QueryError`] (a kind and a span) with
//! messages a person can act on, and the "did you mean" for fields and values.

use thiserror::Error;

use super::syntax::Span;

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

pub(super) const FIELDS: &[&str] = &[
    "title", "author", "by", "tag", "region", "in", "source", "date", "after", "before", "is",
    "has",
];
const FIELD_LIST: &str =
    "title: author: by: tag: region: in: source: date: after: before: is: has:";
pub(super) const IS_VALUES: &[&str] = &["unread", "read", "starred"];
pub(super) const HAS_VALUES: &[&str] = &["date", "location", "source"];
pub(super) const DATE_HELP: &str = "write a year (2003), a month (2003-10), a day (2003-10-24), \
                         a range (2003-01..2003-06) or a time ago (7d, 2w, 3m, 1y)";

/// The closest of `choices` to `word`, when it is close enough to be a typo.
pub(super) fn nearest(word: &str, choices: &[&'static str]) -> Option<&'static str> {
    let word = word.to_lowercase();
    choices
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&word, c), *c))
        .filter(|(d, c)| *d <= if c.len() <= 3 { 1 } else { 2 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
