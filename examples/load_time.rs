//! Times what a person waits for, as `benches/load_time.sh` does, but with
//! the reader in a pseudo-terminal of this program's own: no terminal
//! multiplexer to start and no polling processes competing for the two
//! cores. The screen is read (vt100) as the reader writes it, and looked at
//! after every chunk of output, so the figure is the moment the status bar
//! first shows every article and no loading.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example load_time -- DIR [RUNS] [nocache|second] [CACHE]
//! ```
//!
//! `second` starts the reader once, untimed for the ratios but printed (the
//! first start: every file read, the snapshot written), then times starts
//! from that snapshot. `CACHE` keeps the cache folder (snapshot and index)
//! there instead of a temporary one, so an index built beforehand
//! (`XDG_CACHE_HOME=CACHE newsdesk index --rebuild DIR`) is used.
//!
//! In the same loop, alternating, it times `newsdesk check DIR` and the
//! read floor (every file read once, on one thread, by this program).
//! Prints medians, every sample, the ratios and the reader's peak memory
//! (its maximum resident set, from `/usr/bin/time -v`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: load_time DIR [RUNS] [nocache|second]");
        return ExitCode::from(2);
    };
    let runs = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mode = args.get(2).map_or("nocache", String::as_str);
    if !["nocache", "second"].contains(&mode) {
        eprintln!("MODE: nocache or second");
        return ExitCode::from(2);
    }
    let cache = args.get(3).map(PathBuf::from);
    match run(Path::new(dir), runs, mode == "second", cache) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load_time: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The screen as the reader has drawn it so far, and whether it quit.
#[derive(Default)]
struct Seen {
    parser: Option<vt100::Parser>,
    quit: bool,
}

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The reader to time: `LOAD_TIME_BIN`, else the release build here (to
/// time two builds against each other in one run, alternating).
fn bin() -> PathBuf {
    std::env::var_os("LOAD_TIME_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| here().join("target/release/newsdesk"))
}

/// Starts the reader and returns how long it took until the status bar
/// showed `all` of `all` articles with no loading, and its peak memory in KiB.
fn start_reader(
    dir: &Path,
    cache: &Path,
    nocache: bool,
    all: &str,
) -> Result<(Duration, u64), String> {
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let rss = work.path().join("rss");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| e.to_string())?;
    let mut cmd = CommandBuilder::new("/usr/bin/time");
    cmd.args(["-v", "-o"]);
    cmd.arg(&rss);
    // A profiler to run the reader under (`heaptrack -o FILE`, say).
    if let Ok(wrap) = std::env::var("LOAD_TIME_WRAP") {
        cmd.args(wrap.split_whitespace());
    }
    cmd.arg(bin());
    if nocache {
        cmd.arg("--no-cache");
    }
    cmd.arg("--config");
    cmd.arg(here().join("config.toml"));
    cmd.arg("--state");
    cmd.arg(work.path().join("state.toml"));
    cmd.arg(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CACHE_HOME", cache);
    let seen = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
    let mut reader = pair.master.try_clone_reader().map_err(|e| e.to_string())?;
    let mut writer = pair.master.take_writer().map_err(|e| e.to_string())?;
    {
        let seen = Arc::clone(&seen);
        let mut s = seen.0.lock().unwrap_or_else(|p| p.into_inner());
        s.parser = Some(vt100::Parser::new(ROWS, COLS, 0));
        drop(s);
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, wake) = &*seen;
                let mut s = lock.lock().unwrap_or_else(|p| p.into_inner());
                if n == 0 {
                    s.quit = true;
                    wake.notify_all();
                    break;
                }
                if let Some(p) = s.parser.as_mut() {
                    p.process(&buf[..n]);
                }
                wake.notify_all();
            }
        });
    }
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
    drop(pair.slave);
    let wanted = format!("{all} of {all} articles");
    let (lock, wake) = &*seen;
    let mut s = lock.lock().unwrap_or_else(|p| p.into_inner());
    let took = loop {
        let row = s
            .parser
            .as_ref()
            .and_then(|p| p.screen().rows(0, COLS).nth(usize::from(ROWS) - 1))
            .unwrap_or_default();
        if row.contains(&wanted) && !row.contains("loading") {
            break started.elapsed();
        }
        if s.quit {
            return Err("the reader quit before it was loaded".into());
        }
        if started.elapsed() > Duration::from_secs(900) {
            return Err(format!("gave up waiting; last row: {row}"));
        }
        s = wake
            .wait_timeout(s, Duration::from_millis(500))
            .map(|(g, _)| g)
            .unwrap_or_else(|p| p.into_inner().0);
    };
    drop(s);
    // With a cache, the snapshot is written after the load: wait for it so
    // that the next start reads it.
    if !nocache {
        let folder = cache.join("newsdesk");
        for _ in 0..6000 {
            let written = std::fs::read_dir(&folder).is_ok_and(|mut d| {
                d.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".snap")))
            });
            if written {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    use std::io::Write;
    writer.write_all(b"q").map_err(|e| e.to_string())?;
    writer.flush().map_err(|e| e.to_string())?;
    child.wait().map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&rss).unwrap_or_default();
    let kib = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    Ok((took, kib))
}

