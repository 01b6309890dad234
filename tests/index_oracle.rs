//! The full-text index against the scan: for random archives and random text
//! queries, the indexed engine must give exactly the scan's articles. Also:
//! the index survives corruption (rebuilt with a notice) and follows adds,
//! edits and removals.

use std::path::Path;

use newsdesk::article::{Article, Block, Date, Name, Text};
use newsdesk::index::{Opened, TextIndex};
use newsdesk::query::eval::{ArticleWords, Context, Ids, Meta, Scan};
use newsdesk::query::parse::Query;
use newsdesk::regions::{RegionRules, TagIndex};
use newsdesk::state::Marks;
use newsdesk::watch::Changes;
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
    "σοφός",
    "Кыргызстан",
    "КЫРГЫЗ",
    "东京都庁",
    "東京都庁",
    "京都",
    "会議",
    "東",
    "well-known",
    "Russia",
    "russian",
    "2003年",
    "\n",
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
    "σοφοσ",
    "ΣΟΦΌΣ",
    "кыргыз",
    "京都",
    "京都庁",
    "東京都庁",
    "都",
    "東京",
    "会",
    "russ",
    "well-known",
    "年",
    "2003",
    "-",
    "x",
    // One letter: answered by the initials' terms, not a prefix.
    "w",
    "ς",
    "2",
    "Ο",
];
const PHRASES: &[&str] = &[
    "water talks",
    "water talk",
    "gas pipe",
    "well known",
    "talks gas",
    "pipeline water",
    "2003 年",
    "strasse οδοσ",
    "京都 会議",
];
const AUTHORS: &[&str] = &["Leila Saralaeva", "John Roe", "Jürgen Groß", "王小明"];
const AUTHOR_QUERIES: &[&str] = &[
    "saralaeva",
    "roe",
    "GROSS",
    "\"leila saralaeva\"",
    "j",
    "g",
    "小明",
];

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> + Clone {
    prop::sample::select(items)
}

#[derive(Debug, Clone)]
enum Q {
    Word(&'static str),
    Phrase(&'static str),
    Title(&'static str),
    Author(&'static str),
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
            Q::Not(q) => format!("-{}", q.atom()),
            Q::And(items) => items.iter().map(Q::atom).collect::<Vec<_>>().join(" "),
            Q::Or(items) => items.iter().map(Q::atom).collect::<Vec<_>>().join(" OR "),
        }
    }
}

fn term() -> impl Strategy<Value = Q> {
    prop_oneof![
        4 => pick(QUERY_WORDS).prop_map(Q::Word),
        2 => pick(PHRASES).prop_map(Q::Phrase),
        1 => pick(QUERY_WORDS).prop_map(Q::Title),
        1 => pick(AUTHOR_QUERIES).prop_map(Q::Author),
    ]
}

fn query() -> impl Strategy<Value = Q> {
    term().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|q| Q::Not(Box::new(q))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(Q::And),
            prop::collection::vec(inner, 2..4).prop_map(Q::Or),
        ]
    })
}

/// Words joined by spaces, with line breaks inside (a paragraph's own).
fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(pick(TEXT_WORDS), 0..7).prop_map(|w| w.join(" "))
}

fn article() -> impl Strategy<Value = Article> {
    (
        sentence(),
        prop::collection::vec(pick(AUTHORS), 0..3),
        sentence(),
        prop::collection::vec(sentence(), 0..3),
    )
        .prop_map(|(title, authors, standfirst, body)| Article {
            title: title.into(),
            authors: authors.into_iter().map(Name::new).collect(),
            text: Text::boxed(standfirst, body.into_iter().map(Block::paragraph).collect()),
            ..Article::default()
        })
}

fn with_paths(articles: Vec<Article>) -> Vec<Article> {
    articles
        .into_iter()
        .enumerate()
        .map(|(i, mut a)| {
            a.path = format!("desk/{i}.md").into();
            a
        })
        .collect()
}

/// The ids `query` matches, through the scan and through the index.
fn both(articles: &[Article], index: &TextIndex, query: &Query) -> (Vec<usize>, Vec<usize>) {
    let meta: Vec<Meta> = articles.iter().map(Meta::new).collect();
    let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
    let words: Vec<ArticleWords> = articles.iter().map(ArticleWords::new).collect();
    let tags = TagIndex::build(articles, &RegionRules::default());
    let marks = vec![Marks::default(); articles.len()];
    let id_of = |p: &Path| articles.iter().position(|a| a.path == p);
    let indexed = index.searcher(id_of, articles.len()).unwrap();
    let scan = Scan(&words);
    let cx = |text: &dyn newsdesk::query::eval::TextSearch| {
        Context {
            meta: &meta,
            dates: &dates,
            articles,
            text,
            index: &tags,
            marks: &marks,
            today: Date {
                year: 2004,
                month: 3,
                day: 31,
            },
        }
        .matching(query)
        .to_vec()
    };
    let got = (cx(&scan), cx(&indexed));
    assert_eq!(indexed.error(), None);
    // The reader's way: documents mapped by the paths the index's thread
    // hashed (`id_of` finds nothing, so only that map can give the ids).
    index.prepare_paths().unwrap();
    let hashed = || newsdesk::index::paths::hashed(articles.iter().map(|a| a.path.as_path()));
    let joined = index
        .searcher_reusing(|_| None, Some(&hashed), articles.len(), None)
        .unwrap();
    assert_eq!(cx(&joined), got.1, "{query:?}");
    got
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn index_equals_scan(
        corpus in prop::collection::vec(article(), 0..30),
        queries in prop::collection::vec(query(), 1..24),
    ) {
        let articles = with_paths(corpus);
        let dir = tempfile::tempdir().unwrap();
        let (index, opened) = TextIndex::open(&dir.path().join("index")).unwrap();
        prop_assert_eq!(opened, Opened::NeedsBuild { notice: None });
        index.build(&articles, |_| {}).unwrap();
        for q in queries {
            let text = q.text();
            let parsed = Query::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
            let (scan, indexed) = both(&articles, &index, &parsed);
            prop_assert_eq!(indexed, scan, "query {:?}", text);
        }
    }
}

