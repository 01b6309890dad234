//! Running a query over the whole archive, term at a time, to a set of ids.
//!
//! Each node is evaluated *within* the ids still in play: an AND runs its
//! cheap terms first (tags by the tag index, dates, marks and `has:` by
//! small per-article facts, no text touched), so its words only scan the few
//! articles those left. Words and phrases go through [`TextSearch`]; today
//! [`Scan`] answers them from each article's prepared [`Words`], later an
//! inverted index can answer them instead without changing anything here.

use super::parse::{Expr, ExprKind, Flag, Part, Period, Query, Term, TextField, Unit};
use super::text::{Matcher, Words};
use crate::article::{Article, Date};
use crate::regions::{Selector, TagIndex};
use crate::search::fold;
use crate::state::Marks;

/// A set of article ids (indices into the archive) as a bitset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    bits: Vec<u64>,
    len: usize,
}

impl Ids {
    /// No ids, over an archive of `len` articles.
    pub fn none(len: usize) -> Ids {
        Ids {
            bits: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every id below `len`.
    pub fn all(len: usize) -> Ids {
        let mut ids = Ids {
            bits: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        ids.trim();
        ids
    }

    fn trim(&mut self) {
        if !self.len.is_multiple_of(64)
            && let Some(last) = self.bits.last_mut()
        {
            *last &= (1u64 << (self.len % 64)) - 1;
        }
    }

    /// The size of the archive the set is over.
    pub fn universe(&self) -> usize {
        self.len
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: usize) -> bool {
        id < self.len && self.bits[id / 64] & (1 << (id % 64)) != 0
    }

    /// Adds `id` (ignored past the end).
    pub fn insert(&mut self, id: usize) {
        if id < self.len {
            self.bits[id / 64] |= 1 << (id % 64);
        }
    }

    /// How many ids are in the set.
    pub fn count(&self) -> usize {
        self.bits.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|&b| b == 0)
    }

    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &bits)| {
            let mut rest = bits;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + bit
                })
            })
        })
    }

    /// The ids as a list, ascending.
    pub fn to_vec(&self) -> Vec<usize> {
        self.iter().collect()
    }

    /// As a membership mask (what [`TagIndex::count`] takes for the counts).
    pub fn to_mask(&self) -> Vec<bool> {
        (0..self.len).map(|i| self.contains(i)).collect()
    }

    /// Keeps only ids also in `other`.
    pub fn intersect(&mut self, other: &Ids) {
        self.bits
            .iter_mut()
            .zip(&other.bits)
            .for_each(|(a, b)| *a &= b);
    }

    /// Adds the ids of `other`.
    pub fn union(&mut self, other: &Ids) {
        self.bits
            .iter_mut()
            .zip(&other.bits)
            .for_each(|(a, b)| *a |= b);
    }

    /// Removes the ids of `other`.
    pub fn subtract(&mut self, other: &Ids) {
        self.bits
            .iter_mut()
            .zip(&other.bits)
            .for_each(|(a, b)| *a &= !b);
    }

    /// The ids of `self` for which `keep` holds.
    pub fn filter(&self, mut keep: impl FnMut(usize) -> bool) -> Ids {
        let mut out = Ids::none(self.len);
        for i in self.iter() {
            if keep(i) {
                out.insert(i);
            }
        }
        out
    }
}

/// The cheap facts of an article that non-text terms look at, kept together
/// so those terms run over a small dense array: 8 bytes (the date is the
/// sort keys', [`Context::dates`]; the host is where it is in the source
/// URL, so no name is made for it: an export can have a host per article).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Where the source URL's host is in it.
    host: HostAt,
    /// Whether it has at least one location tag.
    pub has_location: bool,
    /// Whether it has a source URL.
    pub has_source: bool,
}

/// Where an article's host is, for [`Meta::host`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum HostAt {
    /// No source URL, or no host in it.
    #[default]
    None,
    /// Bytes `start..start + len` of the source URL, already folded and
    /// without a trailing dot (almost every host).
    At { start: u16, len: u16 },
    /// Folded when asked (capitals, non-ASCII, or past 64 KiB of URL).
    Fold,
}

