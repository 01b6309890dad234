//! Placeholder
use std::path::PathBuf;
/// run
pub fn run(_p: PathBuf, _r: Vec<String>, _c: &crate::config::Config) -> i32 {
    eprintln!("not yet");
    1
}
