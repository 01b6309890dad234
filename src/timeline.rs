//! Articles over time: buckets per day, month or year (chosen by the span),
//! a range selected on them, and the `date:FROM..TO` query term it makes.
//! Pure functions of dates; `ui/timeline.rs` draws them.

use serde::{Deserialize, Serialize};

use crate::article::Date;

/// How long one bucket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// One bucket a day.
    Day,
    /// One bucket a month.
    Month,
    /// One bucket a year.
    Year,
}

impl Granularity {
    /// The granularity that gives a readable strip for dates from `first` to
    /// `last`: days up to three months, months up to six years, else years.
    pub fn for_span(first: Date, last: Date) -> Granularity {
        let months = (last.year - first.year) * 12 + i32::from(last.month) - i32::from(first.month);
        if months <= 2 {
            Granularity::Day
        } else if months <= 72 {
            Granularity::Month
        } else {
            Granularity::Year
        }
    }

    /// The first day of the bucket holding `date`.
    pub fn start_of(self, date: Date) -> Date {
        match self {
            Granularity::Day => date,
            Granularity::Month => Date { day: 1, ..date },
            Granularity::Year => Date {
                month: 1,
                day: 1,
                ..date
            },
        }
    }

    /// The first day of the bucket after the one starting at `start`.
    fn next(self, start: Date) -> Date {
        let Date { year, month, day } = start;
        match self {
            Granularity::Day => Date::new(year, month, day + 1)
                .or_else(|| Date::new(year, month + 1, 1))
                .unwrap_or(Date {
                    year: year + 1,
                    month: 1,
                    day: 1,
                }),
            Granularity::Month if month >= 12 => Date {
                year: year + 1,
                month: 1,
                day: 1,
            },
            Granularity::Month => Date {
                month: month + 1,
                day: 1,
                ..start
            },
            Granularity::Year => Date {
                year: year + 1,
                month: 1,
                day: 1,
            },
        }
    }

    /// How a bucket starting at `start` is written in a `date:` term and
    /// a label: `2003-10-24`, `2003-10` or `2003`.
    pub fn label(self, start: Date) -> String {
        match self {
            Granularity::Day => start.to_string(),
            Granularity::Month => format!("{:04}-{:02}", start.year, start.month),
            Granularity::Year => format!("{:04}", start.year),
        }
    }
}

/// One bar of the strip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// Its first day (the label says it in JSON).
    #[serde(skip)]
    pub start: Date,
    /// Its label: `2003-10-24`, `2003-10` or `2003`.
    pub label: String,
    /// Articles dated within it.
    pub count: usize,
}

/// Articles per bucket, with every bucket from the first date to the last
/// (empty ones too, so the strip is to scale).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// How long each bucket is.
    pub granularity: Granularity,
    /// The buckets, oldest first.
    pub buckets: Vec<Bucket>,
    /// Articles with no date (not in any bucket).
    pub undated: usize,
}

/// Counts articles per bucket. `by` forces a granularity; by default the
/// span chooses ([`Granularity::for_span`]). A forced day strip over many
/// years is capped at 100,000 buckets.
pub fn timeline(
    dates: impl IntoIterator<Item = Option<Date>>,
    by: Option<Granularity>,
) -> Timeline {
    let mut dated: Vec<Date> = Vec::new();
    let mut undated = 0;
    for d in dates {
        match d {
            Some(d) => dated.push(d),
            None => undated += 1,
        }
    }
    dated.sort_unstable();
    let (Some(&first), Some(&last)) = (dated.first(), dated.last()) else {
        return Timeline {
            granularity: by.unwrap_or(Granularity::Month),
            buckets: Vec::new(),
            undated,
        };
    };
    let granularity = by.unwrap_or_else(|| Granularity::for_span(first, last));
    let end = granularity.start_of(last);
    let mut buckets = Vec::new();
    let mut start = granularity.start_of(first);
    let mut dates = dated.iter().peekable();
    while start <= end && buckets.len() < 100_000 {
        let next = granularity.next(start);
        let mut count = 0;
        while dates.next_if(|d| **d < next).is_some() {
            count += 1;
        }
        buckets.push(Bucket {
            start,
            label: granularity.label(start),
            count,
        });
        start = next;
    }
    Timeline {
        granularity,
        buckets,
        undated,
    }
}

/// A cursor on the strip and, once marked, the other end of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RangeSelection {
    /// The bucket under the cursor.
    pub cursor: usize,
    /// Where the range was started, when one is being selected.
    pub anchor: Option<usize>,
}

