//! The reader started from the archive's snapshot shows what a fresh load
//! shows: the same screen (list, counts, regions, problems), the whole text
//! once an article is opened (read through the body store), and a search
//! over the text that never lists wrong results while words are read.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use newsdesk::app::{App, Effect};
use newsdesk::bodies::BodyStore;
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;
use newsdesk::library::{self, Candidate, Library, LoadOptions};
use newsdesk::message::{Job, Message};
use newsdesk::query::eval::ArticleWords;
use newsdesk::snapshot::Snapshot;
use newsdesk::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZE: (u16, u16) = (120, 40);

/// The bundled articles plus a file that cannot be read (a problem).
fn archive() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    for entry in fs::read_dir(&bundled).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
        }
    }
    fs::write(tmp.path().join("zz-empty.txt"), "").unwrap();
    tmp
}

fn new_app(library: Library) -> App {
    let config = Config::defaults();
    App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        SIZE,
    )
}

fn fresh(root: &Path) -> App {
    new_app(library::load(root, &LoadOptions::default()).unwrap())
}

/// A reader started as `tui::run` starts it from a saved snapshot.
fn from_snapshot(root: &Path, cache: &Path) -> App {
    let lib = library::load(root, &LoadOptions::default()).unwrap();
    let file = cache.join("archive.snap");
    Snapshot::build(root, &lib.articles, &lib.problems, SystemTime::now())
        .unwrap()
        .save(&file)
        .unwrap();
    // In pieces of three, as the cache thread sends them (of 65,536).
    let mut parts = Vec::new();
    let (articles, problems) = Snapshot::load(&file, root)
        .unwrap()
        .library_in_parts(3, |part| parts.push(part));
    assert!(parts.len() >= 2, "several pieces: {}", parts.len());
    assert!(
        parts
            .iter()
            .chain([&articles])
            .all(|p| p.iter().all(|a| a.body().is_empty())),
        "no text in the snapshot"
    );
    let mut app = new_app(Library {
        root: root.to_path_buf(),
        ..Library::default()
    });
    app.start_loading();
    for part in parts {
        app.update(Job::FromSnapshotPart(part));
        assert!(
            app.visible().is_empty(),
            "nothing shown before the last piece"
        );
    }
    app.update(Job::FromSnapshot { articles, problems });
    app
}

/// Runs the body reads the app asks for, as the loop does.
fn run_body_reads(app: &mut App, store: &mut BodyStore) {
    loop {
        let effects = app.take_effects();
        let mut any = false;
        for effect in effects {
            if let Effect::ReadBody(path) = effect {
                any = true;
                let article = store.get(&path);
                app.update(Job::Body { path, article });
            }
        }
        if !any {
            return;
        }
    }
}

fn screen(app: &App) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    terminal.draw(|f| render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content
        .chunks(usize::from(buffer.area.width))
        .map(|row| row.iter().map(|c| c.symbol()).collect())
        .collect()
}

fn visible_paths(app: &App) -> Vec<PathBuf> {
    app.visible()
        .iter()
        .map(|&i| app.articles()[i].path.to_path_buf())
        .collect()
}

#[test]
fn started_from_the_snapshot_the_reader_shows_what_a_fresh_load_shows() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut expected = fresh(root);
    let mut app = from_snapshot(root, cache.path());
    assert!(app.loading().is_none(), "the whole list at once");
    assert_eq!(visible_paths(&app), visible_paths(&expected));
    assert_eq!(app.problems(), expected.problems());
    assert!(
        app.problems()
            .iter()
            .any(|p| p.path == Path::new("zz-empty.txt")),
        "the empty file is a problem"
    );
    assert_eq!(app.regions().rows(), expected.regions().rows());

    // The top article is shown in the reader: its text is asked for.
    let top = app.articles()[app.visible()[0]].path.to_path_buf();
    assert_eq!(app.effects(), [Effect::ReadBody(top)]);
    let mut store = BodyStore::new(root.to_path_buf(), LoadOptions::default(), 4);
    run_body_reads(&mut app, &mut store);
    assert_eq!(screen(&app), screen(&expected), "the same screen, text too");

    // Another article, opened and scrolled: the same text, the same lines.
    for message in [
        Message::SelectNext,
        Message::SelectNext,
        Message::OpenSelected,
        Message::PageDown,
    ] {
        app.update(message);
        run_body_reads(&mut app, &mut store);
        expected.update(message);
    }
    assert_eq!(screen(&app), screen(&expected));
    let open = app.reader().article().unwrap();
    assert!(!app.articles()[open].body().is_empty());
}

