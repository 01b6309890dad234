//! Key names: any string through the key-name parser, and as a binding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::keymap::Key;

fuzz_target!(|data: &[u8]| {
    if let Ok(name) = std::str::from_utf8(data) {
        if let Ok(key) = Key::parse(name) {
            let _ = key.label();
        }
        let text = format!("[keys.list]\n{:?} = {:?}\n", name, name);
        if let Ok(config) =
            newsdesk::config::Config::from_text(&text, Some(std::path::Path::new("f.toml")))
        {
            let _ = newsdesk::keymap::Keymap::from_config(&config);
        }
    }
});
