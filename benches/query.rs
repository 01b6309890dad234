//! `cargo bench --bench query`: the query engine at 100,000 articles (issue
//! 14's targets: a keystroke with words, a field and a date range ≤ 30 ms;
//! only `tag:`, `date:` and `is:` terms ≤ 10 ms; changing the sort ≤ 30 ms).
//! The corpus is generated here, in process, so this bench needs no files.

use std::sync::LazyLock;

use divan::Bencher;
use newsdesk::article::{Article, Block, BlockKind, Date, Text};
use newsdesk::query::eval::{ArticleWords, Context, Meta, Scan};
use newsdesk::query::parse::Query;
use newsdesk::regions::{RegionRules, TagIndex};
use newsdesk::sort::{SortKeys, SortOrder, sort_ids};
use newsdesk::state::Marks;

fn main() {
    divan::main();
}

const BIG: usize = 100_000;

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indices, as word frequencies are.
    fn zipf(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b).min(self.below(n))
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "ra", "ste", "pi", "pe", "lin", "wa", "ter", "tal", "ks", "ru", "ssi", "an", "gas", "ba",
    "zar", "mo", "sco", "tash", "kent", "bish", "kek", "al", "ma", "ty", "or", "en", "de", "so",
];
const TAGS: &[&str] = &[
    "Central Asia",
    "Kyrgyzstan",
    "Kazakhstan",
    "Tajikistan",
    "Uzbekistan",
    "Turkmenistan",
    "Georgia",
    "Armenia",
    "Azerbaijan",
    "Russia",
    "Ukraine",
    "Moldova",
    "Afghanistan",
    "Iran",
];
const NAMES: &[&str] = &[
    "Leila Saralaeva",
    "John Roe",
    "Jane Doe",
    "Taras Melnyk",
    "Ana Bera",
];

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    let mut words: Vec<String> = ["water", "talks", "pipeline", "russia", "border", "trade"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    while words.len() < 5000 {
        let n = 1 + rng.below(4);
        words.push(
            (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect(),
        );
    }
    words
}

struct Archive {
    articles: Vec<Article>,
    meta: Vec<Meta>,
    dates: Vec<Option<Date>>,
    words: Vec<ArticleWords>,
    index: TagIndex,
    marks: Vec<Marks>,
}

static ARCHIVE: LazyLock<Archive> = LazyLock::new(|| {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let vocab = vocabulary(&mut rng);
    // `min` words and up to `spread` more.
    let sentence = |rng: &mut Rng, min: usize, spread: usize| -> String {
        let n = min + rng.below(spread);
        (0..n)
            .map(|_| vocab[rng.zipf(vocab.len())].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let articles: Vec<Article> = (0..BIG)
        .map(|i| {
            let body = (0..3 + rng.below(5))
                .map(|_| Block {
                    kind: BlockKind::Paragraph,
                    text: sentence(&mut rng, 20, 40),
                    emphasis: Vec::new(),
                })
                .collect();
            let dated = rng.below(20) != 0;
            Article {
                path: format!("gen/article-{i}.txt").into(),
                title: sentence(&mut rng, 4, 6).into(),
                authors: smallvec::smallvec![NAMES[rng.below(NAMES.len())].into()],
                date: if dated {
                    Date::new(
                        2000 + rng.below(26) as i32,
                        1 + rng.below(12) as u8,
                        1 + rng.below(28) as u8,
                    )
                } else {
                    None
                },
                locations: (0..rng.below(3))
                    .map(|_| TAGS[rng.below(TAGS.len())].into())
                    .collect(),
                source_url: Some(format!("https://www.example{}.org/{i}", rng.below(9)).into()),
                text: Text::boxed(sentence(&mut rng, 15, 1), body),
            }
        })
        .collect();
    let mut rules = RegionRules::default();
    rules.groups.insert(
        "Central Asia".into(),
        TAGS[1..6].iter().map(|t| t.to_string()).collect(),
    );
    let marks = (0..BIG)
        .map(|_| Marks {
            read: rng.below(3) == 0,
            starred: rng.below(20) == 0,
            position: None,
        })
        .collect();
    Archive {
        meta: articles.iter().map(Meta::new).collect(),
        dates: articles.iter().map(|a| a.date).collect(),
        words: articles.iter().map(ArticleWords::new).collect(),
        index: TagIndex::build(&articles, &rules),
        articles,
        marks,
    }
});

/// The engine over the generated archive, its words answered by `text`.
fn context(text: &dyn newsdesk::query::eval::TextSearch) -> Context<'_> {
    let a = &*ARCHIVE;
    Context {
        meta: &a.meta,
        dates: &a.dates,
        articles: &a.articles,
        text,
        index: &a.index,
        marks: &a.marks,
        today: Date::new(2025, 6, 1).unwrap_or(Date {
            year: 2025,
            month: 6,
            day: 1,
        }),
    }
}

fn run(query: &str) -> usize {
    let scan = Scan(&ARCHIVE.words);
    let q = Query::parse(query).unwrap_or_else(|_| Query::all());
    context(&scan).matching(&q).count()
}

/// Preparing the words of 1,000 articles (the archive's cost is 100 times this).
#[divan::bench(sample_count = 10)]
fn prepare_words_1000(bencher: Bencher) {
    let articles = &ARCHIVE.articles[..1000];
    bencher.bench(|| articles.iter().map(ArticleWords::new).collect::<Vec<_>>());
}

/// Target ≤ 10 ms: index lookups and field checks, no text.
#[divan::bench(args = [
    "tag:\"Central Asia\" date:2003 is:unread",
    "tag:georgia -is:read has:date",
    "date:2003-01..2010-06 is:starred",
])]
fn cheap_terms(bencher: Bencher, query: &str) {
    LazyLock::force(&ARCHIVE);
    bencher.bench(|| run(query));
}

