//! The persistent full-text index (issue 17): the query language's words and
//! phrases answered from postings on disk instead of a scan of every
//! article's prepared words.
//!
//! The index is a tantivy index in the cache folder, one per archive
//! (`index-<hash of the real path>/`, the hash the snapshot's file uses), keyed
//! by each article's path. Its tokenizers are the query language's own
//! ([`crate::query::text`]): text is folded and cut into the same tokens, so a
//! word, a phrase or a CJK run finds exactly what [`Scan`](crate::query::eval::Scan)
//! finds. Each text field is indexed twice:
//!
//! - *words*: every token whole, CJK runs included, one position each; a
//!   single word is a prefix query on it, a phrase is a phrase query whose
//!   last word is a prefix. Segments (title, each author, standfirst, each
//!   paragraph) are separate values, and tantivy leaves a position gap between
//!   values, so a phrase never runs from one paragraph into the next, as in
//!   the scan.
//! - *cjk*: the characters of CJK runs as unigrams and bigrams at the same
//!   position, so a one-character query is a unigram term, a two-character one
//!   a bigram term, and a longer one a phrase of bigrams: any run of the
//!   query's characters inside a longer run matches, as in the scan.
//!
//! Tags are not in the text fields: the scan's words leave them out too, and
//! `tag:` terms answer them from the tag index.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use tantivy::query::{
    BooleanQuery, EnableScoring, Occur, PhrasePrefixQuery, PhraseQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{DocId, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::article::Article;
use crate::query::eval::{Ids, TextSearch};
use crate::query::parse::{Query, TextField};
use crate::query::text::{is_cjk, token_ranges};
use crate::search::fold;
use crate::snapshot::{self, SnapshotError};
use crate::watch::Changes;

/// Written with every commit of a finished build; an index without it (a
/// build cut short, an older layout) is built again.
const COMPLETE: &str = "newsdesk-index 1 complete";

/// Tantivy drops longer tokens; ours are cut to this instead, so a prefix of
/// a very long token still finds it.
const MAX_TOKEN_BYTES: usize = 65_000;

/// Memory for the writer's two threads during a build (tantivy flushes a
/// segment when it is used up).
const BUILD_MEMORY: usize = 200_000_000;

/// Memory for the one thread of an incremental update (tantivy's minimum is 15 MB).
const UPDATE_MEMORY: usize = 20_000_000;

/// Why the index could not be opened, built, updated or searched.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No cache folder, or the archive's real path could not be found.
    #[error(transparent)]
    Cache(#[from] SnapshotError),
    /// A file of the index could not be read, written or removed.
    #[error("{path}: {source} (check the permissions and free space of the cache folder)")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The search engine failed on the index in `dir`.
    #[error("the search index in {dir}: {source} (`newsdesk index --rebuild` builds it again)")]
    Engine {
        /// The index folder.
        dir: PathBuf,
        /// What tantivy said.
        source: tantivy::TantivyError,
    },
}

/// How [`TextIndex::open`] found the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A complete index: ready to search and to update.
    Ready,
    /// No usable index (none yet, cut short, or corrupt and cleared): it must
    /// be built; `notice` says why for the status bar when it was not simply
    /// missing.
    NeedsBuild {
        /// For a person: what was wrong with the old index.
        notice: Option<String>,
    },
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
struct Fields {
    path: Field,
    /// Words fields: any text, title, authors.
    words: [Field; 3],
    /// CJK unigram and bigram fields, likewise.
    cjk: [Field; 3],
}

fn slot(field: TextField) -> usize {
    match field {
        TextField::Any => 0,
        TextField::Title => 1,
        TextField::Author => 2,
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let path = b.add_text_field("path", STRING | FAST);
    let words = [
        b.add_text_field("all", text(WORDS)),
        b.add_text_field("title", text(WORDS)),
        b.add_text_field("authors", text(WORDS)),
    ];
    let cjk = [
        b.add_text_field("all_cjk", text(CJK)),
        b.add_text_field("title_cjk", text(CJK)),
        b.add_text_field("authors_cjk", text(CJK)),
    ];
    (b.build(), Fields { path, words, cjk })
}

const WORDS: &str = "newsdesk_words";
const CJK: &str = "newsdesk_cjk";

/// The query language's tokens, whole (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct WordsTokenizer;

/// Unigrams and bigrams of the CJK runs (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct CjkTokenizer;

/// Tokens made up front (articles are short; the query language's folding
/// works on whole strings), handed out one by one.
pub struct Tokens {
    rest: std::vec::IntoIter<Token>,
    current: Token,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        match self.rest.next() {
            Some(t) => {
                self.current = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

fn tokens(list: Vec<Token>) -> Tokens {
    Tokens {
        rest: list.into_iter(),
        current: Token::default(),
    }
}

fn cut(text: &str) -> &str {
    if text.len() <= MAX_TOKEN_BYTES {
        return text;
    }
    let mut end = MAX_TOKEN_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let folded = fold(text);
        let list = token_ranges(&folded)
            .into_iter()
            .enumerate()
            .map(|(position, r)| Token {
                offset_from: r.start,
                offset_to: r.end,
                position,
                text: cut(&folded[r]).to_owned(),
                position_length: 1,
            })
            .collect();
        tokens(list)
    }
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let folded = fold(text);
        let mut list = Vec::new();
        let mut position = 0;
        for r in token_ranges(&folded) {
            let run = &folded[r.clone()];
            if !run.chars().next().is_some_and(is_cjk) {
                continue;
            }
            let chars: Vec<(usize, char)> = run.char_indices().collect();
            for (k, &(at, c)) in chars.iter().enumerate() {
                let from = r.start + at;
                let token = |text: String, to: usize| Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text,
                    position_length: 1,
                };
                list.push(token(c.to_string(), from + c.len_utf8()));
                if let Some(&(_, d)) = chars.get(k + 1) {
                    list.push(token(format!("{c}{d}"), from + c.len_utf8() + d.len_utf8()));
                }
                position += 1;
            }
            // A gap, so a phrase of bigrams never joins two runs.
            position += 1;
        }
        tokens(list)
    }
}

/// The index folder of the archive at `root`: `cache_dir()/index-<hash>/`,
/// the hash of the real path that names its snapshot.
pub fn dir_for(root: &Path) -> Result<PathBuf, IndexError> {
    let snap = snapshot::path_for(root)?;
    let name = snap
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.strip_prefix("archive-"))
        .unwrap_or("unnamed");
    Ok(snapshot::cache_dir()?.join(format!("index-{name}")))
}

/// The key an article is stored under: its path (relative to the archive).
fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A full-text index on disk, one per archive.
pub struct TextIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex").field("dir", &self.dir).finish()
    }
}

