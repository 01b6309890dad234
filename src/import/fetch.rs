//! Getting a feed's bytes: from a file, or over HTTP(S) with a time limit.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The largest feed read, in bytes.
pub const MAX_FEED_BYTES: u64 = 32 * 1024 * 1024;

/// Whether a source is a web address (else a file path).
pub fn is_url(location: &str) -> bool {
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Reads a feed from `location` (a path, or an http(s) address), giving up
/// after `timeout` for an address. The error says what went wrong and what to do.
pub fn fetch(location: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    if is_url(location) {
        fetch_url(location, timeout)
    } else {
        let path = location.strip_prefix("file://").unwrap_or(location);
        read_file(Path::new(path))
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            "no such file; check the path (or give an http:// or https:// address)".to_owned()
        }
        _ => format!("cannot be read ({e}); check its permissions"),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FEED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if bytes.len() as u64 > MAX_FEED_BYTES {
        return Err(format!(
            "larger than {} MiB; not read",
            MAX_FEED_BYTES / 1024 / 1024
        ));
    }
    Ok(bytes)
}

fn fetch_url(url: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .user_agent(concat!("newsdesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| explain(e, timeout))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_FEED_BYTES)
        .read_to_vec()
        .map_err(|e| explain(e, timeout))
}

/// A network error in words a person can act on.
fn explain(error: ureq::Error, timeout: Duration) -> String {
    match error {
        ureq::Error::Timeout(_) => format!(
            "no answer within {} s (timed out); try again later, or raise [import] timeout in config.toml",
            timeout.as_secs_f32()
        ),
        ureq::Error::StatusCode(code) => {
            format!("the server answered HTTP {code}; check the address")
        }
        ureq::Error::HostNotFound => {
            "host not found; check the address and the network connection".to_owned()
        }
        ureq::Error::ConnectionFailed => {
            "could not connect; check the address and the network connection".to_owned()
        }
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => format!(
            "no answer within {} s (timed out); try again later, or raise [import] timeout in config.toml",
            timeout.as_secs_f32()
        ),
        ureq::Error::Io(e) => format!("network error ({e}); check the network connection"),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("larger than {} MiB; not read", MAX_FEED_BYTES / 1024 / 1024)
        }
        other => format!("cannot be fetched ({other})"),
    }
}
