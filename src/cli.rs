//! The command line: arguments (clap) and the non-interactive commands
//! `check`, `list`, `regions`, `show` and `config`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::app::{Archive, Filter};
use crate::article::Article;
use crate::config::{Config, DEFAULT_CONFIG};
#[cfg(feature = "import")]
use crate::import::{self, FeedReport, Progress};
use crate::library::{self, LoadOptions, Severity};
use crate::page::{Page, display_width, pad, truncate};
use crate::regions::{Selector, TagIndex};

/// Read and sift a folder of news articles in the terminal.
#[derive(Debug, Parser)]
#[command(name = "newsdesk", version, about)]
pub struct Cli {
    /// Config file (else $NEWSDESK_CONFIG, ./config.toml, ~/.config/newsdesk/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The articles folder to open (default: `articles` from the config).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Open with these location tags or groups selected (repeatable).
    #[arg(long = "region", value_name = "TAG")]
    pub regions: Vec<String>,
    /// Open with this query typed (see `newsdesk list --help` for the language).
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// State file for read/starred marks (else $NEWSDESK_STATE, $XDG_STATE_HOME/newsdesk/state.toml).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Neither read nor write the archive's snapshot in the cache folder (read every file).
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// What to do; without one, the reader opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The non-interactive commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load every article and report each problem; exit 1 when there is any.
    Check {
        /// The articles folder.
        path: Option<PathBuf>,
    },
    /// Print the matching articles.
    List(ListArgs),
    /// Print every location tag (and group) with its article count.
    Regions {
        /// The articles folder.
        path: Option<PathBuf>,
        /// JSON Lines: {"tag", "count"} (plus "members" for a group).
        #[arg(long)]
        json: bool,
    },
    /// Print one article as a person reads it.
    Show {
        /// The article file.
        file: PathBuf,
        /// Wrap to this many columns (default: terminal width, at most 80).
        #[arg(long, value_name = "N")]
        width: Option<usize>,
        /// JSON: the list fields plus "body" and "warnings".
        #[arg(long)]
        json: bool,
    },
    #[cfg(feature = "import")]
    /// Import feeds (RSS 2.0, Atom, JSON Feed, or OPML lists of feeds) into the
    /// archive: one article file per item, in a folder per feed, each item once.
    Import {
        /// Feed files or http(s) addresses (default: every [[feeds]] of the config).
        #[arg(value_name = "SOURCE")]
        sources: Vec<String>,
        /// The archive folder to write into (default: `articles` from the config).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
    },
    /// Show or clear the archive snapshots in the cache folder
    /// ($XDG_CACHE_HOME/newsdesk, else ~/.cache/newsdesk).
    #[command(group = clap::ArgGroup::new("cache_action").required(true))]
    Cache {
        /// The articles folder (for --path).
        #[arg(value_name = "PATH")]
        archive: Option<PathBuf>,
        /// Print the snapshot file of the archive.
        #[arg(long = "path", group = "cache_action")]
        show_path: bool,
        /// Remove every archive snapshot (each is rebuilt at its next start).
        #[arg(long, group = "cache_action")]
        clear: bool,
    },
    /// Build or check the archive's full-text index in the cache folder
    /// (built by itself at the reader's first start; this does it now).
    Index {
        /// The articles folder.
        #[arg(value_name = "PATH")]
        archive: Option<PathBuf>,
        /// Build it afresh even when it is complete.
        #[arg(long)]
        rebuild: bool,
    },
    /// Show or check the configuration.
    Config {
        /// Print the default config (the shipped config.toml).
        #[arg(long)]
        print_default: bool,
        /// Print which config file is in use.
        #[arg(long)]
        path: bool,
        /// Check a config file (default: the one in use) and report mistakes.
        #[arg(long, value_name = "FILE", num_args = 0..=1)]
        check: Option<Option<PathBuf>>,
    },
}

