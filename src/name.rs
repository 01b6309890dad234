//! Names that many articles share: authors, location tags, source hosts.
//!
//! A million articles name a few thousand people and places. Each name is
//! kept once for the whole process and every article holds a reference to
//! it: no allocation per author or tag when an archive is read or its
//! snapshot decoded, and a 4-byte number per name in an article instead of
//! a string of its own (24 bytes and an allocation of at least 32).
//!
//! The table only grows: a name stays until the reader exits, so memory
//! follows the distinct names seen in a session, not the articles. Reading
//! the same archive again adds nothing.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;
#[cfg(test)]
use rustc_hash::FxHashSet;

/// Bytes of name text taken from the system at a time.
const BLOCK: usize = 64 * 1024;

/// Names the first bucket of [`TEXTS`] holds; each after holds twice as
/// many as the one before, so 25 of them give every `u32` its place.
const FIRST: usize = 256;
const BUCKETS: usize = 25;

/// An interned name: a number, 4 bytes in an article (a million articles
/// hold millions). Compares as its number, orders and hashes as its text.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Name(u32);

struct Table {
    /// Every name's text and number, to find a name again.
    names: FxHashMap<&'static str, u32>,
    /// The number the next new name gets (0 is the empty name).
    next: u32,
    /// The rest of the current block, where the next names go.
    free: &'static mut [u8],
}

static TABLE: Mutex<Option<Table>> = Mutex::new(None);

/// Each name's text by its number, read without the table's lock (names
/// are read far more often than made: every row drawn, every sort by
/// author). A bucket is made when its first name is; a slot is set once.
type Bucket = Box<[OnceLock<&'static str>]>;
static TEXTS: [OnceLock<Bucket>; BUCKETS] = [const { OnceLock::new() }; BUCKETS];

/// The bucket of name number `id`, and its place there.
fn slot(id: u32) -> (usize, usize) {
    let n = id as usize / FIRST + 1;
    let bucket = n.ilog2() as usize;
    (bucket, id as usize - FIRST * ((1 << bucket) - 1))
}

thread_local! {
    /// The names this thread has met, found again without the table's lock
    /// (a snapshot's decoding and the loop's staging meet millions at once).
    /// By their bytes: a name met again in a snapshot is found before its
    /// bytes are checked as UTF-8 (they are, being a name's).
    static MET: RefCell<FxHashMap<&'static [u8], Name>> = RefCell::new(FxHashMap::default());
}

impl Name {
    /// The name with this text (the same one every time).
    pub fn new(text: &str) -> Name {
        if text.is_empty() {
            return Name(0);
        }
        if let Some(kept) = Name::met(text.as_bytes()) {
            return kept;
        }
        let (name, kept) = Name::from_table(text);
        MET.with_borrow_mut(|met| met.insert(kept.as_bytes(), name));
        name
    }

    /// The name with these bytes, when they are UTF-8 (a snapshot's names:
    /// those this thread has met are not checked again).
    pub fn from_utf8(bytes: &[u8]) -> Option<Name> {
        if bytes.is_empty() {
            return Some(Name(0));
        }
        if let Some(kept) = Name::met(bytes) {
            return Some(kept);
        }
        std::str::from_utf8(bytes).ok().map(Name::new)
    }

    fn met(bytes: &[u8]) -> Option<Name> {
        MET.with_borrow(|met| met.get(bytes).copied())
    }

    fn from_table(text: &str) -> (Name, &'static str) {
        // A poisoned table is still whole: every insert completes or never
        // starts (the only panics possible are allocation failures).
        let mut guard = TABLE.lock().unwrap_or_else(|p| p.into_inner());
        let table = guard.get_or_insert_with(|| Table {
            names: FxHashMap::default(),
            next: 1,
            free: &mut [],
        });
        if let Some((&kept, &id)) = table.names.get_key_value(text) {
            return (Name(id), kept);
        }
        // Four billion distinct names are past what memory holds (their
        // text is kept too); were they reached, the last number would be
        // given again: a wrong name, never a crash.
        let id = table.next;
        table.next = id.saturating_add(1);
        let kept = table.keep(text);
        let (bucket, at) = slot(id);
        let texts =
            TEXTS[bucket].get_or_init(|| (0..FIRST << bucket).map(|_| OnceLock::new()).collect());
        // Set once: the number is new, and given under the lock.
        let _ = texts[at].set(kept);
        table.names.insert(kept, id);
        (Name(id), kept)
    }

    /// The text.
    pub fn as_str(&self) -> &'static str {
        if self.0 == 0 {
            return "";
        }
        // A number is given only with its text set, so both are there.
        let (bucket, at) = slot(self.0);
        TEXTS[bucket]
            .get()
            .and_then(|texts| texts.get(at)?.get())
            .copied()
            .unwrap_or("")
    }

    /// What tells this name from every other at the cost of one integer
    /// (the empty name is 0). Equal names have equal ids, different names
    /// different ones.
    pub fn id(&self) -> usize {
        self.0 as usize
    }
}

