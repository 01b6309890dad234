//! The index's tokenizers: the query language's own tokens ([`crate::query::text`]),
//! whole words and CJK unigrams and bigrams (see [`super`]).

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::query::text::{is_cjk, token_ranges};
use crate::search::fold;

/// Tantivy drops longer tokens; ours are cut to this instead, so a prefix of
/// a very long token still finds it.
pub(super) const MAX_TOKEN_BYTES: usize = 65_000;

pub(super) const WORDS: &str = "newsdesk_words";
pub(super) const CJK: &str = "newsdesk_cjk";
pub(super) const INITIALS: &str = "newsdesk_initials";

/// The query language's tokens, whole (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct WordsTokenizer;

/// Unigrams and bigrams of the CJK runs (see the module documentation).
#[derive(Debug, Clone, Copy, Default)]
pub struct CjkTokenizer;

/// The first character of every word token (see the module documentation
/// of [`super`]): a one-letter prefix is one term, not every word with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct InitialsTokenizer;

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

/// One token per word of the query language's cutting of `text` (folded):
/// `keep` gives the part of the word kept (its byte range within the
/// folded text), `None` to leave the word out.
fn per_word(text: &str, keep: impl Fn(&str, Range<usize>) -> Option<Range<usize>>) -> Tokens {
    let folded = fold(text);
    let list = token_ranges(&folded)
        .into_iter()
        .enumerate()
        .filter_map(|(position, r)| {
            let r = keep(&folded, r)?;
            Some(Token {
                offset_from: r.start,
                offset_to: r.end,
                position,
                text: folded[r].to_owned(),
                position_length: 1,
            })
        })
        .collect();
    tokens(list)
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        per_word(text, |folded, r| {
            Some(r.start..r.start + cut(&folded[r]).len())
        })
    }
}

impl Tokenizer for InitialsTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        per_word(text, |folded, r| {
            let c = folded[r.clone()].chars().next()?;
            Some(r.start..r.start + c.len_utf8())
        })
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
    fn initials_are_the_first_character_of_each_word() {
        let got = texts(InitialsTokenizer.token_stream("Die STRAßE, 2003年東京 ΟΔΟΣ"));
        let initials: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(initials, ["d", "s", "2", "年", "ο"]);
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