impl Meta {
    /// The facts of one article.
    pub fn new(article: &Article) -> Meta {
        let url = article
            .source_url
            .as_deref()
            .filter(|u| !u.trim().is_empty());
        Meta {
            host: url.map_or(HostAt::None, host_at),
            has_location: article.locations.iter().any(|t| !t.trim().is_empty()),
            has_source: url.is_some(),
        }
    }

    /// The facts of many articles.
    pub fn many(articles: &[Article]) -> impl Iterator<Item = Meta> + '_ {
        articles.iter().map(Meta::new)
    }

    /// The source URL's host of `article` (the one these facts are of),
    /// folded, without a trailing dot: as [`host_of`] gives it.
    pub fn host<'a>(&self, article: &'a Article) -> Option<std::borrow::Cow<'a, str>> {
        let url = article.source_url.as_deref()?;
        match self.host {
            HostAt::None => None,
            HostAt::At { start, len } => {
                let start = usize::from(start);
                url.get(start..start + usize::from(len)).map(Into::into)
            }
            HostAt::Fold => host_of(url).map(Into::into),
        }
    }
}

/// Where the host of `url` is in it (see [`HostAt`]).
fn host_at(url: &str) -> HostAt {
    let Some(raw) = raw_host(url) else {
        return HostAt::None;
    };
    let host = raw.trim_end_matches('.');
    if host.is_empty() {
        return HostAt::None;
    }
    // `raw` is a part of `url`.
    let start = raw.as_ptr() as usize - url.as_ptr() as usize;
    match (
        is_folded(host),
        u16::try_from(start),
        u16::try_from(host.len()),
    ) {
        (true, Ok(start), Ok(len)) => HostAt::At { start, len },
        _ => HostAt::Fold,
    }
}

/// The prepared words of one article, built once (when it is loaded or on
/// the first search) and reused for every keystroke.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleWords {
    /// Title, authors, standfirst and body, one segment each.
    pub all: Words,
    /// The title.
    pub title: Words,
    /// The authors, one segment each.
    pub authors: Words,
}

impl ArticleWords {
    /// Prepares the words of one article.
    pub fn new(article: &Article) -> ArticleWords {
        let segments = std::iter::once(article.title.as_str())
            .chain(article.authors.iter().map(|a| a.as_str()))
            .chain(std::iter::once(article.standfirst()))
            .chain(article.body().iter().map(|b| b.text.as_str()));
        ArticleWords {
            all: Words::new(segments),
            title: Words::new([article.title.as_str()]),
            authors: Words::new(article.authors.iter().map(|a| a.as_str())),
        }
    }

    /// The words of one field.
    pub fn field(&self, field: TextField) -> &Words {
        match field {
            TextField::Any => &self.all,
            TextField::Title => &self.title,
            TextField::Author => &self.authors,
        }
    }
}

/// What answers word and phrase terms: a scan of prepared words today, an
/// inverted index later.
pub trait TextSearch {
    /// The ids in `within` whose `field` matches `term` (folded tokens; see
    /// [`crate::query::text`] for what matching means).
    fn matching(&self, field: TextField, term: &[String], within: &Ids) -> Ids;

    /// How often `term` occurs in `field` of article `id` (for relevance).
    fn count(&self, field: TextField, term: &[String], id: usize) -> usize;
}

/// Answers text terms by looking at each candidate's prepared words.
#[derive(Debug, Clone, Copy)]
pub struct Scan<'a>(pub &'a [ArticleWords]);

impl TextSearch for Scan<'_> {
    fn matching(&self, field: TextField, term: &[String], within: &Ids) -> Ids {
        let term = Matcher::new(term);
        within.filter(|i| self.0.get(i).is_some_and(|w| w.field(field).matches(&term)))
    }

    fn count(&self, field: TextField, term: &[String], id: usize) -> usize {
        let term = Matcher::new(term);
        self.0.get(id).map_or(0, |w| w.field(field).count(&term))
    }
}

/// Everything a query is evaluated against. `today` is given, never read
/// from the clock here, so results are reproducible.
pub struct Context<'a> {
    /// Cheap facts, one per article.
    pub meta: &'a [Meta],
    /// Each article's date, beside `meta`.
    pub dates: &'a [Option<Date>],
    /// The articles `meta` is of, by id (for their source URLs).
    pub articles: &'a [Article],
    /// Answers word and phrase terms.
    pub text: &'a dyn TextSearch,
    /// Location tags, under the configured region rules.
    pub index: &'a TagIndex,
    /// Read and starred marks, one per article (missing: unread, unstarred).
    pub marks: &'a [Marks],
    /// The day relative dates count back from.
    pub today: Date,
}

