//! The query's syntax tree: [`Query`], its nodes and terms, the ways of
//! building one in code (the Regions pane's selection, the unread-only and
//! starred-only switches), what it looks for, and how it reads back: as the
//! query language ([`fmt::Display`]) and in words for the status bar.

use std::fmt;
use std::ops::Range;

use super::lex::ends_bare;
use super::text::Highlights;
use crate::article::Date;
use crate::regions::{Selector, TagIndex};

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

    /// A node for one term, written nowhere (built in code).
    pub(super) fn term(term: Term) -> Expr {
        Expr {
            kind: ExprKind::Term(term),
            span: 0..0,
        }
    }

    /// Whether this is the empty conjunction (everything).
    pub(super) fn is_all(&self) -> bool {
        matches!(&self.kind, ExprKind::And(items) if items.is_empty())
    }
}

impl Query {
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