#[test]
fn a_search_over_the_text_waits_for_the_words_and_is_never_wrong() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut expected = fresh(root);
    let mut app = from_snapshot(root, cache.path());
    let all = visible_paths(&app);
    // A word of one body only (not in any title).
    let word = "berths";
    expected.set_search(word);
    let found = visible_paths(&expected);
    assert!(
        !found.is_empty() && found.len() < all.len(),
        "{word} is in some bodies: {found:?}"
    );
    app.take_effects();
    app.set_search(word);
    // Not searched yet: the list is not filtered by the text, and says why.
    assert_eq!(visible_paths(&app), all);
    assert!(
        app.notice()
            .is_some_and(|n| n.starts_with("preparing search")),
        "{:?}",
        app.notice()
    );
    let effects = app.take_effects();
    let Some(Effect::PrepareWords { generation, files }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::PrepareWords { .. }))
    else {
        panic!("the words are asked for");
    };
    assert_eq!(files.len(), all.len());
    // Asked once: typing on does not ask again.
    app.set_search(&format!("{word} "));
    assert!(
        !app.effects()
            .iter()
            .any(|e| matches!(e, Effect::PrepareWords { .. }))
    );
    app.set_search(word);
    // The words come in two reports, as the loop's worker sends them.
    let words: Vec<(u32, ArticleWords)> = files
        .iter()
        .map(|(id, path)| {
            let candidate = Candidate {
                path: root.join(path),
                relative: path.clone(),
                form: library::form_of(path).unwrap(),
            };
            let article = library::load_one_guarded(&candidate, &LoadOptions::default())
                .0
                .unwrap();
            (*id, ArticleWords::new(&article))
        })
        .collect();
    let (first, rest) = words.split_at(words.len() / 2);
    app.update(Job::Words {
        generation,
        words: first.to_vec(),
    });
    assert_eq!(
        visible_paths(&app),
        all,
        "still not searched: half the words"
    );
    app.update(Job::Words {
        generation,
        words: rest.to_vec(),
    });
    app.update(Job::WordsDone { generation });
    assert_eq!(visible_paths(&app), found);
    assert_eq!(app.notice(), None);
}

#[test]
fn words_read_for_old_ids_are_not_put_on_new_ones() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut app = from_snapshot(root, cache.path());
    app.set_search("berths");
    let Some(Effect::PrepareWords { generation, files }) = app
        .take_effects()
        .into_iter()
        .find(|e| matches!(e, Effect::PrepareWords { .. }))
    else {
        panic!("the words are asked for");
    };
    // An article removed meanwhile: ids change.
    let gone = files[0].1.clone();
    fs::remove_file(root.join(&gone)).unwrap();
    let changes = newsdesk::watch::read(
        root,
        std::iter::once(gone).collect(),
        &LoadOptions::default(),
    );
    app.update(Job::Changed(changes));
    assert_ne!(app.archive().generation(), generation);
    app.update(Job::WordsDone { generation });
    // Asked again, for the ids of now.
    assert!(
        app.effects().iter().any(
            |e| matches!(e, Effect::PrepareWords { generation: g, files: f } if *g != generation && f.len() == files.len() - 1)
        ),
        "{:?}",
        app.effects()
    );
}

