//! Getting a feed's bytes: from a file, or over HTTP(S) with a time limit.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// The largest feed read, in bytes.
pub const MAX_FEED_BYTES: u64 = 32 * 1024 * 1024;

pub use crate::paths::is_url;

/// Why a feed's bytes could not be had, in words a person can act on. The
/// location is not repeated here: every report prints it before the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The file does not exist.
    #[error("no such file; check the path (or give an http:// or https:// address)")]
    NoSuchFile,
    /// The file exists but cannot be opened.
    #[error("cannot be read ({0}); check its permissions")]
    CannotOpen(String),
    /// Reading the file (or the answer) failed part way.
    #[error("cannot be read ({0})")]
    CannotRead(String),
    /// More than [`MAX_FEED_BYTES`].
    #[error("larger than {} MiB; not read", MAX_FEED_BYTES / 1024 / 1024)]
    TooLarge,
    /// No answer within the time limit.
    #[error(
        "no answer within {} s (timed out); try again later, or raise [import] timeout in config.toml",
        .0.as_secs_f32()
    )]
    TimedOut(Duration),
    /// The server answered with an error status.
    #[error("the server answered HTTP {0}; check the address")]
    Status(u16),
    /// The host name does not resolve.
    #[error("host not found; check the address and the network connection")]
    HostNotFound,
    /// No connection could be made.
    #[error("could not connect; check the address and the network connection")]
    ConnectionFailed,
    /// Another network failure.
    #[error("network error ({0}); check the network connection")]
    Network(String),
    /// Anything else the HTTP client refused.
    #[error("cannot be fetched ({0})")]
    Other(String),
}

/// Reads a feed from `location` (a path, or an http(s) address), giving up
/// after `timeout` for an address. The error says what went wrong and what to do.
pub fn fetch(location: &str, timeout: Duration) -> Result<Vec<u8>, FetchError> {
    if is_url(location) {
        fetch_url(location, timeout)
    } else {
        let path = location.strip_prefix("file://").unwrap_or(location);
        read_file(Path::new(path))
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, FetchError> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FetchError::NoSuchFile,
        _ => FetchError::CannotOpen(e.to_string()),
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FEED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FetchError::CannotRead(e.to_string()))?;
    if bytes.len() as u64 > MAX_FEED_BYTES {
        return Err(FetchError::TooLarge);
    }
    Ok(bytes)
}

fn fetch_url(url: &str, timeout: Duration) -> Result<Vec<u8>, FetchError> {
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

/// A network error as one of ours.
fn explain(error: ureq::Error, timeout: Duration) -> FetchError {
    match error {
        ureq::Error::Timeout(_) => FetchError::TimedOut(timeout),
        ureq::Error::StatusCode(code) => FetchError::Status(code),
        ureq::Error::HostNotFound => FetchError::HostNotFound,
        ureq::Error::ConnectionFailed => FetchError::ConnectionFailed,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            FetchError::TimedOut(timeout)
        }
        ureq::Error::Io(e) => FetchError::Network(e.to_string()),
        ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge,
        other => FetchError::Other(other.to_string()),
    }
}
