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
//! - *initials*: the first character of every word, so a one-letter word of
//!   a query (`w`, the first key typed) is one term instead of a prefix
//!   expanded to every word starting with it (tens of thousands of terms
//!   at 100,000 articles: 60–140 ms a keystroke).
//!
//! Tags are not in the text fields: the scan's words leave them out too, and
//! `tag:` terms answer them from the tag index.
//!
//! Parts: [`tokens`] (the two tokenizers), [`TextIndex`] here (open, build,
//! update), [`search`] ([`Indexed`]: the query language's text terms
//! answered from it), [`worker`] (the background thread that builds and
//! updates it).

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use tantivy::query::PhrasePrefixQuery;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::article::Article;
use crate::query::parse::TextField;
use crate::snapshot::{self, SnapshotError};
use crate::watch::Changes;

pub mod paths;
pub mod search;
pub mod tokens;
pub mod worker;

pub use search::Indexed;
use tokens::{CJK, INITIALS, WORDS};
pub use tokens::{CjkTokenizer, InitialsTokenizer, Tokens, WordsTokenizer};
pub use worker::{IndexJob, IndexWorker, spawn};

/// Written with every commit of a finished build; an index without it (a
/// build cut short, an older layout) is built again.
const COMPLETE: &str = "newsdesk-index 2 complete";

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
    /// The first character of each word, likewise.
    initials: [Field; 3],
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
    // Frequencies (for the relevance scores), no positions: never in a phrase.
    let initial = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(INITIALS)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let initials = [
        b.add_text_field("all_initials", initial()),
        b.add_text_field("title_initials", initial()),
        b.add_text_field("authors_initials", initial()),
    ];
    (
        b.build(),
        Fields {
            path,
            words,
            cjk,
            initials,
        },
    )
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

/// Removes every archive's index folder (`index-*`) from the cache folder;
/// returns how many went. Each is built again at its archive's next start.
pub fn clear() -> Result<usize, IndexError> {
    let dir = snapshot::cache_dir()?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(source) => return Err(IndexError::Io { path: dir, source }),
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with("index-") && path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(|source| IndexError::Io { path, source })?;
            removed += 1;
        }
    }
    Ok(removed)
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
    /// Each segment's paths, hashed on the index's thread (see [`paths`]).
    paths: std::sync::Mutex<Vec<paths::SegmentPaths>>,
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
        index.tokenizers().register(INITIALS, InitialsTokenizer);
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
                paths: std::sync::Mutex::new(Vec::new()),
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
        let authors = article.authors.iter().map(|a| a.as_str());
        let all = title
            .clone()
            .chain(authors.clone())
            .chain(std::iter::once(article.standfirst()))
            .chain(article.body().iter().map(|b| b.text.as_str()));
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
                doc.add_text(f.initials[k], s);
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
}
