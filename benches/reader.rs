//! `cargo bench`: every row of the performance table in BENCHMARKS.md, each
//! beside its floor where one exists. Corpora are built once under
//! `target/bench-data/` (the generated one by `newsdesk_corpus`, the Reuters
//! one by `../shared/tools/reuters-corpus.sh` when `../shared` is there).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::Bencher;
use newsdesk::app::App;
use newsdesk::article::{Article, Block, BlockKind, Form, Text};
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;
use newsdesk::library::{self, Library, LoadOptions};
use newsdesk::message::Message;
use newsdesk::page::Page;
use newsdesk::watch::Changes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

const SEED: u64 = 1;
const BIG: usize = 100_000;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")
}

/// 100,000 generated articles, parsed, in archive order.
static ARTICLES: LazyLock<Vec<Article>> = LazyLock::new(|| {
    let generator = newsdesk_corpus::Generator::new(SEED);
    let mut articles: Vec<Article> = (0..BIG as u64)
        .map(|i| {
            let (path, bytes) = generator.article(i);
            let form = if path.ends_with(".md") {
                Form::Markdown
            } else {
                Form::Plain
            };
            let mut a = Article::parse(&bytes, form).expect("generated articles parse");
            a.path = path.into();
            a
        })
        .collect();
    library::sort_articles(&mut articles);
    articles
});

fn app_with(size: (u16, u16)) -> App {
    let config = Config::defaults();
    let library = Library {
        root: "bench".into(),
        articles: ARTICLES.clone(),
        problems: Vec::new(),
    };
    App::new(
        library,
        &config,
        Keymap::from_config(&config).expect("default keys"),
        size,
    )
}

/// A generated corpus on disk, written once.
fn generated_dir(count: usize) -> PathBuf {
    let dir = data_dir().join(format!("gen-{count}"));
    if !dir.join(".complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        newsdesk_corpus::write(&dir, count as u64, SEED).expect("write the generated corpus");
        std::fs::write(dir.join(".complete"), "").expect("mark it complete");
    }
    dir
}

/// The Reuters corpus on disk, when `../shared` is beside the checkout.
fn reuters_dir() -> Option<PathBuf> {
    let dir = data_dir().join("reuters");
    if dir.join(".complete").exists() {
        return Some(dir);
    }
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/reuters-corpus.sh");
    if !tool.exists() {
        eprintln!("skipped: {} is absent", tool.display());
        return None;
    }
    let status = std::process::Command::new("bash")
        .arg(&tool)
        .arg(&dir)
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    std::fs::write(dir.join(".complete"), "").ok()?;
    Some(dir)
}

/// The floor for loading: open and read every file once, single-threaded.
fn read_all(dir: &Path) -> usize {
    let (candidates, _) = library::discover(dir, &LoadOptions::default()).expect("readable");
    candidates
        .iter()
        .map(|c| std::fs::read(&c.path).map_or(0, |b| b.len()))
        .sum()
}

fn load_all(dir: &Path) -> usize {
    library::load(dir, &LoadOptions::default())
        .expect("readable")
        .articles
        .len()
}

#[divan::bench(sample_count = 10)]
fn load_reuters(b: Bencher) {
    let Some(dir) = reuters_dir() else { return };
    b.bench(|| load_all(&dir));
}

#[divan::bench(sample_count = 10)]
fn load_reuters_floor_read_once(b: Bencher) {
    let Some(dir) = reuters_dir() else { return };
    b.bench(|| read_all(&dir));
}

#[divan::bench(sample_count = 5)]
fn load_generated_100k(b: Bencher) {
    let dir = generated_dir(BIG);
    b.bench(|| load_all(&dir));
}

#[divan::bench(sample_count = 5)]
fn load_generated_100k_floor_read_once(b: Bencher) {
    let dir = generated_dir(BIG);
    b.bench(|| read_all(&dir));
}

/// One key (down, then up) through `update` and a 200×60 render, at 100,000 articles.
#[divan::bench(sample_count = 200)]
fn keystroke_update_and_render_200x60_100k(b: Bencher) {
    let mut app = app_with((200, 60));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    let mut down = true;
    b.bench_local(|| {
        app.update(if down {
            Message::SelectNext
        } else {
            Message::SelectPrev
        });
        down = !down;
        terminal
            .draw(|f| newsdesk::ui::render(&app, f))
            .expect("draw");
    });
}

/// Selecting and unselecting a region (the biggest tag) at 100,000 articles.
#[divan::bench(sample_count = 100)]
fn toggle_region_100k(b: Bencher) {
    let mut app = app_with((200, 60));
    app.update(Message::FocusPrev);
    app.update(Message::SelectNext);
    b.bench_local(|| app.update(Message::ToggleRegion));
}

/// One search keystroke (type a letter, or erase it) over 100,000 articles.
#[divan::bench(sample_count = 50)]
fn search_keystroke_100k(b: Bencher) {
    let mut app = app_with((200, 60));
    app.update(Message::Search);
    // The first letter folds every article's text once; the keystrokes after reuse it.
    app.update(Message::Type('b'));
    app.update(Message::Type('a'));
    let mut typing = true;
    b.bench_local(|| {
        app.update(if typing {
            Message::Type('n')
        } else {
            Message::Erase
        });
        typing = !typing;
    });
}

/// Live reload at 100,000 articles: one file appears (or goes) and the
/// reader takes it in, selection, filters and position kept. The file's own
/// reading happens on the watcher's thread and is not counted.
#[divan::bench(sample_count = 20)]
fn live_reload_one_file_100k(b: Bencher) {
    let mut app = app_with((200, 60));
    app.update(Message::SelectNext);
    let mut fresh = ARTICLES[0].clone();
    fresh.path = "live/fresh.txt".into();
    let mut adding = true;
    b.bench_local(|| {
        app.apply_changes(Changes {
            paths: vec!["live/fresh.txt".into()],
            articles: if adding {
                vec![fresh.clone()]
            } else {
                Vec::new()
            },
            problems: Vec::new(),
            ..Changes::default()
        });
        adding = !adding;
    });
}

/// Wrapping a 10,000-word article to a new width.
#[divan::bench(sample_count = 50)]
fn wrap_10k_words(b: Bencher) {
    let words = [
        "region",
        "water",
        "Кыргызстан",
        "agreement",
        "the",
        "of",
        "中文",
        "pipeline",
        "a",
        "market",
    ];
    let paragraph = |p: usize| -> String {
        (0..100)
            .map(|w| words[(p * 7 + w * 3) % words.len()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let article = Article {
        title: "A very long article".into(),
        text: Text::boxed(
            paragraph(0),
            (1..100)
                .map(|p| Block {
                    kind: BlockKind::Paragraph,
                    text: paragraph(p),
                    emphasis: Vec::new(),
                })
                .collect(),
        ),
        ..Article::default()
    };
    assert!(article.word_count() >= 10_000);
    let mut width = 60;
    b.bench_local(|| {
        width = if width == 60 { 61 } else { 60 };
        Page::build(&article, width).lines.len()
    });
}
