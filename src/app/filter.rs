//! The one filter engine: what the person asked for (regions, search,
//! unread-only, starred-only) turned into the visible articles. The reader and
//! `newsdesk list` / `regions` all go through [`Filter::run`], so they cannot
//! disagree.

use super::archive::Archive;
use crate::regions::Selector;
use crate::search::Needle;

/// The filters a person has set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Selected tags and groups; empty means all articles.
    pub regions: Vec<Selector>,
    /// Search text; empty means no search.
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

    /// Runs the filter over the merged articles of `archive`.
    pub fn run(&self, archive: &mut Archive) -> Filtered {
        let allowed = self.allowed(archive);
        let n = archive.len();
        let regions = (!self.regions.is_empty()).then(|| archive.index().mask(&self.regions, n));
        let pass = |m: &Option<Vec<bool>>, i: usize| m.as_ref().is_none_or(|m| m[i]);
        let visible = archive
            .order()
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| pass(&allowed, i) && pass(&regions, i))
            .collect();
        Filtered { visible, allowed }
    }

    /// Which articles pass the filters other than regions; `None` when none is set.
    fn allowed(&self, archive: &mut Archive) -> Option<Vec<bool>> {
        let needle = Needle::new(&self.search);
        if needle.is_empty() && !self.unread_only && !self.starred_only {
            return None;
        }
        let n = archive.len();
        let mut mask: Vec<bool> = (0..n)
            .map(|i| {
                let m = archive.marks(i);
                (!self.unread_only || !m.read) && (!self.starred_only || m.starred)
            })
            .collect();
        if !needle.is_empty() {
            // Folded once, on the first search (and as articles arrive); every
            // later keystroke reuses it.
            for (keep, text) in mask.iter_mut().zip(archive.folded()) {
                *keep = *keep && needle.matches(text);
            }
        }
        Some(mask)
    }
}
