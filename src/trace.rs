//! Where a start's time goes, for whoever measures it: with
//! `NEWSDESK_TRACE=FILE`, each [`point`] appends a line to `FILE` with the
//! milliseconds since the process began tracing, the memory it holds then
//! (resident, MiB, from `/proc/self/statm`), the thread and what was
//! reached (`BENCHMARKS.md` reads a second start from the snapshot this
//! way). Without it, a point costs one check of a value made once.

use std::fs::File;
use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Trace {
    start: Instant,
    file: Mutex<File>,
}

fn trace() -> Option<&'static Trace> {
    static TRACE: OnceLock<Option<Trace>> = OnceLock::new();
    TRACE
        .get_or_init(|| {
            let path = std::env::var_os("NEWSDESK_TRACE")?;
            let file = File::options().create(true).append(true).open(path).ok()?;
            Some(Trace {
                start: Instant::now(),
                file: Mutex::new(file),
            })
        })
        .as_ref()
}

/// Notes that `what` was reached now (see the module's notes).
pub fn point(what: &str) {
    let Some(trace) = trace() else {
        return;
    };
    let ms = trace.start.elapsed().as_secs_f64() * 1e3;
    let thread = std::thread::current();
    let line = format!(
        "{ms:9.1} {:7.1} {} {what}\n",
        resident_mib(),
        thread.name().unwrap_or("-")
    );
    if let Ok(mut file) = trace.file.lock() {
        let _ = file.write_all(line.as_bytes());
    }
}

/// The process's resident memory in MiB (0 where `/proc` does not tell).
fn resident_mib() -> f64 {
    let pages = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<f64>().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}
