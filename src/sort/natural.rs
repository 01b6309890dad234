//! Natural order as bytes: a key per string, made once, whose plain byte
//! comparison gives exactly what [`natural_cmp`](super::natural_cmp) gives.
//! Sorting a long list then compares keys with `memcmp`, not strings
//! walked char by char (and paths checked for UTF-8) in every comparison.
//!
//! The key is the string's tokens, then a `0` byte, then the string itself
//! (the exact tie-break). Tokens, as `natural_cmp` steps through them:
//! - a run of ASCII digits: `b'0'` (every digit compares alike against
//!   anything else, and no other token starts with a digit), the length of
//!   the run without its leading zeros (one byte below 255, else 255 and four
//!   bytes), then those digits: runs compare by value;
//! - any other char: its lowercase in UTF-8 (which orders as code points
//!   do), with one exception: `İ`, the only char whose lowercase is two
//!   chars (`i` and U+0307), is `i` then `0xFF`, a byte UTF-8 never has, so
//!   it sorts after `i` followed by anything, as its lowercase does.
//!
//! Paths cannot hold a `0` byte, and no token starts with one, so a string
//! whose tokens run out first sorts first, as `natural_cmp` has it.

/// Appends the natural-order key of `text` to `out`.
pub fn push_key(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii_digit() {
            let end = bytes[at..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(bytes.len(), |n| at + n);
            let run = &bytes[at..end];
            let zeros = run.iter().take_while(|&&c| c == b'0').count();
            let digits = &run[zeros..];
            out.push(b'0');
            match u8::try_from(digits.len()) {
                Ok(n) if n < u8::MAX => out.push(n),
                _ => {
                    out.push(u8::MAX);
                    let n = u32::try_from(digits.len()).unwrap_or(u32::MAX);
                    out.extend_from_slice(&n.to_be_bytes());
                }
            }
            out.extend_from_slice(digits);
            at = end;
        } else if b.is_ascii() {
            out.push(b.to_ascii_lowercase());
            at += 1;
        } else {
            let c = text[at..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            if c == 'İ' {
                out.extend_from_slice(&[b'i', 0xFF]);
            } else {
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            }
            at += c.len_utf8();
        }
    }
    out.push(0);
    out.extend_from_slice(bytes);
}

/// The natural-order key of `text` (see the module's doc).
pub fn key(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    push_key(text, &mut out);
    out
}

/// Byte keys of many strings (natural-order keys, folded text), in one
/// buffer: one allocation for them all, not one per string.
#[derive(Debug, Clone, Default)]
pub struct KeyBuffer {
    bytes: Vec<u8>,
    /// Where key `i` ends in `bytes` (it starts where key `i - 1` ends):
    /// 32 bits, 4 MB fewer at a million keys. (Past 4 GiB of keys, some
    /// 100 million paths, the keys beyond read as empty: a wrong order
    /// among those, never a crash.)
    ends: Vec<u32>,
}

/// A length of the buffer as an end of [`KeyBuffer::ends`].
fn end_at(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl KeyBuffer {
    /// Appends the natural-order key of `text`; it is key number `len()`
    /// before the call.
    pub fn push_natural(&mut self, text: &str) {
        push_key(text, &mut self.bytes);
        self.ends.push(end_at(self.bytes.len()));
    }

    /// Appends a key made by `write` (which appends its bytes).
    pub fn push_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.bytes);
        self.ends.push(end_at(self.bytes.len()));
    }

    /// Key `i`, empty past the end.
    pub fn get(&self, i: usize) -> &[u8] {
        let Some((start, end)) = self.span(i) else {
            return &[];
        };
        self.bytes.get(start..end).unwrap_or_default()
    }

    /// Where key `i` starts and ends in `bytes`.
    fn span(&self, i: usize) -> Option<(usize, usize)> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(before) => self.ends[before] as usize,
            None => 0,
        };
        Some((start.min(end), end))
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Makes key `i` the one `write` appends (the keys after it move up or
    /// down in the buffer: one copy, for a file edited in place). Nothing
    /// happens past the end.
    pub fn replace_with(&mut self, i: usize, write: impl FnOnce(&mut Vec<u8>)) {
        let Some((start, end)) = self.span(i) else {
            return;
        };
        if end > self.bytes.len() {
            return;
        }
        let mut key = Vec::new();
        write(&mut key);
        let new_end = start + key.len();
        self.bytes.splice(start..end, key);
        for e in &mut self.ends[i..] {
            *e = end_at(*e as usize + new_end - end);
        }
    }

    /// Drops every key from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len < self.ends.len() {
            self.ends.truncate(len);
            self.bytes
                .truncate(self.ends.last().map_or(0, |&end| end as usize));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::natural_cmp;
    use super::*;

    #[test]
    fn a_key_replaced_leaves_the_others_as_they_were() {
        let mut b = KeyBuffer::default();
        for w in ["a2", "bb", "c10"] {
            b.push_natural(w);
        }
        let before: Vec<Vec<u8>> = (0..3).map(|i| b.get(i).to_vec()).collect();
        b.replace_with(1, |out| push_key("a much longer key 7", out));
        assert_eq!(b.get(0), &before[0][..]);
        assert_eq!(b.get(2), &before[2][..]);
        let mut fresh = Vec::new();
        push_key("a much longer key 7", &mut fresh);
        assert_eq!(b.get(1), &fresh[..]);
        b.replace_with(1, |out| out.push(9));
        assert_eq!(b.get(1), &[9]);
        assert_eq!(b.get(2), &before[2][..], "shorter: the rest moves back");
        b.replace_with(7, |out| out.push(1));
        assert_eq!(b.len(), 3, "past the end: nothing");
    }

    const WORDS: [&str; 34] = [
        "",
        "a",
        "A",
        "i",
        "I",
        "İ",
        "İx",
        "i\u{307}",
        "i\u{307}y",
        "iz",
        "ı",
        "K",
        "\u{212a}",
        "k",
        "x7",
        "x007",
        "x0",
        "x",
        "x00",
        "x10",
        "x9",
        "x9a",
        "x9/",
        "reuters-2",
        "reuters-10",
        "reuters-02b",
        "Reuters-3",
        "2024/10/a",
        "2024/9/b",
        "ß",
        "é",
        "É",
        "日本",
        "\u{1}",
    ];

    fn long_run() -> String {
        format!("n{}", "9".repeat(300))
    }

    #[test]
    fn keys_order_as_natural_cmp_does() {
        let mut words: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
        words.push(long_run());
        words.push(format!("n1{}", "0".repeat(299)));
        // Pairs joined, so a token is compared with what follows another.
        let joined: Vec<String> = words
            .iter()
            .flat_map(|a| words.iter().map(move |b| format!("{a}{b}")))
            .collect();
        let keys: Vec<Vec<u8>> = joined.iter().map(|s| key(s)).collect();
        for (a, ka) in joined.iter().zip(&keys) {
            for (b, kb) in joined.iter().zip(&keys) {
                assert_eq!(ka.cmp(kb), natural_cmp(a, b), "{a:?} against {b:?}");
            }
        }
    }

    #[test]
    fn keys_live_in_one_buffer() {
        let mut keys = KeyBuffer::default();
        for w in ["b", "a10", "a9"] {
            keys.push_natural(w);
        }
        assert_eq!(keys.len(), 3);
        assert_eq!(keys.get(1), key("a10").as_slice());
        assert!(keys.get(2) < keys.get(1), "a9 before a10");
        assert!(keys.get(3).is_empty());
        keys.truncate(1);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys.get(0), key("b").as_slice());
        keys.push_with(|out| out.extend_from_slice(&key("c")));
        assert_eq!(keys.get(1), key("c").as_slice());
    }
}
