//! When a mark changed: [`Stamp`], the clock that makes one ([`now`]), and
//! how the file writes it (a TOML date-time).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// When a mark changed: milliseconds since 1970 (UTC). Zero means "some time
/// before marks had times" (files from older versions), older than any change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(pub i64);

/// The last moment a TOML date can name (9999-12-31T23:59:59.999Z): stamps are
/// kept inside it so every stamp can be written back.
const LAST_STAMP: i64 = 253_402_300_799_999;

impl Stamp {
    /// A stamp clamped to what the file can hold.
    pub fn from_millis(ms: i64) -> Stamp {
        Stamp(ms.clamp(0, LAST_STAMP))
    }

    /// RFC 3339 in UTC with milliseconds, as the file and the export write it.
    pub fn to_rfc3339(self) -> String {
        DateTime::from_timestamp_millis(self.0)
            .unwrap_or_default()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Reads an RFC 3339 time; one without an offset is taken as UTC, a bare
    /// date as its midnight.
    pub fn parse(text: &str) -> Option<Stamp> {
        let text = text.trim();
        let ms = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            t.timestamp_millis()
        } else if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
            t.and_utc().timestamp_millis()
        } else {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)?
                .and_utc()
                .timestamp_millis()
        };
        Some(Stamp::from_millis(ms))
    }
}

/// The time of a change made now. Strictly increasing within the process, so
/// two changes of one mark in the same millisecond keep their order.
pub fn now() -> Stamp {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let clock = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(LAST_STAMP));
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        let next = clock.max(last + 1).min(LAST_STAMP);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Stamp(next),
            Err(seen) => last = seen,
        }
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A TOML date-time (unquoted), so a person reads it as a time.
        match self.to_rfc3339().parse::<toml::value::Datetime>() {
            Ok(datetime) => datetime.serialize(serializer),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Stamp, D::Error> {
        let datetime = toml::value::Datetime::deserialize(deserializer)?;
        Stamp::parse(&datetime.to_string()).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{datetime} is not a time newsdesk can use; write it as 2025-01-31T12:00:00Z"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_never_repeats() {
        let a = now();
        let b = now();
        assert!(b > a);
    }
}
