//! Words as the query language sees them, shared by articles, queries and
//! highlighting so all three agree.
//!
//! Text is folded with [`crate::search::fold`] (ß → ss, final sigma, any
//! script), then cut into tokens: runs of letters and digits, with runs of CJK
//! characters (Han, Hiragana, Katakana, Hangul) as tokens of their own.
//!
//! Matching a term (the folded tokens of one query word or phrase):
//! - one ordinary token matches an article token that starts with it
//!   (`pipe` finds "pipeline", `line` does not);
//! - one CJK token matches wherever its characters occur in a CJK run
//!   (that script has no spaces between words);
//! - several tokens (a phrase, or a word like `well-known`) match consecutive
//!   tokens of one paragraph: all but the last exactly, the last by prefix.
//!
//! An empty term (a query word with no letters, like `-`) matches everything.

use std::ops::Range;

use memchr::memmem;

use crate::search::{fold, fold_mapped};

/// Whether `c` belongs to a script written without spaces between words
/// (Han, Hiragana, Katakana) or one matched like them (Hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x2FDF    // CJK radicals
        | 0x3005..=0x3007    // 々 〆 〇
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x31F0..=0x31FF    // Katakana extensions
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3134F // Han extensions B to G
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Cjk,
    Gap,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Gap
    }
}

/// Byte ranges of the tokens of already folded text.
pub fn token_ranges(folded: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current = Class::Gap;
    for (i, c) in folded.char_indices() {
        let k = class(c);
        if k != current {
            if current != Class::Gap {
                out.push(start..i);
            }
            start = i;
            current = k;
        }
    }
    if current != Class::Gap {
        out.push(start..folded.len());
    }
    out
}

/// The folded tokens of `text`: what a query word or phrase looks for.
pub fn fold_words(text: &str) -> Vec<String> {
    let folded = fold(text);
    token_ranges(&folded)
        .into_iter()
        .map(|r| folded[r].to_owned())
        .collect()
}

/// Whether a term is matched as CJK: a single token of CJK characters.
fn is_cjk_term(term: &[String]) -> bool {
    term.len() == 1 && term[0].chars().next().is_some_and(is_cjk)
}

/// A term ready to be matched against many articles' [`Words`]: what kind
/// of match it needs, with its searcher built once, not once per article.
#[derive(Debug, Clone)]
pub struct Matcher {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// No tokens: matches everything.
    All,
    /// One ordinary token: some word starts with it.
    Prefix(String),
    /// A phrase (tokens joined by spaces, starting at a word), or a CJK run
    /// (found `anywhere`).
    Run {
        // Boxed: a finder is large, and a matcher is moved around by value.
        finder: Box<memmem::Finder<'static>>,
        anywhere: bool,
    },
}

impl Matcher {
    /// Prepares a term (the folded tokens of a word or phrase).
    pub fn new(term: &[String]) -> Matcher {
        let kind = match term {
            [] => Kind::All,
            [one] if !is_cjk_term(term) => Kind::Prefix(one.clone()),
            _ => Kind::Run {
                finder: Box::new(memmem::Finder::new(term.join(" ").as_bytes()).into_owned()),
                anywhere: is_cjk_term(term),
            },
        };
        Matcher { kind }
    }
}

/// The prepared words of some text, built once per article and reused for
/// every keystroke: the folded tokens in order (for phrases and CJK runs) and
/// a sorted vocabulary (prefix lookups by binary search). The vocabulary is
/// only the start offset of each distinct token (its end is the next
/// separator), 4 bytes a word, as this is kept for every article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    /// Tokens joined by a space; paragraphs (segments) joined by a newline, so
    /// a phrase never runs from one paragraph into the next.
    text: String,
    /// Where each distinct token starts, sorted by token.
    vocab: Vec<u32>,
}

