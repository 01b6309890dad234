//! Live reload without a terminal: files change in a folder, `watch::read`
//! reads them as the watcher would, and `App::apply_changes` takes them in
//! with the selection, reading position, filters and marks kept.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use newsdesk::app::{App, Effect};
use newsdesk::config::Config;
#[cfg(feature = "import")]
use newsdesk::import::{FeedReport, Progress, Report};
use newsdesk::keymap::Keymap;
use newsdesk::layout::Focus;
use newsdesk::library::{LoadOptions, load};
use newsdesk::message::Message;
use newsdesk::watch::{self, Changes};

/// A copy of the sample articles in a temporary folder, and a reader on it.
fn setup() -> (tempfile::TempDir, App) {
    let tmp = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    for entry in fs::read_dir(samples).unwrap().flatten() {
        fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
    }
    let app = open(tmp.path());
    (tmp, app)
}

fn open(root: &Path) -> App {
    let config = Config::defaults();
    let library = load(root, &LoadOptions::default()).unwrap();
    App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    )
}

/// What the watcher would hand over for these changed paths.
fn changes(root: &Path, paths: &[&str]) -> Changes {
    let set: BTreeSet<PathBuf> = paths.iter().map(PathBuf::from).collect();
    watch::read(root, set, &LoadOptions::default())
}

fn selected_path(app: &App) -> PathBuf {
    app.articles()[app.selected_article().unwrap()]
        .path
        .to_path_buf()
}

fn article(title: &str, date: &str, tags: &str) -> String {
    format!(
        "{title}\n\nDate: {date}\n\nA standfirst for {title}.\n\nA body paragraph.\n\nLocation: {tags}\n"
    )
}

#[test]
fn a_new_file_appears_and_the_selection_stays() {
    let (tmp, mut app) = setup();
    let before = app.articles().len();
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let chosen = selected_path(&app);
    // Newest of all: it sorts above the selection.
    fs::write(
        tmp.path().join("new.txt"),
        article("Fresh from the wire", "2099-01-01", "Georgia"),
    )
    .unwrap();
    app.apply_changes(changes(tmp.path(), &["new.txt"]));
    assert_eq!(app.articles().len(), before + 1);
    assert_eq!(
        app.articles()[app.visible()[0]].title,
        "Fresh from the wire"
    );
    assert_eq!(selected_path(&app), chosen);
    assert_eq!(app.selected(), 3);
}

#[test]
fn a_removed_file_goes_and_a_changed_one_is_read_again() {
    let (tmp, mut app) = setup();
    let before = app.articles().len();
    let chosen = selected_path(&app);
    let other = app.articles()[app.visible()[4]].path.to_path_buf();
    fs::remove_file(tmp.path().join(&other)).unwrap();
    app.apply_changes(changes(tmp.path(), &[&other.display().to_string()]));
    assert_eq!(app.articles().len(), before - 1);
    assert!(app.articles().iter().all(|a| a.path != other));
    assert_eq!(selected_path(&app), chosen);

    // The selected article itself changes: the new text shows, still selected.
    let text = fs::read_to_string(tmp.path().join(&chosen)).unwrap();
    let retitled = text.replacen(text.lines().next().unwrap(), "A corrected title", 1);
    fs::write(tmp.path().join(&chosen), retitled).unwrap();
    app.apply_changes(changes(tmp.path(), &[&chosen.display().to_string()]));
    assert_eq!(app.articles().len(), before - 1);
    assert_eq!(selected_path(&app), chosen);
    let shown = app.reader().article().unwrap();
    assert_eq!(app.articles()[shown].title, "A corrected title");
}

#[test]
fn the_reading_position_and_marks_survive_a_reload() {
    let (tmp, mut app) = setup();
    app.update(Message::SelectNext);
    app.update(Message::ToggleStar);
    let starred = selected_path(&app);
    app.update(Message::FocusRight);
    assert_eq!(app.focus(), Focus::Reader);
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let scroll = app.reader().scroll();
    assert!(scroll > 0);
    fs::write(
        tmp.path().join("later.txt"),
        article("Later news", "2099-02-02", "Armenia"),
    )
    .unwrap();
    app.apply_changes(changes(tmp.path(), &["later.txt"]));
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(selected_path(&app), starred);
    assert_eq!(app.reader().scroll(), scroll);
    let i = app.selected_article().unwrap();
    assert!(app.marks(i).starred && app.marks(i).read);
    // The new article was not marked read on the way.
    let new = app
        .articles()
        .iter()
        .position(|a| a.title == "Later news")
        .unwrap();
    assert!(!app.marks(new).read);
}

