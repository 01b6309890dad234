//! What the list shows: the region selection and the search, applied together.
//! The reader and `newsdesk list` both go through [`Query::run`].

use crate::article::Article;
use crate::regions::{Selector, TagIndex};
use crate::search::{Needle, haystack};

/// The filters a person has set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Selected tags and groups; empty means all articles.
    pub regions: Vec<Selector>,
    /// Search text; empty means no search.
    pub search: String,
}

impl Query {
    /// Indices of the matching articles, in archive order. `folded` holds each
    /// article's folded search text when prepared; otherwise it is made here.
    pub fn run(
        &self,
        articles: &[Article],
        index: &TagIndex,
        folded: Option<&[String]>,
    ) -> Vec<usize> {
        let mask = (!self.regions.is_empty()).then(|| index.mask(&self.regions, articles.len()));
        let needle = Needle::new(&self.search);
        (0..articles.len())
            .filter(|&i| mask.as_ref().is_none_or(|m| m[i]))
            .filter(|&i| {
                needle.is_empty()
                    || match folded.and_then(|f| f.get(i)) {
                        Some(text) => needle.matches(text),
                        None => needle.matches(&haystack(&articles[i])),
                    }
            })
            .collect()
    }
}
