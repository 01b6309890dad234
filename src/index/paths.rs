//! Which article of the archive each document of the index is: the part of
//! that map that needs only the index, made on the index's thread.
//!
//! A searcher maps each document to an archive id by its path. Reading a
//! million paths from the index and looking each up in a table of the
//! archive's paths took 0.75 s of the reader's loop on the first query at a
//! million articles (and a 48 MB table). Instead, the index's thread hashes
//! each segment's paths and sorts them by hash ([`TextIndex::prepare_paths`],
//! before it says the index is ready); the loop hashes the archive's paths,
//! sorts those, and walks the two lists side by side ([`join`]).
//!
//! Paths are matched by a 64-bit SipHash: two different paths, one in the
//! archive and one in the index, with the same hash would mismatch one
//! document (about one chance in 10^7 at a million paths each).

use std::hash::Hasher;
use std::path::Path;

use tantivy::index::SegmentId;

use super::{IndexError, TextIndex};

/// One segment's paths: their hashes, sorted, each with its term ordinal.
#[derive(Debug)]
pub(super) struct SegmentPaths {
    pub(super) segment: SegmentId,
    hashes: Vec<u64>,
    ords: Vec<u32>,
}

/// The hash paths are matched by (in memory only, never stored): foldhash's
/// quality hasher with a fixed seed, a few times faster than SipHash on
/// short paths (a million are hashed as a snapshot is staged) and as far
/// from collisions between them.
pub fn path_hash(path: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    let mut h = foldhash::quality::FixedState::with_seed(0x6e65_7773_6465_736b).build_hasher();
    h.write(path);
    h.finish()
}

/// The archive's paths as [`join`] takes them: `(hash, id)`, sorted.
pub fn hashed<'a>(paths: impl Iterator<Item = &'a Path>) -> Vec<(u64, u32)> {
    hashed_from(0, paths)
}

/// [`hashed`] for paths whose ids start at `first`.
pub fn hashed_from<'a>(first: usize, paths: impl Iterator<Item = &'a Path>) -> Vec<(u64, u32)> {
    let mut hashed: Vec<(u64, u32)> = paths
        .enumerate()
        .map(|(n, p)| {
            let hash = path_hash(p.as_os_str().as_encoded_bytes());
            (hash, (first + n) as u32)
        })
        .collect();
    hashed.sort_unstable();
    hashed
}

impl SegmentPaths {
    /// Each term ordinal's archive id (`none` where the archive has no such
    /// path), from the archive's sorted `(hash, id)` list.
    pub(super) fn join(&self, archive: &[(u64, u32)], terms: usize, none: u32) -> Vec<u32> {
        let mut by_ord = vec![none; terms];
        let (mut i, mut j) = (0, 0);
        while i < archive.len() && j < self.hashes.len() {
            match archive[i].0.cmp(&self.hashes[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if let Some(slot) = by_ord.get_mut(self.ords[j] as usize) {
                        *slot = archive[i].1;
                    }
                    j += 1;
                }
            }
        }
        by_ord
    }
}

impl TextIndex {
    /// Hashes and sorts the paths of every segment not done yet (the index's
    /// thread calls it before each `Ready`; segments never change, so a
    /// change of the folder costs only its new small segment).
    pub fn prepare_paths(&self) -> Result<(), IndexError> {
        let searcher = self.reader.searcher();
        // Those done stay in place meanwhile: a searcher opened now uses them.
        let done: Vec<SegmentId> = self.lock_paths().iter().map(|p| p.segment).collect();
        let mut fresh = Vec::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            if done.contains(&id) {
                continue;
            }
            let Some(column) = segment
                .fast_fields()
                .str("path")
                .map_err(|e| self.engine(e))?
            else {
                continue;
            };
            let mut pairs = Vec::with_capacity(column.num_terms());
            let mut terms = column.dictionary().stream().map_err(|e| IndexError::Io {
                path: self.dir.clone(),
                source: e,
            })?;
            while terms.advance() {
                pairs.push((path_hash(terms.key()), terms.term_ord() as u32));
            }
            pairs.sort_unstable();
            fresh.push(SegmentPaths {
                segment: id,
                hashes: pairs.iter().map(|p| p.0).collect(),
                ords: pairs.iter().map(|p| p.1).collect(),
            });
        }
        // The segments of the searcher now, from what was done and what is new.
        let mut paths = self.lock_paths();
        let mut next = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            if let Some(pos) = paths.iter().position(|p| p.segment == id) {
                next.push(paths.swap_remove(pos));
            } else if let Some(pos) = fresh.iter().position(|p| p.segment == id) {
                next.push(fresh.swap_remove(pos));
            }
        }
        *paths = next;
        Ok(())
    }

    /// The prepared paths of `segment`, if [`TextIndex::prepare_paths`]
    /// has seen it.
    pub(super) fn with_paths<T>(
        &self,
        segment: SegmentId,
        f: impl FnOnce(&SegmentPaths) -> T,
    ) -> Option<T> {
        self.lock_paths()
            .iter()
            .find(|p| p.segment == segment)
            .map(f)
    }

    fn lock_paths(&self) -> std::sync::MutexGuard<'_, Vec<SegmentPaths>> {
        // Whole whatever a panic interrupted: it is replaced, never edited.
        self.paths.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_matches_equal_hashes_only() {
        let seg = SegmentPaths {
            segment: SegmentId::generate_random(),
            hashes: vec![3, 5, 9],
            ords: vec![2, 0, 1],
        };
        let archive = [(1, 10), (5, 11), (9, 12), (12, 13)];
        assert_eq!(seg.join(&archive, 3, u32::MAX), [11, 12, u32::MAX]);
        let paths = [Path::new("b.txt"), Path::new("a.txt")];
        let h = hashed(paths.into_iter());
        assert!(h.windows(2).all(|w| w[0] <= w[1]));
        assert!(h.contains(&(path_hash(b"a.txt"), 1)));
    }
}
