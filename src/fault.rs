//! Deliberate panics for the tests that prove the terminal is restored after a
//! panic anywhere. Only in debug builds, and only when `NEWSDESK_DEBUG_PANIC`
//! names the place (`render`, `update` or `parse`); release builds compile
//! this to nothing.

use std::sync::OnceLock;

/// Panics here when this is a debug build and `NEWSDESK_DEBUG_PANIC=point`.
pub fn maybe_panic(point: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    static CHOSEN: OnceLock<Option<String>> = OnceLock::new();
    let chosen = CHOSEN.get_or_init(|| std::env::var("NEWSDESK_DEBUG_PANIC").ok());
    if chosen.as_deref() == Some(point) {
        panic!("deliberate panic in {point} (NEWSDESK_DEBUG_PANIC)");
    }
}