/// Arguments of `newsdesk list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The articles folder.
    pub path: Option<PathBuf>,
    /// Only articles with this location tag or group (repeatable; any of them).
    #[arg(long = "region", value_name = "TAG")]
    pub regions: Vec<String>,
    /// Only articles matching QUERY (the query language: words, "phrases",
    /// -word, OR, ( ), title: author: tag: source: date: after: before: is: has:).
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// The same as --query (kept for scripts written before it).
    #[arg(long, value_name = "TEXT", hide = true)]
    pub search: Option<String>,
    /// JSON Lines, one object per article.
    #[arg(long)]
    pub json: bool,
}

pub use crate::exit::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};

/// The fields `list --json` prints for each article.
#[derive(Debug, Serialize)]
pub struct ArticleJson<'a> {
    path: String,
    title: &'a str,
    authors: &'a [String],
    date: Option<String>,
    locations: &'a [String],
    source_url: Option<&'a str>,
    standfirst: &'a str,
    words: usize,
}

impl<'a> ArticleJson<'a> {
    /// The list fields of an article.
    pub fn new(article: &'a Article) -> ArticleJson<'a> {
        ArticleJson {
            path: article.path.display().to_string(),
            title: &article.title,
            authors: &article.authors,
            date: article.date.map(|d| d.to_string()),
            locations: &article.locations,
            source_url: article.source_url.as_deref(),
            standfirst: &article.standfirst,
            words: article.word_count(),
        }
    }
}

#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    fields: ArticleJson<'a>,
    body: Vec<&'a str>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct RegionJson<'a> {
    tag: &'a str,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<String>>,
}

/// The articles folder: the argument, else the config's.
pub fn articles_folder(path: Option<PathBuf>, config: &Config) -> PathBuf {
    path.unwrap_or_else(|| config.articles.clone())
}

fn load_options(config: &Config) -> LoadOptions {
    LoadOptions {
        max_file_size: config.max_file_size,
    }
}

fn load_or_report(path: &Path, config: &Config) -> Result<library::Library, i32> {
    library::load(path, &load_options(config)).map_err(|e| {
        eprintln!("newsdesk: {e}");
        EXIT_UNUSABLE
    })
}

/// Runs a non-interactive command; returns the exit status.
pub fn run_command(command: Command, config: &Config) -> i32 {
    let result = match command {
        Command::Check { path } => check(&articles_folder(path, config), config),
        Command::List(args) => list(args, config),
        Command::Regions { path, json } => regions(&articles_folder(path, config), json, config),
        Command::Show { file, width, json } => show(&file, width, json, config),
        #[cfg(feature = "import")]
        Command::Import { sources, into } => Ok(import(sources, into, config)),
        Command::Cache {
            archive,
            show_path,
            clear,
        } => cache_command(&articles_folder(archive, config), show_path, clear),
        Command::Index { archive, rebuild } => {
            index_command(&articles_folder(archive, config), rebuild, config)
        }
        Command::Config {
            print_default,
            path,
            check,
        } => config_command(print_default, path, check, config),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("newsdesk: cannot write the output: {e}");
            EXIT_PROBLEMS
        }
    }
}

