//! Orders for the article list: newest first (the default), oldest first,
//! title, author, path in natural order, and relevance when the query has
//! words. Ties, and undated articles (always after the dated ones), go in
//! natural path order: `reuters-2` before `reuters-10`.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::search::fold;

mod keys;
mod natural;

pub use keys::SortKeys;
use keys::present_first;
pub use natural::{KeyBuffer, key as natural_key};

/// How the list is ordered; the names are the config's and `list --sort`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// By title, A to Z.
    Title,
    /// By first author, A to Z (articles without one last).
    Author,
    /// By path, numbers in numeric order.
    Path,
    /// Best matches of the query's words first.
    Relevance,
}

impl SortOrder {
    /// Every order, in cycling order.
    pub const ALL: [SortOrder; 6] = [
        SortOrder::Newest,
        SortOrder::Oldest,
        SortOrder::Title,
        SortOrder::Author,
        SortOrder::Path,
        SortOrder::Relevance,
    ];

    /// The order after this one; relevance only when the query has words.
    pub fn next(self, has_words: bool) -> SortOrder {
        let at = Self::ALL.iter().position(|&o| o == self).unwrap_or(0);
        let next = Self::ALL[(at + 1) % Self::ALL.len()];
        if next == SortOrder::Relevance && !has_words {
            SortOrder::Newest
        } else {
            next
        }
    }

    /// How the list's title names the order.
    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest first",
            SortOrder::Oldest => "oldest first",
            SortOrder::Title => "by title",
            SortOrder::Author => "by author",
            SortOrder::Path => "by path",
            SortOrder::Relevance => "by relevance",
        }
    }

    /// The name used in config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Oldest => "oldest",
            SortOrder::Title => "title",
            SortOrder::Author => "author",
            SortOrder::Path => "path",
            SortOrder::Relevance => "relevance",
        }
    }

    /// Compares two articles under this order (relevance: by `scores`, the
    /// higher first). Never `Equal` for different paths. It folds the text
    /// in every call: to sort many, [`sort_ids`] or [`SortKeys`] (keys made
    /// once per article).
    pub fn compare(self, a: &Article, b: &Article, scores: (f32, f32)) -> Ordering {
        let newest = || present_first(a.date, b.date, |x, y| y.cmp(&x));
        let author = |a: &Article| a.authors.first().map(|s| fold(s));
        match self {
            SortOrder::Newest => newest(),
            SortOrder::Oldest => present_first(a.date, b.date, |x, y| x.cmp(&y)),
            SortOrder::Title => fold(&a.title).cmp(&fold(&b.title)),
            SortOrder::Author => present_first(author(a), author(b), |x, y| x.cmp(&y)),
            SortOrder::Path => Ordering::Equal,
            SortOrder::Relevance => scores.1.total_cmp(&scores.0).then_with(newest),
        }
        .then_with(|| by_path(a, b))
    }
}

fn by_path(a: &Article, b: &Article) -> Ordering {
    natural_cmp(&a.path.to_string_lossy(), &b.path.to_string_lossy())
}

/// Sorts article ids (indices into `articles`) under `order`. `scores`
/// holds each id's relevance (indexed by id) for [`SortOrder::Relevance`];
/// missing scores count as 0. Ids past the end of `articles` go last.
/// It makes the keys of every article first: to sort the same articles
/// again, keep a [`SortKeys`].
pub fn sort_ids(ids: &mut [usize], order: SortOrder, articles: &[Article], scores: Option<&[f32]>) {
    SortKeys::of(articles).sort(ids, order, scores, articles);
}

