//! The archive snapshot: a round trip, every fault a snapshot file can have,
//! and the change check for every kind of change (mtimes set explicitly,
//! never waited for).

mod common;

use std::collections::BTreeSet;
use std::fs::{self, File, FileTimes};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use newsdesk::library::{self, LoadOptions};
use newsdesk::snapshot::{self, Held, Snapshot, SnapshotError};

/// An hour ago: old enough to be trusted (not racy).
fn past(minutes: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600 + minutes * 60)
}

fn set_mtime(path: &Path, at: SystemTime) {
    File::open(path)
        .unwrap()
        .set_times(FileTimes::new().set_modified(at))
        .unwrap();
}

fn article(title: &str, date: &str, tags: &str) -> String {
    format!(
        "{title}\n\nAuthor: [Ann Roe](#)\nDate: {date}\n\nStandfirst here.\n\nBody of {title}.\n\nLocation: {tags}\n\nSource URL: <https://example.org/{title}>\n"
    )
}

/// A small archive, every mtime an hour old: a.txt, news/b.md-ish, news/deep/c.txt,
/// a broken file, and a problem.
fn archive() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("news/deep")).unwrap();
    fs::write(
        root.join("a.txt"),
        article("Alpha", "2024-01-02", "Georgia"),
    )
    .unwrap();
    fs::write(
        root.join("news/b.txt"),
        article("Beta", "2023-05-06", "Armenia"),
    )
    .unwrap();
    fs::write(
        root.join("news/deep/c.txt"),
        article("Gamma", "2022-07-08", "Kyrgyzstan"),
    )
    .unwrap();
    fs::write(root.join("news/empty.txt"), "").unwrap();
    fs::write(root.join("notes.bin"), "not an article").unwrap();
    age(root);
    tmp
}

/// Sets every file's and folder's mtime an hour back, deepest first.
fn age(root: &Path) {
    let mut all = vec![root.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir() {
            for e in fs::read_dir(&all[i]).unwrap() {
                all.push(e.unwrap().path());
            }
        }
        i += 1;
    }
    for p in all.iter().rev() {
        set_mtime(p, past(0));
    }
}

fn take(root: &Path) -> Snapshot {
    let lib = library::load(root, &LoadOptions::default()).unwrap();
    Snapshot::build(root, &lib.articles, &lib.problems, SystemTime::now()).unwrap()
}

fn paths(list: &[&str]) -> BTreeSet<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

#[test]
fn a_snapshot_round_trips_and_lists_what_a_fresh_load_lists() {
    let tmp = archive();
    let snap = take(tmp.path());
    assert_eq!(
        snap.files.len(),
        4,
        "three articles and the skipped empty file"
    );
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("sub/archive.snap");
    snap.save(&file).unwrap();
    let back = Snapshot::load(&file, tmp.path()).unwrap();
    assert_eq!(back, snap);
    let (articles, problems) = back.library();
    let fresh = library::load(tmp.path(), &LoadOptions::default()).unwrap();
    let view = |a: &newsdesk::article::Article| {
        (
            a.path.to_path_buf(),
            a.title.clone(),
            a.authors.clone(),
            a.date,
            a.locations.clone(),
            a.source_url.clone(),
        )
    };
    assert_eq!(
        articles.iter().map(view).collect::<Vec<_>>(),
        fresh.articles.iter().map(view).collect::<Vec<_>>()
    );
    assert_eq!(problems, fresh.problems);
    let words = back
        .files
        .iter()
        .find(|e| e.path == Path::new("a.txt"))
        .unwrap();
    assert_eq!(words.summary.as_ref().unwrap().words, 5);
    // Nothing changed: nothing to read.
    assert!(snapshot::check(tmp.path(), &back).is_empty());
}

fn saved() -> (tempfile::TempDir, tempfile::TempDir, PathBuf, Vec<u8>) {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("archive.snap");
    let snap = take(tmp.path());
    snap.save(&file).unwrap();
    let bytes = fs::read(&file).unwrap();
    (tmp, cache, file, bytes)
}

