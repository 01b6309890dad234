//! End to end: the built binary in a pseudo-terminal, its screen read back
//! through a terminal emulator (vt100).
//!
//! Every wait polls with a generous timeout and panics with the screen dump;
//! nothing asserts on timing.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);

/// Enter / leave the alternate screen, mouse capture off.
const ALT_ON: &[u8] = b"\x1b[?1049h";
const ALT_OFF: &[u8] = b"\x1b[?1049l";
const MOUSE_OFF: &[u8] = b"\x1b[?1000l";
/// Clear the whole screen: ratatui does it on each draw at a new size.
const CLEAR: &[u8] = b"\x1b[2J";
const CURSOR_ON: &[u8] = b"\x1b[?25h";
/// A cursor position request; the emulator does not answer it, the harness does.
const CPR_REQUEST: &[u8] = b"\x1b[6n";

fn good_folder() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good")
}

fn config_file() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/config.toml")
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// Every occurrence of `needle` in `hay`, by start index.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !find_all(hay, needle).is_empty()
}

/// The running binary in a pty, with its output log and emulated screen.
struct Tui {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Set by the reader thread once the pty reports end of output.
    eof: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    _cwd: tempfile::TempDir,
}

impl Tui {
    /// Opens the reader on the `good` fixture folder.
    fn start() -> Tui {
        Tui::start_with(&[])
    }

    /// Opens the reader on the `good` fixture folder with extra arguments.
    fn start_with(extra: &[&str]) -> Tui {
        Tui::launch(good_folder(), extra, &[])
    }