/// Compares strings in natural order: runs of digits by their value
/// (`reuters-2` before `reuters-10`), the rest by folded case, then exactly,
/// so two different strings never compare equal.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let dx = x.find(|c: char| !c.is_ascii_digit()).unwrap_or(x.len());
                let dy = y.find(|c: char| !c.is_ascii_digit()).unwrap_or(y.len());
                let (nx, ny) = (
                    x[..dx].trim_start_matches('0'),
                    y[..dy].trim_start_matches('0'),
                );
                let by_value = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                x = &x[dx..];
                y = &y[dy..];
            }
            // The common case, both ASCII, without the Unicode tables.
            (Some(c), Some(d)) if c.is_ascii() && d.is_ascii() => {
                let by_char = c.to_ascii_lowercase().cmp(&d.to_ascii_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                x = &x[1..];
                y = &y[1..];
            }
            (Some(c), Some(d)) => {
                let by_char = c.to_lowercase().cmp(d.to_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                x = &x[c.len_utf8()..];
                y = &y[d.len_utf8()..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Date, Name};

    #[test]
    fn natural_order_reads_numbers() {
        let mut names = vec![
            "reuters-10",
            "reuters-2",
            "reuters-1",
            "Reuters-3",
            "reuters-02b",
            "a",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "a",
                "reuters-1",
                "reuters-2",
                "reuters-02b",
                "Reuters-3",
                "reuters-10"
            ]
        );
        assert_eq!(
            natural_cmp("x007", "x7"),
            "x007".cmp("x7"),
            "equal values fall back to bytes"
        );
        assert_ne!(natural_cmp("A", "a"), Ordering::Equal);
        assert_eq!(natural_cmp("2024/10/a", "2024/9/b"), Ordering::Greater);
    }

    #[test]
    fn cycling_skips_relevance_without_words() {
        assert_eq!(SortOrder::Path.next(false), SortOrder::Newest);
        assert_eq!(SortOrder::Path.next(true), SortOrder::Relevance);
        assert_eq!(SortOrder::Relevance.next(true), SortOrder::Newest);
        let mut o = SortOrder::default();
        let mut seen = vec![o];
        for _ in 0..5 {
            o = o.next(true);
            seen.push(o);
        }
        assert_eq!(seen, SortOrder::ALL);
    }

    #[test]
    fn names_are_snake_case() {
        #[derive(Deserialize)]
        struct C {
            sort: SortOrder,
        }
        let c: C = toml::from_str("sort = \"oldest\"").unwrap();
        assert_eq!(c.sort, SortOrder::Oldest);
        for o in SortOrder::ALL {
            let c: C = toml::from_str(&format!("sort = \"{}\"", o.name())).unwrap();
            assert_eq!(c.sort, o);
        }
    }

    fn art(path: &str, title: &str, author: Option<&str>, date: Option<(i32, u8, u8)>) -> Article {
        Article {
            path: path.into(),
            title: title.into(),
            authors: author.into_iter().map(Name::new).collect(),
            date: date.and_then(|(y, m, d)| Date::new(y, m, d)),
            ..Article::default()
        }
    }

    #[test]
    fn sort_ids_agrees_with_compare() {
        let arts = vec![
            art("reuters-10", "Zinc", None, None),
            art("reuters-2", "apples", Some("Öztürk"), None),
            art("b", "Bread", Some("adams"), Some((2003, 1, 1))),
            art("a", "bread", Some("Adams"), Some((2004, 5, 1))),
            art("c", "Corn", None, Some((2003, 1, 1))),
        ];
        let scores = [0.0, 2.0, 1.0, 2.0, 0.5];
        // Titles and authors folded as compared, past their first 8 bytes
        // (the integer a sort compares first) too: long shared starts,
        // letters that fold to two, text past 8 bytes that is not ASCII.
        let mut more = arts.clone();
        more.extend([
            art("d1", "Water talks resume", Some("Ünal"), None),
            art("d2", "WATER TALKS end", Some("unal"), None),
            art("d3", "Water talks résumé", Some("Ünal"), None),
            art("d4", "Straße talks", Some("ß"), None),
            art("d5", "STRASSE TALKS", Some("ss"), None),
            art("d6", "", None, None),
            art("d7", "water", Some("Water Talks Resume"), None),
            art("d8", "Éclair", Some("water talks résumé"), None),
            art(
                "d0",
                "water talks resumed",
                Some("Water Talks Resumed"),
                None,
            ),
        ]);
        let more_scores = [0.0; 14];
        for order in SortOrder::ALL {
            let mut ids: Vec<usize> = (0..more.len()).collect();
            sort_ids(&mut ids, order, &more, Some(&more_scores));
            let mut expect: Vec<usize> = (0..more.len()).collect();
            expect.sort_by(|&a, &b| order.compare(&more[a], &more[b], (0.0, 0.0)));
            assert_eq!(ids, expect, "{order:?}, long and folded");
        }
        for order in SortOrder::ALL {
            let mut ids: Vec<usize> = (0..arts.len()).collect();
            sort_ids(&mut ids, order, &arts, Some(&scores));
            let mut expect: Vec<usize> = (0..arts.len()).collect();
            expect.sort_by(|&a, &b| order.compare(&arts[a], &arts[b], (scores[a], scores[b])));
            assert_eq!(ids, expect, "{order:?}");
        }
        let mut ids: Vec<usize> = (0..arts.len()).collect();
        sort_ids(&mut ids, SortOrder::Newest, &arts, None);
        assert_eq!(ids, [3, 2, 4, 1, 0], "undated last, in natural path order");
        sort_ids(&mut ids, SortOrder::Oldest, &arts, None);
        assert_eq!(ids, [2, 4, 3, 1, 0]);
        sort_ids(&mut ids, SortOrder::Author, &arts, None);
        assert_eq!(ids, [3, 2, 1, 4, 0]);
    }
}