fn notice_of(e: &SnapshotError) -> String {
    let notice = e.notice().expect("a one-line notice");
    assert!(!notice.contains('\n'), "{notice}");
    assert!(
        notice.starts_with("the archive cache was unreadable ("),
        "{notice}"
    );
    assert!(notice.ends_with("; rebuilding it"), "{notice}");
    notice
}

#[test]
fn a_deleted_snapshot_is_missing_without_a_notice() {
    let (tmp, _cache, file, _) = saved();
    fs::remove_file(&file).unwrap();
    let e = Snapshot::load(&file, tmp.path()).unwrap_err();
    assert!(matches!(e, SnapshotError::Missing(_)), "{e}");
    assert_eq!(e.notice(), None);
}

#[test]
fn a_truncated_snapshot_is_refused_at_every_length() {
    let (tmp, _cache, file, bytes) = saved();
    // Every cut in the header, then a spread through the payload.
    let cuts = (0..80).chain((80..bytes.len()).step_by(7));
    for cut in cuts {
        fs::write(&file, &bytes[..cut]).unwrap();
        let e = Snapshot::load(&file, tmp.path()).unwrap_err();
        assert!(
            matches!(e, SnapshotError::Truncated(_)),
            "cut at {cut}: {e}"
        );
        notice_of(&e);
    }
}

#[test]
fn garbage_and_flipped_bytes_are_refused() {
    let (tmp, _cache, file, bytes) = saved();
    fs::write(&file, b"PK\x03\x04 this is a zip, or anything at all").unwrap();
    let e = Snapshot::load(&file, tmp.path()).unwrap_err();
    assert!(matches!(e, SnapshotError::NotASnapshot(_)), "{e}");
    assert!(notice_of(&e).contains("garbage"));
    // One bit flipped anywhere in the payload: the checksum catches it.
    for at in (bytes.len() - 200..bytes.len()).step_by(13) {
        let mut bad = bytes.clone();
        bad[at] ^= 0x10;
        fs::write(&file, &bad).unwrap();
        let e = Snapshot::load(&file, tmp.path()).unwrap_err();
        assert!(matches!(e, SnapshotError::Corrupt { .. }), "byte {at}: {e}");
    }
    // Longer than the header says.
    let mut long = bytes.clone();
    long.push(0);
    fs::write(&file, &long).unwrap();
    assert!(matches!(
        Snapshot::load(&file, tmp.path()).unwrap_err(),
        SnapshotError::Corrupt { .. }
    ));
}

#[test]
fn a_snapshot_of_another_version_is_refused() {
    let (tmp, _cache, file, bytes) = saved();
    let format_at = snapshot::MAGIC.len();
    let mut older = bytes.clone();
    older[format_at..format_at + 4].copy_from_slice(&0u32.to_le_bytes());
    fs::write(&file, &older).unwrap();
    let e = Snapshot::load(&file, tmp.path()).unwrap_err();
    assert!(
        matches!(e, SnapshotError::OtherVersion { format: 0, .. }),
        "{e}"
    );
    notice_of(&e);
    // Same format, another newsdesk: its parser may read files differently.
    let version_at = format_at + 5;
    let mut other = bytes.clone();
    other[version_at] = b'9';
    fs::write(&file, &other).unwrap();
    let e = Snapshot::load(&file, tmp.path()).unwrap_err();
    assert!(matches!(e, SnapshotError::OtherVersion { .. }), "{e}");
}

#[test]
fn a_snapshot_of_another_archive_is_refused() {
    let (_tmp, _cache, file, _) = saved();
    let elsewhere = archive();
    let e = Snapshot::load(&file, elsewhere.path()).unwrap_err();
    assert!(matches!(e, SnapshotError::OtherArchive { .. }), "{e}");
}

