//! The query engine against a brute-force oracle: random archives and random
//! queries built from the grammar; the engine's result must equal a plain
//! check of every article, written here independently (its own tokens, its
//! own tag resolution, chrono for the date arithmetic).

use chrono::{Datelike, Days, Months, NaiveDate};
use newsdesk::article::{Article, Block, Date, Name, Text};
use newsdesk::query::eval::{ArticleWords, Context, Meta, Scan};
use newsdesk::query::parse::Query;
use newsdesk::query::text::is_cjk;
use newsdesk::regions::{RegionRules, TagIndex, tag_key};
use newsdesk::search::fold;
use newsdesk::state::Marks;
use proptest::prelude::*;

const TEXT_WORDS: &[&str] = &[
    "pipe",
    "pipeline",
    "line",
    "water",
    "talks",
    "gas",
    "Straße",
    "STRASSE",
    "οδός",
    "ΟΔΟΣ",
    "Кыргызстан",
    "КЫРГЫЗ",
    "東京都庁",
    "京都",
    "会議",
    "well-known",
    "Russia",
    "russian",
    "2003年",
];
const QUERY_WORDS: &[&str] = &[
    "pipe",
    "pipeline",
    "line",
    "wat",
    "water",
    "talk",
    "gas",
    "strasse",
    "STRAßE",
    "οδοσ",
    "ΟΔΟΣ",
    "кыргыз",
    "京都",
    "都",
    "東京",
    "会",
    "russ",
    "well-known",
    "年",
    "2003",
    "-",
    "x",
];
const PHRASES: &[&str] = &[
    "water talks",
    "gas pipe",
    "well known",
    "talks gas",
    "pipeline water",
];
const AUTHORS: &[&str] = &["Leila Saralaeva", "John Roe", "Jürgen Groß"];
const AUTHOR_QUERIES: &[&str] = &["saralaeva", "roe", "GROSS", "\"leila saralaeva\"", "j"];
const TAGS: &[&str] = &[
    "Central Asia",
    "Kyrgyzstan",
    "Kazakstan",
    "kazakhstan",
    "Georgia",
    " ",
];
const TAG_QUERIES: &[&str] = &[
    "\"Central Asia\"",
    "kyrgyzstan",
    "Kazakhstan",
    "KAZAKSTAN",
    "georgia",
    "\"no location\"",
    "narnia",
];
const HOSTS: &[&str] = &[
    "www.reuters.com",
    "reuters.com",
    "iwpr.net",
    "notreuters.com",
];
const HOST_QUERIES: &[&str] = &["reuters.com", "iwpr.net", "www.reuters.com", "com"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2004, 3, 31).unwrap_or_default()
}

#[derive(Debug, Clone)]
enum P {
    Year(i32),
    Month(i32, u32),
    Day(i32, u32, u32),
    Ago(u32, char),
}

impl P {
    fn text(&self) -> String {
        match self {
            P::Year(y) => format!("{y}"),
            P::Month(y, m) => format!("{y}-{m:02}"),
            P::Day(y, m, d) => format!("{y}-{m:02}-{d:02}"),
            P::Ago(n, u) => format!("{n}{u}"),
        }
    }

