//! The command line: arguments (clap) and the non-interactive commands
//! `check`, `list`, `regions`, `show`, `import`, `state` and `config`.
//!
//! One module per command ([`check`], [`list`], [`regions`], [`timeline`],
//! [`show`], `import`, [`config`], [`index`] with `cache`, [`state`]); the
//! arguments are in [`args`] and re-exported here; what several commands
//! share (the folder, loading, the filter they ask for) is below.

use std::io;
use std::path::{Path, PathBuf};

use crate::app::{Archive, Filter};
use crate::config::Config;
use crate::library::{self, LoadOptions};
use crate::regions::{Selector, TagIndex};

pub mod args;
pub mod check;
pub mod config;
#[cfg(feature = "import")]
pub mod import;
pub mod index;
pub mod list;
pub mod regions;
pub mod show;
pub mod state;
pub mod timeline;

pub use crate::exit::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
pub use args::{Cli, Command, ListArgs, StateAction, StateArgs, TimelineArgs};
#[cfg(feature = "import")]
pub use import::feed_line;
pub use list::ArticleJson;
pub use regions::tree_text;
pub use show::resolve_show_path;

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
        Command::Check { path } => check::check(&articles_folder(path, config), config),
        Command::List(args) => list::list(args, config),
        Command::Regions {
            path,
            json,
            query,
            view,
        } => regions::regions(path, json, [query, view], config),
        Command::Timeline(args) => timeline::timeline(args, config),
        Command::Show { file, width, json } => show::show(&file, width, json, config),
        #[cfg(feature = "import")]
        Command::Import { sources, into } => Ok(import::import(sources, into, config)),
        Command::Cache {
            archive,
            show_path,
            clear,
        } => index::cache_command(&articles_folder(archive, config), show_path, clear),
        Command::Index { archive, rebuild } => {
            index::index_command(&articles_folder(archive, config), rebuild, config)
        }
        Command::Config {
            print_default,
            path,
            check,
        } => config::config_command(print_default, path, check, config),
        Command::State(args) => Ok(state::state_command(args)),
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