/// Two writers at once, and a reader meanwhile: every load is one whole
/// snapshot or the other, never a mix, never torn.
#[test]
fn concurrent_writers_never_tear_the_snapshot() {
    let tmp = archive();
    let one = take(tmp.path());
    let mut two = one.clone();
    two.files.truncate(1);
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("archive.snap");
    one.save(&file).unwrap();
    std::thread::scope(|s| {
        for snap in [&one, &two] {
            let file = &file;
            s.spawn(move || {
                for _ in 0..40 {
                    snap.save(file).unwrap();
                }
            });
        }
        for _ in 0..200 {
            let got = Snapshot::load(&file, tmp.path()).unwrap();
            assert!(got == one || got == two);
        }
    });
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("archive.snap")]);
}

/// `kill -9` mid-write leaves what a writer leaves before its rename: a
/// partial temporary file beside the snapshot. The old snapshot (or none)
/// is what loads.
#[test]
fn a_writer_killed_mid_write_leaves_the_old_snapshot_or_none() {
    let (tmp, cache, file, bytes) = saved();
    let partial = cache.path().join(".archive.snap.4242.0.1.tmp");
    fs::write(&partial, &bytes[..bytes.len() / 2]).unwrap();
    let old = Snapshot::load(&file, tmp.path()).unwrap();
    assert_eq!(old, take(tmp.path()));
    // None there before: still none, never the partial one.
    fs::remove_file(&file).unwrap();
    assert!(matches!(
        Snapshot::load(&file, tmp.path()).unwrap_err(),
        SnapshotError::Missing(_)
    ));
}

/// A snapshot of `entries` fake files for `root`: big enough that writing it
/// takes a while, so a kill lands mid-write.
fn big(root: &Path, entries: usize, title: &str) -> Snapshot {
    let files = (0..entries)
        .map(|i| snapshot::Entry {
            path: PathBuf::from(format!("feed/{i:07}.txt")),
            stamp: snapshot::Stamp {
                size: i as u64,
                mtime_ns: i as i64,
            },
            summary: Some(snapshot::Summary {
                title: format!("{title} {i}").into(),
                ..Default::default()
            }),
        })
        .collect();
    Snapshot {
        root: root.canonicalize().unwrap(),
        files,
        ..Default::default()
    }
}

/// The child of the test below: writes snapshots until killed.
#[test]
fn writer_for_the_kill_test() {
    let (Some(file), Some(root)) = (
        std::env::var_os("NEWSDESK_TEST_SNAPSHOT_FILE"),
        std::env::var_os("NEWSDESK_TEST_SNAPSHOT_ROOT"),
    ) else {
        return; // Only as the child of the kill test.
    };
    // The keeper's writer, as the reader saves: the first save from the
    // summaries held, the next ones copying them from the file itself.
    let mut held = Held::from_snapshot(big(Path::new(&root), 200_000, "child"));
    loop {
        held.save(Path::new(&file)).unwrap();
    }
}

/// A real writer killed with SIGKILL while it writes, again and again: what
/// loads is always a whole snapshot (the old or the child's), never torn.
#[test]
fn a_writer_killed_with_sigkill_never_leaves_a_torn_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("archive.snap");
    let old = big(tmp.path(), 1000, "old");
    for round in 0..3 {
        old.save(&file).unwrap();
        let written = fs::metadata(&file).unwrap().modified().unwrap();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["writer_for_the_kill_test", "--exact", "--test-threads=1"])
            .env("NEWSDESK_TEST_SNAPSHOT_FILE", &file)
            .env("NEWSDESK_TEST_SNAPSHOT_ROOT", tmp.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait (polling, with a deadline) until a temporary file is being
        // written, or the child has replaced the snapshot at least once.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let writing = fs::read_dir(cache.path())
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"));
            let replaced = fs::metadata(&file).is_ok_and(|m| m.modified().unwrap() != written);
            if (writing && (round > 0 || replaced)) || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::yield_now();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let got = Snapshot::load(&file, tmp.path()).unwrap();
        assert!(got == old || got.files.len() == 200_000, "round {round}");
    }
}

