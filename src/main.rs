//! The `newsdesk` binary: parse the command line, load config, run.

use clap::Parser;
use newsdesk::cli::{self, Cli};
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;

fn main() {
    newsdesk::trace::point("main");
    let args = Cli::parse();
    let config = match Config::load(args.config.as_deref())
        .and_then(|c| Keymap::from_config(&c).map(|_| c))
    {
        Ok(config) => config,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            std::process::exit(cli::EXIT_UNUSABLE);
        }
    };
    let code = match args.command {
        Some(command) => cli::run_command(command.with_state(args.state), &config),
        None => {
            if let Some(Err(e)) = args.query.as_deref().map(newsdesk::query::Query::parse) {
                let text = args.query.as_deref().unwrap_or_default();
                eprintln!("newsdesk: {}", e.report(text));
                std::process::exit(cli::EXIT_UNUSABLE);
            }
            newsdesk::tui::run(
                cli::articles_folder(args.path, &config),
                args.regions,
                args.query.unwrap_or_default(),
                args.state,
                args.no_cache,
                &config,
            )
        }
    };
    std::process::exit(code);
}