/// Target ≤ 30 ms: a keystroke with words, a field and a date range.
#[divan::bench(args = [
    "wat tal author:sar date:2003-01..2010-06",
    "water talks author:saralaeva date:2003-01..2010-06",
    "pipe",
    "\"water talks\"",
    "-water ka OR ru",
])]
fn keystroke(bencher: Bencher, query: &str) {
    LazyLock::force(&ARCHIVE);
    bencher.bench(|| run(query));
}

/// The full-text index (issue 17) of the same archive, built once into
/// Cargo's scratch folder for benches, and its searcher: what answers the
/// reader's words and phrases once the index is ready.
static INDEXED: LazyLock<newsdesk::index::Indexed> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("query-bench-index");
    let _ = std::fs::remove_dir_all(&dir);
    let (index, _) = newsdesk::index::TextIndex::open(&dir).unwrap_or_else(|e| panic!("{e}"));
    let a = &*ARCHIVE;
    index
        .build(&a.articles, |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: std::collections::HashMap<&std::path::Path, usize> = (a.articles.iter())
        .enumerate()
        .map(|(i, art)| (art.path.as_path(), i))
        .collect();
    index
        .searcher(|p| ids.get(p).copied(), a.articles.len())
        .unwrap_or_else(|e| panic!("{e}"))
});

/// Target ≤ 30 ms, as `keystroke`, with the words and phrases answered by
/// the full-text index instead of the scan. `w` and `wa`: the first keys
/// of a query (one letter is the initials' term; two, a prefix expanded).
#[divan::bench(args = [
    "w",
    "wa",
    "wat tal author:sar date:2003-01..2010-06",
    "water talks author:saralaeva date:2003-01..2010-06",
    "pipe",
    "\"water talks\"",
    "-water ka OR ru",
])]
fn keystroke_indexed(bencher: Bencher, query: &str) {
    let cx = context(&*INDEXED);
    let q = Query::parse(query).unwrap_or_else(|_| Query::all());
    bencher.bench_local(|| cx.matching(&q).count());
}

