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

use crate::search::fold;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VocabEntry {
    start: u32,
    len: u32,
    count: u32,
}

/// The prepared words of some text, built once per article and reused for
/// every keystroke: the folded tokens in order (for phrases and CJK runs) and
/// a sorted vocabulary with counts (prefix lookups by binary search, term
/// frequency for relevance).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    /// Tokens joined by a space; paragraphs (segments) joined by a newline, so
    /// a phrase never runs from one paragraph into the next.
    text: String,
    vocab: Vec<VocabEntry>,
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
        let mut spans: Vec<(u32, u32)> = Vec::new();
        let mut start = 0usize;
        for (i, b) in text.bytes().enumerate() {
            if b == b' ' || b == b'\n' {
                spans.push((start as u32, (i - start) as u32));
                start = i + 1;
            }
        }
        if start < text.len() {
            spans.push((start as u32, (text.len() - start) as u32));
        }
        let slice = |s: u32, l: u32| &text[s as usize..(s + l) as usize];
        spans.sort_unstable_by(|a, b| slice(a.0, a.1).cmp(slice(b.0, b.1)));
        let mut vocab: Vec<VocabEntry> = Vec::new();
        for (s, l) in spans {
            match vocab.last_mut() {
                Some(last) if slice(last.start, last.len) == slice(s, l) => last.count += 1,
                _ => vocab.push(VocabEntry {
                    start: s,
                    len: l,
                    count: 1,
                }),
            }
        }
        Words { text, vocab }
    }

    fn word(&self, e: &VocabEntry) -> &str {
        &self.text[e.start as usize..(e.start + e.len) as usize]
    }

    /// The vocabulary entries that start with `prefix` (a contiguous run, as
    /// the vocabulary is sorted).
    fn prefixed(&self, prefix: &str) -> &[VocabEntry] {
        let from = self
            .vocab
            .partition_point(|e| self.word(e) < prefix);
        let to = from
            + self.vocab[from..].partition_point(|e| self.word(e).starts_with(prefix));
        &self.vocab[from..to]
    }

    /// Whether the words match a term (see the module documentation).
    pub fn matches(&self, term: &[String]) -> bool {
        match term {
            [] => true,
            [one] if !is_cjk_term(term) => !self.prefixed(one).is_empty(),
            _ => self.occurrences(term).next().is_some(),
        }
    }

    /// How often a term occurs (0 when it does not match; 1 for an empty term).
    pub fn count(&self, term: &[String]) -> usize {
        match term {
            [] => 1,
            [one] if !is_cjk_term(term) => {
                self.prefixed(one).iter().map(|e| e.count as usize).sum()
            }
            _ => self.occurrences(term).count(),
        }
    }

    /// Start offsets in `text` of each occurrence of a CJK term or a phrase.
    fn occurrences<'s>(&'s self, term: &[String]) -> impl Iterator<Item = usize> + 's {
        let cjk = is_cjk_term(term);
        let needle = term.join(" ");
        let bytes = self.text.as_bytes();
        let found: Vec<usize> = memmem::find_iter(bytes, needle.as_bytes()).collect();
        found
            .into_iter()
            .filter(move |&p| cjk || p == 0 || matches!(bytes[p - 1], b' ' | b'\n'))
    }

    /// Whether there are no words at all.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
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
        // Fold char by char, remembering where each folded byte came from.
        let mut folded = String::with_capacity(line.len());
        let mut origin: Vec<usize> = Vec::with_capacity(line.len() + 1);
        for (i, c) in line.char_indices() {
            let mut buf = [0u8; 4];
            let piece = fold(c.encode_utf8(&mut buf));
            origin.extend(std::iter::repeat_n(i, piece.len()));
            folded.push_str(&piece);
        }
        origin.push(line.len());
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

    #[test]
    fn tokens_split_scripts_and_punctuation() {
        assert_eq!(w("Well-known STRASSE, 2003年東京"), [
            "well", "known", "strasse", "2003", "年東京"
        ]);
        assert_eq!(w("Straße ΟΔΟΣ"), ["strasse", "οδοσ"]);
        assert!(w(" - — ").is_empty());
    }

    #[test]
    fn words_match_by_prefix() {
        let words = Words::new(["The pipeline opened", "Water talks"]);
        assert!(words.matches(&w("pipe")));
        assert!(!words.matches(&w("line")));
        assert!(words.matches(&w("water talk")));
        assert!(!words.matches(&w("wat talks")), "inner phrase words are whole");
        assert!(!words.matches(&w("opened water")), "no phrase across paragraphs");
        assert_eq!(words.count(&w("t")), 2);
    }

    #[test]
    fn folding_matches_any_case_and_script() {
        let words = Words::new(["Die Straße nach Кыргызстан", "η ΟΔΌΣ"]);
        assert!(words.matches(&w("STRASSE")));
        assert!(words.matches(&w("кырг")));
        assert!(words.matches(&w("οδός")));
        assert!(words.matches(&w("ΟΔΌΣ")));
        assert!(!words.matches(&w("οδος")), "accents are kept (case folding only)");
    }

    #[test]
    fn cjk_matches_any_run() {
        let words = Words::new(["東京都庁で会議"]);
        assert!(words.matches(&w("京都")));
        assert!(words.matches(&w("会")));
        assert!(!words.matches(&w("大阪")));
        assert_eq!(words.count(&w("都")), 1);
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
