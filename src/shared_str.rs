//! Short texts every article keeps (its title, its source address, its
//! path), held back to back in one block per batch instead of an
//! allocation each.
//!
//! A snapshot's million articles come in pieces; each piece's titles and
//! addresses go into one [`Strip`], and every article holds a
//! [`SharedStr`]: the block and where in it, 16 bytes. Against a `String`
//! each (24 bytes, and an allocation rounded up past its text) that is
//! about 50 bytes an article less, and two million allocations fewer to
//! make on the start and to free at the end.
//!
//! A block lives while any text in it does: an article read again (its
//! file edited) holds a block of its own, and the old text stays in its
//! piece's block until every article of that piece has gone. So the
//! blocks never hold more than the texts the archive was loaded with plus
//! those read since.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A text in a shared block, read as a `str`.
#[derive(Clone)]
pub struct SharedStr {
    block: Arc<String>,
    start: u32,
    len: u32,
}

impl SharedStr {
    /// The text, in a block of its own.
    pub fn new(text: &str) -> SharedStr {
        SharedStr::from(text.to_owned())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Made by a strip at the bounds of a whole `str` pushed to it, so
        // the range is always in the block and on character boundaries.
        self.block
            .get(span(self.start, self.len))
            .unwrap_or_default()
    }
}

