//! The one filter engine: what the person asked for (regions, a query in the
//! query language, unread-only, starred-only) turned into the visible
//! articles. The reader and `newsdesk list` / `regions` all go through
//! [`Filter::run`], so they cannot disagree.

use super::archive::{Archive, Prepared};
use crate::article::Date;
use crate::query::eval::{Context, Ids, Scan, TextSearch};
use crate::query::parse::Flag;
use crate::query::{Query, QueryError};
use crate::regions::Selector;
use crate::sort::SortOrder;

/// The filters a person has set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Selected tags and groups; empty means all articles.
    pub regions: Vec<Selector>,
    /// The query typed (the query language); empty means no query.
    pub search: String,
    /// Only articles not read yet.
    pub unread_only: bool,
    /// Only starred articles.
    pub starred_only: bool,
}

/// What a filter lets through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtered {
    /// Ids of the matching articles, in archive order.
    pub visible: Vec<usize>,
    /// Articles passing every filter but the regions (`None`: all of them), by
    /// id: the Regions pane counts what each row would give under the rest.
    pub allowed: Option<Vec<bool>>,
}

impl Filter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The typed query, parsed (an empty text is every article).
    pub fn query(&self) -> Result<Query, QueryError> {
        if self.search.trim().is_empty() {
            Ok(Query::all())
        } else {
            Query::parse(&self.search)
        }
    }

    /// The query without the region selection: typed query, unread, starred.
    fn rest(&self) -> Result<Query, QueryError> {
        let mut query = self.query()?;
        if self.unread_only {
            query = query.and(Query::flag(Flag::Unread));
        }
        if self.starred_only {
            query = query.and(Query::flag(Flag::Starred));
        }
        Ok(query)
    }

    /// The whole filter as one query, as the status bar can say it in words.
    pub fn whole(&self, archive: &Archive) -> Result<Query, QueryError> {
        let rest = self.rest()?;
        if self.regions.is_empty() {
            Ok(rest)
        } else {
            Ok(Query::regions(&self.regions, archive.index()).and(rest))
        }
    }

    /// Runs the filter over the merged articles of `archive`; `today` is what
    /// relative dates count from. A query that cannot be read is an error
    /// (the caller keeps its last good result).
    pub fn run(&self, archive: &mut Archive, today: Date) -> Result<Filtered, QueryError> {
        let rest = self.rest()?;
        let n = archive.len();
        let allowed = if rest.is_all() {
            None
        } else {
            let matching = |prepared: &Prepared, text: &dyn TextSearch| {
                Context {
                    meta: prepared.meta,
                    dates: prepared.dates,
                    articles: prepared.articles,
                    text,
                    index: prepared.index,
                    marks: prepared.marks,
                    today,
                }
                .matching(&rest)
            };
            let prepared = archive.prepared();
            let found = match prepared.text {
                // An index that failed mid-query gave incomplete answers:
                // the scan answers instead.
                Some(indexed) => {
                    Some(matching(&prepared, indexed)).filter(|_| indexed.error().is_none())
                }
                None => None,
            };
            let found = found.unwrap_or_else(|| {
                let prepared = archive.prepared_for_scan();
                matching(&prepared, &Scan(prepared.words))
            });
            let mut mask = found.to_mask();
            mask.resize(n, false);
            Some(mask)
        };
        let regions = (!self.regions.is_empty()).then(|| archive.index().mask(&self.regions, n));
        let pass = |m: &Option<Vec<bool>>, i: usize| m.as_ref().is_none_or(|m| m[i]);
        let visible = archive
            .order()
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| pass(&allowed, i) && pass(&regions, i))
            .collect();
        Ok(Filtered { visible, allowed })
    }

    /// The order `wanted` comes to for this filter: relevance only when the
    /// typed query has words to be relevant to, newest first otherwise.
    pub fn effective_sort(&self, wanted: SortOrder) -> SortOrder {
        if wanted == SortOrder::Relevance && !self.has_words() {
            SortOrder::Newest
        } else {
            wanted
        }
    }

    /// Whether the typed query has words (what relevance ranks by).
    pub fn has_words(&self) -> bool {
        self.query().is_ok_and(|q| !q.words().is_empty())
    }

    /// Puts `visible` (merged ids, as [`Filter::run`] gives them) in `order`.
    /// Each order but relevance ranks every article once and keeps the ranks
    /// in the archive, so changing the order sorts integers; relevance scores
    /// only the visible articles, ties newest first.
    pub fn sort(
        &self,
        archive: &mut Archive,
        visible: &mut [usize],
        order: SortOrder,
        today: Date,
    ) {
        let order = self.effective_sort(order);
        if order != SortOrder::Relevance {
            let rank = archive.ranks(order);
            visible.sort_unstable_by_key(|&i| rank.get(i).copied().unwrap_or(u32::MAX));
            return;
        }
        let Ok(query) = self.query() else {
            return;
        };
        let newest = archive.ranks(SortOrder::Newest).to_vec();
        // The index's BM25 scores when it answers (it has every article's
        // whole text, the scan may have titles only): ids it does not score
        // come last, newest first.
        let prepared = archive.prepared();
        let indexed = prepared.text.and_then(|indexed| {
            let mut within = Ids::none(prepared.meta.len());
            visible.iter().for_each(|&i| within.insert(i));
            let scores = indexed.scores(&query, &within);
            indexed.error().is_none().then_some(scores)
        });
        let mut keyed: Vec<(f32, u32, usize)> = match indexed {
            Some(scores) => (visible.iter())
                .map(|&i| {
                    let score = scores
                        .binary_search_by_key(&i, |&(id, _)| id)
                        .map_or(f32::NEG_INFINITY, |at| scores[at].1);
                    (score, newest.get(i).copied().unwrap_or(u32::MAX), i)
                })
                .collect(),
            None => with_context(archive, today, |context| {
                (visible.iter())
                    .map(|&i| {
                        let rank = newest.get(i).copied().unwrap_or(u32::MAX);
                        (context.relevance(&query, i), rank, i)
                    })
                    .collect()
            }),
        };
        keyed.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (slot, (_, _, i)) in visible.iter_mut().zip(keyed) {
            *slot = i;
        }
    }
}

/// Runs `f` with the query engine's view of the archive's merged articles.
fn with_context<R>(archive: &mut Archive, today: Date, f: impl FnOnce(&Context) -> R) -> R {
    let prepared = archive.prepared_for_scan();
    let scan = Scan(prepared.words);
    f(&Context {
        meta: prepared.meta,
        dates: prepared.dates,
        articles: prepared.articles,
        text: &scan,
        index: prepared.index,
        marks: prepared.marks,
        today,
    })
}
