//! The state file shared by real processes: concurrent `newsdesk state mark`
//! runs lose nothing, diverged copies merge by the latest change, export and
//! import round-trip, and a full disk or a read-only folder fails with a
//! message naming the file and the fix, changes nothing, and the next save
//! succeeds once it can.

mod common;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use newsdesk::app::App;
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;
use newsdesk::library::{LoadOptions, load};
use newsdesk::message::Message;
use newsdesk::state::{self, Cause, Change, Mark, Stamp};

/// `newsdesk state --state FILE ARGS...`.
fn state_cmd(file: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    cmd.arg("state")
        .arg("--state")
        .arg(file)
        .args(args)
        .env_remove("NEWSDESK_STATE")
        .env(
            "XDG_CONFIG_HOME",
            common::root().join("tests/fixtures/no-such-config-home"),
        )
        .current_dir(common::root());
    cmd
}

fn run(file: &Path, args: &[&str]) -> Output {
    state_cmd(file, args).output().expect("binary runs")
}

fn ok(file: &Path, args: &[&str]) -> Output {
    let out = run(file, args);
    assert!(out.status.success(), "{args:?}: {}", common::both(&out));
    out
}

/// `workers` processes at a time, each running `rounds` marks one after the
/// other on distinct articles: round r stars two new articles and marks the
/// previous round's first one read and unstarred (a change to an entry another
/// process's save may be rewriting that very moment).
fn concurrent_marks(workers: usize, rounds: usize) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    std::thread::scope(|s| {
        for w in 0..workers {
            let file = &file;
            s.spawn(move || {
                for r in 0..rounds {
                    let a = format!("https://e.org/{w}/{r}/a");
                    let b = format!("{w}/{r}/b.txt");
                    ok(file, &["mark", "--star", &a, &b]);
                    if r > 0 {
                        let prev = format!("https://e.org/{w}/{}/a", r - 1);
                        ok(file, &["mark", "--read", "--unstar", &prev]);
                    }
                }
            });
        }
    });
    let state = state::read(&file).unwrap();
    let mut lost = Vec::new();
    for w in 0..workers {
        for r in 0..rounds {
            let a = state.marks(&format!("https://e.org/{w}/{r}/a"));
            let last = r + 1 == rounds;
            if a.starred != last || a.read == last {
                lost.push(format!("{w}/{r}/a: {a:?}"));
            }
            let b = state.marks(&format!("{w}/{r}/b.txt"));
            if !b.starred || b.read {
                lost.push(format!("{w}/{r}/b: {b:?}"));
            }
        }
    }
    assert!(lost.is_empty(), "changes lost: {lost:?}");
    assert_eq!(state.articles.len(), workers * rounds * 2);
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn two_processes_marking_at_once_lose_nothing() {
    concurrent_marks(2, 25);
}

#[test]
fn ten_processes_marking_at_once_lose_nothing() {
    concurrent_marks(10, 8);
}

#[test]
fn two_diverged_copies_merge_by_the_latest_change_of_each_mark() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = dir.path().join("state.toml");
    let desktop = dir
        .path()
        .join("state.sync-conflict-20250102-030405-ABCDEFG.toml");
    fs::write(
        &laptop,
        "history = [\"older\"]\nhistory_at = 2025-01-01T00:00:00Z\n\n\
         [articles.a]\nread = true\nread_at = 2025-01-02T00:00:00Z\n\
         starred = true\nstarred_at = 2025-01-01T00:00:00Z\n\n\
         [articles.only-laptop]\nstarred = true\n",
    )
    .unwrap();
    fs::write(
        &desktop,
        "history = [\"newer\"]\nhistory_at = 2025-01-03T00:00:00Z\n\n\
         [articles.a]\nread = false\nread_at = 2025-01-01T00:00:00Z\n\
         starred = false\nstarred_at = 2025-01-05T00:00:00Z\n\
         position = [4, 2]\nposition_at = 2025-01-05T00:00:00Z\n\n\
         [articles.only-desktop]\nread = true\nread_at = 2025-01-01T00:00:00.5Z\n",
    )
    .unwrap();
    ok(&laptop, &["merge", desktop.to_str().unwrap()]);
    let merged = state::read(&laptop).unwrap();
    let a = merged.marks("a");
    assert!(a.read, "the laptop read it later");
    assert!(!a.starred, "the desktop unstarred it later");
    assert_eq!(a.position, Some([4, 2]));
    assert!(merged.marks("only-laptop").starred);
    assert!(merged.marks("only-desktop").read);
    assert_eq!(merged.history, ["newer"]);
    // Merging the other way gives the same marks.
    ok(&desktop, &["merge", laptop.to_str().unwrap()]);
    assert_eq!(state::read(&desktop).unwrap(), merged);
    // A copy that is not a state file is named, and nothing changes.
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "[articles.x]\nread = 3\n").unwrap();
    let out = run(&laptop, &["merge", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("line 2"), "{err}");
    assert_eq!(state::read(&laptop).unwrap(), merged);
}

