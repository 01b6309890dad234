//! State files and exports: parsing never panics; whatever parses writes back
//! and reads again the same (TOML and the export), and merging is idempotent.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsdesk::state::{self, State};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = State::from_toml(text) {
        let written = parsed.to_toml().expect("a parsed state writes back");
        let again = State::from_toml(&written).expect("what we write parses");
        assert_eq!(again, parsed, "TOML round trip");
        let dump = state::export_text(&parsed);
        let imported = state::import_text(&dump, Path::new("fuzz")).expect("an export imports");
        assert_eq!(imported.articles, parsed.articles, "export round trip");
        let mut merged = parsed.clone();
        merged.merge(&parsed);
        assert_eq!(merged, parsed, "merging a copy changes nothing");
    }
    if let Ok(imported) = state::import_text(text, Path::new("fuzz")) {
        let dump = state::export_text(&imported);
        let again = state::import_text(&dump, Path::new("fuzz")).expect("an export imports");
        assert_eq!(again, imported, "import, export, import");
    }
});