impl Default for SharedStr {
    fn default() -> SharedStr {
        static EMPTY: OnceLock<Arc<String>> = OnceLock::new();
        SharedStr {
            block: EMPTY.get_or_init(|| Arc::new(String::new())).clone(),
            start: 0,
            len: 0,
        }
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> SharedStr {
        match u32::try_from(text.len()) {
            Ok(len) => SharedStr {
                block: Arc::new(text),
                start: 0,
                len,
            },
            // Over 4 GiB in one text: the part that fits (no such title is
            // ever read: a file is refused long before).
            Err(_) => {
                let mut end = u32::MAX as usize;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                SharedStr::from(text[..end].to_owned())
            }
        }
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> SharedStr {
        SharedStr::new(text)
    }
}

impl From<&String> for SharedStr {
    fn from(text: &String) -> SharedStr {
        SharedStr::new(text)
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> String {
        text.as_str().to_owned()
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &SharedStr) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &SharedStr) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Texts gathered for one block: each pushed is given its place, and the
/// block made at the end gives the [`SharedStr`] at each place.
#[derive(Debug, Default)]
pub struct Strip {
    text: String,
    /// Paths, as bytes (a path need not be UTF-8).
    paths: Vec<u8>,
}

/// Where a pushed text is in its strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut(Range<usize>);

impl Strip {
    /// An empty strip with room for `bytes` of text.
    pub fn with_capacity(bytes: usize) -> Strip {
        Strip {
            text: String::with_capacity(bytes),
            paths: Vec::new(),
        }
    }

    /// Adds `text`: where it is, for the block [`Strip::finish`] makes.
    pub fn push(&mut self, text: &str) -> Cut {
        let start = self.text.len();
        self.text.push_str(text);
        Cut(start..self.text.len())
    }

    /// Adds `path`: where it is, for [`Block::path`].
    pub fn push_path(&mut self, path: &Path) -> Cut {
        let start = self.paths.len();
        self.paths.extend_from_slice(path.as_os_str().as_bytes());
        Cut(start..self.paths.len())
    }

    /// Bytes of text pushed.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The block of every text pushed (its spare room given back).
    pub fn finish(mut self) -> Block {
        self.text.shrink_to_fit();
        self.paths.shrink_to_fit();
        Block(Arc::new(self.text), Arc::new(self.paths))
    }
}

/// The texts of a finished [`Strip`], shared by every [`SharedStr`] cut
/// from it.
#[derive(Debug, Clone)]
pub struct Block(Arc<String>, Arc<Vec<u8>>);

impl Block {
    /// The text pushed at `cut` (of this block's strip).
    pub fn get(&self, cut: &Cut) -> SharedStr {
        match cut.within(self.0.len()) {
            Some((start, len)) => SharedStr {
                block: self.0.clone(),
                start,
                len,
            },
            // Past 4 GiB of text in one strip (or not its cut): a block of
            // its own.
            None => SharedStr::new(self.0.get(cut.0.clone()).unwrap_or_default()),
        }
    }

    /// The path pushed at `cut` (of this block's strip).
    pub fn path(&self, cut: &Cut) -> SharedPath {
        match cut.within(self.1.len()) {
            Some((start, len)) => SharedPath {
                block: self.1.clone(),
                start,
                len,
            },
            None => SharedPath::from(self.1.get(cut.0.clone()).unwrap_or_default().to_vec()),
        }
    }
}

impl Cut {
    /// Its start and length as a view keeps them, when it lies in a
    /// block of `len` bytes and both fit 32 bits.
    fn within(&self, len: usize) -> Option<(u32, u32)> {
        let Cut(range) = self;
        if range.end > len {
            return None;
        }
        Some((
            u32::try_from(range.start).ok()?,
            u32::try_from(range.len()).ok()?,
        ))
    }
}

/// The bytes a view of `start` and `len` covers.
fn span(start: u32, len: u32) -> Range<usize> {
    start as usize..start as usize + len as usize
}

/// A path in a shared block, read as a [`Path`] (its bytes as they were:
/// a path need not be UTF-8).
#[derive(Clone)]
pub struct SharedPath {
    block: Arc<Vec<u8>>,
    start: u32,
    len: u32,
}

impl SharedPath {
    /// The path.
    pub fn as_path(&self) -> &Path {
        let bytes = self
            .block
            .get(span(self.start, self.len))
            .unwrap_or_default();
        Path::new(std::ffi::OsStr::from_bytes(bytes))
    }
}

impl From<Vec<u8>> for SharedPath {
    fn from(bytes: Vec<u8>) -> SharedPath {
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        SharedPath {
            block: Arc::new(bytes),
            start: 0,
            len,
        }
    }
}

impl From<PathBuf> for SharedPath {
    fn from(path: PathBuf) -> SharedPath {
        SharedPath::from(path.into_os_string().into_vec())
    }
}

impl From<&Path> for SharedPath {
    fn from(path: &Path) -> SharedPath {
        SharedPath::from(path.as_os_str().as_bytes().to_vec())
    }
}

impl From<&PathBuf> for SharedPath {
    fn from(path: &PathBuf) -> SharedPath {
        SharedPath::from(path.as_path())
    }
}

impl From<&str> for SharedPath {
    fn from(path: &str) -> SharedPath {
        SharedPath::from(path.as_bytes().to_vec())
    }
}

impl From<String> for SharedPath {
    fn from(path: String) -> SharedPath {
        SharedPath::from(path.into_bytes())
    }
}

impl From<SharedPath> for PathBuf {
    fn from(path: SharedPath) -> PathBuf {
        path.as_path().to_path_buf()
    }
}

impl Default for SharedPath {
    fn default() -> SharedPath {
        SharedPath::from(Vec::new())
    }
}

impl Deref for SharedPath {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.as_path()
    }
}

impl AsRef<Path> for SharedPath {
    fn as_ref(&self) -> &Path {
        self.as_path()
    }
}

impl AsRef<std::ffi::OsStr> for SharedPath {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.as_path().as_os_str()
    }
}

impl Borrow<Path> for SharedPath {
    fn borrow(&self) -> &Path {
        self.as_path()
    }
}

impl PartialEq for SharedPath {
    fn eq(&self, other: &SharedPath) -> bool {
        self.as_path() == other.as_path()
    }
}

impl Eq for SharedPath {}

impl PartialEq<Path> for SharedPath {
    fn eq(&self, other: &Path) -> bool {
        self.as_path() == other
    }
}

impl PartialEq<&Path> for SharedPath {
    fn eq(&self, other: &&Path) -> bool {
        self.as_path() == *other
    }
}

impl PartialEq<PathBuf> for SharedPath {
    fn eq(&self, other: &PathBuf) -> bool {
        self.as_path() == other.as_path()
    }
}

impl PartialEq<SharedPath> for PathBuf {
    fn eq(&self, other: &SharedPath) -> bool {
        self.as_path() == other.as_path()
    }
}

impl PartialEq<SharedPath> for &Path {
    fn eq(&self, other: &SharedPath) -> bool {
        *self == other.as_path()
    }
}

impl PartialOrd for SharedPath {
    fn partial_cmp(&self, other: &SharedPath) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedPath {
    fn cmp(&self, other: &SharedPath) -> Ordering {
        self.as_path().cmp(other.as_path())
    }
}

impl Hash for SharedPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_path().hash(state);
    }
}

impl fmt::Debug for SharedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_path(), f)
    }
}

