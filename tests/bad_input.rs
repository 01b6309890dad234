//! Everything a folder can throw at the loader: nothing panics, every good
//! file loads, every bad one is named with what to do.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;

use newsdesk::app::App;
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;
use newsdesk::library::{LoadError, LoadOptions, Severity, discover, load, load_one};
use newsdesk::message::Message;
use newsdesk::page::{Page, display_width};
use newsdesk::regions::TagIndex;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const GOOD: &str = "A Good Article\n\nStandfirst.\n\nBody.\n\nLocation: [Georgia](#)\n";

#[test]
fn deleted_or_truncated_between_listing_and_opening() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("gone.txt"), GOOD).unwrap();
    fs::write(dir.path().join("cut.txt"), GOOD).unwrap();
    let (candidates, _) = discover(dir.path(), &LoadOptions::default()).unwrap();
    fs::remove_file(dir.path().join("gone.txt")).unwrap();
    fs::write(dir.path().join("cut.txt"), "").unwrap();
    for c in &candidates {
        let (article, problems) = load_one(c, &LoadOptions::default());
        assert!(article.is_none());
        assert_eq!(problems.len(), 1);
        let message = &problems[0].message;
        if c.relative.ends_with("gone.txt") {
            assert!(message.contains("disappeared"), "{message}");
        } else {
            assert!(message.contains("no title"), "{message}");
        }
    }
}

#[test]
fn a_file_changing_while_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.txt");
    fs::write(&path, GOOD).unwrap();
    let (candidates, _) = discover(dir.path(), &LoadOptions::default()).unwrap();
    let writer_path = path.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_writer = stop.clone();
    let writer = std::thread::spawn(move || {
        let mut n = 0usize;
        while !stop_writer.load(std::sync::atomic::Ordering::Relaxed) {
            let text = if n.is_multiple_of(2) {
                GOOD.repeat(1 + n % 50)
            } else {
                String::new()
            };
            let _ = fs::write(&writer_path, text);
            n += 1;
        }
    });
    let mut loaded = 0;
    for _ in 0..300 {
        let (article, problems) = load_one(&candidates[0], &LoadOptions::default());
        assert!(
            article.is_some() || !problems.is_empty(),
            "either an article or a reason"
        );
        loaded += usize::from(article.is_some());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    println!("{loaded} of 300 reads found an article mid-rewrite");
}

#[test]
fn ten_thousand_bad_files_beside_ten_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10 {
        fs::write(dir.path().join(format!("good{i}.txt")), GOOD).unwrap();
    }
    let bad = dir.path().join("bad");
    fs::create_dir(&bad).unwrap();
    for i in 0..10_000 {
        fs::write(
            bad.join(format!("{i:05}.txt")),
            if i % 2 == 0 { "" } else { "\n\n" },
        )
        .unwrap();
    }
    let lib = load(dir.path(), &LoadOptions::default()).unwrap();
    assert_eq!(lib.articles.len(), 10);
    assert_eq!(lib.problems.len(), 10_000);
    assert!(lib.problems.iter().all(|p| p.severity == Severity::Error));
    // The problem list stays usable: it opens, scrolls to the end and draws a screenful.
    let config = Config::defaults();
    let mut app = App::new(
        lib,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    app.update(Message::ShowProblems);
    for _ in 0..2000 {
        app.update(Message::PageDown);
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| newsdesk::ui::render(&app, f)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("Problems (10,000)"), "{screen}");
    assert!(
        screen.contains("bad/09999.txt"),
        "the last problem is reachable"
    );
    assert_eq!(app.visible().len(), 10);
}

#[test]
fn names_that_are_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"caf\xe9-\xff.txt");
    fs::write(dir.path().join(name), GOOD).unwrap();
    fs::write(dir.path().join(OsStr::from_bytes(b"\xfe.md")), "").unwrap();
    let lib = load(dir.path(), &LoadOptions::default()).unwrap();
    assert_eq!(lib.articles.len(), 1);
    assert_eq!(lib.problems.len(), 1);
    let shown = lib.problems[0].to_string();
    assert!(
        shown.contains('\u{FFFD}') && shown.contains(".md"),
        "{shown}"
    );
}

#[test]
fn a_line_of_a_million_characters_and_a_thousand_tags() {
    let dir = tempfile::tempdir().unwrap();
    let long = "word ".repeat(200_000);
    fs::write(
        dir.path().join("long.txt"),
        format!("Long\n\nStandfirst.\n\n{long}\n"),
    )
    .unwrap();
    let mut tags = String::from("Location: [Tag 0](#)\n");
    for i in 1..1000 {
        tags.push_str(&format!("[Tag {i}](#)\n"));
    }
    fs::write(
        dir.path().join("tags.txt"),
        format!("Tagged\n\nStandfirst.\n\n{tags}"),
    )
    .unwrap();
    let lib = load(dir.path(), &LoadOptions::default()).unwrap();
    assert!(lib.problems.is_empty(), "{:?}", lib.problems);
    let long = lib.articles.iter().find(|a| a.title == "Long").unwrap();
    let page = Page::build(long, 80);
    assert!(page.lines.len() > 12_000);
    assert!(page.lines.iter().all(|l| display_width(&l.text) <= 80));
    let tagged = lib.articles.iter().find(|a| a.title == "Tagged").unwrap();
    assert_eq!(tagged.locations.len(), 1000);
    let index = TagIndex::build(&lib.articles, &Default::default());
    assert_eq!(index.tags.len(), 1000);
}

#[test]
fn deeply_nested_folders() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for i in 0..120 {
        deep.push(format!("d{i}"));
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("bottom.txt"), GOOD).unwrap();
    let lib = load(dir.path(), &LoadOptions::default()).unwrap();
    assert_eq!(lib.articles.len(), 1);
    assert!(lib.articles[0].path.components().count() == 121);
}

#[test]
fn an_articles_path_that_is_a_file_missing_or_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.txt");
    fs::write(&file, GOOD).unwrap();
    assert!(matches!(
        load(&file, &LoadOptions::default()),
        Err(LoadError::NotAFolder(_))
    ));
    assert!(matches!(
        load(&dir.path().join("nope"), &LoadOptions::default()),
        Err(LoadError::Missing(_))
    ));
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        println!("skipped the unreadable case: running as root, permissions do not stop reading");
    } else {
        let err = load(&locked, &LoadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("check its permissions"), "{err}");
    }
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}
