//! The one panic hook, for the reader and the commands alike. Some panics are
//! caught and reported in other words, so they must print nothing (and leave
//! the terminal as it is): a panic in a loader thread becomes a problem with
//! that file (an import's worker runs under the same name and ends as "the
//! import stopped unexpectedly"), a panic inside the HTML library leaves
//! the item its text without tags, and one inside feed-rs makes that feed
//! unreadable (`import::convert::parse_feed`). Every other panic first runs `restore`
//! (put the terminal back), then the hook that was there before (ratatui's
//! restores the screen and prints the panic; the default prints it).

use std::panic::PanicHookInfo;

use crate::library::LOADER_THREAD;

/// Installs the hook over the current one; `restore` runs before the previous
/// hook for every panic that is not caught elsewhere (see the module).
pub fn install_hook(restore: impl Fn() + Send + Sync + 'static) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if caught_elsewhere(info, std::thread::current().name()) {
            return;
        }
        restore();
        previous(info);
    }));
}

/// Whether this panic is caught and reported in other words (see the module).
fn caught_elsewhere(info: &PanicHookInfo<'_>, thread: Option<&str>) -> bool {
    thread == Some(LOADER_THREAD)
        || info
            .location()
            .is_some_and(|l| in_html_library(l.file()) || in_feed_library(l.file()))
}

/// Whether a source file belongs to the feed parser (feed-rs).
fn in_feed_library(file: &str) -> bool {
    file.contains("/feed-rs-") || file.starts_with("feed-rs-")
}

/// Whether a source file belongs to the HTML library (html2text, html5ever).
fn in_html_library(file: &str) -> bool {
    file.contains("html2text") || file.contains("html5ever")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_library_is_known_by_its_files() {
        assert!(in_html_library(
            "/home/u/.cargo/registry/src/x/html5ever-0.35.0/src/tree_builder/mod.rs"
        ));
        assert!(in_html_library("html2text-0.17.4/src/lib.rs"));
        assert!(!in_html_library("src/import/html.rs"));
        assert!(in_feed_library(
            "/root/.cargo/registry/src/x/feed-rs-3.0.0/src/parser/util/mod.rs"
        ));
        assert!(!in_feed_library("src/import/feed.rs"));
    }
}
