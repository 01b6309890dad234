//! Measures what a person sees when typing a query: the real release binary
//! in a pseudo-terminal (120×40), each keystroke of `/QUERY` from the moment
//! it is written until the status bar shows it (the whole frame, list and
//! counts, is drawn before the status bar, the last row). Issue 17's
//! "query keystroke" figure; see BENCHMARKS.md.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example keystroke -- DIR RUNS QUERY [QUERY...]
//! ```
//!
//! The reader starts with `XDG_CACHE_HOME=target/keystroke-cache` (so its
//! snapshot and index are kept between runs of this example: the first run
//! builds them) and waits until every article is listed, nothing is loading
//! and no index is being built, then two seconds more (a person reads the
//! screen before typing; the reader prepares the search meanwhile;
//! `KEYSTROKE_SETTLE_S` sets another wait; `KEYSTROKE_ALL` prints every
//! keystroke's time in order too). Prints each query's median and p99 over all
//! its keystrokes, in milliseconds.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(runs)) = (args.first(), args.get(1).and_then(|r| r.parse().ok())) else {
        eprintln!("usage: keystroke DIR RUNS QUERY [QUERY...]");
        return ExitCode::from(2);
    };
    let queries = &args[2..];
    match run(Path::new(dir), runs, queries) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keystroke: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    done: Arc<AtomicBool>,
    /// Woken by the output thread after each chunk it puts on the screen:
    /// the waiting thread sleeps until then (spinning on two cores took
    /// time from the reader and the output thread, and was measured).
    drawn: Arc<Condvar>,
}

impl Screen {
    fn last_row(&self) -> String {
        let parser = self.parser.lock().unwrap_or_else(|p| p.into_inner());
        parser
            .screen()
            .rows(0, COLS)
            .nth(usize::from(ROWS) - 1)
            .unwrap_or_default()
    }

    fn contents(&self) -> String {
        let parser = self.parser.lock().unwrap_or_else(|p| p.into_inner());
        parser.screen().contents()
    }

    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()
    }

    /// Looks after every chunk of output (sleeping in between, woken by
    /// the output thread) until `ready` holds or `limit` passes.
    fn wait(&self, limit: Duration, ready: impl Fn(&Screen) -> bool) -> Result<Duration, String> {
        let start = Instant::now();
        loop {
            if ready(self) {
                return Ok(start.elapsed());
            }
            if self.done.load(Ordering::SeqCst) {
                return Err(format!("the reader quit:\n{}", self.contents()));
            }
            if start.elapsed() > limit {
                return Err(format!("gave up waiting:\n{}", self.contents()));
            }
            let guard = self.parser.lock().unwrap_or_else(|p| p.into_inner());
            // Short, so a chunk that came between the look and the wait
            // is looked at soon in any case.
            let _ = self.drawn.wait_timeout(guard, Duration::from_millis(2));
        }
    }
}

fn run(dir: &Path, runs: usize, queries: &[String]) -> Result<(), String> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = here.join("target/release/newsdesk");
    if !bin.exists() {
        return Err("no target/release/newsdesk: run `cargo build --release` first".into());
    }
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| e.to_string())?;
    let mut cmd = CommandBuilder::new(&bin);
    cmd.arg(dir);
    cmd.arg("--config");
    cmd.arg(here.join("config.toml"));
    cmd.arg("--state");
    cmd.arg(work.path().join("state.toml"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CACHE_HOME", here.join("target/keystroke-cache"));
    let mut child = pair.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().map_err(|e| e.to_string())?;
    let writer = pair.master.take_writer().map_err(|e| e.to_string())?;
    let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
    let done = Arc::new(AtomicBool::new(false));
    let drawn = Arc::new(Condvar::new());
    {
        let (parser, done, woken) = (Arc::clone(&parser), Arc::clone(&done), Arc::clone(&drawn));
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .process(&buf[..n]);
                woken.notify_all();
            }
            done.store(true, Ordering::SeqCst);
            woken.notify_all();
        });
    }
    let mut screen = Screen {
        parser,
        writer,
        done,
        drawn,
    };
    let started = Instant::now();
    // Ready: "N of N articles" with nothing loading or indexing.
    let ready = screen.wait(Duration::from_secs(900), |s| {
        let row = s.last_row();
        let all = row
            .split(" articles")
            .next()
            .and_then(|head| {
                let words: Vec<&str> = head.split_whitespace().collect();
                let n = words.len();
                // Not the "0 of 0" of the first frame, before anything came.
                (n >= 3 && words[n - 2] == "of" && words[n - 1] != "0")
                    .then(|| words[n - 3].ends_with(words[n - 1]))
            })
            .unwrap_or(false);
        let busy = ["loading", "indexing", "reading", "checking"];
        all && !busy.iter().any(|b| s.contents().contains(b))
    })?;
    eprintln!(
        "ready after {} ms: {}",
        (started.elapsed().max(ready)).as_millis(),
        screen.last_row().trim()
    );
    // A person reads the screen before typing: the reader's idle work
    // (preparing the search) gets the time it would have.
    // KEYSTROKE_SETTLE_S waits longer: the keystrokes of a person who
    // starts typing once the background check of the folder is over.
    let settle = std::env::var("KEYSTROKE_SETTLE_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    std::thread::sleep(Duration::from_secs(settle));
    for query in queries {
        let mut samples = Vec::new();
        for _ in 0..runs {
            screen.send(b"/").map_err(|e| e.to_string())?;
            screen.wait(Duration::from_secs(10), |s| s.last_row().contains(" /"))?;
            let mut typed = String::new();
            for c in query.chars() {
                typed.push(c);
                let shown = format!("/{typed}");
                let mut utf8 = [0u8; 4];
                let t0 = Instant::now();
                screen
                    .send(c.encode_utf8(&mut utf8).as_bytes())
                    .map_err(|e| e.to_string())?;
                screen.wait(Duration::from_secs(30), |s| s.last_row().contains(&shown))?;
                samples.push(t0.elapsed());
            }
            // Esc restores the list as it was, for the next run.
            screen.send(b"\x1b").map_err(|e| e.to_string())?;
            screen.wait(Duration::from_secs(30), |s| !s.last_row().contains(" /"))?;
        }
        // The first keystroke of all, before any sorting: with no settle it
        // is the one that meets the reader's start-up work.
        let first = samples.first().copied().unwrap_or_default();
        if std::env::var_os("KEYSTROKE_ALL").is_some() {
            let all: Vec<String> = samples
                .iter()
                .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
                .collect();
            println!(
                "{query:?}, every keystroke in order (ms): {}",
                all.join(" ")
            );
        }
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        println!(
            "{query:?}: {} keystrokes, first {:.1} ms, median {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            samples.len(),
            first.as_secs_f64() * 1e3,
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            at(1.0).as_secs_f64() * 1e3
        );
    }
    let _ = screen.send(b"q");
    let _ = child.wait();
    Ok(())
}
