//! The command line's arguments (clap): [`Cli`], its [`Command`]s and their
//! argument structs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::sort::SortOrder;

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
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
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
        /// `geography = false`, JSON Lines {"tag", "count"} (plus "members",
        /// names, and "children", {"tag", "count"} each).
        #[arg(long)]
        json: bool,
        /// Count only the articles matching QUERY (the query language, as
        /// `list --query`); places with none of them are left out.
        #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
        query: Option<String>,
        /// Count only the articles of the saved view NAME (as `list --view`).
        #[arg(long, value_name = "NAME")]
        view: Option<String>,
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
        /// Remove every archive snapshot and search index (each is rebuilt at
        /// its archive's next start).
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
    #[arg(long, value_name = "QUERY", allow_hyphen_values = true)]
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
    #[arg(
        long = "query",
        alias = "search",
        value_name = "QUERY",
        allow_hyphen_values = true
    )]
    pub search: Option<String>,
    /// Only articles of the saved view NAME (as `list --view`).
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// JSON: {"granularity", "buckets": [{"label", "count"}], "undated"}.
    #[arg(long)]
    pub json: bool,
}

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
