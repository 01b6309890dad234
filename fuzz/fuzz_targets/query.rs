//! The query language on any text: parsing never panics; whatever parses is
//! written back (`Display`, what saved views store) and reads again as the
//! same query (spans aside), and the written form is a fixed point; both
//! evaluate to the same ids over a small fixed archive, and `-(q)` matches
//! exactly the articles `q` does not.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsdesk::article::{Article, Block, Date, Name, Text};
use newsdesk::query::eval::{ArticleWords, Context, Ids, Meta, Scan};
use newsdesk::query::parse::{Expr, ExprKind, Query};
use newsdesk::regions::{RegionRules, TagIndex};
use newsdesk::state::Marks;

/// Queries longer than this are still parsed, but not evaluated: the
/// evaluator's cost grows with the terms times the archive, and long inputs
/// only repeat shapes short ones already reach.
const EVALUATE_UP_TO: usize = 512;

/// Six articles covering what terms look at: titles and authors in several
/// scripts, bodies, dates and none, tags under a group and an alias, source
/// hosts and none, and every combination of read and starred.
struct Archive {
    meta: Vec<Meta>,
    words: Vec<ArticleWords>,
    index: TagIndex,
    marks: Vec<Marks>,
}

fn article(
    title: &str,
    author: &str,
    date: Option<(i32, u8, u8)>,
    tags: &[&str],
    body: &str,
    url: Option<&str>,
) -> Article {
    Article {
        title: title.into(),
        authors: (!author.is_empty())
            .then(|| Name::new(author))
            .into_iter()
            .collect(),
        date: date.and_then(|(y, m, d)| Date::new(y, m, d)),
        locations: tags.iter().map(|t| Name::new(t)).collect(),
        text: Text::boxed("", vec![Block::paragraph(body)]),
        source_url: url.map(Into::into),
        ..Article::default()
    }
}

fn archive() -> &'static Archive {
    static ARCHIVE: OnceLock<Archive> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let articles = vec![
            article(
                "Kyrgyzstan Sticks Close to Russia",
                "Leila Saralaeva",
                Some((2003, 10, 24)),
                &["Central Asia", "Kyrgyzstan"],
                "The opening of a Russian airbase near Kant.",
                Some("https://iwpr.net/kant"),
            ),
            article(
                "Gas Pipeline Talks",
                "John Roe",
                Some((2004, 3, 1)),
                &["Kazakstan"],
                "The pipeline crosses the steppe. Water is scarce.",
                Some("https://www.reuters.com/a/1"),
            ),
            article(
                "Water talks resume",
                "",
                Some((2003, 1, 15)),
                &["Georgia"],
                "Talks on the river water resume.",
                None,
            ),
            article(
                "Die Straße",
                "Jürgen Groß",
                None,
                &[],
                "STRASSE und Кыргызстан.",
                Some("not a url"),
            ),
            article(
                "ΟΔΌΣ ΚΑΙ ΛΙΜΆΝΙ",
                "",
                Some((2004, 2, 29)),
                &["Greece"],
                "",
                Some("http://[::1]:80/"),
            ),
            article(
                "東京都庁で会議",
                "",
                Some((2002, 6, 1)),
                &["Japan", ""],
                "東京 OR \"AND\" -x (y)",
                None,
            ),
        ];
        let mut rules = RegionRules::default();
        rules.groups.insert(
            "Central Asia".into(),
            vec!["Kyrgyzstan".into(), "Kazakhstan".into()],
        );
        rules
            .aliases
            .insert("Kazakstan".into(), "Kazakhstan".into());
        let marks = (0..articles.len())
            .map(|i| Marks {
                read: i % 2 == 1,
                starred: i % 3 == 0,
                position: None,
            })
            .collect();
        Archive {
            meta: articles.iter().map(Meta::new).collect(),
            words: articles.iter().map(ArticleWords::new).collect(),
            index: TagIndex::build(&articles, &rules),
            marks,
        }
    })
}

/// The expression with every span zeroed: spans say where a part was
/// written, and the written-back text puts parts elsewhere.
fn unspanned(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::And(items) => ExprKind::And(items.iter().map(unspanned).collect()),
        ExprKind::Or(items) => ExprKind::Or(items.iter().map(unspanned).collect()),
        ExprKind::Not(inner) => ExprKind::Not(Box::new(unspanned(inner))),
        ExprKind::Term(t) => ExprKind::Term(t.clone()),
    };
    Expr { kind, span: 0..0 }
}

fn ids(set: &Ids) -> Vec<usize> {
    set.to_vec()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(query) = Query::parse(text) else {
        return;
    };
    let written = query.to_string();
    let again = Query::parse(&written).unwrap_or_else(|e| {
        panic!("{text:?} writes back as {written:?}, which does not parse: {e}")
    });
    assert_eq!(
        unspanned(&again.expr),
        unspanned(&query.expr),
        "{text:?} writes back as {written:?}, which reads differently"
    );
    assert_eq!(
        again.to_string(),
        written,
        "{text:?}: the written form is not a fixed point"
    );
    let _ = query.describe();
    let _ = query.highlights();
    let a = archive();
    let _ = query.unknown_tags(&a.index);
    if data.len() > EVALUATE_UP_TO {
        return;
    }
    let scan = Scan(&a.words);
    let cx = Context {
        meta: &a.meta,
        text: &scan,
        index: &a.index,
        marks: &a.marks,
        today: Date::new(2004, 3, 31).expect("a real day"),
    };
    let matched = cx.matching(&query);
    assert_eq!(
        ids(&cx.matching(&again)),
        ids(&matched),
        "{text:?} and {written:?} match different articles"
    );
    let negated = Query {
        expr: Expr {
            kind: ExprKind::Not(Box::new(query.expr.clone())),
            span: 0..0,
        },
    };
    let mut rest = Ids::all(cx.len());
    rest.subtract(&matched);
    assert_eq!(
        ids(&cx.matching(&negated)),
        ids(&rest),
        "-({text:?}) is not the complement"
    );
    for id in matched.iter() {
        let r = cx.relevance(&query, id);
        assert!(
            r.is_finite() && r >= 0.0,
            "{text:?}: relevance {r} for {id}"
        );
    }
});