#[test]
fn lost_events_are_answered_by_the_folder_check_when_a_snapshot_is_held() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let overflow = || newsdesk::watch::Changes {
        check: true,
        ..Default::default()
    };
    let checks = |app: &mut App| {
        app.take_effects()
            .into_iter()
            .filter(|e| matches!(e, Effect::Refresh | Effect::CatchUp { .. }))
            .collect::<Vec<_>>()
    };
    // From the snapshot: the check once the watch is up, and on an overflow.
    let mut app = from_snapshot(root, cache.path());
    app.update(Job::WatchReady);
    assert_eq!(checks(&mut app), [Effect::Refresh]);
    app.update(Job::Changed(overflow()));
    assert_eq!(checks(&mut app), [Effect::Refresh]);
    // No snapshot held (a first start before it is built, or --no-cache):
    // the walk for what came or went.
    let mut app = fresh(root);
    app.update(Job::WatchReady);
    assert!(matches!(checks(&mut app)[..], [Effect::CatchUp { .. }]));
    app.update(Job::Changed(overflow()));
    assert!(matches!(checks(&mut app)[..], [Effect::CatchUp { .. }]));
    // Once the snapshot of the first load is held, the check.
    app.update(Job::SnapshotHeld);
    app.update(Job::Changed(overflow()));
    assert_eq!(checks(&mut app), [Effect::Refresh]);
    // Without a watch, the folder is still checked once against the snapshot.
    let mut app = from_snapshot(root, cache.path());
    app.update(Job::WatchFailed("no inotify".into()));
    assert_eq!(checks(&mut app), [Effect::Refresh]);
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("live reload is off"))
    );
}

/// The first load as `tui::run` forwards it: every batch without its text
/// (the loader's articles with the text dropped), so memory follows the
/// list. The reader shows what a load that kept the text shows, and reads
/// a file when it shows it.
#[test]
fn a_first_load_keeps_no_text_and_shows_what_a_load_with_text_shows() {
    let tmp = archive();
    let root = tmp.path();
    let mut expected = fresh(root);
    let lib = library::load(root, &LoadOptions::default()).unwrap();
    let mut app = new_app(Library {
        root: root.to_path_buf(),
        ..Library::default()
    });
    app.start_loading();
    for (k, chunk) in lib.articles.chunks(3).enumerate() {
        let mut articles = chunk.to_vec();
        for a in &mut articles {
            a.drop_text();
        }
        assert!(articles.iter().all(|a| a.body().is_empty()));
        let problems = if k == 0 {
            lib.problems.clone()
        } else {
            Vec::new()
        };
        app.update(Job::Loaded {
            articles,
            problems,
            files: chunk.len(),
            shallow: true,
        });
    }
    app.update(Job::LoadDone);
    assert_eq!(visible_paths(&app), visible_paths(&expected));
    assert_eq!(app.regions().rows(), expected.regions().rows());
    let top = app.articles()[app.visible()[0]].path.to_path_buf();
    assert!(
        app.take_effects().contains(&Effect::ReadBody(top)),
        "the shown article's file is read"
    );
    let mut store = BodyStore::new(root.to_path_buf(), LoadOptions::default(), 4);
    // The effects were taken: ask again by moving away and back.
    for message in [Message::SelectNext, Message::SelectPrev] {
        app.update(message);
        run_body_reads(&mut app, &mut store);
        expected.update(message);
    }
    assert_eq!(screen(&app), screen(&expected), "the same screen, text too");
}

/// A snapshot found unusable after some of its pieces were sent: they are
/// dropped, and the first load that follows lists every article once.
#[test]
fn pieces_of_a_snapshot_that_failed_are_dropped_before_the_first_load() {
    let tmp = archive();
    let root = tmp.path();
    let expected = fresh(root);
    let lib = library::load(root, &LoadOptions::default()).unwrap();
    let mut app = new_app(Library {
        root: root.to_path_buf(),
        ..Library::default()
    });
    app.start_loading();
    let mut piece = lib.articles[..2].to_vec();
    for a in &mut piece {
        a.drop_text();
    }
    app.update(Job::FromSnapshotPart(piece));
    app.update(Job::SnapshotFailed);
    app.update(Job::Loaded {
        articles: lib.articles.clone(),
        problems: lib.problems.clone(),
        files: lib.articles.len(),
        shallow: false,
    });
    app.update(Job::LoadDone);
    assert_eq!(
        app.articles().len(),
        lib.articles.len(),
        "each article once"
    );
    assert!(
        (0..app.articles().len()).all(|i| !app.archive().is_shallow(i)),
        "the dropped pieces' flags went with them"
    );
    assert_eq!(visible_paths(&app), visible_paths(&expected));
    assert_eq!(app.regions().rows(), expected.regions().rows());
}