/// The host of a URL (`scheme://user@host:port/path`), folded, without a
/// trailing dot. Parsed here rather than by a URL library so the reader
/// builds without the feed stack. (No name is made for it: a list row's
/// host is not kept past its frame.)
pub fn host_of(url: &str) -> Option<String> {
    let host = raw_host(url)?;
    let host = if is_folded(host) {
        host.trim_end_matches('.').to_owned()
    } else {
        fold(host).trim_end_matches('.').to_owned()
    };
    (!host.is_empty()).then_some(host)
}

/// Whether `host` is as folding makes it (ASCII, no capitals).
fn is_folded(host: &str) -> bool {
    host.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

/// The host part of a URL, as written.
fn raw_host(url: &str) -> Option<&str> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host.split(':').next()?
    };
    Some(host)
}

/// Today (UTC), from the clock: what relative dates (`after:7d`) count from.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    civil_from_days(days as i64)
}

/// Days since 1970-01-01 (proleptic Gregorian).
pub fn days_from_civil(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01, clamped to the years 1 to 9999.
pub fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    if year < 1 {
        return Date {
            year: 1,
            month: 1,
            day: 1,
        };
    }
    if year > 9999 {
        return Date {
            year: 9999,
            month: 12,
            day: 31,
        };
    }
    Date {
        year: year as i32,
        month,
        day,
    }
}

/// The day `n` units before `today` (a month back from 31 March is the last
/// day of February).
pub fn ago(today: Date, n: u32, unit: Unit) -> Date {
    let back_months = |months: i64| {
        let total = i64::from(today.year) * 12 + i64::from(today.month) - 1 - months;
        let year = total.div_euclid(12);
        let month = (total.rem_euclid(12) + 1) as u8;
        if year < 1 {
            return Date {
                year: 1,
                month: 1,
                day: 1,
            };
        }
        let year = year as i32;
        let day = today.day.min(super::parse::days_in_month(year, month));
        Date::new(year, month, day).unwrap_or(today)
    };
    match unit {
        Unit::Days => civil_from_days(days_from_civil(today) - i64::from(n)),
        Unit::Weeks => civil_from_days(days_from_civil(today) - 7 * i64::from(n)),
        Unit::Months => back_months(i64::from(n)),
        Unit::Years => back_months(12 * i64::from(n)),
    }
}

/// First and last day of a period, given today.
pub fn period_days(p: &Period, today: Date) -> (Date, Date) {
    match p.fixed() {
        Some(days) => days,
        None => match *p {
            Period::Ago(n, unit) => {
                let d = ago(today, n, unit);
                (d, d)
            }
            // `fixed` answers for every other period.
            _ => (today, today),
        },
    }
}

fn next_day(d: Date) -> Date {
    civil_from_days(days_from_civil(d) + 1)
}

fn previous_day(d: Date) -> Date {
    civil_from_days(days_from_civil(d) - 1)
}

/// The dates a date term accepts, as an inclusive range (`None`: open).
pub fn date_bounds(term: &Term, today: Date) -> Option<(Option<Date>, Option<Date>)> {
    Some(match term {
        Term::Date(from, to) => (
            from.as_ref().map(|p| period_days(p, today).0),
            to.as_ref().map(|p| period_days(p, today).1),
        ),
        Term::Recent(n, unit) => (Some(next_day(ago(today, *n, *unit))), None),
        Term::After(p) => (Some(next_day(period_days(p, today).1)), None),
        Term::Before(p) => (None, Some(previous_day(period_days(p, today).0))),
        _ => return None,
    })
}

/// Whether a host is `want` or a subdomain of it.
pub fn host_matches(host: &str, want: &str) -> bool {
    host == want
        || (host.len() > want.len()
            && host.ends_with(want)
            && host.as_bytes()[host.len() - want.len() - 1] == b'.')
}