impl Table {
    fn keep(&mut self, text: &str) -> &'static str {
        let len = text.len();
        if len > BLOCK / 4 {
            return Box::leak(text.to_owned().into_boxed_str());
        }
        if self.free.len() < len {
            self.free = Box::leak(vec![0u8; BLOCK].into_boxed_slice());
        }
        let (dest, rest) = std::mem::take(&mut self.free).split_at_mut(len);
        self.free = rest;
        dest.copy_from_slice(text.as_bytes());
        // A copy of a whole `str`: valid UTF-8.
        match std::str::from_utf8(dest) {
            Ok(kept) => kept,
            Err(_) => Box::leak(text.to_owned().into_boxed_str()),
        }
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name::new(&text)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.as_str().to_owned()
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_a_name_only_when_they_are_text() {
        let fresh = Name::from_utf8("Қарағанды".as_bytes()).expect("UTF-8");
        assert_eq!(fresh, "Қарағанды");
        // Met before: the same name, found by its bytes.
        let again = Name::from_utf8("Қарағанды".as_bytes()).expect("met");
        assert_eq!(again.id(), fresh.id());
        assert_eq!(Name::from_utf8(b"").map(|n| n.id()), Some(0));
        assert!(Name::from_utf8(b"Almaty\xff").is_none());
        // A name's first bytes are not that name.
        assert!(Name::from_utf8(&"Қарағанды".as_bytes()[..1]).is_none());
    }

    #[test]
    fn the_same_text_is_the_same_name() {
        let a = Name::new("Kazakhstan");
        let b = Name::from(String::from("Kazakhstan"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, b);
        assert_eq!(a, "Kazakhstan");
        assert_ne!(a, Name::new("Kyrgyzstan"));
        assert_eq!(Name::new(""), Name::default());
        assert_eq!(a.id(), b.id());
        assert_ne!(a.id(), Name::new("Kyrgyzstan").id());
        assert_eq!(Name::new("").id(), Name::default().id());
    }

    #[test]
    fn every_number_has_one_place() {
        assert_eq!(slot(0), (0, 0));
        assert_eq!(slot(FIRST as u32 - 1), (0, FIRST - 1));
        assert_eq!(slot(FIRST as u32), (1, 0));
        assert_eq!(slot(3 * FIRST as u32 - 1), (1, 2 * FIRST - 1));
        assert_eq!(slot(3 * FIRST as u32), (2, 0));
        let (bucket, at) = slot(u32::MAX);
        assert!(bucket < BUCKETS && at < FIRST << bucket);
    }

    #[test]
    fn names_order_and_hash_as_their_text() {
        let mut names: Vec<Name> = ["b", "a", "c"].into_iter().map(Name::new).collect();
        names.sort();
        assert_eq!(names, ["a", "b", "c"]);
        let set: FxHashSet<Name> = names.iter().copied().collect();
        assert!(set.contains("b"));
        assert!(!set.contains("d"));
    }

    #[test]
    fn many_and_long_names_are_kept_whole() {
        let long = "x".repeat(BLOCK);
        assert_eq!(Name::new(&long).as_str(), long);
        let all: Vec<String> = (0..20_000).map(|i| format!("name {i} é")).collect();
        let names: Vec<Name> = all.iter().map(|s| Name::new(s)).collect();
        for (name, text) in names.iter().zip(&all) {
            assert_eq!(name.as_str(), text);
        }
        let ids: FxHashSet<usize> = names.iter().map(Name::id).collect();
        assert_eq!(ids.len(), all.len(), "one id per distinct name");
    }
}
