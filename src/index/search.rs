//! [`Indexed`]: the query language's words and phrases answered from the
//! index, as a [`TextSearch`], with relevance scores.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::query::{
    BooleanQuery, EnableScoring, Occur, PhrasePrefixQuery, PhraseQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Term};

use super::{Fields, IndexError, TextIndex, slot};
use crate::query::eval::{Ids, TextSearch};
use crate::query::parse::{Query, TextField};
use crate::query::text::is_cjk;

/// No archive id for this document.
const NONE: u32 = u32::MAX;

impl TextIndex {
    /// A searcher over the index as it is now, answering for the archive
    /// whose ids `id_of` gives (an id below `len`; articles the archive does
    /// not have are left out). Made once per change of the index or of the
    /// archive's ids (it maps every document once), not per keystroke.
    pub fn searcher(
        &self,
        id_of: impl Fn(&Path) -> Option<usize>,
        len: usize,
    ) -> Result<Indexed, IndexError> {
        self.searcher_reusing(id_of, None, len, None)
    }

    /// [`TextIndex::searcher`], taking each segment's document → id map
    /// from `earlier` where that searcher had the same segment with every
    /// document in the archive (segments never change; a change of the
    /// folder adds a small one and marks the old version deleted). The
    /// caller promises the ids have not changed since `earlier` was made.
    /// At a million articles this is what keeps a saved edit quick:
    /// mapping every document anew took most of a second.
    ///
    /// `hashed` gives the archive's paths as [`super::paths::hashed`] makes them
    /// (asked for at most once): segments whose paths the index's thread
    /// prepared are then mapped by those, not by `id_of` for each path.
    pub fn searcher_reusing(
        &self,
        id_of: impl Fn(&Path) -> Option<usize>,
        hashed: Option<&dyn Fn() -> Vec<(u64, u32)>>,
        len: usize,
        earlier: Option<&Indexed>,
    ) -> Result<Indexed, IndexError> {
        let archive: std::cell::OnceCell<Vec<(u64, u32)>> = std::cell::OnceCell::new();
        let searcher = self.reader.searcher();
        let kept: Vec<(tantivy::index::SegmentId, &Arc<Vec<u32>>)> = earlier
            .map(|e| {
                e.searcher
                    .segment_readers()
                    .iter()
                    .map(|r| r.segment_id())
                    .zip(&e.ids)
                    .filter(|(_, map)| !map.contains(&NONE))
                    .collect()
            })
            .unwrap_or_default();
        let mut ids = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            if let Some((_, map)) = kept.iter().find(|(id, _)| *id == segment.segment_id()) {
                ids.push(Arc::clone(map));
                continue;
            }
            let column = segment
                .fast_fields()
                .str("path")
                .map_err(|e| self.engine(e))?;
            let mut map = vec![NONE; segment.max_doc() as usize];
            if let Some(column) = column {
                let joined = hashed.and_then(|hashed| {
                    let archive = archive.get_or_init(hashed);
                    self.with_paths(segment.segment_id(), |p| {
                        p.join(archive, column.num_terms(), NONE)
                    })
                });
                // Each path's id, by its ordinal: from the paths the index's
                // thread prepared, else by one pass over the dictionary
                // (looking each document's path up would seek for each).
                let by_ord = match joined {
                    // Ids past `len` are left out, as below.
                    Some(by_ord) => by_ord
                        .into_iter()
                        .map(|i| if i as usize >= len { NONE } else { i })
                        .collect(),
                    None => {
                        let mut by_ord = vec![NONE; column.num_terms()];
                        let mut terms =
                            column.dictionary().stream().map_err(|e| IndexError::Io {
                                path: self.dir.clone(),
                                source: e,
                            })?;
                        while terms.advance() {
                            let ord = terms.term_ord() as usize;
                            if let (Some(slot), Ok(path)) =
                                (by_ord.get_mut(ord), std::str::from_utf8(terms.key()))
                            {
                                *slot = id_of(Path::new(path))
                                    .filter(|&i| i < len)
                                    .map_or(NONE, |i| i as u32);
                            }
                        }
                        by_ord
                    }
                };
                for (doc, slot) in map.iter_mut().enumerate() {
                    if let Some(ord) = column.term_ords(doc as DocId).next() {
                        *slot = by_ord.get(ord as usize).copied().unwrap_or(NONE);
                    }
                }
            }
            ids.push(Arc::new(map));
        }
        Ok(Indexed {
            searcher,
            fields: self.fields,
            ids,
            len,
            error: Mutex::new(None),
            matched: Mutex::new(Vec::new()),
        })
    }
}

/// Answers word and phrase terms from the index, for one archive's ids.
pub struct Indexed {
    searcher: tantivy::Searcher,
    fields: Fields,
    /// Per segment: document → archive id ([`NONE`] when not in the archive).
    ids: Vec<Arc<Vec<u32>>>,
    len: usize,
    error: Mutex<Option<String>>,
    /// Terms recently counted, with every id they match.
    matched: Mutex<Vec<Counted>>,
}

/// A term of one field with every id it matches.
type Counted = ((TextField, Vec<String>), Ids);

/// How many terms [`Indexed`] keeps matched for counting.
const COUNT_CACHE: usize = 16;

impl std::fmt::Debug for Indexed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexed").field("len", &self.len).finish()
    }
}