impl Context<'_> {
    /// How many articles there are.
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    /// Whether the archive is empty.
    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Article `i`'s date.
    fn date(&self, i: usize) -> Option<Date> {
        self.dates.get(i).copied().flatten()
    }

    /// The ids matching `query`.
    pub fn matching(&self, query: &Query) -> Ids {
        self.eval(&query.expr, Ids::all(self.len()))
    }

    /// The ids matching `query` among `within` (to count under the rest of
    /// a query, or to re-check a few changed articles).
    pub fn matching_within(&self, query: &Query, within: Ids) -> Ids {
        self.eval(&query.expr, within)
    }

    fn eval(&self, e: &Expr, within: Ids) -> Ids {
        match &e.kind {
            ExprKind::And(items) => {
                let mut order: Vec<&Expr> = items.iter().collect();
                order.sort_by_key(|e| cost(e));
                let mut acc = within;
                for item in order {
                    if acc.is_empty() {
                        break;
                    }
                    acc = self.eval(item, acc);
                }
                acc
            }
            ExprKind::Or(items) => {
                let mut order: Vec<&Expr> = items.iter().collect();
                order.sort_by_key(|e| cost(e));
                let mut out = Ids::none(within.universe());
                let mut rest = within;
                for item in order {
                    if rest.is_empty() {
                        break;
                    }
                    // An id one side took need not be looked at again.
                    let got = self.eval(item, rest.clone());
                    rest.subtract(&got);
                    out.union(&got);
                }
                out
            }
            ExprKind::Not(inner) => {
                let got = self.eval(inner, within.clone());
                let mut out = within;
                out.subtract(&got);
                out
            }
            ExprKind::Term(t) => self.term(t, within),
        }
    }

    fn selected(&self, selector: Option<Selector>, within: &Ids) -> Ids {
        let mut out = Ids::none(within.universe());
        if let Some(s) = selector {
            for &i in self.index.articles_of(&s) {
                out.insert(i as usize);
            }
        }
        out.intersect(within);
        out
    }

    fn term(&self, t: &Term, within: Ids) -> Ids {
        let marks = |i: usize| self.marks.get(i).copied().unwrap_or_default();
        match t {
            Term::Text { field, words, .. } => {
                if words.is_empty() {
                    within
                } else {
                    self.text.matching(*field, words, &within)
                }
            }
            Term::Tag(name) => self.selected(self.index.resolve(name), &within),
            Term::Selected(s, _) => self.selected(Some(s.clone()), &within),
            Term::Source(want) => within.filter(|i| {
                self.articles
                    .get(i)
                    .and_then(|a| self.meta[i].host(a))
                    .is_some_and(|host| host_matches(&host, want))
            }),
            Term::Date(..) | Term::Recent(..) | Term::After(_) | Term::Before(_) => {
                let Some((lo, hi)) = date_bounds(t, self.today) else {
                    return Ids::none(within.universe());
                };
                within.filter(|i| {
                    self.date(i)
                        .is_some_and(|d| lo.is_none_or(|lo| d >= lo) && hi.is_none_or(|hi| d <= hi))
                })
            }
            Term::Is(Flag::Unread) => within.filter(|i| !marks(i).read),
            Term::Is(Flag::Read) => within.filter(|i| marks(i).read),
            Term::Is(Flag::Starred) => within.filter(|i| marks(i).starred),
            Term::Has(Part::Date) => within.filter(|i| self.date(i).is_some()),
            Term::Has(Part::Location) => within.filter(|i| self.meta[i].has_location),
            Term::Has(Part::Source) => within.filter(|i| self.meta[i].has_source),
        }
    }

    /// A relevance score for sorting by relevance: for each positive word
    /// or phrase, `1 + ln(count)` where it occurs, doubled in the title.
    /// 0 when the query has no words.
    pub fn relevance(&self, query: &Query, id: usize) -> f32 {
        query
            .words()
            .iter()
            .map(|(field, term)| {
                let n = self.text.count(*field, term, id);
                let in_title =
                    *field != TextField::Title && self.text.count(TextField::Title, term, id) > 0;
                let base = if n == 0 { 0.0 } else { 1.0 + (n as f32).ln() };
                if in_title { base * 2.0 } else { base }
            })
            .sum()
    }
}

