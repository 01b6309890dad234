//! Every article's sort keys, made once and kept: the date and the path's
//! natural-order key. A sort first sorts one integer per id (the first
//! bytes of the deciding key), so most comparisons are of integers; only
//! ties compare more. Titles and authors are folded as they are compared
//! (their first bytes folded once per sort): nothing is kept for them per
//! article, so a million articles' titles are not held twice, and an
//! article read again needs no key made anew.

use std::cmp::Ordering;

use super::SortOrder;
use super::natural::KeyBuffer;
use crate::article::{Article, Date};
use crate::search::fold_chars;

/// Sort keys by id (an article's index in the slice they were made from).
#[derive(Debug, Clone, Default)]
pub struct SortKeys {
    dates: Vec<Option<Date>>,
    paths: KeyBuffer,
    /// While runs are made ([`SortKeys::newest_run`]): an id of the first
    /// run and how many bytes of its path key every run's paths share.
    run_skip: Option<(usize, usize)>,
}

impl SortKeys {
    /// The keys of `articles`.
    pub fn of(articles: &[Article]) -> SortKeys {
        let mut keys = SortKeys::default();
        keys.extend(articles);
        keys
    }

    /// Drops the keys of every id from `len` on.
    pub fn truncate(&mut self, len: usize) {
        self.dates.truncate(len);
        self.paths.truncate(len);
        self.run_skip = None;
    }

    /// Makes room for the date keys of `more` articles.
    pub fn reserve(&mut self, more: usize) {
        self.dates.reserve_exact(more);
    }

    /// Adds the date and path keys of `articles`, the next ids in turn.
    pub fn extend(&mut self, articles: &[Article]) {
        for a in articles {
            self.dates.push(a.date);
            // `to_str` first: checking UTF-8 the quick way (the lossy
            // one walks every byte).
            match a.path.to_str() {
                Some(path) => self.paths.push_natural(path),
                None => self.paths.push_natural(&a.path.to_string_lossy()),
            }
        }
    }

    /// Makes article `i`'s keys those of `article` (a file edited in
    /// place): its date and its path.
    pub fn set(&mut self, i: usize, article: &Article) {
        let Some(date) = self.dates.get_mut(i) else {
            return;
        };
        *date = article.date;
        let path = article.path.to_string_lossy();
        self.paths
            .replace_with(i, |out| super::natural::push_key(&path, out));
    }

    /// Every keyed article's date, by id.
    pub fn dates(&self) -> &[Option<Date>] {
        &self.dates
    }

    /// Number of articles keyed.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// Whether no article is keyed.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Drops every key.
    pub fn clear(&mut self) {
        *self = SortKeys::default();
    }

    /// The archive order, newest first, between ids `a` and `b`.
    pub fn newest_first(&self, a: usize, b: usize) -> Ordering {
        self.compare(SortOrder::Newest, a, b, (0.0, 0.0), &[])
    }

    /// Compares ids `a` and `b` under `order` (relevance: by `scores`, the
    /// higher first, then newest first); ties go by path in natural order.
    /// Titles and authors are those of `articles` (by id), folded as
    /// compared; missing ones compare as equal.
    pub fn compare(
        &self,
        order: SortOrder,
        a: usize,
        b: usize,
        scores: (f32, f32),
        articles: &[Article],
    ) -> Ordering {
        let newest = || present_first(self.dates[a], self.dates[b], |x, y| y.cmp(&x));
        let both = || articles.get(a).zip(articles.get(b));
        match order {
            SortOrder::Newest => newest(),
            SortOrder::Oldest => present_first(self.dates[a], self.dates[b], |x, y| x.cmp(&y)),
            SortOrder::Title => {
                both().map_or(Ordering::Equal, |(x, y)| fold_cmp(&x.title, &y.title))
            }
            SortOrder::Author => both().map_or(Ordering::Equal, |(x, y)| {
                present_first(x.authors.first(), y.authors.first(), |p, q| {
                    // Names are kept once: the same name needs no folding.
                    if p == q {
                        Ordering::Equal
                    } else {
                        fold_cmp(p, q)
                    }
                })
            }),
            SortOrder::Path => Ordering::Equal,
            SortOrder::Relevance => scores.1.total_cmp(&scores.0).then_with(newest),
        }
        .then_with(|| self.paths.get(a).cmp(self.paths.get(b)))
    }