/// What a full reload gives the loop: every article read again, its text
/// dropped as the loader's forwarding thread drops it.
fn reload_without_text(app: &mut App, root: &Path) {
    let lib = library::load(root, &LoadOptions::default()).unwrap();
    let mut articles = lib.articles;
    for a in &mut articles {
        a.drop_text();
    }
    app.take_effects();
    app.update(Job::Reloaded {
        articles,
        problems: lib.problems,
    });
}

/// A full reload (`r`) brings the articles without their text too: the
/// shown one is read again, and the screen is what it was.
#[test]
fn a_reload_keeps_no_text_and_reads_the_shown_article_again() {
    let tmp = archive();
    let root = tmp.path();
    let expected = fresh(root);
    let mut app = fresh(root);
    reload_without_text(&mut app, root);
    let top = app.articles()[app.visible()[0]].path.to_path_buf();
    assert!(app.archive().is_shallow(app.visible()[0]));
    assert!(
        app.effects().contains(&Effect::ReadBody(top)),
        "{:?}",
        app.effects()
    );
    let mut store = BodyStore::new(root.to_path_buf(), LoadOptions::default(), 4);
    run_body_reads(&mut app, &mut store);
    // The same screen but the status bar, which says what the reload found.
    let (got, want) = (screen(&app), screen(&expected));
    assert_eq!(got[..got.len() - 1], want[..want.len() - 1]);
    assert!(got[got.len() - 1].contains("reloaded: 21 articles"));
}

/// A reload after a file went away takes the whole replace (not the swap
/// in place): its articles come without text there too.
#[test]
fn a_reload_after_a_removal_keeps_no_text_either() {
    let tmp = archive();
    let root = tmp.path();
    let mut app = fresh(root);
    let gone = app.articles()[app.visible()[3]].path.to_path_buf();
    fs::remove_file(root.join(&gone)).unwrap();
    let expected = fresh(root);
    reload_without_text(&mut app, root);
    assert_eq!(visible_paths(&app), visible_paths(&expected));
    assert!((0..app.articles().len()).all(|i| app.archive().is_shallow(i)));
    let top = app.articles()[app.visible()[0]].path.to_path_buf();
    assert!(app.effects().contains(&Effect::ReadBody(top)));
    let mut store = BodyStore::new(root.to_path_buf(), LoadOptions::default(), 4);
    run_body_reads(&mut app, &mut store);
    let (got, want) = (screen(&app), screen(&expected));
    assert_eq!(got[..got.len() - 1], want[..want.len() - 1]);
}

/// What the person just did stays on the status bar while a search waits
/// for the index; the index's `Ready` then clears nothing of it.
#[test]
fn a_notice_of_ones_own_outlives_a_search_waiting_for_the_index() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let mut app = from_snapshot(tmp.path(), cache.path());
    app.index_coming();
    app.set_notice("saved view \"Ports\"");
    app.set_search("berths");
    assert_eq!(app.notice(), Some("saved view \"Ports\""));
}

/// A search over the text typed while the index is being opened waits the
/// moment for it, without making every article's words; once the index
/// turns out to need a build, the files are read for them as before.
#[test]
fn a_search_while_the_index_opens_waits_for_it_instead_of_reading_words() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut app = from_snapshot(root, cache.path());
    let all = visible_paths(&app);
    app.index_coming();
    app.take_effects();
    app.set_search("berths");
    assert_eq!(visible_paths(&app), all, "not searched yet");
    assert_eq!(app.notice(), Some("preparing search: opening the index"));
    let asks_words = |app: &App| {
        app.effects()
            .iter()
            .any(|e| matches!(e, Effect::PrepareWords { .. }))
    };
    assert!(!asks_words(&app), "no file is read for words");
    // The index needs building: the words are read meanwhile.
    app.update(Job::Index(newsdesk::index::IndexJob::Progress {
        done: 0,
        total: 0,
    }));
    assert!(asks_words(&app), "{:?}", app.effects());
    assert!(
        app.notice()
            .is_some_and(|n| n.starts_with("preparing search: reading")),
        "{:?}",
        app.notice()
    );
}