#[test]
fn filters_stay_and_apply_to_new_articles() {
    let (tmp, mut app) = setup();
    assert!(app.select_regions(&["Georgia".into()]).is_empty());
    let shown = app.visible().len();
    fs::write(
        tmp.path().join("in.txt"),
        article("Tbilisi news", "2020-01-01", "Georgia"),
    )
    .unwrap();
    fs::write(
        tmp.path().join("out.txt"),
        article("Riga news", "2020-01-01", "Latvia"),
    )
    .unwrap();
    app.apply_changes(changes(tmp.path(), &["in.txt", "out.txt"]));
    assert_eq!(app.region_names(), ["Georgia"]);
    assert_eq!(app.visible().len(), shown + 1);
    assert!(
        app.visible()
            .iter()
            .all(|&i| app.articles()[i].title != "Riga news")
    );
}

#[test]
fn problems_come_and_go_with_their_files() {
    let (tmp, mut app) = setup();
    assert!(app.problems().is_empty());
    fs::write(tmp.path().join("bad.txt"), "\n\n\n").unwrap();
    app.apply_changes(changes(tmp.path(), &["bad.txt"]));
    assert_eq!(app.problems().len(), 1);
    assert_eq!(app.problems()[0].path, Path::new("bad.txt"));
    fs::write(
        tmp.path().join("bad.txt"),
        article("Fixed", "2020-01-01", "Georgia"),
    )
    .unwrap();
    app.apply_changes(changes(tmp.path(), &["bad.txt"]));
    assert!(app.problems().is_empty());
    assert!(app.articles().iter().any(|a| a.title == "Fixed"));
}

#[test]
fn a_folder_moved_in_and_out_brings_and_takes_its_articles() {
    let (tmp, mut app) = setup();
    let before = app.articles().len();
    let feed = tmp.path().join("feed");
    fs::create_dir(&feed).unwrap();
    for n in 0..3 {
        fs::write(
            feed.join(format!("{n}.txt")),
            article(&format!("Feed item {n}"), "2021-01-01", "Moldova"),
        )
        .unwrap();
    }
    fs::write(feed.join(".0.txt.part"), "half a fi").unwrap();
    // The folder and one of its files both changed: each article comes once.
    app.apply_changes(changes(tmp.path(), &["feed", "feed/0.txt"]));
    assert_eq!(app.articles().len(), before + 3);
    fs::remove_dir_all(&feed).unwrap();
    app.apply_changes(changes(tmp.path(), &["feed"]));
    assert_eq!(app.articles().len(), before);
}

#[test]
fn later_changes_win_when_merged() {
    let (tmp, _) = setup();
    fs::write(
        tmp.path().join("x.txt"),
        article("First", "2020-01-01", "A"),
    )
    .unwrap();
    let mut first = changes(tmp.path(), &["x.txt"]);
    fs::remove_file(tmp.path().join("x.txt")).unwrap();
    let mut later = changes(tmp.path(), &["x.txt"]);
    later.rescan = true;
    first.merge(later);
    assert!(
        first.rescan,
        "a lost event in either asks for a full reload"
    );
    assert!(first.articles.is_empty());
    assert_eq!(first.paths.len(), 2);
}

#[test]
fn r_asks_for_a_reload_once_loading_is_over() {
    let (tmp, mut app) = setup();
    app.start_loading();
    app.update(Message::Reload);
    assert!(app.effects().is_empty());
    assert!(app.notice().unwrap().contains("still reading"));
    app.finish_loading();
    app.update(Message::Reload);
    assert_eq!(app.effects(), [Effect::Reload, Effect::ReadState]);
    assert!(app.reloading());
    // The reload's result replaces everything; the selection stays.
    let chosen = selected_path(&app);
    fs::write(tmp.path().join("r.txt"), article("R", "1990-01-01", "B")).unwrap();
    let library = load(tmp.path(), &LoadOptions::default()).unwrap();
    let n = library.articles.len();
    app.replace_all(library.articles, library.problems);
    assert!(!app.reloading());
    assert_eq!(app.articles().len(), n);
    assert_eq!(selected_path(&app), chosen);
    assert_eq!(app.notice(), Some(&*format!("reloaded: {n} articles (+1)")));
}

