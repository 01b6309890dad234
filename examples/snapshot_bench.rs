//! Measures the archive snapshot on a big archive (see BENCHMARKS.md):
//!
//! ```text
//! cargo run --release --example snapshot_bench -- build DIR FILE   # load DIR, write FILE
//! cargo run --release --example snapshot_bench -- load DIR FILE    # read FILE back (5 runs)
//! cargo run --release --example snapshot_bench -- check DIR FILE   # what changed in DIR since
//! ```
//!
//! Run each under `/usr/bin/time -v` for CPU time and peak memory.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use newsdesk::library::{self, LoadOptions};
use newsdesk::snapshot::{self, Snapshot};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, dir, file] = args.as_slice() else {
        eprintln!("usage: snapshot_bench build|load|check DIR FILE");
        return ExitCode::from(2);
    };
    let (dir, file) = (PathBuf::from(dir), PathBuf::from(file));
    let result = match mode.as_str() {
        "build" => build(&dir, &file),
        "load" => load(&dir, &file),
        "check" => check(&dir, &file),
        other => Err(format!("unknown mode {other}; use build, load or check")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("snapshot_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build(dir: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    let started = SystemTime::now();
    let t = Instant::now();
    let lib = library::load(dir, &LoadOptions::default()).map_err(|e| e.to_string())?;
    println!("load: {} articles in {:?}", lib.articles.len(), t.elapsed());
    let t = Instant::now();
    let snap =
        Snapshot::build(dir, &lib.articles, &lib.problems, started).map_err(|e| e.to_string())?;
    println!(
        "build: {} files, {} folders in {:?}",
        snap.files.len(),
        snap.folders.len(),
        t.elapsed()
    );
    let t = Instant::now();
    snap.save(file).map_err(|e| e.to_string())?;
    let size = std::fs::metadata(file).map_or(0, |m| m.len());
    println!("save: {size} bytes in {:?}", t.elapsed());
    Ok(())
}

fn load(dir: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    let mut times = Vec::new();
    let t = Instant::now();
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let read = t.elapsed();
    let t = Instant::now();
    let crc = crc32fast::hash(&bytes);
    println!(
        "read {} bytes: {read:?}; CRC-32 of it: {:?} ({crc:x})",
        bytes.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let snap = Snapshot::decode(&bytes, file).map_err(|e| e.to_string())?;
    println!("decode alone (read, CRC and all): {:?}", t.elapsed());
    let t = Instant::now();
    drop(snap);
    println!("dropping it: {:?}", t.elapsed());
    for _ in 0..5 {
        let t = Instant::now();
        let snap = Snapshot::load(file, dir).map_err(|e| e.to_string())?;
        let read = t.elapsed();
        let (articles, problems) = snap.library();
        times.push((read, t.elapsed()));
        println!(
            "load: {} files in {read:?}; as articles, sorted: {} articles, {} problems at {:?}",
            snap.files.len(),
            articles.len(),
            problems.len(),
            t.elapsed()
        );
    }
    times.sort();
    println!("median: {:?}", times[times.len() / 2]);
    Ok(())
}

fn check(dir: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    let snap = Snapshot::load(file, dir).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let changed = snapshot::check(dir, &snap);
    println!(
        "check: {} paths changed in {:?}",
        changed.len(),
        t.elapsed()
    );
    for path in changed.iter().take(10) {
        println!("  {}", path.display());
    }
    Ok(())
}