// ---- change detection ----

fn check(root: &Path, snap: &Snapshot) -> BTreeSet<PathBuf> {
    snapshot::check(root, snap)
}

#[test]
fn an_added_file_is_found() {
    let tmp = archive();
    let snap = take(tmp.path());
    fs::write(
        tmp.path().join("news/new.txt"),
        article("New", "2025-01-01", "X"),
    )
    .unwrap();
    assert_eq!(check(tmp.path(), &snap), paths(&["news/new.txt"]));
    let changes = snapshot::refresh(tmp.path(), &snap, &LoadOptions::default());
    assert_eq!(changes.articles.len(), 1);
    assert_eq!(changes.articles[0].title, "New");
}

#[test]
fn a_file_edited_in_place_is_found_though_its_folder_is_unchanged() {
    let tmp = archive();
    let snap = take(tmp.path());
    let file = tmp.path().join("news/deep/c.txt");
    // Same size, another mtime; the folder's mtime put back as it was.
    let text = fs::read_to_string(&file).unwrap().replace("Gamma", "Delta");
    fs::write(&file, text).unwrap();
    set_mtime(&file, past(5));
    set_mtime(&tmp.path().join("news/deep"), past(0));
    assert_eq!(check(tmp.path(), &snap), paths(&["news/deep/c.txt"]));
    // Another size, the same mtime: found too.
    let snap = take(tmp.path());
    fs::write(&file, article("Longer title here", "2022-07-08", "X")).unwrap();
    set_mtime(&file, past(5));
    assert_eq!(check(tmp.path(), &snap), paths(&["news/deep/c.txt"]));
}

#[test]
fn a_removed_file_is_found_even_with_its_folder_mtime_put_back() {
    let tmp = archive();
    let snap = take(tmp.path());
    fs::remove_file(tmp.path().join("news/b.txt")).unwrap();
    assert_eq!(check(tmp.path(), &snap), paths(&["news/b.txt"]));
    set_mtime(&tmp.path().join("news"), past(0));
    assert_eq!(check(tmp.path(), &snap), paths(&["news/b.txt"]));
    let changes = snapshot::refresh(tmp.path(), &snap, &LoadOptions::default());
    assert_eq!(changes.paths, [PathBuf::from("news/b.txt")]);
    assert!(changes.articles.is_empty());
}

#[test]
fn a_moved_file_is_gone_from_one_place_and_new_in_the_other() {
    let tmp = archive();
    let snap = take(tmp.path());
    fs::rename(tmp.path().join("a.txt"), tmp.path().join("news/deep/a.txt")).unwrap();
    assert_eq!(
        check(tmp.path(), &snap),
        paths(&["a.txt", "news/deep/a.txt"])
    );
}

#[test]
fn a_renamed_folder_is_dropped_and_walked_under_its_new_name() {
    let tmp = archive();
    let snap = take(tmp.path());
    fs::rename(tmp.path().join("news"), tmp.path().join("stories")).unwrap();
    assert_eq!(check(tmp.path(), &snap), paths(&["news", "stories"]));
    let changes = snapshot::refresh(tmp.path(), &snap, &LoadOptions::default());
    let mut titles: Vec<_> = changes
        .articles
        .iter()
        .map(|a| a.path.to_path_buf())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            PathBuf::from("stories/b.txt"),
            PathBuf::from("stories/deep/c.txt")
        ]
    );
    assert!(
        changes
            .problems
            .iter()
            .any(|p| p.path == Path::new("stories/empty.txt"))
    );
}

#[test]
fn an_added_and_a_removed_folder_are_found() {
    let tmp = archive();
    let snap = take(tmp.path());
    fs::create_dir_all(tmp.path().join("fresh/inner")).unwrap();
    fs::write(
        tmp.path().join("fresh/inner/f.txt"),
        article("F", "2020-01-01", "X"),
    )
    .unwrap();
    fs::remove_dir_all(tmp.path().join("news/deep")).unwrap();
    assert_eq!(check(tmp.path(), &snap), paths(&["fresh", "news/deep"]));
}