fn check(path: &Path, config: &Config) -> io::Result<i32> {
    let lib = match load_or_report(path, config) {
        Ok(lib) => lib,
        Err(code) => return Ok(code),
    };
    let mut out = io::stdout().lock();
    for p in &lib.problems {
        writeln!(out, "{p}")?;
    }
    let errors = lib
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = lib.problems.len() - errors;
    writeln!(
        out,
        "{} articles, {errors} errors, {warnings} warnings",
        lib.articles.len()
    )?;
    Ok(if lib.problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

/// Resolves `--region` names; unknown ones are reported on stderr.
pub fn resolve_regions(index: &TagIndex, names: &[String]) -> Vec<Selector> {
    let mut out = Vec::new();
    for name in names {
        match index.resolve(name) {
            Some(s) => out.push(s),
            None => eprintln!(
                "newsdesk: no article is tagged \"{name}\"; `newsdesk regions` lists the tags"
            ),
        }
    }
    out
}

fn list(args: ListArgs, config: &Config) -> io::Result<i32> {
    let lib = match load_or_report(&articles_folder(args.path, config), config) {
        Ok(lib) => lib,
        Err(code) => return Ok(code),
    };
    let mut archive = Archive::from_loaded(lib.root, &config.regions, lib.articles, lib.problems);
    let selectors = resolve_regions(archive.index(), &args.regions);
    if selectors.is_empty() && !args.regions.is_empty() {
        return Ok(EXIT_OK);
    }
    let search = [args.search, args.query]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let filter = Filter {
        regions: selectors,
        search,
        ..Filter::default()
    };
    let matching = match filter.run(&mut archive, crate::query::eval::today()) {
        Ok(filtered) => filtered.visible,
        Err(e) => {
            eprintln!("newsdesk: {}", e.report(&filter.search));
            return Ok(EXIT_UNUSABLE);
        }
    };
    let lib = archive;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        for &i in &matching {
            serde_json::to_writer(&mut out, &ArticleJson::new(lib.article(i)))?;
            writeln!(out)?;
        }
    } else {
        let rows: Vec<[String; 4]> = matching
            .iter()
            .map(|&i| {
                let a = lib.article(i);
                [
                    truncate(&a.title, 60),
                    a.date.map_or(String::new(), |d| d.to_string()),
                    truncate(&a.locations.join(", "), 30),
                    a.path.display().to_string(),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..3)
            .map(|c| rows.iter().map(|r| display_width(&r[c])).max().unwrap_or(0))
            .collect();
        for r in rows {
            for (c, w) in widths.iter().enumerate() {
                write!(out, "{}  ", pad(&r[c], *w))?;
            }
            writeln!(out, "{}", r[3])?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn regions(path: &Path, json: bool, config: &Config) -> io::Result<i32> {
    let lib = match load_or_report(path, config) {
        Ok(lib) => lib,
        Err(code) => return Ok(code),
    };
    let index = TagIndex::build(&lib.articles, &config.regions);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (selector, count) in index.top_level(config.regions.sort, None) {
        let name = index.name_of(&selector);
        let members = match &selector {
            Selector::Group(key) => Some(index.members(key, config.regions.sort, None)),
            _ => None,
        };
        if json {
            let row = RegionJson {
                tag: &name,
                count,
                members: members
                    .as_ref()
                    .map(|m| m.iter().map(|(s, _)| index.name_of(s)).collect()),
            };
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{count:>7}  {name}")?;
            for (member, n) in members.unwrap_or_default() {
                writeln!(out, "{n:>7}    {}", index.name_of(&member))?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn terminal_width() -> usize {
    ratatui::crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
}

/// The file `show` reads: `file` as given when it exists, else `file` inside
/// the articles folder (`list --json` prints paths relative to it); `None`
/// when neither exists.
pub fn resolve_show_path(file: &Path, articles: &Path) -> Option<PathBuf> {
    if file.exists() {
        return Some(file.to_path_buf());
    }
    let inside = articles.join(file);
    (file.is_relative() && inside.exists()).then_some(inside)
}

fn show(file: &Path, width: Option<usize>, json: bool, config: &Config) -> io::Result<i32> {
    let Some(resolved) = resolve_show_path(file, &config.articles) else {
        eprintln!(
            "newsdesk: no such file: {} (looked here and in the articles folder {}; newsdesk list shows the paths)",
            file.display(),
            config.articles.display()
        );
        return Ok(EXIT_UNUSABLE);
    };
    let file = resolved.as_path();
    if file.is_dir() {
        eprintln!(
            "newsdesk: {}: is a folder; give one article file (newsdesk list shows their paths)",
            file.display()
        );
        return Ok(EXIT_UNUSABLE);
    }
    let (article, problems) = library::load_file(file, &load_options(config));
    let Some(article) = article else {
        for p in &problems {
            eprintln!("{p}");
        }
        return Ok(EXIT_UNUSABLE);
    };
    let mut out = io::stdout().lock();
    if json {
        let body = article.body.iter().map(|b| b.text.as_str()).collect();
        let warnings = problems.iter().map(ToString::to_string).collect();
        serde_json::to_writer(
            &mut out,
            &ShowJson {
                fields: ArticleJson::new(&article),
                body,
                warnings,
            },
        )?;
        writeln!(out)?;
    } else {
        let width = width.unwrap_or_else(|| terminal_width().min(80)).max(1);
        write!(out, "{}", Page::build(&article, width).to_text())?;
        for p in &problems {
            eprintln!("{p}");
        }
    }
    Ok(EXIT_OK)
}

/// One line of import progress for a finished feed.
#[cfg(feature = "import")]
pub fn feed_line(feed: &FeedReport) -> String {
    match &feed.error {
        Some(error) => format!("{}: failed: {error}", feed.location),
        None => format!(
            "{}: {} new, {} already in the archive",
            feed.title,
            feed.written.len(),
            feed.already
        ),
    }
}

#[cfg(feature = "import")]
fn import(sources: Vec<String>, into: Option<PathBuf>, config: &Config) -> i32 {
    let sources = import::sources(sources, config);
    if sources.is_empty() {
        eprintln!("newsdesk import: {}", import::no_feeds_message(config));
        return EXIT_UNUSABLE;
    }
    let options = import::Options {
        into: articles_folder(into, config),
        timeout: config.import_timeout,
        today: import::today(),
        parallel: 4,
    };
    // The HTML library's panics are caught (the item keeps its text without
    // tags); they must not print a panic message over the progress.
    crate::panics::install_hook(|| {});
    let (mut done, mut total) = (0, 0);
    let mut out = io::stdout();
    // Progress lines as each feed finishes; a closed pipe only stops the printing.
    let result = import::import(sources, &options, &mut |progress| {
        let line = match progress {
            Progress::Fetching(n) => {
                total += n;
                format!("fetching {n} feed{}…", if *n == 1 { "" } else { "s" })
            }
            Progress::Listed { location, feeds } => {
                done += 1;
                format!("[{done}/{total}] {location}: lists {feeds} feeds")
            }
            Progress::Done(feed) => {
                done += 1;
                format!("[{done}/{total}] {}", feed_line(feed))
            }
        };
        let _ = writeln!(out, "{line}");
    });
    match result {
        Err(e) => {
            eprintln!("newsdesk import: {e}");
            EXIT_UNUSABLE
        }
        Ok(report) => {
            let failed = report.failed();
            let _ = writeln!(
                out,
                "imported {} new article{} into {} ({} already there){}",
                report.written(),
                if report.written() == 1 { "" } else { "s" },
                options.into.display(),
                report.already(),
                if failed == 0 {
                    String::new()
                } else {
                    format!("; {failed} of {} feeds failed", report.feeds.len())
                }
            );
            if failed == 0 { EXIT_OK } else { EXIT_PROBLEMS }
        }
    }
}

fn config_command(
    print_default: bool,
    path: bool,
    check: Option<Option<PathBuf>>,
    config: &Config,
) -> io::Result<i32> {
    let mut out = io::stdout().lock();
    if print_default {
        write!(out, "{DEFAULT_CONFIG}")?;
    }
    if path {
        match &config.source {
            Some(p) => writeln!(out, "{}", p.display())?,
            None => writeln!(out, "built-in defaults")?,
        }
    }
    let checking = check.is_some();
    if let Some(file) = check {
        let result = match file {
            Some(f) => Config::from_file(&f)
                .and_then(|c| crate::keymap::Keymap::from_config(&c))
                .map(|_| f.display().to_string()),
            None => Ok(config
                .source
                .as_ref()
                .map_or("built-in defaults".into(), |p| p.display().to_string())),
        };
        match result {
            Ok(name) => writeln!(out, "{name}: ok")?,
            Err(e) => {
                eprintln!("{e}");
                return Ok(EXIT_UNUSABLE);
            }
        }
    }
    if !print_default && !path && !checking {
        eprintln!("newsdesk config: say what to do: --print-default, --path or --check [FILE]");
        return Ok(EXIT_UNUSABLE);
    }
    Ok(EXIT_OK)
}

/// `newsdesk index [PATH] [--rebuild]`: opens the index (rebuilding a
/// corrupt one), builds it when asked or when it is not complete, and says
/// what it holds, with the build's time and size against the text.
fn index_command(archive: &Path, rebuild: bool, config: &Config) -> io::Result<i32> {
    use crate::index::{self, Opened, TextIndex};
    let mut out = io::stdout().lock();
    if let Err(e) = library::check_root(archive) {
        eprintln!("newsdesk index: {e}");
        return Ok(EXIT_UNUSABLE);
    }
    let opened = index::dir_for(archive).and_then(|dir| TextIndex::open(&dir));
    let (text_index, opened) = match opened {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("newsdesk index: {e}");
            return Ok(EXIT_UNUSABLE);
        }
    };
    if let Opened::NeedsBuild { notice: Some(n) } = &opened {
        eprintln!("newsdesk index: {n}");
    }
    if opened == Opened::Ready && !rebuild {
        writeln!(
            out,
            "{}: {} articles indexed",
            text_index.dir().display(),
            text_index.len()
        )?;
        return Ok(EXIT_OK);
    }
    let lib = match load_or_report(archive, config) {
        Ok(lib) => lib,
        Err(code) => return Ok(code),
    };
    let started = std::time::Instant::now();
    let total = lib.articles.len();
    let built = text_index.build(&lib.articles, |done| {
        eprint!("\rindexing {}%", done * 100 / total.max(1));
    });
    eprint!("\r");
    if let Err(e) = built {
        eprintln!("newsdesk index: {e}");
        return Ok(EXIT_PROBLEMS);
    }
    let seconds = started.elapsed().as_secs_f64();
    let text: usize = lib.articles.iter().map(article_text_bytes).sum();
    let size = text_index.size_on_disk().unwrap_or(0);
    writeln!(
        out,
        "{}: {} articles indexed in {seconds:.2} s; {:.1} MB on disk, {:.2} x the text ({:.1} MB)",
        text_index.dir().display(),
        text_index.len(),
        size as f64 / 1e6,
        size as f64 / text.max(1) as f64,
        text as f64 / 1e6,
    )?;
    Ok(EXIT_OK)
}

/// Bytes of an article's searchable text (title, authors, standfirst, body).
fn article_text_bytes(a: &Article) -> usize {
    a.title.len()
        + a.authors.iter().map(String::len).sum::<usize>()
        + a.standfirst.len()
        + a.body.iter().map(|b| b.text.len()).sum::<usize>()
}

/// `newsdesk cache --path | --clear`.
fn cache_command(archive: &Path, show_path: bool, clear: bool) -> io::Result<i32> {
    use crate::snapshot;
    let mut out = io::stdout().lock();
    if clear {
        return match snapshot::clear() {
            Ok(removed) => {
                let dir = snapshot::cache_dir().map(|d| d.display().to_string());
                writeln!(
                    out,
                    "removed {removed} snapshot file{} from {}",
                    if removed == 1 { "" } else { "s" },
                    dir.unwrap_or_default()
                )?;
                Ok(EXIT_OK)
            }
            Err(e) => {
                eprintln!("newsdesk cache: {e}");
                Ok(EXIT_PROBLEMS)
            }
        };
    }
    debug_assert!(show_path, "clap requires --path or --clear");
    if let Err(e) = library::check_root(archive) {
        eprintln!("newsdesk cache: {e}");
        return Ok(EXIT_UNUSABLE);
    }
    match snapshot::path_for(archive) {
        Ok(file) => {
            writeln!(out, "{}", file.display())?;
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!("newsdesk cache: {e}");
            Ok(EXIT_UNUSABLE)
        }
    }
}
