//! One article's stored marks, each with when it changed ([`Entry`],
//! [`Field`]), and how the state file spells them.

use serde::{Deserialize, Serialize};

use super::{Marks, Position, Stamp};

/// One value with the time it last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// When it was set.
    pub at: Stamp,
}

impl<T: Ord + Copy + Default> Field<T> {
    /// Takes `other` when it is later. Ties go to the larger value, so merging
    /// is the same in any order and merging a copy twice changes nothing.
    pub(super) fn merge(&mut self, other: Field<T>) {
        if (other.at, other.value) > (self.at, self.value) {
            *self = other;
        }
    }

    /// Whether the field says anything (a value, or the time it was cleared).
    pub(super) fn is_set(&self) -> bool {
        self.at != Stamp(0) || self.value != T::default()
    }
}

/// The stored marks of one article, each with when it last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "EntryText", into = "EntryText")]
pub struct Entry {
    /// Read or not.
    pub read: Field<bool>,
    /// Starred or not.
    pub starred: Field<bool>,
    /// Where reading stopped (none: at the top).
    pub position: Field<Option<Position>>,
}

impl Entry {
    /// The marks without their times.
    pub fn marks(&self) -> Marks {
        Marks {
            read: self.read.value,
            starred: self.starred.value,
            position: self.position.value,
        }
    }

    /// Takes, field by field, whichever of the two changed last.
    pub fn merge(&mut self, other: &Entry) {
        self.read.merge(other.read);
        self.starred.merge(other.starred);
        self.position.merge(other.position);
    }

    pub(super) fn is_empty(&self) -> bool {
        !self.read.is_set() && !self.starred.is_set() && !self.position.is_set()
    }
}

/// An entry as the file spells it: `read = true`, `read_at = <time>`, ...; a
/// cleared position is `position = []`. An unset mark with a time is written
/// too (`starred = false`), so an older copy's star cannot come back.
#[derive(Default, Serialize, Deserialize)]
struct EntryText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read_at: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starred: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starred_at: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position_at: Option<Stamp>,
}

impl TryFrom<EntryText> for Entry {
    type Error = String;
    fn try_from(text: EntryText) -> Result<Entry, String> {
        let position = match text.position.as_deref() {
            None | Some([]) => None,
            // A place past any article (written by hand) is no place; the
            // marks beside it stay.
            Some(&[block, offset]) => u32::try_from(block)
                .ok()
                .zip(u32::try_from(offset).ok())
                .map(|(block, offset)| [block, offset]),
            Some(other) => {
                return Err(format!(
                    "position must be [block, offset] or [] (none), not {} numbers",
                    other.len()
                ));
            }
        };
        Ok(Entry {
            read: Field {
                value: text.read.unwrap_or(false),
                at: text.read_at.unwrap_or_default(),
            },
            starred: Field {
                value: text.starred.unwrap_or(false),
                at: text.starred_at.unwrap_or_default(),
            },
            position: Field {
                value: position,
                at: text.position_at.unwrap_or_default(),
            },
        })
    }
}

impl From<Entry> for EntryText {
    fn from(e: Entry) -> EntryText {
        let at = |s: Stamp| (s != Stamp(0)).then_some(s);
        EntryText {
            read: e.read.is_set().then_some(e.read.value),
            read_at: at(e.read.at),
            starred: e.starred.is_set().then_some(e.starred.value),
            starred_at: at(e.starred.at),
            position: e.position.is_set().then(|| {
                e.position
                    .value
                    .map_or(Vec::new(), |p| p.iter().map(|&n| n as usize).collect())
            }),
            position_at: at(e.position.at),
        }
    }
}