/// Every file under `dir`, read once on this thread: the floor.
fn read_floor(dir: &Path) -> Duration {
    fn walk(dir: &Path, bytes: &mut u64) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&path, bytes),
                Ok(t) if t.is_file() => {
                    *bytes += std::fs::read(&path).map_or(0, |b| b.len() as u64);
                }
                _ => {}
            }
        }
    }
    let t0 = Instant::now();
    let mut bytes = 0;
    walk(dir, &mut bytes);
    std::hint::black_box(bytes);
    t0.elapsed()
}

fn time_check(dir: &Path) -> Result<Duration, String> {
    let t0 = Instant::now();
    Command::new(bin())
        .arg("check")
        .arg(dir)
        .arg("--config")
        .arg(here().join("config.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    Ok(t0.elapsed())
}

fn median(samples: &[Duration]) -> f64 {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let n = ms.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        ms[n / 2]
    } else {
        (ms[n / 2 - 1] + ms[n / 2]) / 2.0
    }
}

fn list(samples: &[Duration]) -> String {
    let ms: Vec<String> = samples.iter().map(|d| d.as_millis().to_string()).collect();
    ms.join(" ")
}

fn run(dir: &Path, runs: usize, second: bool, cache: Option<PathBuf>) -> Result<(), String> {
    if !bin().exists() {
        return Err("no target/release/newsdesk: run `cargo build --release` first".into());
    }
    let listed = Command::new(bin())
        .arg("list")
        .arg(dir)
        .arg("--json")
        .arg("--config")
        .arg(here().join("config.toml"))
        .stderr(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let count = listed.stdout.iter().filter(|&&b| b == b'\n').count();
    // As the status bar writes it: 18,398.
    let all = newsdesk::format::thousands(count);
    let caches = tempfile::tempdir().map_err(|e| e.to_string())?;
    let kept = cache.unwrap_or_else(|| caches.path().join("kept"));
    // Only the reader's starts (to profile one): no first start, floor or check.
    let only_reader = std::env::var_os("LOAD_TIME_READER_ONLY").is_some();
    if second && !only_reader {
        let (took, kib) = start_reader(dir, &kept, false, &all)?;
        println!(
            "first start (every file read, the snapshot written): {} ms, peak memory {} MiB",
            took.as_millis(),
            kib / 1024
        );
    }
    let (mut floor, mut check, mut reader, mut rss) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs {
        if !only_reader {
            floor.push(read_floor(dir));
            check.push(time_check(dir)?);
        }
        let cache = if second {
            kept.clone()
        } else {
            caches.path().join(format!("run-{i}"))
        };
        let (took, kib) = start_reader(dir, &cache, !second, &all)?;
        reader.push(took);
        rss.push(kib);
    }
    rss.sort_unstable();
    let (f, c, r) = (median(&floor), median(&check), median(&reader));
    let mode = if second { "second" } else { "nocache" };
    println!(
        "folder: {} ({count} articles), {runs} runs, mode {mode}, medians",
        dir.display()
    );
    println!(
        "read floor (one thread):      {f:.0} ms   [{}]",
        list(&floor)
    );
    println!(
        "newsdesk check:               {c:.0} ms   [{}]",
        list(&check)
    );
    println!(
        "reader, every article listed: {r:.0} ms   [{}]",
        list(&reader)
    );
    println!(
        "reader peak memory (max RSS): {} MiB   {:?} KiB",
        rss.get(rss.len() / 2).copied().unwrap_or(0) / 1024,
        rss
    );
    println!(
        "reader / check = {:.2}   reader / floor = {:.2}",
        r / c.max(1e-9),
        r / f.max(1e-9)
    );
    Ok(())
}