impl TextIndex {
    /// Opens the index in `dir` (memory-mapped: milliseconds), creating an
    /// empty one when there is none. A corrupt index is cleared and comes back
    /// empty with a notice; an empty or unfinished one says it must be built.
    pub fn open(dir: &Path) -> Result<(TextIndex, Opened), IndexError> {
        let had_files = dir.join("meta.json").exists();
        match Self::open_existing(dir) {
            Ok((index, complete)) if complete => Ok((index, Opened::Ready)),
            Ok((index, _)) => Ok((index, Opened::NeedsBuild { notice: None })),
            Err(e) => {
                let notice =
                    had_files.then(|| format!("search index unreadable, rebuilding ({e})"));
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(|source| IndexError::Io {
                        path: dir.to_path_buf(),
                        source,
                    })?;
                }
                let (index, _) = Self::open_existing(dir)?;
                Ok((index, Opened::NeedsBuild { notice }))
            }
        }
    }

    /// Opens or creates; says whether the last commit was a finished build.
    fn open_existing(dir: &Path) -> Result<(TextIndex, bool), IndexError> {
        let engine = |source| IndexError::Engine {
            dir: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let index = if dir.join("meta.json").exists() {
            let index = Index::open_in_dir(dir).map_err(engine)?;
            if index.schema() != schema {
                return Err(engine(tantivy::TantivyError::SchemaError(
                    "made by another version of newsdesk".into(),
                )));
            }
            index
        } else {
            Index::create_in_dir(dir, schema).map_err(engine)?
        };
        index.tokenizers().register(WORDS, WordsTokenizer);
        index.tokenizers().register(CJK, CjkTokenizer);
        let complete = index
            .load_metas()
            .map_err(engine)?
            .payload
            .is_some_and(|p| p == COMPLETE);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(engine)?;
        Ok((
            TextIndex {
                dir: dir.to_path_buf(),
                index,
                reader,
                fields,
            },
            complete,
        ))
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn engine(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Engine {
            dir: self.dir.clone(),
            source,
        }
    }

    fn document(&self, article: &Article) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.path, key(&article.path));
        let title = std::iter::once(article.title.as_str());
        let authors = article.authors.iter().map(String::as_str);
        let all = title
            .clone()
            .chain(authors.clone())
            .chain(std::iter::once(article.standfirst.as_str()))
            .chain(article.body.iter().map(|b| b.text.as_str()));
        for (k, segments) in [
            Box::new(all) as Box<dyn Iterator<Item = &str>>,
            Box::new(title),
            Box::new(authors),
        ]
        .into_iter()
        .enumerate()
        {
            for s in segments {
                doc.add_text(f.words[k], s);
                doc.add_text(f.cjk[k], s);
            }
        }
        doc
    }

    fn commit(&self, mut writer: IndexWriter) -> Result<(), IndexError> {
        let mut prepared = writer.prepare_commit().map_err(|e| self.engine(e))?;
        prepared.set_payload(COMPLETE);
        prepared.commit().map_err(|e| self.engine(e))?;
        writer.wait_merging_threads().map_err(|e| self.engine(e))?;
        self.reader.reload().map_err(|e| self.engine(e))
    }

    /// Builds the index afresh from every article (on two threads), calling
    /// `progress(done)` every 1,000 articles; searches see it when done.
    pub fn build<A: Borrow<Article>>(
        &self,
        articles: impl IntoIterator<Item = A>,
        mut progress: impl FnMut(usize),
    ) -> Result<(), IndexError> {
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(2, BUILD_MEMORY)
            .map_err(|e| self.engine(e))?;
        writer.delete_all_documents().map_err(|e| self.engine(e))?;
        for (n, article) in articles.into_iter().enumerate() {
            writer
                .add_document(self.document(article.borrow()))
                .map_err(|e| self.engine(e))?;
            if (n + 1) % 1000 == 0 {
                progress(n + 1);
            }
        }
        self.commit(writer)
    }

    /// Applies a change of the folder: everything at or under each changed
    /// path is deleted, the articles found there now are added.
    pub fn update(&self, changes: &Changes) -> Result<(), IndexError> {
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(1, UPDATE_MEMORY)
            .map_err(|e| self.engine(e))?;
        for path in &changes.paths {
            let exact = key(path);
            writer.delete_term(Term::from_field_text(self.fields.path, &exact));
            // A folder: everything under it.
            let under = format!("{}/", exact.trim_end_matches('/'));
            let mut q =
                PhrasePrefixQuery::new(vec![Term::from_field_text(self.fields.path, &under)]);
            q.set_max_expansions(u32::MAX);
            writer
                .delete_query(Box::new(q))
                .map_err(|e| self.engine(e))?;
        }
        for article in &changes.articles {
            writer
                .add_document(self.document(article))
                .map_err(|e| self.engine(e))?;
        }
        self.commit(writer)
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no article.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of the index on disk.
    pub fn size_on_disk(&self) -> Result<u64, IndexError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|source| IndexError::Io {
            path: self.dir.clone(),
            source,
        })?;
        Ok(entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum())
    }

    /// A searcher over the index as it is now, answering for the archive
    /// whose ids `id_of` gives (an id below `len`; articles the archive does
    /// not have are left out). Made once per change of the index or of the
    /// archive's ids (it maps every document once), not per keystroke.
    pub fn searcher(
        &self,
        id_of: impl Fn(&Path) -> Option<usize>,
        len: usize,
    ) -> Result<Indexed, IndexError> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let column = segment
                .fast_fields()
                .str("path")
                .map_err(|e| self.engine(e))?;
            let mut map = vec![NONE; segment.max_doc() as usize];
            if let Some(column) = column {
                // Each path once, in the dictionary's order (one pass over
                // it: looking each document's path up would seek for each).
                let mut by_ord = vec![NONE; column.num_terms()];
                let mut terms = column.dictionary().stream().map_err(|e| IndexError::Io {
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
                for (doc, slot) in map.iter_mut().enumerate() {
                    if let Some(ord) = column.term_ords(doc as DocId).next() {
                        *slot = by_ord.get(ord as usize).copied().unwrap_or(NONE);
                    }
                }
            }
            ids.push(map);
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

/// No archive id for this document.
const NONE: u32 = u32::MAX;

/// Answers word and phrase terms from the index, for one archive's ids.
pub struct Indexed {
    searcher: tantivy::Searcher,
    fields: Fields,
    /// Per segment: document → archive id ([`NONE`] when not in the archive).
    ids: Vec<Vec<u32>>,
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

/// What the background index work says to the reader (carried by
/// `Job::Index`).
#[derive(Debug)]
pub enum IndexJob {
    /// The worker is running: changes of the folder go to it.
    Started(IndexWorker),
    /// The first build moved on: `done` of `total` articles.
    Progress {
        /// Articles indexed so far.
        done: usize,
        /// Articles in all.
        total: usize,
    },
    /// The index is complete (built, opened, or updated): searches use it.
    Ready(Arc<TextIndex>),
    /// Something for the status bar (an old index was unreadable and is
    /// rebuilt).
    Notice(String),
    /// The index cannot be used (searches keep the scan), and why.
    Failed(String),
}

impl IndexJob {
    /// The status bar's words for a build in progress: `indexing 41%`.
    pub fn progress_text(done: usize, total: usize) -> String {
        format!(
            "indexing {}%",
            (done * 100).checked_div(total).unwrap_or(0).min(100)
        )
    }
}

/// The handle of the background index work: takes the folder's changes.
#[derive(Debug, Clone)]
pub struct IndexWorker {
    changes: mpsc::Sender<Changes>,
}

impl IndexWorker {
    /// Queues a change of the folder for the index (the articles are
    /// copied; the reader keeps its own). Never waits.
    pub fn update(&self, changes: &Changes) {
        // A worker that has stopped (after a failure) takes nothing: the
        // reader then searches by the scan, so nothing is lost.
        let _ = self.changes.send(Changes {
            paths: changes.paths.clone(),
            articles: changes.articles.clone(),
            ..Changes::default()
        });
    }
}

/// Starts the index work for the archive at `root` on a thread of its own:
/// opens the index (milliseconds when complete), else loads the folder and
/// builds it (tantivy's writer on two threads), reporting through `send`;
/// then applies the folder's changes as they come, coalesced, and says
/// [`IndexJob::Ready`] after each. `send` returns false when the reader is gone.
pub fn spawn(
    root: PathBuf,
    options: crate::library::LoadOptions,
    send: impl Fn(IndexJob) -> bool + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("newsdesk-index".into())
        .spawn(move || {
            let (tx, rx) = mpsc::channel();
            if !send(IndexJob::Started(IndexWorker { changes: tx })) {
                return;
            }
            let index = match open_or_build(&root, &options, &send) {
                Ok(index) => Arc::new(index),
                Err(e) => {
                    send(IndexJob::Failed(e.to_string()));
                    return;
                }
            };
            if !send(IndexJob::Ready(Arc::clone(&index))) {
                return;
            }
            while let Ok(mut changes) = rx.recv() {
                while let Ok(more) = rx.try_recv() {
                    changes.merge(more);
                }
                if let Err(e) = index.update(&changes) {
                    send(IndexJob::Failed(e.to_string()));
                    return;
                }
                if !send(IndexJob::Ready(Arc::clone(&index))) {
                    return;
                }
            }
        })
}

fn open_or_build(
    root: &Path,
    options: &crate::library::LoadOptions,
    send: &impl Fn(IndexJob) -> bool,
) -> Result<TextIndex, String> {
    let dir = dir_for(root).map_err(|e| e.to_string())?;
    let (index, opened) = TextIndex::open(&dir).map_err(|e| e.to_string())?;
    match opened {
        Opened::Ready => return Ok(index),
        Opened::NeedsBuild { notice: Some(n) } => {
            send(IndexJob::Notice(n));
        }
        Opened::NeedsBuild { notice: None } => {}
    }
    send(IndexJob::Progress { done: 0, total: 0 });
    let lib = crate::library::load(root, options).map_err(|e| e.to_string())?;
    let total = lib.articles.len();
    index
        .build(&lib.articles, |done| {
            send(IndexJob::Progress { done, total });
        })
        .map_err(|e| e.to_string())?;
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(mut s: Tokens) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().text.clone(), s.token().position));
        }
        out
    }

    #[test]
    fn word_tokens_are_the_query_languages() {
        let got = texts(WordsTokenizer.token_stream("Die STRAßE, 2003年東京 ΟΔΟΣ"));
        let words: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(words, ["die", "strasse", "2003", "年東京", "οδοσ"]);
        assert_eq!(got[4].1, 4);
    }

    #[test]
    fn cjk_tokens_are_unigrams_and_bigrams() {
        let got = texts(CjkTokenizer.token_stream("東京都 x 会議"));
        assert_eq!(
            got,
            [
                ("東".into(), 0),
                ("東京".into(), 0),
                ("京".into(), 1),
                ("京都".into(), 1),
                ("都".into(), 2),
                ("会".into(), 4),
                ("会議".into(), 4),
                ("議".into(), 5),
            ]
        );
    }

    #[test]
    fn long_tokens_are_cut_at_a_character() {
        let long = "é".repeat(40_000);
        let got = texts(WordsTokenizer.token_stream(&long));
        assert!(got[0].0.len() <= MAX_TOKEN_BYTES && got[0].0.starts_with("éé"));
    }
}
