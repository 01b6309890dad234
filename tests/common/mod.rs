//! Running the built binary from tests: the project's folder as the working
//! folder, no config but the one a test names, no proxy between it and the
//! test's own servers on 127.0.0.1.
#![allow(dead_code)] // each test crate uses its own share of these

use std::path::PathBuf;
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn newsdesk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .current_dir(root())
        .env_remove("NEWSDESK_CONFIG")
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env(
            "XDG_CONFIG_HOME",
            root().join("tests/fixtures/no-such-config-home"),
        )
        .output()
        .expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard output then standard error, for failure messages.
pub fn both(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}