    /// Appends ids `ids` newest first to `runs`, each with the integer a
    /// sort compares first: a run for [`SortKeys::sort_newest_runs`]. (The
    /// reader sorts each batch as it is staged, while the loop would wait
    /// for the next.) The integer holds the path key's bytes past what every
    /// run's paths share (a folder's paths share its name and often a file
    /// name's start): when a batch shares less, the integers of the runs
    /// already in `runs` are made again (their order stays, the order of
    /// whole keys).
    pub fn newest_run(&mut self, ids: std::ops::Range<usize>, runs: &mut Vec<(u64, u32)>) {
        let ids = ids.start.min(self.len())..ids.end.min(self.len());
        if ids.is_empty() {
            return;
        }
        let (reference, before) = self.run_skip.unwrap_or((ids.start, usize::MAX));
        let shared = shared_prefix(
            std::iter::once(reference)
                .chain(ids.clone())
                .map(|i| self.paths.get(i)),
        );
        let skip = shared.min(before);
        self.run_skip = Some((reference, skip));
        if before != usize::MAX && skip != before {
            for (prefix, i) in runs.iter_mut() {
                *prefix = self.newest_prefix(*i as usize, skip);
            }
        }
        let start = runs.len();
        runs.extend(ids.map(|i| (self.newest_prefix(i, skip), i as u32)));
        runs[start..].sort_by(|&x, &y| self.newest_pair(x, y));
    }

    /// Runs of [`SortKeys::newest_run`], one after another in the order of
    /// their ids, as one list newest first: the stable sort finds the runs
    /// and only merges them. The ids come in the order [`SortKeys::sort`]
    /// gives them (ties keep id order either way). The next run made starts
    /// a new list.
    pub fn sort_newest_runs(&mut self, mut runs: Vec<(u64, u32)>) -> Vec<u32> {
        runs.sort_by(|&x, &y| self.newest_pair(x, y));
        self.run_skip = None;
        runs.into_iter().map(|(_, i)| i).collect()
    }

    fn newest_pair(&self, (p, a): (u64, u32), (q, b): (u64, u32)) -> Ordering {
        p.cmp(&q)
            .then_with(|| self.newest_first(a as usize, b as usize))
    }

    /// Newest first's integer for id `i`, its path key's first `skip`
    /// bytes left out: the date, then the next 4 bytes of the path key.
    fn newest_prefix(&self, i: usize, skip: usize) -> u64 {
        let path = self.paths.get(i).get(skip..).unwrap_or(&[]);
        (u64::from(self.newest_bits(i)) << 32) | (head_of(path) >> 32)
    }

    /// Id `i`'s date as bits that order newest first (undated last).
    fn newest_bits(&self, i: usize) -> u32 {
        self.dates[i].map_or(1 << 31, |d| DATE_MAX - date_bits(d))
    }