impl Words {
    /// Prepares the words of some segments (title, paragraphs, names).
    pub fn new<'a>(segments: impl IntoIterator<Item = &'a str>) -> Words {
        let mut text = String::new();
        for segment in segments {
            let folded = fold(segment);
            let ranges = token_ranges(&folded);
            if ranges.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            for (n, r) in ranges.into_iter().enumerate() {
                if n > 0 {
                    text.push(' ');
                }
                text.push_str(&folded[r]);
            }
        }
        // Offsets are u32: text past 4 GiB is cut off rather than wrapped
        // (files over the size limit never get here).
        text.truncate(floor_char_boundary(&text, u32::MAX as usize));
        text.shrink_to_fit();
        let mut vocab: Vec<u32> = std::iter::once(0)
            .chain(memchr::memchr2_iter(b' ', b'\n', text.as_bytes()).map(|i| i as u32 + 1))
            .filter(|&s| (s as usize) < text.len())
            .collect();
        let word = |s: u32| token_at(&text, s);
        vocab.sort_unstable_by(|&a, &b| word(a).cmp(word(b)));
        vocab.dedup_by(|a, b| word(*a) == word(*b));
        vocab.shrink_to_fit();
        Words { text, vocab }
    }

    /// The vocabulary entries that start with `prefix` (a contiguous run, as
    /// the vocabulary is sorted).
    fn prefixed(&self, prefix: &str) -> &[u32] {
        let word = |s: &u32| token_at(&self.text, *s);
        let from = self.vocab.partition_point(|s| word(s) < prefix);
        let to = from + self.vocab[from..].partition_point(|s| word(s).starts_with(prefix));
        &self.vocab[from..to]
    }

    /// Whether the words match a term (see the module documentation).
    pub fn matches(&self, term: &Matcher) -> bool {
        match &term.kind {
            Kind::All => true,
            Kind::Prefix(word) => !self.prefixed(word).is_empty(),
            Kind::Run { .. } => self.occurrences(term).next().is_some(),
        }
    }

    /// How often a term occurs (0 when it does not match; 1 for an empty term).
    pub fn count(&self, term: &Matcher) -> usize {
        match &term.kind {
            Kind::All => 1,
            Kind::Prefix(word) => self
                .text
                .split([' ', '\n'])
                .filter(|t| t.starts_with(word.as_str()))
                .count(),
            Kind::Run { .. } => self.occurrences(term).count(),
        }
    }

    /// Start offsets in `text` of each occurrence of a CJK term or a phrase.
    fn occurrences<'s>(&'s self, term: &'s Matcher) -> impl Iterator<Item = usize> + 's {
        let bytes = self.text.as_bytes();
        let (finder, anywhere) = match &term.kind {
            Kind::Run { finder, anywhere } => (Some(&**finder), *anywhere),
            _ => (None, false),
        };
        finder
            .into_iter()
            .flat_map(move |f| f.find_iter(bytes))
            .filter(move |&p| anywhere || p == 0 || matches!(bytes[p - 1], b' ' | b'\n'))
    }

    /// Whether there are no words at all.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// The token starting at byte `start` of prepared text.
fn token_at(text: &str, start: u32) -> &str {
    let rest = &text[start as usize..];
    let end = memchr::memchr2(b' ', b'\n', rest.as_bytes()).unwrap_or(rest.len());
    &rest[..end]
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// What the reader highlights: the positive words and phrases of a query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights {
    terms: Vec<Vec<String>>,
}

impl Highlights {
    /// Highlights for these terms (each the folded tokens of a word or phrase).
    pub fn new(terms: Vec<Vec<String>>) -> Highlights {
        let mut terms: Vec<Vec<String>> = terms.into_iter().filter(|t| !t.is_empty()).collect();
        terms.sort();
        terms.dedup();
        Highlights { terms }
    }

    /// Whether there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms, each as folded tokens.
    pub fn terms(&self) -> &[Vec<String>] {
        &self.terms
    }

