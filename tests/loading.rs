//! Loading a folder: good files beside every kind of bad one.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use newsdesk::library::{LoadOptions, Severity, load};

const GOOD: &str = "Good Article\n\nDate: 2024-01-02\n\nStandfirst.\n\nLocation: [Georgia](#)\n";

/// A folder with one good file and one of each bad kind.
pub fn bad_folder(dir: &Path) {
    fs::write(dir.join("good.txt"), GOOD).unwrap();
    fs::write(dir.join("empty.txt"), "").unwrap();
    fs::write(dir.join("blank.txt"), "\n\n   \n").unwrap();
    fs::write(dir.join("binary.txt"), b"\x7fELF\x00\x01\x02").unwrap();
    fs::write(
        dir.join("big.txt"),
        "Big\n\n".to_owned() + &"x".repeat(2000),
    )
    .unwrap();
    fs::write(
        dir.join("front.md"),
        "+++\ntitle = \"x\"\ndate = [\n+++\nBody\n",
    )
    .unwrap();
    fs::write(dir.join("latin1.txt"), b"Caf\xe9 Title\n\nStandfirst.\n").unwrap();
    symlink(dir.join("missing.txt"), dir.join("broken.txt")).unwrap();
    symlink(dir.join("loop.txt"), dir.join("loop.txt")).unwrap();
    fs::create_dir(dir.join("sub")).unwrap();
    symlink(dir, dir.join("sub/up")).unwrap();
}

#[test]
fn good_files_load_beside_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    bad_folder(dir.path());
    let lib = load(
        dir.path(),
        &LoadOptions {
            max_file_size: 1000,
        },
    )
    .unwrap();
    let titles: Vec<_> = lib.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Good Article", "Caf\u{FFFD} Title"]);
    let mut by_file: Vec<(String, Severity)> = lib
        .problems
        .iter()
        .map(|p| (p.path.display().to_string(), p.severity))
        .collect();
    by_file.sort();
    let want = [
        ("big.txt", Severity::Error),
        ("binary.txt", Severity::Error),
        ("blank.txt", Severity::Error),
        ("broken.txt", Severity::Error),
        ("empty.txt", Severity::Error),
        ("front.md", Severity::Error),
        ("latin1.txt", Severity::Warning),
        ("loop.txt", Severity::Error),
        ("sub/up", Severity::Warning),
    ];
    let want: Vec<(String, Severity)> = want.iter().map(|(p, s)| (p.to_string(), *s)).collect();
    assert_eq!(by_file, want, "{:#?}", lib.problems);
    let front = lib
        .problems
        .iter()
        .find(|p| p.path.ends_with("front.md"))
        .unwrap();
    assert_eq!(front.line, Some(3));
    let big = lib
        .problems
        .iter()
        .find(|p| p.path.ends_with("big.txt"))
        .unwrap();
    assert!(big.message.contains("max_file_size"), "{}", big.message);
}

#[test]
fn hidden_files_readmes_and_other_extensions_are_skipped_and_order_is_newest_first() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    let lib = load(&root, &LoadOptions::default()).unwrap();
    let titles: Vec<_> = lib.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Good Article Two",
            "Good Article One",
            "Nested Article Three"
        ]
    );
    assert!(lib.problems.is_empty(), "{:?}", lib.problems);
    assert_eq!(lib.articles[2].path, Path::new("sub/c.txt"));
}

#[test]
fn unreadable_roots_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.txt");
    fs::write(&file, GOOD).unwrap();
    let missing = load(&dir.path().join("nope"), &LoadOptions::default()).unwrap_err();
    assert!(missing.to_string().contains("no such folder"));
    let not_dir = load(&file, &LoadOptions::default()).unwrap_err();
    assert!(not_dir.to_string().contains("is a file"));
}