    /// Opens the reader on `folder` with extra arguments and environment. The
    /// shipped config is used unless `extra` names one; marks go to a state
    /// file in a fresh working folder unless `env` sets NEWSDESK_STATE.
    fn launch(folder: &str, extra: &[&str], env: &[(&str, &str)]) -> Tui {
        let pair = native_pty_system()
            .openpty(size(ROWS, COLS))
            .expect("open a pty");
        let cwd = tempfile::tempdir().expect("temp dir");

        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsdesk"));
        cmd.arg(folder);
        cmd.args(extra);
        if !extra.contains(&"--config") {
            cmd.arg("--config");
            cmd.arg(config_file());
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NEWSDESK_CONFIG");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("BROWSER");
        cmd.env("NEWSDESK_STATE", cwd.path().join("state.toml"));
        // A cache folder of its own: every run a first start unless the test
        // gives one (and never the person's ~/.cache).
        cmd.env("XDG_CACHE_HOME", cwd.path().join("cache"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(cwd.path());

        let child = pair.slave.spawn_command(cmd).expect("spawn newsdesk");
        // Only the child holds the slave now, so its exit ends our reads.
        drop(pair.slave);

        let master = pair.master;
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(master.take_writer().expect("pty writer")));
        let mut read = master.try_clone_reader().expect("pty reader");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let eof = Arc::new(AtomicBool::new(false));

        let reader = {
            let (raw, parser, eof, writer) = (
                Arc::clone(&raw),
                Arc::clone(&parser),
                Arc::clone(&eof),
                Arc::clone(&writer),
            );
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let mut answered = 0;
                loop {
                    match read.read(&mut buf) {
                        // EIO on Linux once the child side is closed.
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let requests = {
                                let mut raw = raw.lock().unwrap();
                                raw.extend_from_slice(&buf[..n]);
                                find_all(&raw, CPR_REQUEST).len()
                            };
                            // vt100 0.16 can panic on output drawn for a
                            // size the pty has just left (a bug of the test's
                            // emulator, not of newsdesk): a fresh screen of
                            // the current size then takes the next frame,
                            // which the reader redraws whole after a resize.
                            let mut p = parser.lock().unwrap_or_else(|e| e.into_inner());
                            let bytes = &buf[..n];
                            let done =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    p.process(bytes)
                                }));
                            if done.is_err() {
                                let (rows, cols) = p.screen().size();
                                *p = vt100::Parser::new(rows, cols, 0);
                            }
                            drop(p);
                            while answered < requests {
                                let mut w = writer.lock().unwrap();
                                let _ = w.write_all(b"\x1b[1;1R");
                                let _ = w.flush();
                                answered += 1;
                            }
                        }
                    }
                }
                eof.store(true, Ordering::SeqCst);
            })
        };

        Tui {
            child,
            master,
            writer,
            raw,
            parser,
            eof,
            reader: Some(reader),
            _cwd: cwd,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Row `n` of the screen (0 is the top).
    fn row(&self, n: u16) -> String {
        let parser = self.parser.lock().unwrap();
        let (_, cols) = parser.screen().size();
        parser
            .screen()
            .rows(0, cols)
            .nth(n as usize)
            .unwrap_or_default()
    }

    /// The reader's first text line, under the border titled ` Reader `:
    /// the open article's title (its first line, as the page wraps it).
    /// `None` when no reader pane is on screen.
    fn reader_title(&self) -> Option<String> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (_, cols) = screen.size();
        // (column, character) of a row, one per character drawn.
        let cells = |row: u16| -> Vec<(u16, char)> {
            (0..cols)
                .filter_map(|c| {
                    let cell = screen.cell(row, c)?;
                    (!cell.is_wide_continuation())
                        .then(|| (c, cell.contents().chars().next().unwrap_or(' ')))
                })
                .collect()
        };
        let top = cells(0);
        let chars: Vec<char> = top.iter().map(|(_, c)| *c).collect();
        let wanted: Vec<char> = " Reader ".chars().collect();
        let at = chars
            .windows(wanted.len())
            .position(|w| w == wanted.as_slice())?;
        let corner = chars[..at].iter().rposition(|&c| c == '┌')?;
        let left = top[corner].0;
        let line: String = cells(1)
            .into_iter()
            .filter(|(c, _)| *c > left)
            .map(|(_, ch)| ch)
            .take_while(|&ch| ch != '│')
            .collect();
        // The scrollbar's track and thumb sit inside the right border.
        Some(
            line.trim_matches(|c: char| c.is_whitespace() || c == '█' || c == '║')
                .to_owned(),
        )
    }

    /// Whether the reader shows the article titled `title`.
    fn reading(&self, title: &str) -> bool {
        self.reader_title().as_deref() == Some(title)
    }

    /// Whether the pane title `title` on the top row is drawn bold (the
    /// focused pane's is); `None` when the title is not there.
    fn title_bold(&self, title: &str) -> Option<bool> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (_, cols) = screen.size();
        let wanted: Vec<char> = format!(" {title} ").chars().collect();
        let cells: Vec<(u16, String)> = (0..cols)
            .filter_map(|c| {
                screen
                    .cell(0, c)
                    .map(|cell| (c, cell.contents().to_owned()))
            })
            .filter(|(_, s)| !s.is_empty())
            .collect();
        let chars: Vec<char> = cells
            .iter()
            .map(|(_, s)| s.chars().next().unwrap_or(' '))
            .collect();
        let at = chars
            .windows(wanted.len())
            .position(|w| w == wanted.as_slice())?;
        // The first letter of the title, past the leading space.
        let col = cells[at + 1].0;
        Some(screen.cell(0, col)?.bold())
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Polls until `ok` holds, else panics with `what` and the screen.
    fn wait_until(&self, what: &str, timeout: Duration, ok: impl Fn(&Tui) -> bool) {
        let start = Instant::now();
        loop {
            if ok(self) {
                return;
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for {what}; screen:\n{}\n--- end of screen",
                    self.screen()
                );
            }
            thread::sleep(POLL);
        }
    }

    fn wait_for(&self, text: &str, timeout: Duration) {
        self.wait_until(&format!("{text:?} on screen"), timeout, |t| {
            t.screen().contains(text)
        });
    }

    fn wait_gone(&self, text: &str, timeout: Duration) {
        self.wait_until(&format!("{text:?} to leave the screen"), timeout, |t| {
            !t.screen().contains(text)
        });
    }

    /// Waits until the reader shows the whole `good` folder.
    fn wait_ready(&self) {
        self.wait_for("3 of 3 articles", TIMEOUT);
        self.wait_for("Good Article Two", TIMEOUT);
    }

    fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(bytes).expect("write to pty");
        w.flush().expect("flush pty");
    }

    /// Resizes the pty (which signals the child) and the emulated screen.
    fn resize(&self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master.resize(size(rows, cols)).expect("resize pty");
    }

    /// Resizes, then waits until the app has drawn at some new size (ratatui
    /// clears the screen when it finds the size changed) and is still running.
    fn resize_and_wait_redraw(&mut self, rows: u16, cols: u16) {
        let clears = find_all(&self.raw(), CLEAR).len();
        self.resize(rows, cols);
        self.wait_until(&format!("a redraw at {rows}x{cols}"), TIMEOUT, |t| {
            find_all(&t.raw(), CLEAR).len() > clears
        });
        self.assert_running(&format!("after resizing to {rows}x{cols}"));
    }

    fn assert_running(&mut self, when: &str) {
        if let Some(status) = self.child.try_wait().expect("try_wait") {
            let raw = self.raw();
            panic!(
                "newsdesk exited ({status:?}) {when}; output tail: {:?}",
                String::from_utf8_lossy(&raw[raw.len().saturating_sub(2000)..])
            );
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([format!("-{name}"), self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed: {status:?}");
    }

    /// Waits for the child to exit and for its last output to be read.
    fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                panic!(
                    "newsdesk did not exit within {timeout:?}; screen:\n{}\n--- end of screen",
                    self.screen()
                );
            }
            thread::sleep(POLL);
        };
        // The exit closes the slave side; drain the output up to that point.
        self.wait_until("the end of the pty output", timeout, |t| {
            t.eof.load(Ordering::SeqCst)
        });
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        status
    }

    /// Asserts the raw output leaves the alternate screen and turns the mouse
    /// off after it last entered the alternate screen.
    fn assert_terminal_restored(&self) {
        let raw = self.raw();
        let entered = *find_all(&raw, ALT_ON)
            .last()
            .expect("the alternate screen was entered");
        let after = &raw[entered..];
        assert!(
            contains(after, ALT_OFF),
            "no leave-alternate-screen (ESC[?1049l) after the last enter; tail of output: {:?}",
            String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..])
        );
        assert!(
            contains(after, CURSOR_ON),
            "no show-cursor (ESC[?25h) after the last enter; tail of output: {:?}",
            String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..])
        );
        assert!(
            contains(after, MOUSE_OFF),
            "no mouse-capture-off (ESC[?1000l) after the last enter; tail of output: {:?}",
            String::from_utf8_lossy(&raw[raw.len().saturating_sub(400)..])
        );
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn starts_and_shows_three_panes() {
    let tui = Tui::start();
    for text in ["Regions", "Articles", "Good Article Two", "3 of 3 articles"] {
        tui.wait_for(text, TIMEOUT);
    }
    // The panes are titled in their borders.
    let screen = tui.screen();
    assert!(screen.contains(" Regions "), "screen:\n{screen}");
    assert!(screen.contains(" Articles "), "screen:\n{screen}");
    // The status bar is the last row.
    let last = tui.row(ROWS - 1);
    assert!(
        last.contains("3 of 3 articles"),
        "last row: {last:?}; screen:\n{screen}"
    );
    // Newest first: the reader opens on "Good Article Two".
    let title = tui.reader_title();
    assert_eq!(
        title.as_deref(),
        Some("Good Article Two"),
        "screen:\n{screen}"
    );
}