    /// Byte ranges of `line` (display text, not folded) to highlight, sorted
    /// and not overlapping. A word lights up as far as it matched ("Pipe" of
    /// "Pipeline"); a phrase from its first word to the end of its last.
    /// Phrases are found within the line only, not across a wrap.
    pub fn find_in(&self, line: &str) -> Vec<Range<usize>> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let (folded, origin) = fold_mapped(line);
        // The original byte just past folded byte `end` (exclusive end).
        let end_of = |end: usize| -> usize {
            if end == 0 {
                return 0;
            }
            let last = origin[end - 1];
            line[last..]
                .chars()
                .next()
                .map_or(line.len(), |c| last + c.len_utf8())
        };
        let tokens = token_ranges(&folded);
        let text = |k: usize| &folded[tokens[k].clone()];
        let mut out: Vec<Range<usize>> = Vec::new();
        for term in &self.terms {
            if is_cjk_term(term) {
                for t in &tokens {
                    for p in memmem::find_iter(folded[t.clone()].as_bytes(), term[0].as_bytes()) {
                        let s = t.start + p;
                        out.push(origin[s]..end_of(s + term[0].len()));
                    }
                }
                continue;
            }
            let n = term.len();
            for k in 0..tokens.len().saturating_sub(n - 1) {
                let ok = (0..n).all(|j| {
                    if j + 1 == n {
                        text(k + j).starts_with(term[j].as_str())
                    } else {
                        text(k + j) == term[j]
                    }
                });
                if ok {
                    let from = tokens[k].start;
                    let to = tokens[k + n - 1].start + term[n - 1].len();
                    out.push(origin[from]..end_of(to));
                }
            }
        }
        out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
        for r in out {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        fold_words(s)
    }

    fn m(s: &str) -> Matcher {
        Matcher::new(&fold_words(s))
    }

    #[test]
    fn tokens_split_scripts_and_punctuation() {
        assert_eq!(
            w("Well-known STRASSE, 2003年東京"),
            ["well", "known", "strasse", "2003", "年東京"]
        );
        assert_eq!(w("Straße ΟΔΟΣ"), ["strasse", "οδοσ"]);
        assert!(w(" - — ").is_empty());
    }

    #[test]
    fn words_match_by_prefix() {
        let words = Words::new(["The pipeline opened", "Water talks"]);
        assert!(words.matches(&m("pipe")));
        assert!(!words.matches(&m("line")));
        assert!(words.matches(&m("water talk")));
        assert!(
            !words.matches(&m("wat talks")),
            "inner phrase words are whole"
        );
        assert!(
            !words.matches(&m("opened water")),
            "no phrase across paragraphs"
        );
        assert_eq!(words.count(&m("t")), 2);
    }

    #[test]
    fn folding_matches_any_case_and_script() {
        let words = Words::new(["Die Straße nach Кыргызстан", "η ΟΔΌΣ"]);
        assert!(words.matches(&m("STRASSE")));
        assert!(words.matches(&m("кырг")));
        assert!(words.matches(&m("οδός")));
        assert!(words.matches(&m("ΟΔΌΣ")));
        assert!(
            !words.matches(&m("οδος")),
            "accents are kept (case folding only)"
        );
    }

    #[test]
    fn cjk_matches_any_run() {
        let words = Words::new(["東京都庁で会議"]);
        assert!(words.matches(&m("京都")));
        assert!(words.matches(&m("会")));
        assert!(!words.matches(&m("大阪")));
        assert_eq!(words.count(&m("都")), 1);
    }

    #[test]
    fn highlights_map_back_to_display_text() {
        let h = Highlights::new(vec![w("pipe"), w("strasse"), w("京都")]);
        let line = "Pipeline on the Straße to 東京都";
        let got: Vec<&str> = h.find_in(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(got, ["Pipe", "Straße", "京都"]);
        let h = Highlights::new(vec![w("water talk")]);
        let line = "Water, talks";
        let got: Vec<&str> = h.find_in(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(got, ["Water, talk"]);
    }
}