    /// Sorts `ids` under `order` (see [`SortKeys::compare`]; `scores` by
    /// id, missing ones 0; `articles` by id, for titles and authors). Ids
    /// without keys go last, in id order.
    pub fn sort(
        &self,
        ids: &mut [usize],
        order: SortOrder,
        scores: Option<&[f32]>,
        articles: &[Article],
    ) {
        let score = |i: usize| scores.and_then(|s| s.get(i)).copied().unwrap_or(0.0);
        let n = self.len();
        let (mut keyed, mut unkeyed): (Vec<usize>, Vec<usize>) = ids.iter().partition(|&&i| i < n);
        unkeyed.sort_unstable();
        // The path decides first, as bytes, past what every id's key shares.
        let skip = shared_prefix(keyed.iter().map(|&i| self.paths.get(i)));
        let head = |i: usize| head_of(self.paths.get(i).get(skip..).unwrap_or(&[]));
        // A title's or author's first 16 bytes folded: texts of the same
        // first words are told apart without folding them whole.
        let text_head = |i: usize| match (order, articles.get(i)) {
            (SortOrder::Title, Some(a)) => folded_head(&[], &a.title),
            // `0` and the first author, or `1` for none (authors first).
            (SortOrder::Author, Some(a)) => match a.authors.first() {
                Some(author) => folded_head(&[0], author),
                None => (1 << 56, 0),
            },
            _ => (0, 0),
        };
        let newest = |i: usize| self.newest_bits(i);
        let prefix = |i: usize| -> (u64, u64) {
            match order {
                SortOrder::Newest => (u64::from(newest(i)), head(i)),
                SortOrder::Oldest => (u64::from(self.dates[i].map_or(1 << 31, date_bits)), head(i)),
                SortOrder::Relevance => (
                    (u64::from(!score_bits(score(i))) << 32) | u64::from(newest(i)),
                    head(i),
                ),
                SortOrder::Title | SortOrder::Author => text_head(i),
                SortOrder::Path => (head(i), 0),
            }
        };
        let mut prefixed: Vec<((u64, u64), usize)> =
            keyed.drain(..).map(|i| (prefix(i), i)).collect();
        // Stable, as before: ids whose keys are all equal (two paths alike
        // once made UTF-8) keep their order.
        prefixed.sort_by(|&(p, a), &(q, b)| {
            p.cmp(&q)
                .then_with(|| self.compare(order, a, b, (score(a), score(b)), articles))
        });
        let sorted = prefixed.into_iter().map(|(_, i)| i).chain(unkeyed);
        for (slot, i) in ids.iter_mut().zip(sorted) {
            *slot = i;
        }
    }
}

/// A key's first 8 bytes as an integer that orders as they do.
fn head_of(bytes: &[u8]) -> u64 {
    let mut first = [0u8; 8];
    let len = bytes.len().min(8);
    first[..len].copy_from_slice(&bytes[..len]);
    u64::from_be_bytes(first)
}

/// The largest value of [`date_bits`].
const DATE_MAX: u32 = (1 << 30) - 1;

/// A date as 30 bits that order as dates do (years far out share a value,
/// so a comparison of the dates decides between them).
fn date_bits(d: Date) -> u32 {
    let year = d.year.clamp(-(1 << 20), (1 << 20) - 1) + (1 << 20);
    ((year as u32) << 9) | (u32::from(d.month.min(15)) << 5) | u32::from(d.day.min(31))
}

/// An `f32` as bits that order as `total_cmp` does.
fn score_bits(s: f32) -> u32 {
    let bits = s.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | (1 << 31)
    }
}

/// How many leading bytes every key shares.
fn shared_prefix<'a>(mut keys: impl Iterator<Item = &'a [u8]>) -> usize {
    let Some(first) = keys.next() else {
        return 0;
    };
    let mut len = first.len();
    for k in keys {
        len = first[..len]
            .iter()
            .zip(k)
            .take_while(|(a, b)| a == b)
            .count();
        if len == 0 {
            break;
        }
    }
    len
}

/// `a` and `b` compared as [`fold`](crate::search::fold) folds them, without a copy: byte by
/// byte while both are ASCII, the rest folded a character at a time from
/// the first other character (folding needs no neighbours, so the rest
/// decides).
pub(super) fn fold_cmp<'a>(a: &'a str, b: &'a str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    for (i, (&p, &q)) in x.iter().zip(y).enumerate() {
        if !p.is_ascii() || !q.is_ascii() {
            // Every byte before was ASCII in both: `i` starts a character.
            // (Characters order as their UTF-8 bytes do.)
            let rest = |s: &'a str| fold_chars(s.get(i..).unwrap_or_default());
            return rest(a).cmp(rest(b));
        }
        match p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase()) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
    }
    // One is the start of the other (and no character folds to nothing).
    x.len().cmp(&y.len())
}