#[test]
fn j_changes_the_reading_pane() {
    let tui = Tui::start();
    tui.wait_ready();
    tui.send(b"j");
    tui.wait_until("the reader title to be Good Article One", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
    assert!(
        !tui.reading("Good Article Two"),
        "reader: {:?}",
        tui.reader_title()
    );
}

#[test]
fn g_and_shift_g_jump_to_the_ends() {
    let tui = Tui::start();
    tui.wait_ready();
    tui.send(b"G");
    tui.wait_until(
        "the reader title to be Nested Article Three",
        TIMEOUT,
        |t| t.reading("Nested Article Three"),
    );
    tui.send(b"g");
    tui.wait_until("the reader title to be Good Article Two", TIMEOUT, |t| {
        t.reading("Good Article Two")
    });
}

#[test]
fn question_mark_shows_help_and_esc_closes_it() {
    let tui = Tui::start();
    tui.wait_ready();
    assert!(
        !tui.screen().contains("Help"),
        "help shown before `?`:\n{}",
        tui.screen()
    );
    tui.send(b"?");
    tui.wait_for("Help", TIMEOUT);
    tui.wait_for("Everywhere", TIMEOUT);
    tui.wait_for("quit", TIMEOUT);
    tui.send(b"\x1b");
    tui.wait_gone("Help", TIMEOUT);
    tui.wait_gone("Everywhere", TIMEOUT);
    // Still running, back on the reader.
    tui.wait_ready();
}

#[test]
fn q_exits_zero_and_leaves_alternate_screen() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.send(b"q");
    let status = tui.wait_exit(TIMEOUT);
    assert!(status.success(), "exit status {status:?}");
    tui.assert_terminal_restored();
}

#[test]
fn ctrl_c_quits() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.send(b"\x03");
    let status = tui.wait_exit(TIMEOUT);
    assert!(status.success(), "exit status {status:?}");
    tui.assert_terminal_restored();
}

#[test]
fn sigterm_restores_terminal() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.signal("TERM");
    let status = tui.wait_exit(TIMEOUT);
    assert_eq!(status.exit_code(), 143, "128 + SIGTERM");
    tui.assert_terminal_restored();
}

#[test]
fn sighup_restores_terminal() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.signal("HUP");
    let _ = tui.wait_exit(TIMEOUT);
    tui.assert_terminal_restored();
}

#[test]
fn region_flag_narrows_the_list() {
    let tui = Tui::start_with(&["--region", "Georgia"]);
    tui.wait_for("1 of 3 articles", TIMEOUT);
    tui.wait_for("Regions: Georgia", TIMEOUT);
    // Only the Georgia article is left, so it is the one being read.
    tui.wait_until("the reader title to be Good Article One", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
}

#[test]
fn tab_cycles_focus() {
    let tui = Tui::start();
    tui.wait_ready();
    // The focused pane's title is bold; the list has focus at start, and Tab
    // goes on to the reader, then round to the regions and back to the list.
    let titles = ["Regions", "Articles", "Reader"];
    let expect = |focused: &str| {
        tui.wait_until(&format!("focus on {focused:?}"), TIMEOUT, |t| {
            titles
                .iter()
                .all(|title| t.title_bold(title) == Some(*title == focused))
        });
    };
    expect("Articles");
    tui.send(b"\t");
    expect("Reader");
    assert!(tui.reading("Good Article Two"), "{:?}", tui.reader_title());
    tui.send(b"\t");
    expect("Regions");
    tui.send(b"\t");
    expect("Articles");
}

#[test]
fn resize_keeps_running() {
    let mut tui = Tui::start();
    tui.wait_ready();

    tui.resize_and_wait_redraw(20, 50);
    tui.wait_until("the status bar on row 20 of 20x50", TIMEOUT, |t| {
        t.row(19).contains("3 of 3 articles")
    });
    tui.resize_and_wait_redraw(6, 20);
    tui.wait_until("the status bar on row 6 of 6x20", TIMEOUT, |t| {
        t.row(5).contains("3 of 3 articles")
    });
    // Too small for anything; it must only not fall over.
    tui.resize_and_wait_redraw(1, 1);

    tui.resize_and_wait_redraw(ROWS, COLS);
    tui.wait_ready();
    tui.wait_until("the status bar on the last row", TIMEOUT, |t| {
        t.row(ROWS - 1).contains("3 of 3 articles")
    });
    for text in [" Regions ", " Articles "] {
        tui.wait_for(text, TIMEOUT);
    }
    tui.assert_running("after growing back to 40x120");
    tui.send(b"q");
    let status = tui.wait_exit(TIMEOUT);
    assert!(status.success(), "exit status {status:?}");
    tui.assert_terminal_restored();
}

/// Shrinking the window scrolls the list to keep the selection in view;
/// growing it back should show the whole list again when it all fits.
#[test]
fn list_shows_every_article_after_shrinking_and_growing_back() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.send(b"j");
    tui.wait_until("the reader title to be Good Article One", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
    tui.resize_and_wait_redraw(1, 1);
    tui.resize_and_wait_redraw(ROWS, COLS);
    tui.wait_until("the status bar on the last row", TIMEOUT, |t| {
        t.row(ROWS - 1).contains("3 of 3 articles")
    });
    // Three articles fit in 38 rows: the first one is back at the top.
    tui.wait_until("Good Article Two on the list's first row", TIMEOUT, |t| {
        t.row(1).contains("Good Article Two")
    });
}

#[test]
fn remapped_key_quits() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("keys.toml");
    std::fs::write(&cfg, "[keys.global]\n\"x\" = \"quit\"\n\"q\" = \"none\"\n").unwrap();
    let mut tui = Tui::start_with(&["--config", cfg.to_str().unwrap()]);
    tui.wait_ready();
    tui.send(b"q");
    tui.send(b"?");
    tui.wait_for("Help", Duration::from_secs(10));
    assert!(tui.screen().contains("x "), "help lists the remapped key");
    tui.send(b"\x1b");
    tui.wait_gone("Help", Duration::from_secs(10));
    tui.send(b"x");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    tui.assert_terminal_restored();
}