#[test]
fn export_then_import_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let from = dir.path().join("from.toml");
    ok(
        &from,
        &["mark", "--star", "--read", "https://e.org/a", "notes/b.md"],
    );
    ok(&from, &["mark", "--unread", "notes/b.md"]);
    let dump = dir.path().join("dump.txt");
    ok(&from, &["export", dump.to_str().unwrap()]);
    let text = fs::read_to_string(&dump).unwrap();
    assert_eq!(
        text.lines().count(),
        3,
        "a header and one line per article: {text}"
    );
    assert!(text.contains("+read@") && text.contains("-read@"), "{text}");
    let to = dir.path().join("to.toml");
    ok(&to, &["import", dump.to_str().unwrap()]);
    assert_eq!(state::read(&to).unwrap(), state::read(&from).unwrap());
    let again = ok(&to, &["export"]);
    assert_eq!(common::stdout(&again), text);
    // An older export does not undo later changes.
    ok(&to, &["mark", "--unstar", "https://e.org/a"]);
    ok(&to, &["import", dump.to_str().unwrap()]);
    assert!(!state::read(&to).unwrap().marks("https://e.org/a").starred);
}

/// A tmpfs mounted on a fresh folder (root only), unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(options: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn star(key: &str) -> Change {
    Change {
        key: key.into(),
        mark: Mark::Starred(true),
        at: state::now(),
    }
}