    fn first_last(&self) -> (NaiveDate, NaiveDate) {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        match *self {
            P::Year(y) => (ymd(y, 1, 1), ymd(y, 12, 31)),
            P::Month(y, m) => {
                let first = ymd(y, m, 1);
                (first, first + Months::new(1) - Days::new(1))
            }
            P::Day(y, m, d) => (ymd(y, m, d), ymd(y, m, d)),
            P::Ago(n, u) => {
                let t = today();
                let d = match u {
                    'd' => t - Days::new(n.into()),
                    'w' => t - Days::new(7 * u64::from(n)),
                    'm' => t - Months::new(n),
                    _ => t - Months::new(12 * n),
                };
                (d, d)
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Q {
    Word(&'static str),
    Phrase(&'static str),
    Title(&'static str),
    Author(&'static str),
    Tag(&'static str),
    Source(&'static str),
    Range(Option<P>, Option<P>),
    Recent(u32, char),
    After(P),
    Before(P),
    Is(&'static str),
    Has(&'static str),
    Not(Box<Q>),
    And(Vec<Q>),
    Or(Vec<Q>),
}

impl Q {
    fn atom(&self) -> String {
        match self {
            Q::And(_) | Q::Or(_) => format!("({})", self.text()),
            _ => self.text(),
        }
    }

    fn text(&self) -> String {
        match self {
            Q::Word(w) => w.to_string(),
            Q::Phrase(p) => format!("\"{p}\""),
            Q::Title(w) => format!("title:{w}"),
            Q::Author(w) => format!("author:{w}"),
            Q::Tag(t) => format!("tag:{t}"),
            Q::Source(h) => format!("source:{h}"),
            Q::Range(a, b) => format!(
                "date:{}..{}",
                a.as_ref().map(P::text).unwrap_or_default(),
                b.as_ref().map(P::text).unwrap_or_default()
            ),
            Q::Recent(n, u) => format!("date:{n}{u}"),
            Q::After(p) => format!("after:{}", p.text()),
            Q::Before(p) => format!("before:{}", p.text()),
            Q::Is(v) => format!("is:{v}"),
            Q::Has(v) => format!("has:{v}"),
            Q::Not(q) => format!("-{}", q.atom()),
            Q::And(items) => items.iter().map(Q::atom).collect::<Vec<_>>().join(" "),
            Q::Or(items) => items.iter().map(Q::atom).collect::<Vec<_>>().join(" OR "),
        }
    }
}

// --- The oracle: plain code, one article at a time. ---

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut kind = 0;
    for c in fold(text).chars() {
        let k = if is_cjk(c) {
            2
        } else if c.is_alphanumeric() {
            1
        } else {
            0
        };
        if k != kind && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if k != 0 {
            current.push(c);
        }
        kind = k;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn text_matches(segments: &[&str], query: &str) -> bool {
    let q = tokens(query);
    if q.is_empty() {
        return true;
    }
    segments.iter().any(|segment| {
        let t = tokens(segment);
        if q.len() == 1 && q[0].chars().all(is_cjk) {
            return t.iter().any(|w| w.contains(&q[0]));
        }
        (0..t.len()).any(|k| {
            k + q.len() <= t.len()
                && q.iter().enumerate().all(|(j, w)| {
                    if j + 1 == q.len() {
                        t[k + j].starts_with(w.as_str())
                    } else {
                        t[k + j] == *w
                    }
                })
        })
    })
}

fn unquote(s: &str) -> &str {
    s.trim_matches('"')
}

fn tag_matches(article: &Article, rules: &RegionRules, name: &str) -> bool {
    let canon = |k: String| -> String {
        rules
            .aliases
            .iter()
            .find(|(from, _)| tag_key(from) == k)
            .map_or(k, |(_, to)| tag_key(to))
    };
    let keys: Vec<String> = article
        .locations
        .iter()
        .map(|t| tag_key(t))
        .filter(|k| !k.is_empty())
        .map(canon)
        .collect();
    let raw = tag_key(name);
    if raw == "no location" {
        return keys.is_empty();
    }
    let key = canon(raw);
    match rules.groups.iter().find(|(g, _)| tag_key(g) == key) {
        Some((_, members)) => keys
            .iter()
            .any(|k| *k == key || members.iter().any(|m| canon(tag_key(m)) == *k)),
        None => keys.contains(&key),
    }
}

fn oracle(q: &Q, a: &Article, marks: Marks, rules: &RegionRules) -> bool {
    let all: Vec<&str> = std::iter::once(a.title.as_str())
        .chain(a.authors.iter().map(|n| n.as_str()))
        .chain(std::iter::once(a.standfirst()))
        .chain(a.body().iter().map(|b| b.text.as_str()))
        .collect();
    let date = a
        .date
        .and_then(|d| NaiveDate::from_ymd_opt(d.year, d.month.into(), d.day.into()));
    let host = a.source_url.as_deref().map(|u| {
        u.trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap_or("")
            .to_lowercase()
    });
    match q {
        Q::Word(w) | Q::Phrase(w) => text_matches(&all, w),
        Q::Title(w) => text_matches(&[a.title.as_str()], w),
        Q::Author(w) => {
            let names: Vec<&str> = a.authors.iter().map(|n| n.as_str()).collect();
            text_matches(&names, unquote(w))
        }
        Q::Tag(t) => tag_matches(a, rules, unquote(t)),
        Q::Source(h) => host.is_some_and(|host| host == *h || host.ends_with(&format!(".{h}"))),
        Q::Range(from, to) => date.is_some_and(|d| {
            from.as_ref().is_none_or(|p| d >= p.first_last().0)
                && to.as_ref().is_none_or(|p| d <= p.first_last().1)
        }),
        Q::Recent(n, u) => date.is_some_and(|d| d > P::Ago(*n, *u).first_last().0),
        Q::After(p) => date.is_some_and(|d| d > p.first_last().1),
        Q::Before(p) => date.is_some_and(|d| d < p.first_last().0),
        Q::Is(v) => match *v {
            "read" => marks.read,
            "unread" => !marks.read,
            _ => marks.starred,
        },
        Q::Has(v) => match *v {
            "date" => a.date.is_some(),
            "location" => a.locations.iter().any(|t| !t.trim().is_empty()),
            _ => a.source_url.is_some(),
        },
        Q::Not(inner) => !oracle(inner, a, marks, rules),
        Q::And(items) => items.iter().all(|i| oracle(i, a, marks, rules)),
        Q::Or(items) => items.iter().any(|i| oracle(i, a, marks, rules)),
    }
}

// --- Generators. ---

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(items)
}

/// Days on the edges of periods (month and year ends, leap day, today and
/// the days before it), so off-by-one mistakes at a boundary show.
const EDGE_DAYS: &[(i32, u8, u8)] = &[
    (2003, 12, 31),
    (2004, 1, 1),
    (2003, 10, 24),
    (2004, 2, 29),
    (2004, 3, 1),
    (2003, 3, 31),
    (2004, 3, 24),
    (2004, 3, 30),
    (2004, 3, 31),
    (2004, 3, 17),
    (2003, 2, 28),
];

fn day() -> impl Strategy<Value = (i32, u8, u8)> {
    prop_oneof![
        2 => prop::sample::select(EDGE_DAYS),
        1 => (2002..=2004i32, 1..=12u8, 1..=28u8),
    ]
}

fn unit() -> impl Strategy<Value = char> {
    prop::sample::select(vec!['d', 'w', 'm', 'y'])
}

fn period() -> impl Strategy<Value = P> {
    prop_oneof![
        (2002..=2004i32).prop_map(P::Year),
        (2002..=2004i32, 1..=12u32).prop_map(|(y, m)| P::Month(y, m)),
        day().prop_map(|(y, m, d)| P::Day(y, m.into(), d.into())),
        (0..=14u32, unit()).prop_map(|(n, u)| P::Ago(n, u)),
    ]
}

fn term() -> impl Strategy<Value = Q> {
    prop_oneof![
        4 => pick(QUERY_WORDS).prop_map(Q::Word),
        1 => pick(PHRASES).prop_map(Q::Phrase),
        1 => pick(QUERY_WORDS).prop_filter("bare", |w| *w != "-").prop_map(Q::Title),
        1 => pick(AUTHOR_QUERIES).prop_map(Q::Author),
        2 => pick(TAG_QUERIES).prop_map(Q::Tag),
        1 => pick(HOST_QUERIES).prop_map(Q::Source),
        // Ranges whose ends are both fixed must not run backwards (an error).
        1 => (prop::option::of(period()), prop::option::of(period()))
            .prop_filter("a range has an end and runs forwards", |(a, b)| match (a, b) {
                (None, None) => false,
                (Some(a), Some(b)) if !matches!(a, P::Ago(..)) && !matches!(b, P::Ago(..)) => {
                    a.first_last().0 <= b.first_last().1
                }
                _ => true,
            })
            .prop_map(|(a, b)| Q::Range(a, b)),
        1 => (0..=14u32, unit()).prop_map(|(n, u)| Q::Recent(n, u)),
        1 => period().prop_map(Q::After),
        1 => period().prop_map(Q::Before),
        1 => pick(&["read", "unread", "starred"]).prop_map(Q::Is),
        1 => pick(&["date", "location", "source"]).prop_map(Q::Has),
    ]
}

fn query() -> impl Strategy<Value = Q> {
    term().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|q| Q::Not(Box::new(q))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(Q::And),
            prop::collection::vec(inner, 2..4).prop_map(Q::Or),
        ]
    })
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(pick(TEXT_WORDS), 0..6).prop_map(|w| w.join(" "))
}

fn article() -> impl Strategy<Value = (Article, Marks)> {
    (
        (
            sentence(),
            prop::collection::vec(pick(AUTHORS), 0..3),
            sentence(),
        ),
        prop::collection::vec(sentence(), 0..3),
        prop::option::of(day()),
        prop::collection::vec(pick(TAGS), 0..3),
        prop::option::of(pick(HOSTS)),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |((title, authors, standfirst), body, date, tags, host, (read, starred))| {
                let article = Article {
                    path: "x".into(),
                    title: if title.is_empty() {
                        "untitled".into()
                    } else {
                        title.into()
                    },
                    authors: authors.into_iter().map(Name::new).collect(),
                    date: date.and_then(|(y, m, d)| Date::new(y, m, d)),
                    locations: tags.into_iter().map(Name::new).collect(),
                    source_url: host.map(|h| format!("https://{h}/story").into()),
                    text: Text::boxed(standfirst, body.into_iter().map(Block::paragraph).collect()),
                };
                (
                    article,
                    Marks {
                        read,
                        starred,
                        position: None,
                    },
                )
            },
        )
}

fn rules() -> RegionRules {
    let mut r = RegionRules::default();
    r.groups.insert(
        "Central Asia".into(),
        vec![
            "Kyrgyzstan".into(),
            "Kazakhstan".into(),
            "Tajikistan".into(),
        ],
    );
    r.aliases.insert("Kazakstan".into(), "Kazakhstan".into());
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn engine_equals_oracle(
        corpus in prop::collection::vec(article(), 0..25),
        q in query(),
    ) {
        let (articles, marks): (Vec<Article>, Vec<Marks>) = corpus.into_iter().unzip();
        let rules = rules();
        let text = q.text();
        let parsed = Query::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        // The canonical text reads back to a query with the same result.
        let again = Query::parse(&parsed.to_string())
            .map_err(|e| TestCaseError::fail(format!("{parsed}: {e}")))?;
        let meta: Vec<Meta> = articles.iter().map(Meta::new).collect();
        let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
        let words: Vec<ArticleWords> = articles.iter().map(ArticleWords::new).collect();
        let index = TagIndex::build(&articles, &rules);
        let scan = Scan(&words);
        let t = today();
        let cx = Context {
            meta: &meta,
            dates: &dates,
            articles: &articles,
            text: &scan,
            index: &index,
            marks: &marks,
            today: Date::new(t.year(), t.month() as u8, t.day() as u8).unwrap_or(Date { year: 2004, month: 3, day: 31 }),
        };
        let got = cx.matching(&parsed).to_vec();
        let want: Vec<usize> = (0..articles.len())
            .filter(|&i| oracle(&q, &articles[i], marks[i], &rules))
            .collect();
        prop_assert_eq!(&got, &want, "query {:?}", text);
        prop_assert_eq!(cx.matching(&again).to_vec(), want, "canonical {}", again);
    }
}
