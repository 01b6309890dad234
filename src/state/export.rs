//! The state as text by hand: one line per article ([`export_text`]) and
//! back ([`import_text`]), stable and greppable.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::{Entry, Field, Stamp, State};

/// The first line of an export.
pub const EXPORT_HEADER: &str = "# newsdesk state export: MARKS -- KEY, one article a line; \
+read/-read, +starred/-starred, pos=BLOCK:OFFSET or pos=none, each @ when it changed";

/// One line per article, sorted by key: `+read@TIME -starred@TIME pos=3:10@TIME -- KEY`
/// (a mark from a file without times has no `@`). Stable and greppable, like
/// `notmuch dump`; [`import_text`] reads it back.
pub fn export_text(state: &State) -> String {
    let mut out = String::from(EXPORT_HEADER);
    out.push('\n');
    for (key, entry) in &state.articles {
        let at = |s: Stamp| {
            if s == Stamp(0) {
                String::new()
            } else {
                format!("@{}", s.to_rfc3339())
            }
        };
        let mut words = Vec::new();
        for (name, field) in [("read", entry.read), ("starred", entry.starred)] {
            if field.is_set() {
                let sign = if field.value { '+' } else { '-' };
                words.push(format!("{sign}{name}{}", at(field.at)));
            }
        }
        if entry.position.is_set() {
            let pos = entry
                .position
                .value
                .map_or("none".to_owned(), |[b, o]| format!("{b}:{o}"));
            words.push(format!("pos={pos}{}", at(entry.position.at)));
        }
        words.push("--".into());
        words.push(escape_key(key));
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

/// A line of an export that cannot be read.
#[derive(Debug, Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct ImportError {
    /// The export file.
    pub path: PathBuf,
    /// The line (from 1).
    pub line: usize,
    /// What is wrong and how a good line looks.
    pub message: String,
}

/// Reads an export ([`export_text`]); `path` names the file in errors.
pub fn import_text(text: &str, path: &Path) -> Result<State, ImportError> {
    let mut state = State::default();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fail = |message: String| ImportError {
            path: path.to_path_buf(),
            line: n + 1,
            message,
        };
        let (words, key) = if let Some(key) = trimmed.strip_prefix("-- ") {
            ("", key)
        } else {
            trimmed.split_once(" -- ").ok_or_else(|| {
                fail(
                    "no \" -- KEY\" on the line; a line reads +read@TIME +starred@TIME -- KEY"
                        .into(),
                )
            })?
        };
        let key =
            unescape_key(key).ok_or_else(|| fail(format!("bad escape in the key {key:?}")))?;
        if key.is_empty() {
            return Err(fail("the key after \" -- \" is empty".into()));
        }
        let mut entry = Entry::default();
        for word in words.split_whitespace() {
            let (mark, at) = match word.split_once('@') {
                Some((mark, time)) => {
                    let at = Stamp::parse(time).ok_or_else(|| {
                        fail(format!(
                            "{time:?} is not a time; write it as 2025-01-31T12:00:00.000Z"
                        ))
                    })?;
                    (mark, at)
                }
                None => (word, Stamp(0)),
            };
            match mark {
                "+read" | "-read" => {
                    entry.read.merge(Field {
                        value: mark.starts_with('+'),
                        at,
                    });
                }
                "+starred" | "-starred" => entry.starred.merge(Field {
                    value: mark.starts_with('+'),
                    at,
                }),
                _ => {
                    let value = match mark.strip_prefix("pos=") {
                        Some("none") => None,
                        Some(pos) => {
                            let parsed = pos
                                .split_once(':')
                                .and_then(|(b, o)| Some([b.parse().ok()?, o.parse().ok()?]));
                            Some(parsed.ok_or_else(|| {
                                fail(format!("{mark:?} is not pos=BLOCK:OFFSET or pos=none"))
                            })?)
                        }
                        None => {
                            return Err(fail(format!(
                                "{word:?} is not a mark; marks are +read, -read, +starred, -starred, pos=B:O, pos=none"
                            )));
                        }
                    };
                    entry.position.merge(Field { value, at });
                }
            }
        }
        state.articles.entry(key).or_default().merge(&entry);
    }
    state.tidy();
    Ok(state)
}

/// Keys go last on the line as they are, except a backslash and control
/// characters (a path may hold a newline), written `\\`, `\n`, `\u{..}`.
fn escape_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn unescape_key(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::star;
    use crate::state::{Change, Mark};

    #[test]
    fn export_import_round_trip_with_odd_keys() {
        let mut state = State::from_toml("[articles.old]\nread = true\n").unwrap();
        state.apply(&[
            star("https://e.org/a b", true, 1_700_000_000_123),
            star("line\nbreak\\x", false, 5),
            Change {
                key: "p".into(),
                mark: Mark::Position(Some([3, 10])),
                at: Stamp(9),
            },
            Change {
                key: "q".into(),
                mark: Mark::Position(None),
                at: Stamp(9),
            },
        ]);
        let text = export_text(&state);
        assert!(
            text.contains("+starred@2023-11-14T22:13:20.123Z -- https://e.org/a b\n"),
            "{text}"
        );
        assert!(text.contains("+read -- old\n"), "{text}");
        assert!(text.contains("-- line\\nbreak\\\\x\n"), "{text}");
        assert!(text.contains("pos=none@"), "{text}");
        assert_eq!(import_text(&text, Path::new("x")).unwrap(), state);
    }

    #[test]
    fn import_errors_name_the_line_and_the_fix() {
        let e = import_text("# c\n+read -- a\n+red -- b\n", Path::new("dump.txt")).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.to_string()
                .starts_with("dump.txt:3: \"+red\" is not a mark"),
            "{e}"
        );
        let e = import_text("+read a\n", Path::new("d")).unwrap_err();
        assert!(e.to_string().contains("-- KEY"), "{e}");
        let e = import_text("+read@yesterday -- a\n", Path::new("d")).unwrap_err();
        assert!(e.to_string().contains("not a time"), "{e}");
    }
}
