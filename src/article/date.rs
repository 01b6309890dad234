//! Dates as articles write them: ISO, `5 November 2023`, `Sep 9, 2024`.

use std::fmt;

/// A calendar date, as articles carry it (no time, no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2003.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub(super) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(super) fn month_number(name: &str) -> Option<u8> {
    let name = name.trim_end_matches('.').to_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&name) && (name.len() == 3 || *m == name || name == "sept"))
        .map(|i| i as u8 + 1)
}

impl Date {
    /// Builds a date when the day exists in that month.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days && (1..=9999).contains(&year)).then_some(Date { year, month, day })
    }

    /// Parses `2003-10-24`, `24 October 2003`, `Oct 24, 2003` or `October 24, 2003`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        if parts.len() == 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            return Date::new(
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            );
        }
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() != 3 {
            return None;
        }
        if let Some(month) = month_number(words[0]) {
            return Date::new(words[2].parse().ok()?, month, words[1].parse().ok()?);
        }
        let month = month_number(words[1])?;
        Date::new(words[2].parse().ok()?, month, words[0].parse().ok()?)
    }
}
