//! Writes a synthetic archive of news articles, for benchmarking the reader on
//! a large folder.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --count 100000 --out /tmp/corpus [--seed 1]
//! ```
//!
//! The articles follow `article-format.md`: about 90% plain exports (`.txt`) and
//! 10% markdown with TOML front matter (`.md`), spread over folders of 1000
//! files (`DIR/0000/000000.txt`, `DIR/0001/001000.md`, ...). Each article is
//! drawn from its own random stream (seed and index), so the same seed and
//! count always give byte-identical files, whatever the number of threads.
//!
//! Shapes mimic a real export: median size about 700 bytes with a long tail
//! (2% of articles 10-60 KB, 1% one-liners of about 200 bytes), optional
//! leading blank lines, files without a trailing newline, CRLF files, photo
//! captions set off by blank lines, 1-19 location tags with a skewed
//! popularity, and a little Cyrillic, CJK and emoji text.

use std::env;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use newsdesk_corpus as corpus;

const USAGE: &str =
    "usage: cargo run --release --example gen_corpus -- --count N --out DIR [--seed S]";

fn main() -> ExitCode {
    let options = match parse_args(env::args_os().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("gen_corpus: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen_corpus: {message}");
            ExitCode::from(2)
        }
    }
}

struct Options {
    count: u64,
    out: PathBuf,
    seed: u64,
}

/// The options, or `None` when help was asked for.
fn parse_args(args: impl Iterator<Item = OsString>) -> Result<Option<Options>, String> {
    let mut count = None;
    let mut out = None;
    let mut seed = 1;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            return Err(format!(
                "argument {arg:?} is not valid UTF-8; options are --count, --out and --seed"
            ));
        };
        // Both `--count 5` and `--count=5`.
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(OsString::from(value))),
            _ => (text, None),
        };
        if matches!(flag, "-h" | "--help") {
            return Ok(None);
        }
        if !matches!(flag, "--count" | "--out" | "--seed") {
            return Err(format!(
                "unknown argument \"{text}\"; options are --count N, --out DIR and --seed S"
            ));
        }
        let flag = flag.to_owned();
        let Some(value) = inline.or_else(|| args.next()) else {
            return Err(format!("{flag} needs a value; write it as {flag} VALUE"));
        };
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value)),
            "--count" => {
                let n = number(&flag, &value)?;
                if n == 0 {
                    return Err("--count is 0; ask for at least one article".to_owned());
                }
                count = Some(n);
            }
            _ => seed = number(&flag, &value)?,
        }
    }
    let Some(count) = count else {
        return Err(
            "missing --count; say how many articles to write, e.g. --count 1000".to_owned(),
        );
    };
    let Some(out) = out else {
        return Err(
            "missing --out; say which folder to write into, e.g. --out /tmp/corpus".to_owned(),
        );
    };
    Ok(Some(Options { count, out, seed }))
}

fn number(flag: &str, value: &OsString) -> Result<u64, String> {
    value
        .to_str()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            format!("{flag} {value:?} is not a whole number; write it in digits, e.g. {flag} 1000")
        })
}

fn run(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let bytes = corpus::write(&options.out, options.count, options.seed)?;
    println!(
        "gen_corpus: wrote {} files, {} bytes, into {} ({} folders, seed {}) in {} ms",
        options.count,
        bytes,
        options.out.display(),
        options.count.div_ceil(corpus::FILES_PER_FOLDER),
        options.seed,
        started.elapsed().as_millis()
    );
    Ok(())
}