/// Moves the titles, source addresses and paths of `articles` into one
/// block (each parsed article has its own): the loader does it for each
/// batch it reads, so a first start holds what a start from the snapshot
/// holds.
pub fn share_texts(articles: &mut [crate::article::Article]) {
    let bytes = articles
        .iter()
        .map(|a| a.title.len() + a.source_url.as_ref().map_or(0, |u| u.len()))
        .sum();
    let mut strip = Strip::with_capacity(bytes);
    let cuts: Vec<(Cut, Option<Cut>, Cut)> = articles
        .iter()
        .map(|a| {
            (
                strip.push(&a.title),
                a.source_url.as_ref().map(|u| strip.push(u)),
                strip.push_path(&a.path),
            )
        })
        .collect();
    let block = strip.finish();
    for (a, (title, url, path)) in articles.iter_mut().zip(&cuts) {
        a.title = block.get(title);
        a.source_url = url.as_ref().map(|u| block.get(u));
        a.path = block.path(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_cut_from_one_block_read_as_pushed() {
        let mut strip = Strip::with_capacity(8);
        let cuts: Vec<Cut> = ["Almaty", "", "Қарағанды talks", "é"]
            .iter()
            .map(|t| strip.push(t))
            .collect();
        let block = strip.finish();
        let texts: Vec<SharedStr> = cuts.iter().map(|c| block.get(c)).collect();
        assert_eq!(texts, ["Almaty", "", "Қарағанды talks", "é"]);
        // One block for all: the same allocation, one count each.
        assert_eq!(Arc::strong_count(&block.0), 5);
        drop(texts);
        assert_eq!(Arc::strong_count(&block.0), 1);
    }

    #[test]
    fn a_shared_text_is_its_text_everywhere() {
        let a = SharedStr::from("Water talks");
        let mut strip = Strip::default();
        let cut = strip.push("Water talks");
        let b = strip.finish().get(&cut);
        assert_eq!(a, b);
        assert_eq!(a, "Water talks");
        assert_eq!(a.len(), 11, "reads as a str");
        assert_eq!(format!("{a}|{a:?}"), "Water talks|\"Water talks\"");
        assert_eq!(SharedStr::default(), "");
        let (x, y) = (SharedStr::from("a"), SharedStr::from("b"));
        assert!(x < y, "orders as its text");
        assert_eq!(String::from(b), "Water talks");
        let set: std::collections::HashSet<SharedStr> = [a].into_iter().collect();
        assert!(set.contains("Water talks"), "hashes as its text");
        assert_eq!(std::mem::size_of::<Option<SharedStr>>(), 16);
    }

    #[test]
    fn paths_cut_from_one_block_are_their_bytes() {
        let odd = PathBuf::from(std::ffi::OsString::from_vec(b"news/\xff.txt".to_vec()));
        let mut strip = Strip::default();
        let a = strip.push_path(Path::new("0000/000001.txt"));
        let b = strip.push_path(&odd);
        let block = strip.finish();
        let (a, b) = (block.path(&a), block.path(&b));
        assert_eq!(a, Path::new("0000/000001.txt"));
        assert_eq!(b, odd, "not UTF-8, kept as it was");
        assert_eq!(
            a.join("x"),
            Path::new("0000/000001.txt/x"),
            "reads as a Path"
        );
        assert_eq!(SharedPath::from("0000/000001.txt"), a);
        assert_eq!(PathBuf::from(b.clone()), odd);
        assert_eq!(SharedPath::default(), Path::new(""));
        assert_eq!(std::mem::size_of::<SharedPath>(), 16);
    }

    #[test]
    fn texts_shared_are_the_texts_they_were() {
        use crate::article::Article;
        let one = |path: &str, title: &str, url: Option<&str>| Article {
            path: path.into(),
            title: title.into(),
            source_url: url.map(SharedStr::from),
            ..Article::default()
        };
        let before = vec![
            one("a.txt", "Water talks", Some("https://e.org/a")),
            one("b/é.txt", "Қарағанды", None),
            one("c.txt", "", Some("")),
        ];
        let mut after = before.clone();
        share_texts(&mut after);
        assert_eq!(after, before);
        // One block for all three titles.
        assert!(Arc::ptr_eq(&after[0].title.block, &after[2].title.block));
    }

    #[test]
    fn a_cut_from_another_strip_gives_no_wrong_text() {
        let mut long = Strip::default();
        let far = long.push("a text longer than the other strip");
        let mut short = Strip::default();
        short.push("short");
        assert_eq!(short.finish().get(&far), "");
    }
}
