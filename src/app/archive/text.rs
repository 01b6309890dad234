//! The Archive's searchable text: the words the query engine reads
//! ([`Prepared`]), articles that came without their text (from the snapshot)
//! and are read later, and the full-text index searches go through.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Archive;
use crate::article::Article;
use crate::index::{IndexWorker, Indexed, TextIndex};
use crate::query::eval::{ArticleWords, Meta};
use crate::regions::TagIndex;
use crate::state::Marks;

impl Archive {
    /// Searches go through this full-text index from now on (`None`: by
    /// the scan again); called when the background work says it is ready.
    pub fn set_text_index(&mut self, index: Option<Arc<TextIndex>>) {
        self.text_index = index;
        // The searcher made for these ids is kept for its segments' maps
        // (an earlier one is kept if none was made since).
        if let Some(indexed) = self.indexed.take() {
            self.earlier_indexed = Some((self.generation, indexed));
        }
        self.index_behind = false;
    }

    /// Whether searches go through the full-text index.
    pub fn has_text_index(&self) -> bool {
        self.text_index.is_some()
    }

    /// Whether the full-text index answers the text of a query now: it is
    /// open and has every change, or it is a moment behind while the scan
    /// could not do better (some articles' words are not read, from the
    /// snapshot, or not prepared at all) — then its next `Ready` filters
    /// again.
    pub fn index_answers_now(&self) -> bool {
        self.indexed.is_some() && (!self.index_behind || !self.words_complete())
    }

    /// Whether every merged article's whole words are prepared (the scan
    /// would find everything).
    fn words_complete(&self) -> bool {
        self.words.len() >= self.merged && self.shallow_words == 0
    }

    /// Where the folder's changes go for the index from now on.
    pub fn set_index_worker(&mut self, worker: Option<IndexWorker>) {
        self.index_worker = worker;
    }

    /// Hands a change of the folder to the index's background work (if any).
    pub fn index_changes(&mut self, changes: &crate::watch::Changes) {
        if let Some(worker) = &self.index_worker {
            worker.update(changes);
            self.index_behind = self.text_index.is_some();
        }
    }