#[cfg(feature = "import")]
#[test]
fn an_import_reports_progress_and_failed_feeds_join_the_problems() {
    let (_tmp, mut app) = setup();
    app.update(Message::Import);
    assert_eq!(app.effects(), [Effect::Import]);
    app.take_effects();
    app.import_started();
    app.import_progress(&Progress::Fetching(2));
    let good = FeedReport {
        location: "a.xml".into(),
        title: "A".into(),
        written: vec!["a/1.txt".into(), "a/2.txt".into()],
        already: 1,
        error: None,
    };
    let bad = FeedReport {
        location: "https://x.example/feed".into(),
        title: "https://x.example/feed".into(),
        error: Some("the server answered HTTP 500; check the address".into()),
        ..FeedReport::default()
    };
    app.import_progress(&Progress::Done(good.clone()));
    assert_eq!(app.importing(), Some((1, 2)));
    // A second I while one runs does not start another.
    app.update(Message::Import);
    assert!(app.effects().is_empty());
    app.import_progress(&Progress::Done(bad.clone()));
    app.import_finished(Ok(&Report {
        feeds: vec![good, bad],
    }));
    assert_eq!(app.importing(), None);
    assert_eq!(
        app.notice(),
        Some("imported 2 new articles from 2 feeds (1 already there); 1 feed failed (! lists why)")
    );
    assert_eq!(app.problems().len(), 1);
    assert_eq!(app.problems()[0].path, Path::new("https://x.example/feed"));
    // A reload keeps them; the next import starts them over.
    let library = load(_tmp.path(), &LoadOptions::default()).unwrap();
    app.replace_all(library.articles, library.problems);
    assert_eq!(app.problems().len(), 1);
    app.import_started();
    assert!(app.problems().is_empty());
}

#[test]
fn while_loading_the_top_row_stays_the_newest() {
    let tmp = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let mut app = App::new(
        newsdesk::library::Library {
            root: tmp.path().to_path_buf(),
            ..Default::default()
        },
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    app.start_loading();
    let parse = |t: &str, d: &str| {
        let mut a = newsdesk::article::Article::parse(
            article(t, d, "X").as_bytes(),
            newsdesk::article::Form::Plain,
        )
        .unwrap();
        a.path = format!("{t}.txt").into();
        a
    };
    app.add_articles(vec![parse("Old", "2001-01-01")], Vec::new());
    app.add_articles(vec![parse("New", "2020-01-01")], Vec::new());
    assert_eq!(app.selected(), 0);
    assert_eq!(app.articles()[app.selected_article().unwrap()].title, "New");
    assert_eq!(app.articles()[app.reader().article().unwrap()].title, "New");
    // Once the person has moved, the selection follows its article.
    app.update(Message::SelectNext);
    app.add_articles(vec![parse("Newer", "2021-01-01")], Vec::new());
    assert_eq!(app.articles()[app.selected_article().unwrap()].title, "Old");
}

/// The watcher in a real folder: a write is seen; reading files is not a
/// change (else every read would cause another, for ever).
#[test]
fn the_watcher_sees_writes_and_ignores_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let watch = watch::watch(tmp.path(), LoadOptions::default()).unwrap();
    let wait = std::time::Duration::from_secs(10);
    fs::write(
        tmp.path().join("one.txt"),
        article("One", "2020-01-01", "X"),
    )
    .unwrap();
    let first = watch.changes.recv_timeout(wait).expect("the write is seen");
    assert_eq!(first.paths, [PathBuf::from("one.txt")]);
    assert_eq!(first.articles.len(), 1);
    // Read it (as the reader does), then write another file: the next change
    // names only the new file.
    let _ = fs::read(tmp.path().join("one.txt")).unwrap();
    let _ = load(tmp.path(), &LoadOptions::default()).unwrap();
    fs::write(tmp.path().join(".hidden.txt"), "x").unwrap();
    fs::write(
        tmp.path().join("two.txt"),
        article("Two", "2020-01-01", "X"),
    )
    .unwrap();
    let second = watch
        .changes
        .recv_timeout(wait)
        .expect("the second write is seen");
    assert_eq!(second.paths, [PathBuf::from("two.txt")]);
    assert_eq!(second.articles[0].title, "Two");
}

#[test]
fn a_search_applies_to_new_and_changed_articles() {
    let (tmp, mut app) = setup();
    app.update(Message::Search);
    for c in "zebra".chars() {
        app.update(Message::Type(c));
    }
    app.update(Message::Submit);
    assert!(app.visible().is_empty());
    let body = |t: &str, extra: &str| {
        format!("{t}\n\nDate: 2020-01-01\n\nStandfirst.\n\n{extra}\n\nLocation: X\n")
    };
    fs::write(tmp.path().join("new.txt"), body("New", "A zebra crossing.")).unwrap();
    app.apply_changes(changes(tmp.path(), &["new.txt"]));
    assert_eq!(app.visible().len(), 1);
    // An article already folded for the search changes: its new text counts.
    let old = app
        .articles()
        .iter()
        .find(|a| a.title != "New")
        .unwrap()
        .path
        .clone();
    fs::write(tmp.path().join(&old), body("Old", "Zebras everywhere.")).unwrap();
    app.apply_changes(changes(tmp.path(), &[&old.display().to_string()]));
    assert_eq!(app.visible().len(), 2);
    fs::write(tmp.path().join("new.txt"), body("New", "No stripes.")).unwrap();
    app.apply_changes(changes(tmp.path(), &["new.txt"]));
    let titles: Vec<&str> = app
        .visible()
        .iter()
        .map(|&i| app.articles()[i].title.as_str())
        .collect();
    assert_eq!(titles, ["Old"]);
}

