//! The real folder watch under load: reading a big archive makes no events
//! (the watch subscribes to changes only), so the kernel's queue never
//! overflows and nothing asks for a reload or a check.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use newsdesk::library::{self, LoadOptions};
use newsdesk::watch;

const FILES: usize = 20_000;

#[test]
fn reading_20000_files_under_a_watch_makes_no_events() {
    let tmp = tempfile::tempdir().unwrap();
    // A hundred folders of two hundred files: every folder is watched.
    for folder in 0..100 {
        let dir = tmp.path().join(format!("f{folder:03}"));
        fs::create_dir(&dir).unwrap();
        for i in 0..FILES / 100 {
            fs::write(
                dir.join(format!("{i:03}.txt")),
                format!("Title {folder} {i}\n\nText.\n"),
            )
            .unwrap();
        }
    }
    let watch = watch::start(tmp.path(), LoadOptions::default()).unwrap();
    // Read every file, twice over: by hand and by the loader.
    let mut read = 0;
    for folder in fs::read_dir(tmp.path()).unwrap() {
        for file in fs::read_dir(folder.unwrap().path()).unwrap() {
            read += fs::read(file.unwrap().path()).unwrap().len().min(1);
        }
    }
    assert_eq!(read, FILES);
    let lib = library::load(tmp.path(), &LoadOptions::default()).unwrap();
    assert_eq!(lib.articles.len(), FILES);
    // Then one write: the first (and only) change names just it.
    fs::write(tmp.path().join("f000/last.txt"), "Last\n\nText.\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen: Vec<PathBuf> = Vec::new();
    while !seen.contains(&PathBuf::from("f000/last.txt")) {
        let left = deadline.saturating_duration_since(Instant::now());
        let changes = watch.changes.recv_timeout(left).expect("the write is seen");
        assert!(!changes.check, "events were lost: the queue overflowed");
        assert!(!changes.rescan, "a full reload was asked for");
        seen.extend(changes.paths);
    }
    assert_eq!(seen, [PathBuf::from("f000/last.txt")]);
}

/// Folders that appear after the watch starts are watched too, and what is
/// written in them right away is not lost; a folder moved out goes, one
/// moved in comes with all in it.
#[test]
fn new_and_moved_folders_are_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let watch = watch::start(tmp.path(), LoadOptions::default()).unwrap();
    let wait = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut all = watch::Changes::default();
        while !all.paths.iter().any(|p| p.ends_with(what)) {
            let left = deadline.saturating_duration_since(Instant::now());
            all.merge(
                watch
                    .changes
                    .recv_timeout(left)
                    .unwrap_or_else(|_| panic!("{what} is seen")),
            );
        }
        all
    };
    fs::create_dir_all(tmp.path().join("a/b")).unwrap();
    fs::write(tmp.path().join("a/b/one.txt"), "One\n\nText.\n").unwrap();
    let first = wait("a");
    assert!(first.articles.iter().any(|a| a.title == "One"));
    // Later writes deep in the new folder are seen: it has its own watch.
    fs::write(tmp.path().join("a/b/two.txt"), "Two\n\nText.\n").unwrap();
    let second = wait("two.txt");
    assert_eq!(
        second.articles.last().map(|a| a.title.as_str()),
        Some("Two")
    );
    // Moved out: its path is given, and nothing is there now.
    fs::rename(tmp.path().join("a"), outside.path().join("a")).unwrap();
    let gone = wait("a");
    assert!(gone.articles.is_empty());
    // Moved back in under another name: walked whole, then watched.
    fs::rename(outside.path().join("a"), tmp.path().join("c")).unwrap();
    let back = wait("c");
    assert_eq!(back.articles.len(), 2);
    fs::write(tmp.path().join("c/b/three.txt"), "Three\n\nText.\n").unwrap();
    let third = wait("c/b/three.txt");
    assert_eq!(
        third.articles.last().map(|a| a.title.as_str()),
        Some("Three")
    );
}