#[test]
fn a_change_in_the_same_clock_tick_as_the_reading_is_never_trusted() {
    let tmp = archive();
    // Written just now, as the load began: racy, so checked in full each time.
    fs::write(
        tmp.path().join("news/now.txt"),
        article("Now", "2020-01-01", "X"),
    )
    .unwrap();
    let snap = take(tmp.path());
    let entry = snap
        .files
        .iter()
        .find(|e| e.path == Path::new("news/now.txt"))
        .unwrap();
    assert_eq!(entry.stamp.mtime_ns, snapshot::UNKNOWN);
    assert_eq!(check(tmp.path(), &snap), paths(&["news/now.txt"]));
}

// ---- the command ----

#[test]
fn cache_path_names_one_file_per_real_archive_and_clear_removes_them() {
    let tmp = archive();
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
            .args(args)
            .current_dir(common::root())
            .env("XDG_CACHE_HOME", cache.path())
            .output()
            .unwrap()
    };
    let dir = tmp.path().to_str().unwrap();
    let out = run(&["cache", "--path", dir]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = PathBuf::from(common::stdout(&out).trim());
    assert!(
        file.starts_with(cache.path().join("newsdesk")),
        "{}",
        file.display()
    );
    // The same archive by another spelling: the same file.
    let other = format!("{dir}/news/..");
    assert_eq!(
        common::stdout(&run(&["cache", "--path", &other])).trim(),
        file.to_str().unwrap()
    );
    take(tmp.path()).save(&file).unwrap();
    // An archive's search index sits beside its snapshot; it goes too.
    let index = cache.path().join("newsdesk/index-0123456789abcdef");
    std::fs::create_dir_all(&index).unwrap();
    std::fs::write(index.join("meta.json"), "{}").unwrap();
    let out = run(&["cache", "--clear"]);
    assert!(out.status.success());
    assert!(common::stdout(&out).starts_with("removed 1 snapshot file from"));
    assert!(
        common::stdout(&out).contains("and 1 search index"),
        "{}",
        common::stdout(&out)
    );
    assert!(!file.exists());
    assert!(!index.exists());
    // One of the two is needed; a missing archive is exit 2.
    assert!(!run(&["cache"]).status.success());
    assert_eq!(
        run(&["cache", "--path", "/no/such/folder"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_snapshot_takes_in_what_was_read_and_then_matches_the_folder() {
    let tmp = archive();
    let mut snap = take(tmp.path());
    let root = tmp.path();
    fs::write(root.join("news/new.txt"), article("New", "2025-01-01", "X")).unwrap();
    set_mtime(&root.join("news/new.txt"), past(9));
    fs::remove_file(root.join("a.txt")).unwrap();
    fs::rename(root.join("news/deep"), root.join("deeper")).unwrap();
    set_mtime(&root.join("deeper"), past(9));
    let changes = snapshot::refresh(root, &snap, &LoadOptions::default());
    assert_eq!(
        changes.paths.iter().cloned().collect::<BTreeSet<_>>(),
        paths(&["a.txt", "deeper", "news/deep", "news/new.txt"])
    );
    snap.apply(root, &changes);
    // Nothing left to find, and the same as a snapshot taken afresh.
    assert!(snapshot::check(root, &snap).is_empty());
    let fresh = take(root);
    let view = |s: &Snapshot| {
        let mut files: Vec<_> = s
            .files
            .iter()
            .map(|e| (e.path.to_path_buf(), e.summary.clone()))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut folders: Vec<_> = s.folders.iter().map(|f| f.path.to_path_buf()).collect();
        folders.sort();
        (files, folders, s.library().1)
    };
    assert_eq!(view(&snap), view(&fresh));
}

proptest::proptest! {
    /// Damage that keeps the checksum right (a bug, or a hostile file) is
    /// still refused or read, never a panic or a huge allocation.
    #[test]
    fn damaged_content_with_a_good_checksum_never_panics(
        flips in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..8)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let snap = Snapshot {
            root: root.clone(),
            folders: vec![snapshot::Folder { path: "a".into(), mtime_ns: 7 }],
            files: vec![snapshot::Entry {
                path: "a/b.txt".into(),
                stamp: snapshot::Stamp { size: 3, mtime_ns: -1 },
                summary: Some(snapshot::Summary { title: "T".into(), authors: vec!["A".into()].into(), ..Default::default() }),
            }],
            problems: Vec::new(),
        };
        let mut bytes = snap.encode();
        let start = snapshot::MAGIC.len() + 5 + snapshot::NEWSDESK_VERSION.len() + 12;
        let len = bytes.len() - start;
        for (at, value) in flips {
            bytes[start + at % len] = value;
        }
        let crc = crc32(&bytes[start..]);
        bytes[start - 4..start].copy_from_slice(&crc.to_le_bytes());
        let whole = Snapshot::decode(&bytes, Path::new("x.snap"));
        // The keeper's reading in pieces: no panic either, and nothing it
        // takes is refused by the whole decode.
        let file = dir.path().join("x.snap");
        fs::write(&file, &bytes).unwrap();
        let kept = Held::load(&file, &root, 1, |_| {});
        proptest::prop_assert!(kept.is_err() || whole.is_ok());
    }
}

/// CRC-32 (IEEE), bit by bit: the test's own, to forge a right checksum.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_test_crc_is_the_snapshot_crc() {
    let bytes = Snapshot::default().encode();
    let start = snapshot::MAGIC.len() + 5 + snapshot::NEWSDESK_VERSION.len() + 12;
    let stored = u32::from_le_bytes(bytes[start - 4..start].try_into().unwrap());
    assert_eq!(crc32(&bytes[start..]), stored);
}

// ---- the keeper's snapshot: stamps held, summaries left in the file ----

/// Loads `file` as the keeper does, in pieces of two: what is held, every
/// article, the problems.
fn held(
    file: &Path,
    root: &Path,
) -> (Held, Vec<newsdesk::article::Article>, Vec<library::Problem>) {
    let mut parts = Vec::new();
    let (held, last, problems) = Held::load(file, root, 2, |p| parts.push(p)).unwrap();
    assert!(!parts.is_empty(), "in pieces");
    parts.push(last);
    (held, parts.concat(), problems)
}

#[test]
fn the_keeper_lists_what_the_snapshot_holds_and_saves_it_back_the_same() {
    let (tmp, cache, file, _) = saved();
    let root = tmp.path();
    let snap = Snapshot::load(&file, root).unwrap();
    let (mut kept, articles, problems) = held(&file, root);
    let (expected, expected_problems) = snap.library_unordered();
    assert_eq!(articles, expected);
    assert_eq!(problems, expected_problems);
    assert_eq!(kept.unsaved(), 0);
    // Saved again with nothing changed: every entry copied from the file.
    let again = cache.path().join("again.snap");
    kept.save(&again).unwrap();
    assert_eq!(Snapshot::load(&again, root).unwrap(), snap);
    assert!(snapshot::check(root, &kept).is_empty());
    // Held from a whole snapshot (the first load), saved: the same file.
    let mut built = Held::from_snapshot(snap.clone());
    assert_eq!(built.unsaved(), snap.files.len());
    built.save(&again).unwrap();
    assert_eq!(built.unsaved(), 0);
    assert_eq!(fs::read(&again).unwrap(), fs::read(&file).unwrap());
}

#[test]
fn the_keeper_takes_in_changes_as_the_snapshot_does() {
    let (tmp, cache, file, _) = saved();
    let root = tmp.path();
    let mut snap = Snapshot::load(&file, root).unwrap();
    let (mut kept, _, _) = held(&file, root);
    let options = LoadOptions::default();
    let out = cache.path().join("kept.snap");
    // Edited, added, removed; then, after a save, edited again: entries
    // copied from the file and entries read since, in one file.
    let rounds: [&dyn Fn(); 2] = [
        &|| {
            fs::write(
                root.join("a.txt"),
                article("Alpha two", "2024-01-03", "Chile"),
            )
            .unwrap();
            fs::write(
                root.join("news/new.txt"),
                article("New", "2025-01-01", "Peru"),
            )
            .unwrap();
            fs::remove_file(root.join("news/b.txt")).unwrap();
            age(root);
        },
        &|| {
            fs::write(
                root.join("news/deep/c.txt"),
                article("Gamma two", "2022-07-09", "Laos"),
            )
            .unwrap();
            set_mtime(&root.join("news/deep/c.txt"), past(5));
        },
    ];
    for (round, change) in rounds.iter().enumerate() {
        change();
        assert_eq!(
            snapshot::check(root, &kept),
            snapshot::check(root, &snap),
            "round {round}"
        );
        let changes = snapshot::refresh(root, &kept, &options);
        assert!(!changes.paths.is_empty());
        snap.apply(root, &changes);
        kept.apply(root, &changes);
        assert!(kept.unsaved() > 0);
        kept.save(&out).unwrap();
        assert_eq!(Snapshot::load(&out, root).unwrap(), snap, "round {round}");
        assert!(snapshot::check(root, &kept).is_empty(), "round {round}");
    }
}

/// Another reader renames its own snapshot over the path: the keeper still
/// reads the file it loaded, so its next save is its own archive, whole.
#[test]
fn another_readers_snapshot_renamed_over_ours_never_mixes_into_our_save() {
    let (tmp, _cache, file, _) = saved();
    let root = tmp.path();
    let ours = Snapshot::load(&file, root).unwrap();
    let (mut kept, _, _) = held(&file, root);
    let mut theirs = ours.clone();
    theirs.files.truncate(1);
    theirs.save(&file).unwrap();
    kept.save(&file).unwrap();
    assert_eq!(Snapshot::load(&file, root).unwrap(), ours);
}

#[test]
fn the_keeper_refuses_every_bad_snapshot_as_the_loader_does() {
    let (tmp, _cache, file, bytes) = saved();
    let root = tmp.path();
    let kind = |e: &SnapshotError| std::mem::discriminant(e);
    let mut bad: Vec<Vec<u8>> = (0..bytes.len())
        .step_by(5)
        .map(|c| bytes[..c].to_vec())
        .collect();
    for at in (0..bytes.len()).step_by(11) {
        let mut b = bytes.clone();
        b[at] ^= 0x10;
        bad.push(b);
    }
    let mut long = bytes.clone();
    long.push(0);
    bad.push(long);
    bad.push(b"garbage, not a snapshot".to_vec());
    for (n, b) in bad.iter().enumerate() {
        fs::write(&file, b).unwrap();
        let loader = Snapshot::load(&file, root).unwrap_err();
        // Pieces may go out before the checksum is known (it is taken as
        // the file is read); the load still fails, and the reader drops
        // them unshown (`from_snapshot.rs`: pieces of a snapshot that failed).
        let keeper = Held::load(&file, root, 1, |_| {}).unwrap_err();
        assert_eq!(
            kind(&keeper),
            kind(&loader),
            "case {n}: {keeper} / {loader}"
        );
        assert_eq!(keeper.notice().is_some(), loader.notice().is_some());
    }
    let elsewhere = archive();
    fs::write(&file, &bytes).unwrap();
    let e = Held::load(&file, elsewhere.path(), 1, |_| panic!("sent")).unwrap_err();
    assert!(matches!(e, SnapshotError::OtherArchive { .. }), "{e}");
}

/// A change that still decodes (a letter of the last title) is found by the
/// checksum taken on the way: the pieces already given out are followed by
/// the failure, never by a last piece.
#[test]
fn a_snapshot_that_decodes_but_is_not_what_was_written_fails_after_its_pieces() {
    let (tmp, _cache, file, bytes) = saved();
    let mut changed = bytes.clone();
    let at = changed
        .windows(5)
        .rposition(|w| w == b"Gamma")
        .expect("the last title is in the file");
    changed[at] = b'H';
    fs::write(&file, &changed).unwrap();
    let mut sent = 0;
    let e = Held::load(&file, tmp.path(), 1, |_| sent += 1).unwrap_err();
    assert!(
        matches!(&e, SnapshotError::Corrupt { why, .. } if why == "checksum mismatch"),
        "{e}"
    );
    assert!(sent > 0, "pieces went out before the end was read");
    // The file as written loads, whole.
    fs::write(&file, &bytes).unwrap();
    let mut parts = 0;
    let (_, last, _) = Held::load(&file, tmp.path(), 1, |p| parts += p.len()).unwrap();
    assert_eq!(parts + last.len(), 3);
}

/// The keeper's snapshot of a first load (each article encoded as it came)
/// is the file a whole snapshot of the same load makes.
#[test]
fn the_keeper_builds_from_a_load_the_snapshot_a_whole_build_makes() {
    let tmp = archive();
    let root = tmp.path();
    let lib = library::load(root, &LoadOptions::default()).unwrap();
    let started = SystemTime::now();
    let whole = Snapshot::build(root, &lib.articles, &lib.problems, started).unwrap();
    let mut listed = snapshot::held::Listed::default();
    for a in lib.articles.iter().chain(&lib.articles[..1]) {
        // The first one twice: kept once, as `build` keeps it.
        listed.push(a);
    }
    let mut built = Held::build(root, listed, &lib.problems, started).unwrap();
    assert_eq!(built.unsaved(), whole.files.len());
    assert!(snapshot::check(root, &built).is_empty());
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("built.snap");
    built.save(&file).unwrap();
    assert_eq!(built.unsaved(), 0);
    assert_eq!(Snapshot::load(&file, root).unwrap(), whole);
    // Saved again, now from the file.
    built.save(&file).unwrap();
    assert_eq!(Snapshot::load(&file, root).unwrap(), whole);
}

/// A snapshot of several MiB, one entry bigger than a whole piece (1 MiB):
/// read in pieces it lists what the whole decode lists, and saved by
/// copying its entries from the open file it is the same snapshot.
#[test]
fn the_keeper_reads_and_copies_a_snapshot_bigger_than_its_pieces() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut snap = big(root, 60_000, "piece");
    if let Some(s) = snap.files[30_000].summary.as_mut() {
        s.title = "long ".repeat(300_000).into();
    }
    let cache = tempfile::tempdir().unwrap();
    let file = cache.path().join("big.snap");
    snap.save(&file).unwrap();
    assert!(fs::metadata(&file).unwrap().len() > 3 << 20);
    let mut parts = Vec::new();
    let (mut kept, last, problems) = Held::load(&file, root, 4096, |p| parts.push(p)).unwrap();
    parts.push(last);
    let (expected, expected_problems) = snap.library_unordered();
    assert_eq!(parts.concat(), expected);
    assert_eq!(problems, expected_problems);
    let copy = cache.path().join("copy.snap");
    kept.save(&copy).unwrap();
    assert_eq!(fs::read(&copy).unwrap(), fs::read(&file).unwrap());
    // Larger pieces start small and double: the reader starts on the
    // first while the rest is read.
    let mut sizes = Vec::new();
    let mut parts = Vec::new();
    let (_, last, _) = Held::load(&file, root, 65_536, |p| {
        sizes.push(p.len());
        parts.push(p);
    })
    .unwrap();
    sizes.push(last.len());
    parts.push(last);
    assert_eq!(sizes, [4096, 8192, 16384, 60_000 - 28_672]);
    assert_eq!(parts.concat(), expected);
}
