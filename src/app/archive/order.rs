//! The archive order (newest first, then by path) and each sort order's
//! ranks: merging staged articles in, and ranking the merged ones, both by
//! the sort keys kept for every article.

use super::Archive;
use crate::sort::SortOrder;

impl Archive {
    /// Merges the staged articles into the archive order and the tag index.
    pub fn merge_staged(&mut self) {
        if self.staged() == 0 {
            return;
        }
        self.ranks.clear();
        let first = self.merged;
        // New ids: the index's document-to-id map is made again (the old
        // ids stand, so its maps of whole segments are kept for that).
        if let Some(indexed) = self.indexed.take() {
            self.earlier_indexed = Some((self.generation, indexed));
        }
        crate::trace::point("merge start");
        let staged = self.articles.len() - first;
        // What staging made ready, when it covers every staged id.
        let runs = std::mem::take(&mut self.staged_runs);
        let tags = std::mem::take(&mut self.staged_tags);
        let tagged = std::mem::take(&mut self.staged_tagged);
        if tagged == staged {
            self.index.add_gathered(tags);
        } else {
            self.index.add(&self.articles[first..], first);
        }
        crate::trace::point("tag index added");
        let new_ids: Vec<u32> = if runs.len() == staged {
            self.keys.sort_newest_runs(runs)
        } else {
            let mut new_ids: Vec<usize> = (first..self.articles.len()).collect();
            self.keys
                .sort(&mut new_ids, SortOrder::Newest, None, &self.articles);
            new_ids.into_iter().map(|i| i as u32).collect()
        };
        let keys = &self.keys;
        let cmp = |a: &u32, b: &u32| keys.newest_first(*a as usize, *b as usize);
        let old = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(old.len() + new_ids.len());
        let (mut i, mut j) = (0, 0);
        while i < old.len() && j < new_ids.len() {
            if cmp(&new_ids[j], &old[i]).is_lt() {
                merged.push(new_ids[j]);
                j += 1;
            } else {
                merged.push(old[i]);
                i += 1;
            }
        }
        merged.extend_from_slice(&old[i..]);
        merged.extend_from_slice(&new_ids[j..]);
        crate::trace::point("sorted+merged");
        self.merge_work += merged.len();
        self.order = merged;
        self.merged = self.articles.len();
        self.refresh_places();
        crate::trace::point("places refreshed");
    }

    /// Each merged article's place under `order` (indexed by id; relevance,
    /// which depends on the query, ranks as newest first). Made once per
    /// order and kept until the articles change.
    pub fn ranks(&mut self, order: SortOrder) -> &[u32] {
        let order = if order == SortOrder::Relevance {
            SortOrder::Newest
        } else {
            order
        };
        let (articles, merged, archive_order) = (&self.articles, self.merged, &self.order);
        let keys = &mut self.keys;
        self.ranks.entry(order).or_insert_with(|| {
            let ids: Vec<usize> = if order == SortOrder::Newest {
                // The archive order is newest first already.
                archive_order.iter().map(|&i| i as usize).collect()
            } else {
                let mut ids: Vec<usize> = (0..merged).collect();
                keys.sort(&mut ids, order, None, articles);
                ids
            };
            let mut rank = vec![0; merged];
            for (place, id) in ids.into_iter().enumerate() {
                rank[id] = place as u32;
            }
            rank
        })
    }
}