/// Target ≤ 30 ms: re-sorting every article, with the keys the archive
/// keeps (each article's date and path key made as it arrives; titles and
/// authors folded as compared).
#[divan::bench(args = [SortOrder::Newest, SortOrder::Oldest, SortOrder::Title, SortOrder::Author, SortOrder::Path])]
fn sort_all(bencher: Bencher, order: SortOrder) {
    let a = &*ARCHIVE;
    let keys = SortKeys::of(&a.articles);
    bencher
        .with_inputs(|| (0..a.articles.len()).collect::<Vec<usize>>())
        .bench_local_refs(|ids| keys.sort(ids, order, None, &a.articles));
}

/// Making the keys of every article (once per article).
#[divan::bench]
fn sort_keys(bencher: Bencher) {
    let a = &*ARCHIVE;
    bencher.bench_local(|| SortKeys::of(&a.articles));
}

/// Keys and sort together, as `sort_ids` does for a list it sees once.
#[divan::bench(args = [SortOrder::Newest, SortOrder::Title, SortOrder::Author, SortOrder::Path])]
fn sort_ids_fresh(bencher: Bencher, order: SortOrder) {
    let a = &*ARCHIVE;
    bencher
        .with_inputs(|| (0..a.articles.len()).collect::<Vec<usize>>())
        .bench_local_refs(|ids| sort_ids(ids, order, &a.articles, None));
}

/// A reader over the generated archive, a terminal of 200 × 60.
fn app() -> newsdesk::app::App {
    let config = newsdesk::config::Config::defaults();
    let library = newsdesk::library::Library {
        root: "bench".into(),
        articles: ARCHIVE.articles.clone(),
        problems: Vec::new(),
    };
    let keymap = newsdesk::keymap::Keymap::from_config(&config).unwrap_or_else(|e| panic!("{e}"));
    let mut app = newsdesk::app::App::new(library, &config, keymap, (200, 60));
    app.set_today(Date::new(2025, 6, 1).unwrap_or(Date {
        year: 2025,
        month: 6,
        day: 1,
    }));
    app
}

/// Target ≤ 30 ms: `O` (the next sort order) through `App::update` at
/// 100,000 articles, once every order has been used (each order ranks the
/// archive on its first use: `sort_all` is that cost).
#[divan::bench(sample_count = 30)]
fn cycle_sort_100k(bencher: Bencher) {
    use newsdesk::message::Message;
    let mut app = app();
    for _ in SortOrder::ALL {
        app.update(Message::CycleSort);
    }
    bencher.bench_local(|| app.update(Message::CycleSort));
}

/// Target ≤ 30 ms: the first `O` to title order in a session, through
/// `App::update` at 100,000 articles, after the reader was idle (it folds
/// the titles and authors then).
#[divan::bench(sample_count = 5)]
fn first_sort_by_title_100k(bencher: Bencher) {
    use newsdesk::message::Message;
    bencher
        .with_inputs(|| {
            let mut app = app();
            while app.has_idle_work() {
                app.idle_work();
            }
            app.update(Message::CycleSort);
            app
        })
        .bench_local_refs(|app| app.update(Message::CycleSort));
}

/// A query keystroke through `App::update` at 100,000 articles: the query
/// typed but its last letter, then that letter typed and erased in turn
/// (each is one keystroke). Targets: ≤ 30 ms with words, a field and a date
/// range; ≤ 10 ms with only `tag:`, `date:` and `is:` terms.
#[divan::bench(sample_count = 30, args = [
    "water talks author:saralaeva date:2003-01..2010-06",
    "tag:\"Central Asia\" date:2003 is:unread",
])]
fn app_keystroke_100k(bencher: Bencher, query: &str) {
    use newsdesk::message::Message;
    let mut app = app();
    app.update(Message::Search);
    let mut chars: Vec<char> = query.chars().collect();
    let last = chars.pop().unwrap_or('x');
    for c in chars {
        app.update(Message::Type(c));
    }
    let mut typing = true;
    bencher.bench_local(|| {
        app.update(if typing {
            Message::Type(last)
        } else {
            Message::Erase
        });
        typing = !typing;
    });
}