impl Indexed {
    /// The engine's query for one term in one field (see the module
    /// documentation); `None` for an empty term, which matches everything.
    fn query(&self, field: TextField, term: &[String]) -> Option<Box<dyn tantivy::query::Query>> {
        let words = self.fields.words[slot(field)];
        let cjk = self.fields.cjk[slot(field)];
        match term {
            [] => None,
            [one] if one.chars().next().is_some_and(is_cjk) => {
                let chars: Vec<char> = one.chars().collect();
                let grams: Vec<Term> = if chars.len() == 1 {
                    vec![Term::from_field_text(cjk, one)]
                } else {
                    chars
                        .windows(2)
                        .map(|w| Term::from_field_text(cjk, &w.iter().collect::<String>()))
                        .collect()
                };
                Some(match grams.len() {
                    1 => Box::new(TermQuery::new(
                        grams[0].clone(),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => Box::new(PhraseQuery::new(grams)),
                })
            }
            // One letter: the words starting with it are its initial's term.
            [one] if one.chars().count() == 1 => Some(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.initials[slot(field)], one),
                IndexRecordOption::WithFreqs,
            ))),
            _ => {
                let last = term.last().map_or("", String::as_str);
                let mut q = PhrasePrefixQuery::new(
                    term.iter()
                        .map(|t| Term::from_field_text(words, t))
                        .collect(),
                );
                // Every expansion of the last word, never a cut-off: a phrase
                // reserves room for this many up front, so it is counted, not
                // u32::MAX. A one-word prefix is a range with no such reserve.
                let limit = if term.len() == 1 {
                    u32::MAX
                } else {
                    self.expansions(words, last)
                };
                q.set_max_expansions(limit);
                Some(Box::new(q))
            }
        }
    }

    /// The most terms starting with `prefix` in `field` of any one segment.
    fn expansions(&self, field: Field, prefix: &str) -> u32 {
        let mut most = 1u32;
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                continue;
            };
            let mut n = 0u32;
            while stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
                n += 1;
            }
            most = most.max(n);
        }
        most
    }

    fn failed(&self, e: tantivy::TantivyError) {
        if let Ok(mut slot) = self.error.lock() {
            slot.get_or_insert_with(|| e.to_string());
        }
    }

    /// The first engine error met while answering (the answers are then
    /// incomplete: the caller falls back to the scan and rebuilds).
    pub fn error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    /// Runs `query` over every segment, calling `hit(id, score)` for each
    /// live document in the archive.
    fn run(
        &self,
        query: &dyn tantivy::query::Query,
        scoring: bool,
        hit: &mut dyn FnMut(usize, f32),
    ) -> tantivy::Result<()> {
        let enable = if scoring {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        let weight = query.weight(enable)?;
        for (segment, map) in self.searcher.segment_readers().iter().zip(&self.ids) {
            let alive = segment.alive_bitset();
            let mut one = |doc: DocId, score: f32| {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    return;
                }
                if let Some(&id) = map.get(doc as usize)
                    && id != NONE
                {
                    hit(id as usize, score);
                }
            };
            if scoring {
                weight.for_each(segment, &mut one)?;
            } else {
                weight.for_each_no_score(segment, &mut |docs| {
                    for &doc in docs {
                        one(doc, 0.0);
                    }
                })?;
            }
        }
        Ok(())
    }

    /// BM25 scores of the ids in `within` that match any positive word or
    /// phrase of `query` (the relevance sort's scores); ids matching none are
    /// left out.
    pub fn scores(&self, query: &Query, within: &Ids) -> Vec<(usize, f32)> {
        let mut parts: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        for (field, term) in query.words() {
            // A prefix scores alike wherever it matches; the word itself,
            // where it occurs whole, adds its BM25 score.
            if let [one] = term.as_slice() {
                let exact = Term::from_field_text(self.fields.words[slot(field)], one);
                parts.push((
                    Occur::Should,
                    Box::new(TermQuery::new(exact, IndexRecordOption::WithFreqs)),
                ));
            }
            parts.extend(self.query(field, &term).map(|q| (Occur::Should, q)));
        }
        if parts.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let q = BooleanQuery::new(parts);
        if let Err(e) = self.run(&q, true, &mut |id, score| {
            if within.contains(id) {
                out.push((id, score));
            }
        }) {
            self.failed(e);
        }
        out.sort_unstable_by_key(|&(id, _)| id);
        out
    }
}

impl TextSearch for Indexed {
    fn matching(&self, field: TextField, term: &[String], within: &Ids) -> Ids {
        let Some(q) = self.query(field, term) else {
            return within.clone();
        };
        let mut out = Ids::none(within.universe());
        if let Err(e) = self.run(q.as_ref(), false, &mut |id, _| {
            if within.contains(id) {
                out.insert(id);
            }
        }) {
            self.failed(e);
        }
        out
    }

    /// 1 when the article matches, else 0: the index does not count
    /// occurrences of prefixes; [`Indexed::scores`] is the relevance measure.
    fn count(&self, field: TextField, term: &[String], id: usize) -> usize {
        if id >= self.len {
            return 0;
        }
        // The relevance sort asks for every visible id in turn: each term is
        // looked up once over the whole archive and kept.
        let Ok(mut cache) = self.matched.lock() else {
            return 0;
        };
        if let Some((_, ids)) = cache.iter().find(|(k, _)| k.0 == field && k.1 == term) {
            return usize::from(ids.contains(id));
        }
        let ids = self.matching(field, term, &Ids::all(self.len));
        let found = usize::from(ids.contains(id));
        if cache.len() >= COUNT_CACHE {
            cache.remove(0);
        }
        cache.push(((field, term.to_vec()), ids));
        found
    }
}