/// Every SGR sequence in the output, as its parameter string.
fn sgr_params(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut out = Vec::new();
    let mut rest = &*text;
    while let Some(i) = rest.find("\x1b[") {
        let after = &rest[i + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            out.push(after[..end].to_owned());
        }
        rest = &after[end..];
    }
    out
}

fn has_colour(params: &str) -> bool {
    params.split(';').any(|p| {
        let n: u32 = p.parse().unwrap_or(0);
        matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107)
    })
}

#[test]
fn no_color_sends_no_colour_codes() {
    let mut tui = Tui::launch(good_folder(), &[], &[("NO_COLOR", "1")]);
    tui.wait_ready();
    tui.send(b"j");
    tui.wait_for("Good Article One", Duration::from_secs(10));
    let params = sgr_params(&tui.raw());
    assert!(!params.is_empty(), "styles are still sent");
    assert!(
        !params.iter().any(|p| has_colour(p)),
        "colour codes in {params:?}"
    );
    tui.send(b"q");
    tui.wait_exit(Duration::from_secs(10));
    // Without NO_COLOR the same screen has colour.
    let mut coloured = Tui::start();
    coloured.wait_ready();
    assert!(sgr_params(&coloured.raw()).iter().any(|p| has_colour(p)));
    coloured.send(b"q");
    coloured.wait_exit(Duration::from_secs(10));
}