    /// The query engine's view of the merged articles (facts, words, tags,
    /// marks), prepared once and kept.
    ///
    /// While the index answers, the articles' words are not prepared (at a
    /// million articles that took seconds before the first query, and
    /// memory): `words` may then be short, and only the index is asked.
    pub fn prepared(&mut self) -> Prepared<'_> {
        self.prepare_meta_up_to(self.merged);
        self.open_searcher();
        if !self.index_answers_now() {
            self.prepare_words_up_to(self.merged);
        }
        self.view()
    }

    /// [`Archive::prepared`] with every article's words, for the scan to
    /// answer (the index failed in the middle of a query).
    pub fn prepared_for_scan(&mut self) -> Prepared<'_> {
        self.prepare_meta_up_to(self.merged);
        self.prepare_words_up_to(self.merged);
        self.view()
    }

    fn view(&self) -> Prepared<'_> {
        Prepared {
            text: self.indexed.as_ref().filter(|_| self.index_answers_now()),
            meta: &self.meta[..self.merged],
            dates: self.keys.dates().get(..self.merged).unwrap_or_default(),
            articles: &self.articles[..self.merged],
            words: &self.words[..self.words.len().min(self.merged)],
            index: &self.index,
            marks: &self.marks,
        }
    }

    /// Prepares the query engine's view of at most `most` more articles,
    /// then the index's searcher: the reader does it a piece at a time while
    /// nothing else happens, so the first query does not wait for all of
    /// it. Whether there was anything to do.
    pub fn prepare_some(&mut self, most: usize) -> bool {
        if !self.has_idle_work() {
            return false;
        }
        if self.path_runs_to_merge() {
            self.merge_path_runs();
        } else if self.meta.len() < self.merged {
            self.prepare_meta_up_to((self.meta.len() + most).min(self.merged));
        } else if self.text_index.is_some() && self.indexed.is_none() {
            self.open_searcher();
        } else if self.text_index.is_none() && self.words.len() < self.merged {
            // Words only for the scan, when there is no index to answer.
            self.prepare_words_up_to((self.words.len() + most).min(self.merged));
        }
        true
    }

    /// Whether [`Archive::prepare_some`] has anything to do.
    pub fn has_idle_work(&self) -> bool {
        self.path_runs_to_merge()
            || self.meta.len() < self.merged
            || (self.text_index.is_some() && self.indexed.is_none())
            || (self.text_index.is_none() && self.words.len() < self.merged)
    }

    /// Whether the path hashes are every merged article's, in sorted runs
    /// still to be merged into one (so the searcher, opened when the index
    /// is ready, perhaps as a person types, need not sort a million).
    pub(super) fn path_runs_to_merge(&self) -> bool {
        self.staged() == 0
            && self.path_hashes.len() == self.merged
            && self.path_runs.len() > 1
            && self.path_runs.iter().sum::<usize>() == self.path_hashes.len()
    }

    /// Merges the two adjacent runs of path hashes that are shortest
    /// together: a few milliseconds at a time, a million in about log2 of
    /// the runs' number of steps.
    fn merge_path_runs(&mut self) {
        let Some(k) = (0..self.path_runs.len() - 1)
            .min_by_key(|&k| self.path_runs[k] + self.path_runs[k + 1])
        else {
            return;
        };
        self.merge_path_runs_at(k);
    }

    /// Merges the runs of path hashes `k` and `k + 1` into one (the
    /// stable sort finds the two runs and only merges them).
    pub(super) fn merge_path_runs_at(&mut self, k: usize) {
        let start: usize = self.path_runs[..k].iter().sum();
        let len = self.path_runs[k] + self.path_runs[k + 1];
        self.path_hashes[start..start + len].sort();
        self.path_runs[k] = len;
        self.path_runs.remove(k + 1);
    }

    fn prepare_meta_up_to(&mut self, end: usize) {
        if self.meta.len() < end {
            let start = self.meta.len();
            self.meta.extend(Meta::many(&self.articles[start..end]));
        }
    }

    fn prepare_words_up_to(&mut self, end: usize) {
        if self.words.len() < end {
            let start = self.words.len();
            let new = &self.articles[start..end];
            self.words.extend(new.iter().map(ArticleWords::new));
            let shallow = &self.shallow[start..end];
            self.shallow_words += shallow.iter().filter(|s| **s).count();
            self.words_shallow.extend_from_slice(shallow);
        }
    }

    fn open_searcher(&mut self) {
        if self.indexed.is_none()
            && let Some(text_index) = &self.text_index
        {
            // Only for documents of new segments: after a saved edit, a
            // segment of one document (a table of every path took longer
            // than the rest together at a million articles).
            let articles = &self.articles[..self.merged];
            let ids: std::cell::OnceCell<FxHashMap<&[u8], usize>> = std::cell::OnceCell::new();
            let id_of = |p: &Path| {
                ids.get_or_init(|| {
                    articles
                        .iter()
                        .enumerate()
                        .map(|(i, a)| (a.path.as_os_str().as_encoded_bytes(), i))
                        .collect()
                })
                .get(p.as_os_str().as_encoded_bytes())
                .copied()
            };
            let generation = self.generation;
            let earlier = self
                .earlier_indexed
                .take()
                .filter(|(g, _)| *g == generation)
                .map(|(_, i)| i);
            // The runs made as batches came, merged (a stable sort merges
            // sorted runs); made now when some batch came without.
            let runs = &self.path_hashes;
            let merged = self.merged;
            let one_run = self.path_runs.len() == 1 && runs.len() == merged;
            let hashed = || {
                if one_run {
                    // Every merged article's, merged into one run already.
                    runs.clone()
                } else if runs.len() >= merged {
                    let mut all: Vec<(u64, u32)> = runs
                        .iter()
                        .copied()
                        .filter(|&(_, id)| (id as usize) < merged)
                        .collect();
                    all.sort();
                    all
                } else {
                    crate::index::paths::hashed(articles.iter().map(|a| a.path.as_path()))
                }
            };
            match text_index.searcher_reusing(id_of, Some(&hashed), self.merged, earlier.as_ref()) {
                Ok(indexed) => self.indexed = Some(indexed),
                // Unusable: the scan answers until the index is ready again.
                Err(_) => self.text_index = None,
            }
        }
    }

    /// Whether article `i` came without its text (its file is read to show it).
    pub fn is_shallow(&self, i: usize) -> bool {
        self.shallow.get(i).copied().unwrap_or(false)
    }

    /// Gives article `i` the text read from its file (`whole`, read from
    /// the same path): standfirst, body and what else the list does not
    /// need. Title, date and tags stay as listed: a file changed since comes
    /// through live reload or the folder check, which re-sorts.
    pub fn fill_text(&mut self, i: usize, whole: &Article) {
        let (Some(article), Some(shallow)) = (self.articles.get_mut(i), self.shallow.get_mut(i))
        else {
            return;
        };
        article.text = whole.text.clone();
        *shallow = false;
        if let Some(words) = self.words.get_mut(i) {
            *words = ArticleWords::new(article);
            if std::mem::replace(&mut self.words_shallow[i], false) {
                self.shallow_words -= 1;
            }
        }
    }

    /// How many prepared articles lack the words of their text (a search
    /// over the text must wait for them).
    pub fn shallow_words(&self) -> usize {
        self.shallow_words
    }

    /// The merged articles whose prepared words lack their text: id and path
    /// (prepare first, see [`Archive::prepared`]).
    pub fn missing_words(&self) -> Vec<(u32, PathBuf)> {
        self.words_shallow
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| (i as u32, self.articles[i].path.to_path_buf()))
            .collect()
    }

    /// Puts words read from the files on their articles, when the ids are
    /// still those of `generation`; false when they are not (ids changed).
    pub fn set_words(&mut self, generation: u64, words: Vec<(u32, ArticleWords)>) -> bool {
        if generation != self.generation {
            return false;
        }
        for (i, w) in words {
            let i = i as usize;
            // Only where the words still lack the text: an article read
            // since (opened, or its file edited) has newer words than these.
            if let (Some(slot), Some(shallow)) =
                (self.words.get_mut(i), self.words_shallow.get_mut(i))
                && *shallow
            {
                *slot = w;
                *shallow = false;
                self.shallow_words -= 1;
            }
        }
        true
    }

    /// Every word read for `generation` is in: the articles still without
    /// the words of their text (files that could not be read) search by
    /// title and authors, and are not asked for again.
    pub fn settle_words(&mut self, generation: u64) {
        if generation == self.generation {
            self.words_shallow.iter_mut().for_each(|s| *s = false);
            self.shallow_words = 0;
        }
    }

    /// Changes whenever ids change (see [`Archive::set_words`]).
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// What the query engine reads of the archive.
pub struct Prepared<'a> {
    /// Cheap facts, by id.
    pub meta: &'a [Meta],
    /// Dates, by id.
    pub dates: &'a [Option<crate::article::Date>],
    /// The merged articles, by id.
    pub articles: &'a [Article],
    /// Prepared words, by id.
    pub words: &'a [ArticleWords],
    /// The full-text index for these ids, when it is complete (else the
    /// words are scanned).
    pub text: Option<&'a Indexed>,
    /// Location tags.
    pub index: &'a TagIndex,
    /// Marks, by id.
    pub marks: &'a [Marks],
}
