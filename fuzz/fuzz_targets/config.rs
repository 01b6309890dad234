//! Config files: any text merged over the defaults, then the keymap built from it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(config) = Config::from_text(text, Some(std::path::Path::new("fuzz.toml")))
    {
        let _ = Keymap::from_config(&config);
    }
});