#[test]
fn other_articles_keep_their_reading_positions() {
    let (tmp, mut app) = setup();
    // Read the fourth article part way, then open the third and scroll.
    for _ in 0..3 {
        app.update(Message::SelectNext);
    }
    app.update(Message::FocusRight);
    app.update(Message::PageDown);
    let fourth = selected_path(&app);
    app.update(Message::FocusLeft);
    app.update(Message::SelectPrev);
    app.update(Message::FocusRight);
    app.update(Message::SelectNext);
    let id = |app: &App, p: &Path| app.articles().iter().position(|a| a.path == p).unwrap();
    let saved = app.marks(id(&app, &fourth)).position;
    assert!(saved.is_some());
    // Another file goes: ids shift, positions stay with their articles.
    let first = app.articles()[app.visible()[0]].path.to_path_buf();
    fs::remove_file(tmp.path().join(&first)).unwrap();
    app.apply_changes(changes(tmp.path(), &[&first.display().to_string()]));
    assert_eq!(app.marks(id(&app, &fourth)).position, saved);
    let state = app.state_to_save();
    let key = app.articles()[id(&app, &fourth)]
        .source_url
        .as_deref()
        .map_or_else(|| fourth.display().to_string(), str::to_owned);
    assert_eq!(state.marks(&key).position, saved);
}

#[test]
fn esc_after_a_reload_returns_to_the_article_searched_from() {
    let (tmp, mut app) = setup();
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let from = selected_path(&app);
    app.update(Message::Search);
    app.update(Message::Type('e'));
    let first = app.articles()[app.visible()[0]].path.to_path_buf();
    fs::remove_file(tmp.path().join(&first)).unwrap();
    app.apply_changes(changes(tmp.path(), &[&first.display().to_string()]));
    app.update(Message::Back);
    assert_eq!(selected_path(&app), from);
}

/// A folder given as `../…` (or through a symlink) is watched as well as an
/// absolute one.
#[test]
fn the_watcher_understands_relative_and_linked_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let news = tmp.path().join("news");
    fs::create_dir(&news).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&news, &link).unwrap();
    let cwd = std::env::current_dir().unwrap();
    let up: PathBuf = cwd.components().skip(1).map(|_| "..").collect();
    let relative = up.join(news.strip_prefix("/").unwrap());
    assert!(relative.starts_with(".."), "{}", relative.display());
    let wait = std::time::Duration::from_secs(10);
    for (n, root) in [relative, link].into_iter().enumerate() {
        let watch = watch::watch(&root, LoadOptions::default()).unwrap();
        let name = format!("w{n}.txt");
        fs::write(news.join(&name), article("W", "2020-01-01", "X")).unwrap();
        let seen = watch
            .changes
            .recv_timeout(wait)
            .unwrap_or_else(|_| panic!("a write under {} is seen", root.display()));
        assert_eq!(seen.paths, [PathBuf::from(&name)]);
        assert_eq!(seen.articles.len(), 1);
    }
}

/// What changed before the watch was in place is found by a walk.
#[test]
fn a_walk_finds_files_that_came_and_went_unwatched() {
    let (tmp, mut app) = setup();
    let before = app.articles().len();
    let gone = app.articles()[app.visible()[2]].path.to_path_buf();
    fs::remove_file(tmp.path().join(&gone)).unwrap();
    fs::create_dir(tmp.path().join("sub")).unwrap();
    fs::write(
        tmp.path().join("sub/came.txt"),
        article("Came", "2020-01-01", "X"),
    )
    .unwrap();
    let articles = app
        .articles()
        .iter()
        .map(|a| a.path.to_path_buf())
        .collect();
    let problems = app
        .problems()
        .iter()
        .map(|p| p.path.to_path_buf())
        .collect();
    let changes = watch::missed(tmp.path(), articles, problems, &LoadOptions::default());
    assert_eq!(changes.paths, [gone.clone(), PathBuf::from("sub/came.txt")]);
    app.apply_changes(changes);
    assert_eq!(app.articles().len(), before);
    assert!(app.articles().iter().any(|a| a.title == "Came"));
    assert!(app.articles().iter().all(|a| a.path != gone));
    // Nothing changed since: nothing to do.
    let articles = app
        .articles()
        .iter()
        .map(|a| a.path.to_path_buf())
        .collect();
    let again = watch::missed(tmp.path(), articles, Vec::new(), &LoadOptions::default());
    assert!(again.paths.is_empty());
}
