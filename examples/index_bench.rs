//! Measures the full-text index on a big archive (issue 17; see BENCHMARKS.md):
//! the first build, its size on disk against the text, the time to open it
//! again, and the query keystroke (the query engine's whole evaluation over
//! every article) through the index and through the scan, median and p99.
//!
//! ```text
//! cargo run --release --example index_bench -- DIR [QUERY...]
//! ```
//!
//! The index goes to a temporary folder, removed at the end. Default
//! queries: two words, a phrase, a short prefix, a long prefix.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use newsdesk::article::Date;
use newsdesk::index::TextIndex;
use newsdesk::library::{self, LoadOptions};
use newsdesk::query::eval::{ArticleWords, Context, Meta, Scan, TextSearch};
use newsdesk::query::parse::Query;
use newsdesk::regions::{RegionRules, TagIndex};

const RUNS: usize = 200;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dir, queries)) = args.split_first() else {
        eprintln!("usage: index_bench DIR [QUERY...]");
        return ExitCode::from(2);
    };
    let mut queries: Vec<String> = queries.to_vec();
    if queries.is_empty() {
        queries = ["oil prices", "\"oil prices\"", "pr", "compan"]
            .map(String::from)
            .to_vec();
    }
    match run(Path::new(dir), &queries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("index_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn run(dir: &Path, queries: &[String]) -> Result<(), String> {
    let t = Instant::now();
    let lib = library::load(dir, &LoadOptions::default()).map_err(|e| e.to_string())?;
    let articles = lib.articles;
    println!("load: {} articles in {:?}", articles.len(), t.elapsed());
    let text: usize = articles
        .iter()
        .map(|a| {
            a.title.len()
                + a.authors.iter().map(|n| n.len()).sum::<usize>()
                + a.standfirst().len()
                + a.body().iter().map(|b| b.text.len()).sum::<usize>()
        })
        .sum();

    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let index_dir = tmp.path().join("index");
    let (index, _) = TextIndex::open(&index_dir).map_err(|e| e.to_string())?;
    let t = Instant::now();
    index.build(&articles, |_| {}).map_err(|e| e.to_string())?;
    let build = t.elapsed();
    let size = index.size_on_disk().map_err(|e| e.to_string())?;
    println!(
        "build: {:?}; on disk {:.1} MB = {:.2} x the text ({:.1} MB)",
        build,
        size as f64 / 1e6,
        size as f64 / text as f64,
        text as f64 / 1e6
    );
    drop(index);

    let t = Instant::now();
    let (index, _) = TextIndex::open(&index_dir).map_err(|e| e.to_string())?;
    let opened = t.elapsed();
    let ids: std::collections::HashMap<&Path, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.path.as_path(), i))
        .collect();
    let t = Instant::now();
    let indexed = index
        .searcher(|p| ids.get(p).copied(), articles.len())
        .map_err(|e| e.to_string())?;
    println!("open: {opened:?}; id map: {:?}", t.elapsed());

    let meta: Vec<Meta> = articles.iter().map(Meta::new).collect();
    let dates: Vec<_> = articles.iter().map(|a| a.date).collect();
    let t = Instant::now();
    let words: Vec<ArticleWords> = articles.iter().map(ArticleWords::new).collect();
    println!("scan words prepared in {:?}", t.elapsed());
    let tags = TagIndex::build(&articles, &RegionRules::default());
    let scan = Scan(&words);
    let today = Date {
        year: 2026,
        month: 1,
        day: 1,
    };
    for q in queries {
        let query = Query::parse(q).map_err(|e| format!("{q}: {e}"))?;
        let mut line = format!("{q:>18}:");
        let mut counts = Vec::new();
        for (name, text) in [
            ("index", &indexed as &dyn TextSearch),
            ("scan", &scan as &dyn TextSearch),
        ] {
            let cx = Context {
                meta: &meta,
                dates: &dates,
                articles: &articles,
                text,
                index: &tags,
                marks: &[],
                today,
            };
            let mut times = Vec::with_capacity(RUNS);
            let mut n = 0;
            for _ in 0..RUNS {
                let t = Instant::now();
                n = cx.matching(&query).count();
                times.push(t.elapsed());
            }
            times.sort();
            counts.push(n);
            line += &format!(
                "  {name} median {:?} p99 {:?}",
                percentile(&times, 0.5),
                percentile(&times, 0.99)
            );
        }
        let t = Instant::now();
        let scored = indexed.scores(&query, &newsdesk::query::eval::Ids::all(articles.len()));
        line += &format!(
            "  scores {:?} ({} hits; scan {})",
            t.elapsed(),
            scored.len(),
            counts[1]
        );
        if counts[0] != counts[1] {
            return Err(format!(
                "{q}: index found {} but scan {}",
                counts[0], counts[1]
            ));
        }
        println!("{line}");
    }
    Ok(())
}
