//! The command line: arguments (clap) and the non-interactive commands
//! `check`, `list`, `regions`, `show`, `import`, `state` and `config`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::app::{Archive, Filter};
use crate::article::Article;
use crate::config::{Config, DEFAULT_CONFIG};
use crate::format::plural;
#[cfg(feature = "import")]
use crate::import::{self, FeedReport, Progress};
use crate::library::{self, LoadOptions, Severity};
use crate::page::{Page, display_width, pad, truncate};
use crate::regions::{Selector, TagIndex};
use crate::sort::SortOrder;
use crate::state;
use crate::timeline::Granularity;

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
    /// Print the places (World, continents, subregions, countries, other
    /// tags) with their article counts; with `geography = false`, every tag
    /// and group.
    Regions {
        /// The articles folder.
        path: Option<PathBuf>,
        /// JSON: the tree nested, each node with "name", "node", "code"
        /// (ISO code or region code), "count", "tags" and "children"; with
        /// `geography = false`, JSON Lines {"tag", "count"} (plus "members").
        #[arg(long)]
        json: bool,
    },
    /// Print how many articles there are per day, month or year.
    Timeline(TimelineArgs),
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
    /// Read, write and merge the state file (read and starred marks, reading
    /// positions): export, import, merge copies, mark articles.
    State(StateArgs),
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
    /// Only articles of the saved view NAME (`[[views]]` in config.toml);
    /// with --query, both must match.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// JSON Lines, one object per article.
    #[arg(long)]
    pub json: bool,
    /// The order: newest, oldest, title, author, path (numbers in numeric
    /// order), relevance (to the query's words). Default: `[list] sort` in config.
    #[arg(long, value_name = "ORDER", value_parser = parse_sort)]
    pub sort: Option<SortOrder>,
}

/// A sort order by its name, for `--sort`.
fn parse_sort(name: &str) -> Result<SortOrder, String> {
    SortOrder::ALL
        .into_iter()
        .find(|o| o.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = SortOrder::ALL.iter().map(|o| o.name()).collect();
            format!("unknown order \"{name}\": give one of {}", names.join(", "))
        })
}

/// Arguments of `newsdesk timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The articles folder.
    pub path: Option<PathBuf>,
    /// Bucket size (default: chosen by the span: days up to three months,
    /// months up to six years, else years).
    #[arg(long, value_name = "UNIT", value_parser = ["day", "month", "year"])]
    pub by: Option<String>,
    /// Only articles with this location tag, group or place (repeatable; any of them).
    #[arg(long = "region", value_name = "TAG")]
    pub regions: Vec<String>,
    /// Only articles matching QUERY (the query language, as `list --query`).
    #[arg(long = "query", alias = "search", value_name = "QUERY")]
    pub search: Option<String>,
    /// Only articles of the saved view NAME (as `list --view`).
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// JSON: {"granularity", "buckets": [{"label", "count"}], "undated"}.
    #[arg(long)]
    pub json: bool,
}

pub use crate::exit::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
/// Arguments of `newsdesk state`.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// State file (else $NEWSDESK_STATE, $XDG_STATE_HOME/newsdesk/state.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// What to do with it.
    #[command(subcommand)]
    pub action: StateAction,
}