/// The first 16 bytes of `lead` then `text` folded, as two integers that
/// order as they do (so as [`fold_cmp`] orders the texts).
fn folded_head(lead: &[u8], text: &str) -> (u64, u64) {
    let mut bytes = [0u8; 16];
    bytes[..lead.len()].copy_from_slice(lead);
    let room = 16 - lead.len();
    let start = text.as_bytes().get(..room).unwrap_or(text.as_bytes());
    if start.is_ascii() {
        for (slot, b) in bytes[lead.len()..].iter_mut().zip(start) {
            *slot = b.to_ascii_lowercase();
        }
    } else {
        // Folded only as far as the 16 bytes go.
        let folded = fold_chars(text).flat_map(|c| {
            let mut buf = [0u8; 4];
            let n = c.encode_utf8(&mut buf).len();
            buf.into_iter().take(n)
        });
        for (slot, b) in bytes[lead.len()..].iter_mut().zip(folded) {
            *slot = b;
        }
    }
    let (high, low) = bytes.split_at(8);
    let int = |b: &[u8]| u64::from_be_bytes(b.try_into().unwrap_or_default());
    (int(high), int(low))
}

/// Values before missing ones; values compared by `cmp`.
pub(super) fn present_first<T>(
    a: Option<T>,
    b: Option<T>,
    cmp: impl Fn(T, T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => cmp(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merged_give_the_order_a_whole_sort_gives() {
        // Ties of date and of path (two files alike once made UTF-8 are not
        // possible here, so equal paths stand for them), no dates, far
        // years; paths that share little, paths that share a long start
        // (a folder and a file name's start), and batches that share more
        // than the ones after them (the integers of the runs made again).
        let paths: [fn(usize, u32) -> String; 3] = [
            |_, r| format!("f{}/a-{}.txt", r % 3, r % 40),
            |_, r| format!("/home/me/news/reuters-{}.txt", r % 40),
            |k, r| {
                if k < 100 {
                    format!("/x/deep/folder/a-{}.txt", r % 7)
                } else {
                    format!("/x/d{}/b.txt", r % 9)
                }
            },
        ];
        for (variant, path) in paths.iter().enumerate() {
            let mut articles = Vec::new();
            let mut n = 0u32;
            let mut next = || {
                n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                n >> 16
            };
            for k in 0..500 {
                let r = next();
                articles.push(Article {
                    path: path(k, next()).into(),
                    date: (r % 5 != 0).then(|| Date {
                        year: [1999, 2024, 2025, 9999, -40][(r % 5) as usize],
                        month: 1 + (next() % 3) as u8,
                        day: 1 + (next() % 2) as u8,
                    }),
                    ..Article::default()
                });
            }
            let mut keys = SortKeys::default();
            keys.extend(&articles);
            let mut whole: Vec<usize> = (0..articles.len()).collect();
            keys.sort(&mut whole, SortOrder::Newest, None, &articles);
            for cut in [1, 7, 64, 499, 500] {
                let mut runs = Vec::new();
                let mut at = 0;
                while at < articles.len() {
                    let end = (at + cut).min(articles.len());
                    keys.newest_run(at..end, &mut runs);
                    at = end;
                }
                assert_eq!(runs.len(), articles.len());
                let merged: Vec<usize> = keys
                    .sort_newest_runs(runs)
                    .into_iter()
                    .map(|i| i as usize)
                    .collect();
                assert_eq!(merged, whole, "paths {variant}, runs of {cut}");
            }
        }
    }

    #[test]
    fn bits_order_as_their_values() {
        let dates = [
            (-5000, 1, 1),
            (1999, 12, 31),
            (2000, 1, 1),
            (2000, 1, 2),
            (9999, 1, 1),
        ];
        let bits: Vec<u32> = dates
            .iter()
            .map(|&(year, month, day)| date_bits(Date { year, month, day }))
            .collect();
        assert!(bits.windows(2).all(|w| w[0] < w[1]), "{bits:?}");
        assert!(bits.iter().all(|&b| b <= DATE_MAX));
        let scores = [f32::NEG_INFINITY, -2.0, -0.0, 0.0, 0.5, 3.0, f32::INFINITY];
        assert!(
            scores
                .windows(2)
                .all(|w| score_bits(w[0]) < score_bits(w[1]))
        );
        assert_eq!(shared_prefix([&b"abc"[..], b"abd", b"ab"].into_iter()), 2);
        assert_eq!(shared_prefix([&b"abc"[..]].into_iter()), 3);
    }
}