impl RangeSelection {
    /// Moves the cursor by `delta` buckets, kept within `len`.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        let last = len.saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
    }

    /// Moves the cursor to bucket `to` (first or last, say), kept within `len`.
    pub fn move_to(&mut self, to: usize, len: usize) {
        self.cursor = to.min(len.saturating_sub(1));
    }

    /// Starts a range at the cursor, or when one is started, ends it (the
    /// range stays until [`clear`](RangeSelection::clear)).
    pub fn mark(&mut self) {
        if self.anchor.is_none() {
            self.anchor = Some(self.cursor);
        }
    }

    /// Forgets the range.
    pub fn clear(&mut self) {
        self.anchor = None;
    }

    /// The selected buckets, first and last inclusive: the range when one
    /// is marked, else the cursor's bucket.
    pub fn range(&self) -> (usize, usize) {
        match self.anchor {
            Some(a) => (a.min(self.cursor), a.max(self.cursor)),
            None => (self.cursor, self.cursor),
        }
    }

    /// Whether bucket `i` is in the selection.
    pub fn contains(&self, i: usize) -> bool {
        let (lo, hi) = self.range();
        (lo..=hi).contains(&i)
    }

    /// The `date:FROM..TO` term of the selection (`date:2003-01..2003-06`),
    /// or `None` on an empty timeline.
    pub fn query(&self, timeline: &Timeline) -> Option<String> {
        let (lo, hi) = self.range();
        let from = timeline.buckets.get(lo)?;
        let to = timeline.buckets.get(hi)?;
        Some(format!("date:{}..{}", from.label, to.label))
    }

    /// Articles in the selected buckets.
    pub fn count(&self, timeline: &Timeline) -> usize {
        let (lo, hi) = self.range();
        timeline
            .buckets
            .iter()
            .skip(lo)
            .take(hi + 1 - lo)
            .map(|b| b.count)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Date> {
        Date::parse(s)
    }

    #[test]
    fn the_span_chooses_the_bucket() {
        let days = timeline(
            [d("2003-01-30"), d("2003-02-02"), d("2003-02-02"), None],
            None,
        );
        assert_eq!(days.granularity, Granularity::Day);
        let labels: Vec<(&str, usize)> = days
            .buckets
            .iter()
            .map(|b| (b.label.as_str(), b.count))
            .collect();
        assert_eq!(
            labels,
            [
                ("2003-01-30", 1),
                ("2003-01-31", 0),
                ("2003-02-01", 0),
                ("2003-02-02", 2)
            ]
        );
        assert_eq!(days.undated, 1);
        let months = timeline([d("2003-11-05"), d("2004-02-01")], None);
        assert_eq!(months.granularity, Granularity::Month);
        assert_eq!(months.buckets.len(), 4);
        assert_eq!(months.buckets[3].label, "2004-02");
        let years = timeline([d("1987-02-26"), d("2003-10-24")], None);
        assert_eq!(years.granularity, Granularity::Year);
        assert_eq!(years.buckets.len(), 17);
        assert_eq!(years.buckets.iter().map(|b| b.count).sum::<usize>(), 2);
        assert!(timeline([None], None).buckets.is_empty());
        let forced = timeline([d("2024-12-31"), d("2025-01-01")], Some(Granularity::Year));
        assert_eq!(forced.buckets.len(), 2);
    }

    #[test]
    fn a_selected_range_becomes_a_date_term() {
        let t = timeline(
            [
                d("2003-01-10"),
                d("2003-03-01"),
                d("2003-06-30"),
                d("2003-09-01"),
            ],
            None,
        );
        let mut s = RangeSelection::default();
        assert_eq!(s.query(&t).as_deref(), Some("date:2003-01..2003-01"));
        s.mark();
        s.move_by(5, t.buckets.len());
        assert_eq!(s.query(&t).as_deref(), Some("date:2003-01..2003-06"));
        assert_eq!(s.count(&t), 3);
        // Backwards past the anchor still reads from old to new.
        s.clear();
        s.mark();
        s.move_by(-3, t.buckets.len());
        assert_eq!(s.query(&t).as_deref(), Some("date:2003-03..2003-06"));
        s.move_by(-100, t.buckets.len());
        assert_eq!(s.cursor, 0);
        s.move_by(100, t.buckets.len());
        assert_eq!(s.cursor, t.buckets.len() - 1);
        assert_eq!(RangeSelection::default().query(&timeline([], None)), None);
    }
}