/// The `newsdesk state` commands.
#[derive(Debug, Subcommand)]
pub enum StateAction {
    /// Print every article's marks, one line each: `+read@TIME +starred@TIME -- KEY`.
    Export {
        /// Write here instead of standard output (replaced atomically).
        file: Option<PathBuf>,
    },
    /// Merge an export into the state file (the later change of each mark wins).
    Import {
        /// An export (from `newsdesk state export`).
        file: PathBuf,
    },
    /// Merge copies of the state file (sync conflicts, the other side of a git
    /// merge) into the state file (the later change of each mark wins).
    Merge {
        /// State files to merge in.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Mark articles (by key: source URL, else path) read, unread, starred or not.
    Mark {
        /// Mark read.
        #[arg(long, conflicts_with = "unread")]
        read: bool,
        /// Mark unread.
        #[arg(long)]
        unread: bool,
        /// Star.
        #[arg(long, conflicts_with = "unstar")]
        star: bool,
        /// Remove the star.
        #[arg(long)]
        unstar: bool,
        /// The articles' keys.
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<String>,
    },
}

impl Command {
    /// Hands `--state` given before the command (`newsdesk --state F state ...`)
    /// to `state`, unless it names its own.
    pub fn with_state(self, state: Option<PathBuf>) -> Command {
        match self {
            Command::State(mut args) => {
                args.state = args.state.or(state);
                Command::State(args)
            }
            other => other,
        }
    }
}

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
        Command::Timeline(args) => timeline(args, config),
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
        Command::State(args) => Ok(state_command(args)),
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
        "{}, {}, {}",
        plural(lib.articles.len(), "article", "articles"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
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

/// The query of saved view `name` (`--view`), parenthesised so that it ANDs
/// with `--query` whatever its ORs; an unknown name is reported with the
/// views there are, and the exit code is returned.
fn view_query(name: Option<&str>, config: &Config) -> Result<Option<String>, i32> {
    let Some(name) = name else {
        return Ok(None);
    };
    match crate::views::find(&config.views, name) {
        Some(view) if view.query.trim().is_empty() => Ok(None),
        Some(view) => Ok(Some(format!("({})", view.query))),
        None => {
            let names: Vec<&str> = config.views.iter().map(|v| v.name.as_str()).collect();
            let known = if names.is_empty() {
                "there are none: add [[views]] tables to your config.toml (see `newsdesk config --print-default`)".to_owned()
            } else {
                format!("the views are: {}", names.join(", "))
            };
            eprintln!("newsdesk: no saved view is called \"{name}\"; {known}");
            Err(EXIT_UNUSABLE)
        }
    }
}

/// Queries ANDed: those given, joined by spaces.
fn join_queries(parts: impl IntoIterator<Item = Option<String>>) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// What `list` and `timeline` share: the folder loaded into an archive and
/// the filter they ask for run over it (`--region`, queries, a view). `Err` is
/// the exit status, after the reason was printed.
fn load_filtered(
    path: Option<PathBuf>,
    regions: &[String],
    queries: Vec<Option<String>>,
    view: Option<&str>,
    config: &Config,
) -> Result<(Archive, Filter, Vec<usize>), i32> {
    let lib = load_or_report(&articles_folder(path, config), config)?;
    let mut archive = Archive::from_loaded(lib.root, &config.regions, lib.articles, lib.problems);
    let selectors = resolve_regions(archive.index(), regions);
    if selectors.is_empty() && !regions.is_empty() {
        return Err(EXIT_OK);
    }
    let view = view_query(view, config)?;
    let filter = Filter {
        regions: selectors,
        search: join_queries(queries.into_iter().chain([view])),
        ..Filter::default()
    };
    match filter.run(&mut archive, crate::query::eval::today()) {
        Ok(filtered) => Ok((archive, filter, filtered.visible)),
        Err(e) => {
            eprintln!("newsdesk: {}", e.report(&filter.search));
            Err(EXIT_UNUSABLE)
        }
    }
}

fn list(args: ListArgs, config: &Config) -> io::Result<i32> {
    let queries = vec![args.search, args.query];
    let (mut archive, filter, mut matching) = match load_filtered(
        args.path,
        &args.regions,
        queries,
        args.view.as_deref(),
        config,
    ) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let today = crate::query::eval::today();
    let order = args.sort.unwrap_or(config.list.sort);
    filter.sort(&mut archive, &mut matching, order, today);
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
    let mut out = io::BufWriter::new(io::stdout().lock());
    if config.regions.geography {
        let archive = Archive::from_loaded(lib.root, &config.regions, lib.articles, lib.problems);
        if let Some(tree) = archive.tree() {
            if json {
                serde_json::to_writer(&mut out, &tree.to_json())?;
                writeln!(out)?;
            } else {
                write!(out, "{}", tree_text(tree))?;
            }
        } else if json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"name": "World", "node": {"kind": "world"}, "code": null, "count": 0, "tags": [], "children": []})
            )?;
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let index = TagIndex::build(&lib.articles, &config.regions);
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

/// The place tree as `newsdesk regions` prints it: the count in a column,
/// then the name, two columns in per level.
pub fn tree_text(tree: &crate::geo_tree::GeoNode) -> String {
    let mut out = String::new();
    tree.walk(&mut |n, depth| {
        out.push_str(&format!(
            "{:>7}  {}{}\n",
            n.count(),
            "  ".repeat(depth),
            n.name
        ));
    });
    out
}

fn timeline(args: TimelineArgs, config: &Config) -> io::Result<i32> {
    let (archive, _, visible) = match load_filtered(
        args.path,
        &args.regions,
        vec![args.search],
        args.view.as_deref(),
        config,
    ) {
        Ok(found) => found,
        Err(code) => return Ok(code),
    };
    let by = match args.by.as_deref() {
        Some("day") => Some(Granularity::Day),
        Some("month") => Some(Granularity::Month),
        Some("year") => Some(Granularity::Year),
        _ => None,
    };
    let counts = crate::timeline::timeline(visible.iter().map(|&i| archive.article(i).date), by);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &counts)?;
        writeln!(out)?;
    } else {
        let max = counts
            .buckets
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(0)
            .max(1);
        let width = counts
            .buckets
            .iter()
            .map(|b| b.count.to_string().len())
            .max()
            .unwrap_or(1);
        for b in &counts.buckets {
            // Bars to 50 columns at most; any count above zero shows.
            let bar = (b.count * 50).div_ceil(max);
            writeln!(out, "{}  {:>width$}  {}", b.label, b.count, "█".repeat(bar))?;
        }
        if counts.undated > 0 {
            writeln!(out, "undated  {}", counts.undated)?;
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
/// `newsdesk state ...`: every write goes through [`state::update`], the
/// reader's own save path (lock, read again, merge, replace).
fn state_command(args: StateArgs) -> i32 {
    let Some(path) = state::locate(args.state.as_deref(), &|k| std::env::var(k).ok()) else {
        eprintln!(
            "newsdesk state: no state file: pass --state FILE or set $NEWSDESK_STATE or $HOME"
        );
        return EXIT_UNUSABLE;
    };
    let saved = match args.action {
        StateAction::Export { file } => return state_export(&path, file.as_deref()),
        StateAction::Import { file } => {
            let copy = fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))
                .and_then(|text| state::import_text(&text, &file).map_err(|e| e.to_string()));
            match copy {
                Ok(copy) => state::merge_into(&path, &[copy]),
                Err(e) => {
                    eprintln!("newsdesk state import: {e}");
                    return EXIT_UNUSABLE;
                }
            }
        }
        StateAction::Merge { files } => {
            let mut copies = Vec::new();
            for file in &files {
                match state::read(file) {
                    Ok(copy) => copies.push(copy),
                    Err(e) => {
                        eprintln!("newsdesk state merge: {e}");
                        return EXIT_UNUSABLE;
                    }
                }
            }
            state::merge_into(&path, &copies)
        }
        StateAction::Mark {
            read,
            unread,
            star,
            unstar,
            keys,
        } => {
            let mut marks = Vec::new();
            if read || unread {
                marks.push(state::Mark::Read(read));
            }
            if star || unstar {
                marks.push(state::Mark::Starred(star));
            }
            if marks.is_empty() {
                eprintln!(
                    "newsdesk state mark: say what to mark: --read, --unread, --star or --unstar"
                );
                return EXIT_UNUSABLE;
            }
            let at = state::now();
            let changes: Vec<state::Change> = keys
                .iter()
                .flat_map(|key| {
                    marks.iter().map(move |&mark| state::Change {
                        key: key.clone(),
                        mark,
                        at,
                    })
                })
                .collect();
            state::save(&path, &changes)
        }
    };
    match saved {
        Ok(saved) => {
            if let Some(w) = saved.warning {
                eprintln!("newsdesk: {w}");
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("newsdesk: {e}");
            EXIT_PROBLEMS
        }
    }
}

fn state_export(path: &Path, file: Option<&Path>) -> i32 {
    // A missing state file exports as empty; one that does not parse is an
    // error here (export only reads: it moves nothing aside).
    let current = match state::read(path) {
        Ok(s) => s,
        Err(state::LoadError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            state::State::default()
        }
        Err(e) => {
            eprintln!("newsdesk state export: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let text = state::export_text(&current);
    let written = match file {
        Some(file) => write_whole(file, text.as_bytes()),
        None => io::stdout().lock().write_all(text.as_bytes()),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let name = file.map_or("standard output".into(), |f| f.display().to_string());
            eprintln!("newsdesk state export: cannot write {name}: {e}");
            EXIT_PROBLEMS
        }
    }
}

/// Writes a file whole or not at all (temporary file beside it, then rename).
fn write_whole(file: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}