#[test]
fn a_full_disk_fails_clearly_keeps_the_file_and_saves_once_there_is_room() {
    let Some(disk) = Tmpfs::mount("size=64k") else {
        println!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let file = disk.path().join("state.toml");
    state::save(&file, &[star("before")]).unwrap();
    let before = fs::read(&file).unwrap();
    // Fill the disk to the last byte.
    let filler = disk.path().join("filler");
    let _ = fs::write(&filler, vec![b'x'; 128 * 1024]);
    let changes: Vec<Change> = (0..50)
        .map(|i| star(&format!("https://e.org/{i}")))
        .collect();
    let e = state::save(&file, &changes).unwrap_err();
    assert_eq!(e.cause, Cause::DiskFull, "{e}");
    assert!(e.retry());
    let message = e.to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    assert!(message.contains("free some space"), "{message}");
    assert_eq!(fs::read(&file).unwrap(), before, "the old file is whole");
    // The process saying it does the same through the command line.
    let out = run(&file, &["mark", "--star", "https://e.org/cli"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("state.toml") && err.contains("disk"), "{err}");
    // Room again: the same changes save, and nothing was lost.
    fs::remove_file(&filler).unwrap();
    let saved = state::save(&file, &changes).unwrap();
    assert!(saved.state.marks("before").starred);
    assert!((0..50).all(|i| saved.state.marks(&format!("https://e.org/{i}")).starred));
    let names: Vec<_> = fs::read_dir(disk.path()).unwrap().collect();
    assert_eq!(names.len(), 2, "the state file and its lock, no leftovers");
}

#[test]
fn a_file_size_limit_fails_clearly_in_a_child_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    ok(&file, &["mark", "--read", "https://e.org/first"]);
    let before = fs::read(&file).unwrap();
    let long_key = format!("https://e.org/{}", "x".repeat(4096));
    let mut cmd = state_cmd(&file, &["mark", "--star", &long_key]);
    // SAFETY: between fork and exec only async-signal-safe calls (setrlimit, signal).
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1024,
                rlim_max: 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Otherwise the kernel kills the writer (SIGXFSZ) instead of failing the write.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", common::both(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("ulimit -f"), "{err}");
    assert_eq!(fs::read(&file).unwrap(), before);
    ok(&file, &["mark", "--star", &long_key]);
    let state = state::read(&file).unwrap();
    assert!(state.marks(&long_key).starred && state.marks("https://e.org/first").read);
}

#[test]
fn a_read_only_folder_fails_clearly_and_saves_once_writable() {
    let Some(disk) = Tmpfs::mount("size=1m") else {
        println!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let file: PathBuf = disk.path().join("state.toml");
    state::save(&file, &[star("before")]).unwrap();
    let before = fs::read(&file).unwrap();
    disk.remount("ro");
    let changes = [star("while-read-only")];
    let e = state::save(&file, &changes).unwrap_err();
    assert_eq!(e.cause, Cause::ReadOnly, "{e}");
    assert!(e.retry());
    let message = e.to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    assert!(
        message.contains("read-only") && message.contains("--state"),
        "{message}"
    );
    // Reading still works (no changes: nothing to write, no lock needed).
    assert!(
        state::save(&file, &[])
            .unwrap()
            .state
            .marks("before")
            .starred
    );
    let out = run(&file, &["mark", "--star", "cli"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(fs::read(&file).unwrap(), before);
    disk.remount("rw");
    let saved = state::save(&file, &changes).unwrap();
    assert!(saved.state.marks("before").starred);
    assert!(saved.state.marks("while-read-only").starred);
}

#[test]
fn old_state_files_still_load_and_gain_times_when_saved() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    fs::write(
        &file,
        "# newsdesk state: read and starred marks, reading positions.\n\
         [articles.\"https://e.org/a\"]\nread = true\nposition = [3, 10]\n",
    )
    .unwrap();
    ok(&file, &["mark", "--star", "https://e.org/a"]);
    let text = fs::read_to_string(&file).unwrap();
    let state = state::read(&file).unwrap();
    let entry = state.articles["https://e.org/a"];
    assert!(entry.read.value && entry.read.at == Stamp(0), "{text}");
    assert!(entry.starred.value && entry.starred.at > Stamp(0), "{text}");
    assert_eq!(entry.position.value, Some([3, 10]));
}

fn reader(state_file: &Path) -> App {
    let config = Config::defaults();
    let library = load(&common::root().join("articles"), &LoadOptions::default()).unwrap();
    let mut app = App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    app.restore_state(state::load(state_file).state);
    app
}

/// What the terminal loop does on a save (`StateFile::save_if_due`).
fn save_like_the_loop(app: &mut App, file: &Path) {
    let mine = app.state_to_save();
    let saved = state::merge_into(file, std::slice::from_ref(&mine)).unwrap();
    app.restore_state(saved.state);
}

#[test]
fn two_readers_on_one_state_file_keep_both_stars_and_see_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    let mut first = reader(&file);
    let mut second = reader(&file);
    // The first stars the top article; the second, the next one.
    first.update(Message::ToggleStar);
    second.update(Message::SelectNext);
    second.update(Message::ToggleStar);
    let top = first.selected_article().unwrap();
    let next = second.selected_article().unwrap();
    assert_ne!(top, next);
    save_like_the_loop(&mut first, &file);
    save_like_the_loop(&mut second, &file);
    // The second now shows the first's star; the first sees the second's on its next save.
    assert!(second.marks(top).starred && second.marks(next).starred);
    save_like_the_loop(&mut first, &file);
    assert!(first.marks(top).starred && first.marks(next).starred);
    // The first unstars its article: the second's stale "starred" does not bring it back.
    first.update(Message::ToggleStar);
    save_like_the_loop(&mut first, &file);
    save_like_the_loop(&mut second, &file);
    assert!(!second.marks(top).starred && second.marks(next).starred);
    let stored = state::read(&file).unwrap();
    let key = |app: &App, i: usize| state::article_key(&app.articles()[i]);
    assert!(!stored.marks(&key(&first, top)).starred);
    assert!(stored.marks(&key(&first, next)).starred);
}

/// What the terminal loop does with `Effect::ReadState` (`StateFile::read_again`).
fn read_again_like_the_loop(app: &mut App, file: &Path) {
    let effects = app.take_effects();
    assert!(
        effects.contains(&newsdesk::app::Effect::ReadState),
        "r asks for the state file: {effects:?}"
    );
    app.merge_saved_state(&state::read(file).unwrap());
    // The folder read again, as the background reload would report it.
    let library = load(&common::root().join("articles"), &LoadOptions::default()).unwrap();
    app.replace_all(library.articles, library.problems);
}

#[test]
fn r_shows_marks_another_reader_saved_and_keeps_newer_own_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.toml");
    let mut first = reader(&file);
    let mut second = reader(&file);
    let top = first.selected_article().unwrap();
    // The second stars the top article and saves; the first has saved nothing.
    second.update(Message::ToggleStar);
    save_like_the_loop(&mut second, &file);
    assert!(!first.marks(top).starred);
    // The first stars the next article but has not saved it yet, then presses r.
    first.update(Message::SelectNext);
    let next = first.selected_article().unwrap();
    first.update(Message::ToggleStar);
    first.update(Message::Reload);
    read_again_like_the_loop(&mut first, &file);
    assert!(first.marks(top).starred, "the other reader's star shows");
    assert!(first.marks(next).starred, "its own unsaved star stays");
    assert!(first.state_dirty(), "and is still to be saved");
    // The first unstars the top article; the file's older star does not bring
    // it back on the next r.
    first.update(Message::SelectPrev);
    first.update(Message::ToggleStar);
    first.update(Message::Reload);
    read_again_like_the_loop(&mut first, &file);
    assert!(!first.marks(top).starred && first.marks(next).starred);
    save_like_the_loop(&mut first, &file);
    let stored = state::read(&file).unwrap();
    let key = |i: usize| state::article_key(&first.articles()[i]);
    assert!(!stored.marks(&key(top)).starred && stored.marks(&key(next)).starred);
}
