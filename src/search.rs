//! Text search: Unicode case folding, and matching over text folded once.

use memchr::memmem;

use crate::article::Article;

/// Folds case for comparison: lower case plus the full folds `to_lowercase`
/// misses (ß → ss, final sigma → σ, long s → s), so `STRASSE` finds `Straße`
/// and `ΟΔΟΣ` finds `οδός`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match full_fold(c) {
            Some(folded) => out.push_str(folded),
            None if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folds `to_lowercase` misses (see [`fold`]).
fn full_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ς' => "σ",
        'ſ' => "s",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        _ => return None,
    })
}

/// The characters of `text` folded as [`fold`] folds it, one at a time
/// (to compare folded text without making it).
pub fn fold_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(|c| {
        let (full, lower) = match full_fold(c) {
            Some(folded) => (Some(folded.chars()), None),
            None => (None, Some(c.to_lowercase())),
        };
        full.into_iter()
            .flatten()
            .chain(lower.into_iter().flatten())
    })
}

/// Folds `text` char by char, remembering where each folded byte came from:
/// `origin[i]` is the byte of `text` that folded byte `i` came from, with
/// `text.len()` at the end, so matches in the folded text map back for
/// highlighting.
pub fn fold_mapped(text: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let mut buf = [0u8; 4];
        let piece = fold(c.encode_utf8(&mut buf));
        origin.extend(std::iter::repeat_n(i, piece.len()));
        folded.push_str(&piece);
    }
    origin.push(text.len());
    (folded, origin)
}

/// The searchable text of an article, folded: title, authors, standfirst, body.
pub fn haystack(article: &Article) -> String {
    let mut text = String::with_capacity(
        article.title.len()
            + article.standfirst().len()
            + article
                .body()
                .iter()
                .map(|b| b.text.len() + 1)
                .sum::<usize>()
            + 64,
    );
    text.push_str(&article.title);
    text.push('\n');
    text.push_str(&article.authors.join(", "));
    text.push('\n');
    text.push_str(article.standfirst());
    for block in article.body() {
        text.push('\n');
        text.push_str(&block.text);
    }
    fold(&text)
}

/// A search ready to run: the folded needle and its searcher.
pub struct Needle {
    folded: String,
}

impl Needle {
    /// Prepares a search for `query` (surrounding spaces ignored).
    pub fn new(query: &str) -> Needle {
        Needle {
            folded: fold(query.trim()),
        }
    }

    /// Whether the search is empty (matches everything).
    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Whether a folded haystack contains the needle.
    pub fn matches(&self, folded_haystack: &str) -> bool {
        self.is_empty()
            || memmem::find(folded_haystack.as_bytes(), self.folded.as_bytes()).is_some()
    }

    /// Byte ranges of every match in `text` (not folded), for highlighting.
    pub fn find_in(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        if self.is_empty() {
            return Vec::new();
        }
        let (folded, origin) = fold_mapped(text);
        let finder = memmem::Finder::new(self.folded.as_bytes());
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        for start in finder.find_iter(folded.as_bytes()) {
            let end_folded = start + self.folded.len();
            let from = origin[start];
            // The end is the start of the char after the last matched byte.
            let last = origin[end_folded - 1];
            let to = text[last..]
                .chars()
                .next()
                .map_or(text.len(), |c| last + c.len_utf8());
            if out.last().is_none_or(|r| r.end <= from) {
                out.push(from..to);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_one_character_at_a_time_as_the_whole() {
        for text in [
            "STRASSE Straße",
            "ΟΔΟΣ οδός",
            "İstanbul",
            "ﬁne ﬂow ſ",
            "Қарағанды",
            "",
        ] {
            assert_eq!(fold_chars(text).collect::<String>(), fold(text), "{text}");
        }
    }

    #[test]
    fn folds_latin_cyrillic_greek() {
        assert_eq!(fold("STRASSE"), fold("Straße"));
        assert_eq!(fold("КЫРГЫЗСТАН"), "кыргызстан");
        assert_eq!(fold("ΟΔΌΣ"), fold("οδός"));
        assert!(Needle::new("ΟΔΟΣ").matches(&fold("η οδοσ")));
        assert!(Needle::new("οδος").matches(&fold("ΟΔΟΣ")));
    }

    #[test]
    fn empty_needle_matches_all() {
        assert!(Needle::new("  ").matches("anything"));
    }

    #[test]
    fn find_in_gives_original_byte_ranges() {
        let text = "Der Straße folgen, STRASSE!";
        let ranges = Needle::new("strasse").find_in(text);
        assert_eq!(ranges.len(), 2);
        assert_eq!(&text[ranges[0].clone()], "Straße");
        assert_eq!(&text[ranges[1].clone()], "STRASSE");
        let cyr = "Кыргызстан и КЫРГЫЗСТАН";
        let r = Needle::new("кыргызстан").find_in(cyr);
        assert_eq!(r.len(), 2);
        assert_eq!(&cyr[r[1].clone()], "КЫРГЫЗСТАН");
    }
}