/// Rough cost of evaluating a node: cheap field checks before text scans.
fn cost(e: &Expr) -> u32 {
    match &e.kind {
        ExprKind::And(items) | ExprKind::Or(items) => items.iter().map(cost).sum(),
        ExprKind::Not(inner) => cost(inner),
        ExprKind::Term(Term::Tag(_) | Term::Selected(..)) => 1,
        ExprKind::Term(Term::Text { words, .. }) if words.is_empty() => 0,
        ExprKind::Term(Term::Text {
            field: TextField::Any,
            ..
        }) => 100,
        ExprKind::Term(Term::Text { .. }) => 20,
        ExprKind::Term(Term::Source(_)) => 5,
        ExprKind::Term(_) => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Name;

    #[test]
    fn hosts_come_out_of_urls() {
        assert_eq!(
            host_of("https://www.Reuters.com./a?b").as_deref(),
            Some("www.reuters.com")
        );
        assert_eq!(
            host_of("http://u:p@example.org:8080/x").as_deref(),
            Some("example.org")
        );
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn the_facts_of_many_articles_are_those_of_each() {
        let urls = [
            Some("https://www.Reuters.com./a"),
            Some("https://www.reuters.com/b"),
            Some("https://www.Reuters.com./c"),
            Some("not a url"),
            Some("  "),
            None,
            Some("http://u:p@example.org:8080/x"),
        ];
        let articles: Vec<Article> = urls
            .iter()
            .map(|u| Article {
                source_url: u.map(crate::shared_str::SharedStr::from),
                locations: vec![Name::new("Almaty")].into(),
                ..Article::default()
            })
            .collect();
        let each: Vec<Meta> = articles.iter().map(Meta::new).collect();
        let many: Vec<Meta> = Meta::many(&articles).collect();
        assert_eq!(many, each);
        for (meta, (article, url)) in many.iter().zip(articles.iter().zip(urls)) {
            let host = meta.host(article);
            assert_eq!(host.as_deref(), url.and_then(host_of).as_deref(), "{url:?}");
        }
        assert_eq!(
            many[2].host(&articles[2]).as_deref(),
            Some("www.reuters.com")
        );
        assert_eq!(
            many[1].host(&articles[1]).as_deref(),
            Some("www.reuters.com")
        );
        assert!(many[1].has_source && many[1].has_location);
        assert!(!many[4].has_source, "a blank URL is none");
        // Past 64 KiB of URL the host is found when asked.
        let long = Article {
            source_url: Some(
                format!("https://{}a.example/", "x".repeat(70_000))
                    .as_str()
                    .into(),
            ),
            ..Article::default()
        };
        let host = Meta::new(&long).host(&long).map(|h| h.len());
        assert_eq!(host, Some(70_000 + "a.example".len()));
    }

    #[test]
    fn civil_days_round_trip() {
        for days in [-719_162, -1, 0, 1, 11_016, 12_345, 2_932_896] {
            assert_eq!(days_from_civil(civil_from_days(days)), days);
        }
        assert_eq!(
            days_from_civil(Date {
                year: 1970,
                month: 1,
                day: 1
            }),
            0
        );
        assert_eq!(
            civil_from_days(
                days_from_civil(Date {
                    year: 2004,
                    month: 2,
                    day: 28
                }) + 1
            ),
            Date {
                year: 2004,
                month: 2,
                day: 29
            }
        );
    }

    #[test]
    fn ago_clamps_to_month_end() {
        let d = |y, m, dd| Date {
            year: y,
            month: m,
            day: dd,
        };
        assert_eq!(ago(d(2003, 3, 31), 1, Unit::Months), d(2003, 2, 28));
        assert_eq!(ago(d(2004, 2, 29), 1, Unit::Years), d(2003, 2, 28));
        assert_eq!(ago(d(2003, 1, 5), 7, Unit::Days), d(2002, 12, 29));
        assert_eq!(ago(d(2003, 1, 5), 2, Unit::Weeks), d(2002, 12, 22));
    }

    #[test]
    fn hosts_match_on_label_boundaries() {
        assert!(host_matches("www.reuters.com", "reuters.com"));
        assert!(host_matches("reuters.com", "reuters.com"));
        assert!(!host_matches("notreuters.com", "reuters.com"));
    }

    #[test]
    fn bitset_operations() {
        let mut a = Ids::all(70);
        assert_eq!(a.count(), 70);
        let b = a.filter(|i| i % 2 == 0);
        a.subtract(&b);
        assert_eq!(a.count(), 35);
        assert!(a.contains(69) && !a.contains(68) && !a.contains(70));
        assert_eq!(b.iter().take(3).collect::<Vec<_>>(), [0, 2, 4]);
    }
}