#[test]
fn search_narrows_to_what_list_search_prints() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.send(b"/nested");
    tui.wait_for("1 of 3 articles", Duration::from_secs(10));
    tui.send(b"\r");
    tui.wait_for("Search: nested", Duration::from_secs(10));
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args([
            "list",
            good_folder(),
            "--search",
            "nested",
            "--json",
            "--config",
            config_file(),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().count(), 1);
    assert!(
        tui.reading("Nested Article Three"),
        "reader: {:?}",
        tui.reader_title()
    );
    // Esc in a new prompt restores the kept search.
    tui.send(b"/zzz");
    tui.wait_for("0 of 3 articles", Duration::from_secs(10));
    tui.send(b"\x1b");
    tui.wait_for("1 of 3 articles", Duration::from_secs(10));
    tui.send(b"q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[test]
fn read_marks_survive_a_restart_and_u_hides_read() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.toml");
    let state_env = state.to_str().unwrap();
    let mut tui = Tui::launch(good_folder(), &[], &[("NEWSDESK_STATE", state_env)]);
    tui.wait_ready();
    assert!(
        tui.screen().contains("• Good Article Two"),
        "unread at first"
    );
    tui.send(b"\r");
    tui.wait_until("first article read", Duration::from_secs(10), |t| {
        !t.screen().contains("• Good Article Two")
    });
    tui.send(b"q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    let saved = std::fs::read_to_string(&state).expect("state written on exit");
    assert!(saved.contains("read = true"), "{saved}");

    let mut again = Tui::launch(good_folder(), &[], &[("NEWSDESK_STATE", state_env)]);
    again.wait_ready();
    assert!(again.screen().contains("Good Article Two"));
    assert!(!again.screen().contains("• Good Article Two"), "still read");
    again.send(b"u");
    again.wait_for("2 of 3 articles", Duration::from_secs(10));
    again.send(b"q");
    assert!(again.wait_exit(Duration::from_secs(10)).success());
}

#[test]
fn o_runs_the_browser_detached() {
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    let finished = dir.path().join("finished");
    let script = dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$1\" > {}\nsleep 5\ntouch {}\n",
            started.display(),
            finished.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/parse");
    let mut tui = Tui::launch(folder, &[], &[("BROWSER", script.to_str().unwrap())]);
    tui.wait_for("8 of 8 articles", TIMEOUT);
    // Find the article with a source URL: the Naryn dam story.
    tui.send(b"/naryn\r");
    tui.wait_for("Search: naryn", Duration::from_secs(10));
    tui.send(b"o");
    tui.wait_until("browser started", Duration::from_secs(10), |_| {
        started.exists()
    });
    let arg = std::fs::read_to_string(&started).unwrap();
    assert_eq!(arg.trim(), "https://example.org/naryn-dam");
    // The reader answers while the browser still runs.
    tui.send(b"c");
    tui.wait_for("of 8 articles", Duration::from_secs(10));
    tui.wait_until("search cleared", Duration::from_secs(10), |t| {
        !t.screen().contains("Search: naryn")
    });
    assert!(!finished.exists(), "the reader waited for the browser");
    tui.send(b"q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
}

#[test]
fn sigkill_while_writing_state_leaves_it_parseable() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.toml");
    let state_env = state.to_str().unwrap();
    for round in 0..12u64 {
        let mut tui = Tui::launch(good_folder(), &[], &[("NEWSDESK_STATE", state_env)]);
        tui.wait_ready();
        // Star and unstar, mark and unmark: each change is saved after a short delay.
        for _ in 0..(3 + round % 4) {
            tui.send(b"smjsmk");
        }
        thread::sleep(Duration::from_millis(450 + 37 * round));
        tui.signal("KILL");
        let _ = tui.wait_exit(Duration::from_secs(10));
        if state.exists() {
            let text = std::fs::read_to_string(&state).unwrap();
            assert!(
                toml::from_str::<toml::Table>(&text).is_ok(),
                "round {round}: {text}"
            );
        }
    }
    assert!(state.exists(), "some state was written");
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_redraws_on_resume() {
    // In this pseudo-terminal the process group is orphaned, so the kernel
    // discards the stop itself (under a shell it stops until `fg`); what is
    // checked is the way out and back: terminal restored, then re-entered and
    // redrawn, and the reader answering keys.
    let mut tui = Tui::start();
    tui.wait_ready();
    let entered_before = find_all(&tui.raw(), ALT_ON).len();
    tui.send(b"\x1a");
    tui.wait_until("alternate screen entered again", TIMEOUT, |t| {
        find_all(&t.raw(), ALT_ON).len() > entered_before
    });
    let raw = tui.raw();
    let last_on = *find_all(&raw, ALT_ON).last().unwrap();
    assert!(
        !find_all(&raw[..last_on], ALT_OFF).is_empty(),
        "left the alternate screen before coming back"
    );
    tui.wait_for("3 of 3 articles", TIMEOUT);
    tui.send(b"j");
    tui.wait_until("j works after resume", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
    tui.assert_terminal_restored();
}

#[test]
fn a_storm_of_200_resizes_leaves_it_alive_at_the_right_size() {
    let mut tui = Tui::start();
    tui.wait_ready();
    for i in 0..200u16 {
        let (rows, cols) = (5 + (i * 7) % 60, 10 + (i * 13) % 200);
        tui.resize(rows, cols);
    }
    tui.resize(30, 90);
    tui.wait_until("drawn at 90x30", TIMEOUT, |t| {
        let last = t.row(29);
        last.contains("3 of 3 articles") && t.screen().lines().all(|l| l.chars().count() <= 90)
    });
    tui.assert_running("after the storm");
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
}

#[test]
fn an_unwritable_state_file_warns_and_the_reader_works_on() {
    let mut tui = Tui::launch(
        good_folder(),
        &[],
        &[("NEWSDESK_STATE", "/proc/newsdesk-no-such/state.toml")],
    );
    tui.wait_ready();
    tui.send(b"\r");
    tui.wait_for("cannot save marks", TIMEOUT);
    tui.send(b"hj");
    tui.wait_until("still answering", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
    tui.assert_terminal_restored();
}

fn panic_run(point: &str, keys: &[u8]) -> (ExitStatus, Vec<u8>) {
    let mut tui = Tui::launch(good_folder(), &[], &[("NEWSDESK_DEBUG_PANIC", point)]);
    if !keys.is_empty() {
        tui.wait_ready();
        tui.send(keys);
    }
    let status = tui.wait_exit(TIMEOUT);
    tui.assert_terminal_restored();
    (status, tui.raw())
}

#[test]
fn a_panic_in_rendering_or_update_restores_the_terminal_then_prints() {
    for (point, keys) in [("render", &b""[..]), ("update", &b"j"[..])] {
        let (status, raw) = panic_run(point, keys);
        assert!(!status.success(), "{point}: a panic is a failure");
        let off = *find_all(&raw, ALT_OFF)
            .last()
            .expect("left the alternate screen");
        let message = find_all(&raw, b"deliberate panic")
            .into_iter()
            .last()
            .expect("the panic is printed");
        assert!(
            message > off,
            "{point}: printed after the terminal was restored"
        );
    }
}

#[test]
fn a_panic_while_parsing_a_file_becomes_a_problem_and_the_reader_goes_on() {
    let mut tui = Tui::launch(good_folder(), &[], &[("NEWSDESK_DEBUG_PANIC", "parse")]);
    tui.wait_for("0 of 0 articles", TIMEOUT);
    tui.wait_for("3 problems", TIMEOUT);
    tui.send(b"!");
    tui.wait_for("newsdesk failed while reading this file", TIMEOUT);
    assert!(
        !contains(&tui.raw(), b"deliberate panic"),
        "nothing printed over the screen"
    );
    tui.send(b"\x1b");
    tui.wait_gone("newsdesk failed while reading", TIMEOUT);
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
    tui.assert_terminal_restored();
}

#[test]
fn sigint_restores_terminal() {
    let mut tui = Tui::start();
    tui.wait_ready();
    tui.signal("INT");
    let status = tui.wait_exit(TIMEOUT);
    assert_eq!(status.exit_code(), 130, "128 + SIGINT");
    tui.assert_terminal_restored();
}

/// Runs newsdesk under `sh`, then `stty -a` in the same terminal, and returns
/// what `stty` printed: the terminal modes newsdesk left behind.
fn modes_after(keys: &[u8]) -> String {
    let script = format!(
        "NEWSDESK_STATE=$(mktemp -u) {} {} --config {}; echo STTY-BEGIN; stty -a; echo STTY-END; sleep 5",
        env!("CARGO_BIN_EXE_newsdesk"),
        good_folder(),
        config_file()
    );
    let pair = native_pty_system().openpty(size(ROWS, COLS)).unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let out = Arc::new(Mutex::new(Vec::new()));
    let sink = out.clone();
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let start = Instant::now();
    while !contains(&out.lock().unwrap(), b"Good Article Two") {
        assert!(
            start.elapsed() < TIMEOUT,
            "the reader did not start: {:?}",
            String::from_utf8_lossy(&out.lock().unwrap())
        );
        thread::sleep(Duration::from_millis(20));
    }
    writer.write_all(keys).unwrap();
    writer.flush().unwrap();
    while !contains(&out.lock().unwrap(), b"STTY-END") {
        assert!(start.elapsed() < TIMEOUT * 2, "stty did not run");
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let text = String::from_utf8_lossy(&out.lock().unwrap()).into_owned();
    let begin = text.rfind("STTY-BEGIN").unwrap();
    text[begin..].to_owned()
}

#[test]
fn after_q_and_ctrl_c_the_terminal_is_cooked_with_echo() {
    for keys in [&b"q"[..], b"\x03"] {
        let modes = modes_after(keys);
        let words: Vec<&str> = modes.split_whitespace().collect();
        for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(
                words.contains(&mode),
                "{keys:?}: {mode} is off after exit:\n{modes}"
            );
        }
    }
}

/// A copy of the `good` folder to change while the reader runs.
fn good_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut stack = vec![std::path::PathBuf::from(good_folder())];
    while let Some(from) = stack.pop() {
        let rel = from.strip_prefix(good_folder()).unwrap().to_path_buf();
        std::fs::create_dir_all(dir.path().join(&rel)).unwrap();
        for entry in std::fs::read_dir(&from).unwrap().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                std::fs::copy(entry.path(), dir.path().join(&rel).join(entry.file_name())).unwrap();
            }
        }
    }
    dir
}

/// Whether the process holds an inotify instance: the folder watch is set up
/// (beside the first load, so a test waits for it before changing files).
fn watching(tui: &Tui) -> bool {
    std::fs::read_dir(format!("/proc/{}/fd", tui.pid()))
        .map(|fds| {
            fds.flatten().any(|fd| {
                std::fs::read_link(fd.path())
                    .is_ok_and(|target| target.to_string_lossy().contains("inotify"))
            })
        })
        .unwrap_or(false)
}

#[test]
fn a_file_written_while_reading_appears_and_goes_when_removed() {
    let dir = good_copy();
    let folder = dir.path().to_str().unwrap();
    let tui = Tui::launch(folder, &[], &[]);
    tui.wait_ready();
    tui.wait_until("the folder to be watched", TIMEOUT, watching);
    // Select the second article; the new one will sort above it.
    tui.send(b"j");
    tui.wait_until("Good Article One in the reader", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
    let new = dir.path().join("fresh.txt");
    std::fs::write(
        &new,
        "Fresh Wire Story\n\nDate: 2099-01-01\n\nJust in.\n\nMore.\n\nLocation: [Moldova](#)\n",
    )
    .unwrap();
    tui.wait_for("Fresh Wire Story", TIMEOUT);
    tui.wait_for("4 of 4 articles", TIMEOUT);
    // Its tag is counted: Moldova puts Europe in the place tree.
    tui.wait_for("▸ Europe           1", TIMEOUT);
    // The selection stayed on its article, not on its row.
    assert!(
        tui.reading("Good Article One"),
        "reader: {:?}; screen:\n{}",
        tui.reader_title(),
        tui.screen()
    );
    std::fs::remove_file(&new).unwrap();
    tui.wait_gone("Fresh Wire Story", TIMEOUT);
    tui.wait_for("3 of 3 articles", TIMEOUT);
    assert!(
        tui.reading("Good Article One"),
        "reader: {:?}",
        tui.reader_title()
    );
}

#[test]
fn r_reads_the_folder_again() {
    let tui = Tui::start();
    tui.wait_ready();
    tui.send(b"r");
    tui.wait_for("reloaded: 3 articles (+0)", TIMEOUT);
    assert!(tui.screen().contains("Good Article Two"));
}

#[cfg(feature = "import")]
#[test]
fn capital_i_imports_the_configured_feeds_in_the_background() {
    let dir = good_copy();
    let folder = dir.path().to_str().unwrap();
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("config.toml");
    let feed = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/feeds/rss.xml");
    std::fs::write(
        &config,
        format!("[[feeds]]\nurl = \"{feed}\"\ntags = [\"Steppe\"]\n"),
    )
    .unwrap();
    let tui = Tui::launch(folder, &["--config", config.to_str().unwrap()], &[]);
    tui.wait_ready();
    tui.wait_until("the folder to be watched", TIMEOUT, watching);
    tui.send(b"I");
    tui.wait_for("imported 3 new articles from 1 feed", TIMEOUT);
    // They come in through live reload.
    tui.wait_for("6 of 6 articles", TIMEOUT);
    tui.wait_for("Bishkek book fair draws record", TIMEOUT);
    assert!(dir.path().join("steppe-wire").is_dir());
    // A second import finds nothing new.
    tui.send(b"I");
    tui.wait_for(
        "imported 0 new articles from 1 feed (3 already there)",
        TIMEOUT,
    );
}

#[cfg(not(feature = "import"))]
#[test]
fn capital_i_says_this_build_has_no_feed_import() {
    let tui = Tui::start();
    tui.wait_ready();
    tui.send(b"I");
    tui.wait_for("this build has no feed import", TIMEOUT);
    assert!(tui.screen().contains("Good Article Two"));
}

/// The stand-in for a browser, editor or pager (see its header).
fn standin() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bin/standin")
}

/// Sends `keys`, then waits until the program handed the terminal to has
/// written `log` and the reader has taken the terminal back and redrawn
/// (`back` on screen); returns the log.
fn hand_over(tui: &Tui, keys: &[u8], log: &std::path::Path, back: &str) -> String {
    hand_over_answering(tui, keys, log, None, back)
}

/// As [`hand_over`], and once the program has run, waits for `answer.0` on
/// the screen it was given and sends `answer.1` (to a question asked after).
fn hand_over_answering(
    tui: &Tui,
    keys: &[u8],
    log: &std::path::Path,
    answer: Option<(&str, &[u8])>,
    back: &str,
) -> String {
    let entered = find_all(&tui.raw(), ALT_ON).len();
    tui.send(keys);
    tui.wait_until("the stand-in to run", TIMEOUT, |_| {
        std::fs::read_to_string(log).is_ok_and(|t| t.contains("stdout-terminal"))
    });
    if let Some((question, reply)) = answer {
        tui.wait_for(question, TIMEOUT);
        assert_eq!(
            find_all(&tui.raw(), ALT_ON).len(),
            entered,
            "the reader waits while the question is asked"
        );
        tui.send(reply);
    }
    tui.wait_until("the alternate screen entered again", TIMEOUT, |t| {
        find_all(&t.raw(), ALT_ON).len() > entered
    });
    tui.wait_for(back, TIMEOUT);
    let raw = tui.raw();
    let last_on = *find_all(&raw, ALT_ON).last().unwrap();
    let before = &raw[..last_on];
    let left = *find_all(before, ALT_OFF)
        .last()
        .expect("left the alternate screen");
    assert!(
        find_all(&before[..left], ALT_ON).len() >= entered,
        "left the alternate screen for the program"
    );
    std::fs::read_to_string(log).unwrap()
}

#[test]
fn e_gives_the_editor_the_terminal_and_reads_the_changed_file_again() {
    let dir = good_copy();
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    // The editor: the stand-in, then a change to the file (its last argument).
    let editor = work.path().join("edit.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\n{} \"$@\"\nfor last; do :; done\nsed -i 's/Good Article Two/Good Article Edited/' \"$last\"\n",
            standin()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut tui = Tui::launch(
        dir.path().to_str().unwrap(),
        &[],
        &[
            ("VISUAL", ""),
            ("EDITOR", editor.to_str().unwrap()),
            ("STANDIN_LOG", log.to_str().unwrap()),
        ],
    );
    tui.wait_ready();
    let text = hand_over(&tui, b"e", &log, "Good Article Edited");
    let file = dir.path().join("b.md");
    assert!(
        text.starts_with(&format!("args: [{}]\n", file.display())),
        "{text}"
    );
    assert!(
        text.contains("stdin-terminal: yes\nstdout-terminal: yes"),
        "{text}"
    );
    tui.wait_for("3 of 3 articles", TIMEOUT);
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
    tui.assert_terminal_restored();
}

#[test]
fn pipe_asks_for_a_command_gives_it_the_text_and_the_terminal_and_remembers_it() {
    let dir = good_copy();
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    // A command that changes the article's file, found on $PATH with the
    // stand-in, so the command typed stays short enough to read on screen.
    let retitle = work.path().join("retitle");
    std::fs::write(
        &retitle,
        format!(
            "#!/bin/sh\nsed -i 's/Good Article Two/Good Article Piped/' '{}'\n",
            dir.path().join("b.md").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &retitle,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let bin = std::path::Path::new(standin()).parent().unwrap();
    let path = format!(
        "{}:{}:{}",
        work.path().display(),
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut tui = Tui::launch(
        dir.path().to_str().unwrap(),
        &[],
        &[
            ("PAGER", standin()),
            ("STANDIN_LOG", log.to_str().unwrap()),
            ("PATH", &path),
        ],
    );
    tui.wait_ready();
    // `|` asks, offering $PAGER; nothing runs yet.
    tui.send(b"|");
    tui.wait_for(&format!("Pipe to command: {}", standin()), TIMEOUT);
    assert!(!log.exists(), "nothing runs before Enter");
    // Ctrl-U, then a pipeline of one's own.
    tui.send(b"\x15");
    tui.send(b"tr a-z A-Z | standin typed; retitle");
    tui.wait_for(
        "Pipe to command: tr a-z A-Z | standin typed; retitle",
        TIMEOUT,
    );
    // The command's output stays on screen until Enter, as in mutt.
    let text = hand_over_answering(
        &tui,
        b"\r",
        &log,
        Some(("[newsdesk] press Enter to go back", b"\r")),
        "Good Article Piped",
    );
    assert!(
        text.starts_with(
            "args: [typed]\nstdin-terminal: no\nstdout-terminal: yes\nstdin:\nGOOD ARTICLE TWO\n"
        ),
        "the command reads the article's text and has the terminal: {text}"
    );
    assert!(text.ends_with("end of stdin\n"), "{text}");
    // The article is read again: its file changed.
    tui.wait_until("the reader to show the new title", TIMEOUT, |t| {
        t.reading("Good Article Piped")
    });
    // The next `|` offers the last command; Esc cancels it.
    tui.send(b"|");
    tui.wait_for(
        "Pipe to command: tr a-z A-Z | standin typed; retitle",
        TIMEOUT,
    );
    tui.send(b"\x1b");
    tui.wait_gone("Pipe to command:", TIMEOUT);
    tui.wait_for("3 of 3 articles", TIMEOUT);
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        text,
        "Esc ran nothing"
    );
    tui.send(b"j");
    tui.wait_until("j works after the pipe", TIMEOUT, |t| {
        t.reading("Good Article One")
    });
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
    tui.assert_terminal_restored();
}

#[test]
fn a_terminal_browser_runs_in_the_foreground_with_the_terminal() {
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("log");
    let cfg = work.path().join("config.toml");
    std::fs::write(&cfg, "browser_in_terminal = true\n").unwrap();
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/parse");
    let mut tui = Tui::launch(
        folder,
        &["--config", cfg.to_str().unwrap()],
        &[
            ("BROWSER", standin()),
            ("STANDIN_LOG", log.to_str().unwrap()),
        ],
    );
    tui.wait_for("8 of 8 articles", TIMEOUT);
    tui.send(b"/naryn\r");
    tui.wait_for("Search: naryn", TIMEOUT);
    let text = hand_over(&tui, b"o", &log, "Search: naryn");
    assert!(
        text.starts_with(
            "args: [https://example.org/naryn-dam]\nstdin-terminal: yes\nstdout-terminal: yes\n"
        ),
        "{text}"
    );
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
    tui.assert_terminal_restored();
}

/// The snapshot files in a cache folder.
fn snapshots_in(cache: &Path) -> usize {
    cached(cache, ".snap")
}

/// The files in a cache folder whose names end with `end`.
fn cached(cache: &Path, end: &str) -> usize {
    std::fs::read_dir(cache.join("newsdesk"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(end))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn the_second_start_lists_from_the_snapshot_and_finds_what_changed_meanwhile() {
    let dir = good_copy();
    let folder = dir.path().to_str().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    let mut tui = Tui::launch(folder, &[], &env);
    tui.wait_ready();
    tui.wait_until("the snapshot to be written", TIMEOUT, |_| {
        snapshots_in(cache.path()) == 1
    });
    // The gazetteer's name table is kept beside it, for the next start.
    tui.wait_until("the gazetteer's table to be kept", TIMEOUT, |_| {
        cached(cache.path(), ".bin") == 1
    });
    tui.send(b"q");
    tui.wait_exit(TIMEOUT);
    // While no reader runs: one file edited (another size), one added.
    let a = dir.path().join("a.txt");
    let edited = std::fs::read_to_string(&a)
        .unwrap()
        .replace("Good Article One", "Good Article Renamed While Away");
    std::fs::write(&a, edited).unwrap();
    std::fs::write(
        dir.path().join("new.txt"),
        "Arrived While Away\n\nDate: 2099-01-01\n\nJust in.\n\nThe text of the arrival.\n",
    )
    .unwrap();
    let tui = Tui::launch(folder, &[], &env);
    tui.wait_for("4 of 4 articles", TIMEOUT);
    tui.wait_for("Good Article Renamed While Away", TIMEOUT);
    assert!(
        !tui.screen().contains("Good Article One"),
        "{}",
        tui.screen()
    );
    // The selection stayed on the article it was on; the one listed from
    // the snapshot shows its text (read from its file when shown).
    tui.wait_until(
        "Good Article Two in the reader, with its text",
        TIMEOUT,
        |t| t.reading("Good Article Two") && t.screen().contains("Standfirst."),
    );
    // The arrival is on top.
    tui.send(b"g");
    tui.wait_for("The text of the arrival.", TIMEOUT);
    // An article listed from the snapshot shows its text when opened.
    tui.send(b"G");
    tui.wait_until("Nested Article Three in the reader", TIMEOUT, |t| {
        t.reading("Nested Article Three")
    });
    // Its only text (the arrival's reads "Just in." instead).
    tui.wait_for("Standfirst.", TIMEOUT);
}

#[test]
fn a_garbage_snapshot_is_said_once_and_the_folder_is_read() {
    let cache = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(cache.path().join("newsdesk")).unwrap();
    let env = [("XDG_CACHE_HOME", cache.path().to_str().unwrap())];
    // Write garbage where the snapshot of this folder goes: find its name
    // by a first start, then spoil it.
    let mut tui = Tui::launch(good_folder(), &[], &env);
    tui.wait_ready();
    tui.wait_until("the snapshot to be written", TIMEOUT, |_| {
        snapshots_in(cache.path()) == 1
    });
    tui.send(b"q");
    tui.wait_exit(TIMEOUT);
    let file = std::fs::read_dir(cache.path().join("newsdesk"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".snap"))
        .unwrap()
        .path();
    std::fs::write(&file, b"garbage, not a snapshot").unwrap();
    let tui = Tui::launch(good_folder(), &[], &env);
    tui.wait_ready();
    tui.wait_for("archive cache was unreadable", TIMEOUT);
}

/// Whether a list row shows `title` with a star.
fn starred_row(tui: &Tui, title: &str) -> bool {
    tui.screen()
        .lines()
        .any(|l| l.contains(title) && l.contains('★'))
}

#[test]
fn r_shows_a_star_another_process_saved() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.toml");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (state_env, home_env) = (state.to_str().unwrap(), home.to_str().unwrap());
    let config_home = home.join(".config");
    let data_home = home.join(".local/share");
    let state_home = home.join(".local/state");
    let env = [
        ("NEWSDESK_STATE", state_env),
        ("HOME", home_env),
        ("XDG_CONFIG_HOME", config_home.to_str().unwrap()),
        ("XDG_DATA_HOME", data_home.to_str().unwrap()),
        ("XDG_STATE_HOME", state_home.to_str().unwrap()),
    ];
    let mut reader = Tui::launch(good_folder(), &[], &env);
    reader.wait_ready();
    assert!(
        !starred_row(&reader, "Good Article One"),
        "no star at first"
    );
    // A second process stars the article and saves, while the reader is open.
    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    cli.args(["state", "--state", state_env, "mark", "--star", "a.txt"]);
    for (k, v) in env {
        cli.env(k, v);
    }
    let out = cli.output().expect("newsdesk state mark runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!starred_row(&reader, "Good Article One"), "not before r");
    reader.send(b"r");
    reader.wait_until("the other process's star", TIMEOUT, |t| {
        starred_row(t, "Good Article One")
    });
    assert!(!starred_row(&reader, "Good Article Two"));
    reader.send(b"q");
    assert!(reader.wait_exit(TIMEOUT).success());
    // Quitting kept it.
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(saved.contains("starred = true"), "{saved}");
}

#[test]
fn v_names_the_query_and_saves_it_into_ones_own_config_keeping_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("mine.toml");
    let own = "# my settings\nmouse = false  # no mouse here\n";
    std::fs::write(&cfg, own).unwrap();
    let mut tui = Tui::start_with(&["--config", cfg.to_str().unwrap()]);
    tui.wait_ready();
    tui.send(b"/Good");
    tui.wait_for("/Good", TIMEOUT);
    tui.send(b"\r");
    tui.send(b"V");
    tui.wait_for("Save view as: Good", TIMEOUT);
    // Ctrl-U, then a name of one's own.
    tui.send(b"\x15");
    tui.send(b"Good ones");
    tui.wait_for("Save view as: Good ones", TIMEOUT);
    tui.send(b"\r");
    tui.wait_for("saved view \"Good ones\"", TIMEOUT);
    // Listed atop the Regions pane at once, with its count.
    tui.wait_until("the view in the Regions pane", TIMEOUT, |t| {
        t.screen().lines().any(|l| l.contains("⌕ Good ones"))
    });
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(text.starts_with(own), "comments and layout kept: {text}");
    assert!(
        text.contains("[[views]]")
            && text.contains("name = \"Good ones\"")
            && text.contains("query = \"Good\""),
        "{text}"
    );
    tui.send(b"q");
    assert!(tui.wait_exit(TIMEOUT).success());
}

/// Started with no terminal at all (no controlling terminal, output to a
/// pipe), the reader says what it needs and what to use instead: no panic.
#[test]
fn without_a_terminal_the_reader_says_so_and_exits_without_a_panic() {
    let Ok(setsid) = which_setsid() else {
        eprintln!("skipped: no setsid here to start the reader without a terminal");
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(setsid)
        .arg("-w")
        .arg(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--config", config_file(), "--no-cache", good_folder()])
        .env("XDG_CACHE_HOME", cache.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no terminal to show the reader in"),
        "{stderr}"
    );
    assert!(stderr.contains("newsdesk list"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn which_setsid() -> Result<&'static str, ()> {
    ["/usr/bin/setsid", "/bin/setsid"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .ok_or(())
}