fn story(path: &str, title: &str, body: &str) -> Article {
    Article {
        path: path.into(),
        title: title.into(),
        text: Text::boxed("", vec![Block::paragraph(body)]),
        ..Article::default()
    }
}

fn hits(articles: &[Article], index: &TextIndex, text: &str) -> Vec<String> {
    let q = Query::parse(text).unwrap();
    let (scan, indexed) = both(articles, index, &q);
    assert_eq!(indexed, scan, "{text}");
    indexed
        .into_iter()
        .map(|i| articles[i].path.display().to_string())
        .collect()
}

#[test]
fn phrases_cross_line_breaks_but_not_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = TextIndex::open(dir.path()).unwrap();
    let mut a = story("a.md", "Gas", "the water\ntalks went on");
    a.text_mut().body.push(Block::paragraph("pipeline"));
    let articles = vec![a, story("b.md", "Кыргызстан", "東京都庁で会議")];
    index.build(&articles, |_| {}).unwrap();
    assert_eq!(hits(&articles, &index, "\"water talk\""), ["a.md"]);
    assert!(hits(&articles, &index, "\"on pipeline\"").is_empty());
    assert_eq!(hits(&articles, &index, "京都庁 кырг"), ["b.md"]);
    assert_eq!(hits(&articles, &index, "title:gas"), ["a.md"]);
}

#[test]
fn updates_follow_adds_edits_and_removals() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = TextIndex::open(dir.path()).unwrap();
    let mut articles = vec![
        story("a.md", "Water talks", "gas"),
        story("sub/b.md", "Pipeline", "water"),
        story("sub/c.md", "Pipeline", "oil"),
    ];
    index.build(&articles, |_| {}).unwrap();
    assert_eq!(hits(&articles, &index, "pipe"), ["sub/b.md", "sub/c.md"]);

    // Add one, edit one.
    let added = story("d.md", "Pipes", "new");
    let edited = story("a.md", "Grain", "barges");
    index
        .update(&Changes {
            paths: vec!["d.md".into(), "a.md".into()],
            articles: vec![added.clone(), edited.clone()],
            ..Changes::default()
        })
        .unwrap();
    articles[0] = edited;
    articles.push(added);
    assert_eq!(
        hits(&articles, &index, "pipe"),
        ["sub/b.md", "sub/c.md", "d.md"]
    );
    assert!(hits(&articles, &index, "talks").is_empty());
    assert_eq!(hits(&articles, &index, "barge"), ["a.md"]);
    assert_eq!(index.len(), 4);

    // Remove a folder: everything under it goes.
    index
        .update(&Changes {
            paths: vec!["sub".into()],
            ..Changes::default()
        })
        .unwrap();
    articles.retain(|a| !a.path.starts_with("sub"));
    assert_eq!(hits(&articles, &index, "pipe"), ["d.md"]);
    assert_eq!(index.len(), 2);

    // Reopened from disk: complete and the same.
    drop(index);
    let (index, opened) = TextIndex::open(dir.path()).unwrap();
    assert_eq!(opened, Opened::Ready);
    assert_eq!(hits(&articles, &index, "pipe OR barges"), ["a.md", "d.md"]);
}

#[test]
fn a_corrupt_index_is_rebuilt_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let articles = vec![story("a.md", "Water talks", "gas")];
    {
        let (index, _) = TextIndex::open(dir.path()).unwrap();
        index.build(&articles, |_| {}).unwrap();
    }
    // Every file overwritten with garbage.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, b"not an index").unwrap();
        }
    }
    let (index, opened) = TextIndex::open(dir.path()).unwrap();
    match opened {
        Opened::NeedsBuild { notice: Some(n) } => assert!(n.contains("rebuilding"), "{n}"),
        other => panic!("expected a rebuild notice, got {other:?}"),
    }
    assert!(index.is_empty());
    index.build(&articles, |_| {}).unwrap();
    assert_eq!(hits(&articles, &index, "water"), ["a.md"]);
    drop(index);
    let (_, opened) = TextIndex::open(dir.path()).unwrap();
    assert_eq!(opened, Opened::Ready);
}

#[test]
fn scores_rank_by_bm25() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = TextIndex::open(dir.path()).unwrap();
    let articles = vec![
        story("a.md", "Other", "gas and more words here to dilute the gas"),
        story("b.md", "Gas", "gas gas gas"),
        story("c.md", "None", "water"),
    ];
    index.build(&articles, |_| {}).unwrap();
    let id_of = |p: &Path| articles.iter().position(|a| a.path == p);
    let s = index.searcher(id_of, articles.len()).unwrap();
    let scores = s.scores(&Query::parse("gas").unwrap(), &Ids::all(3));
    assert_eq!(scores.iter().map(|&(i, _)| i).collect::<Vec<_>>(), [0, 1]);
    assert!(scores[1].1 > scores[0].1, "{scores:?}");
}
