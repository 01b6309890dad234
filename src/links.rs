//! Leaving the reader for a link: the browser (detached, never blocking) and
//! the clipboard through an OSC 52 escape (works over SSH and in tmux).

use std::process::{Command, Stdio};

/// The browser command for a URL: `$BROWSER` (first of a `:`-separated list;
/// `%s` is replaced by the URL, else the URL is appended), else the platform opener.
pub fn browser_command(browser: Option<&str>, url: &str) -> (String, Vec<String>) {
    let choice = browser.and_then(|b| b.split(':').map(str::trim).find(|c| !c.is_empty()));
    match choice {
        Some(cmd) => {
            let mut parts = cmd.split_whitespace().map(str::to_owned);
            let program = parts.next().unwrap_or_default();
            let mut args: Vec<String> = parts.collect();
            if args.iter().any(|a| a.contains("%s")) {
                args = args.into_iter().map(|a| a.replace("%s", url)).collect();
            } else {
                args.push(url.to_owned());
            }
            (program, args)
        }
        None if cfg!(target_os = "macos") => ("open".into(), vec![url.into()]),
        None => ("xdg-open".into(), vec![url.into()]),
    }
}

/// Starts the browser on `url` and returns at once; a failure (cannot start,
/// or exits with an error) is given to `report` as a sentence for the status bar.
pub fn open_url(url: &str, report: impl Fn(String) + Send + 'static) {
    let browser = std::env::var("BROWSER").ok();
    let (program, args) = browser_command(browser.as_deref(), url);
    let child = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Err(e) => {
            report(format!(
                "cannot start the browser \"{program}\" ({e}); set $BROWSER"
            ));
        }
        Ok(mut child) => {
            // Reaped on its own thread: the reader never waits for the browser.
            std::thread::spawn(move || {
                if let Ok(status) = child.wait()
                    && !status.success()
                {
                    report(format!("the browser \"{program}\" failed ({status})"));
                }
            });
        }
    }
}

/// A one-line citation of `article` for the clipboard (`Y`):
///
/// `Authors, "Title", YYYY-MM-DD, URL`
///
/// Authors are joined as in prose (`A`, `A and B`, `A, B and C`); a part the
/// article lacks (authors, date, source URL) is left out with its comma, so an
/// article with only a title cites as `"Title"`. The title is in plain double
/// quotes so the line pastes the same into mail, a terminal or a document.
/// Runs of whitespace (a line break in a hand-written title) become one space.
pub fn citation(article: &crate::article::Article) -> String {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let names: Vec<String> = article
        .authors
        .iter()
        .map(|a| one_line(a))
        .filter(|a| !a.is_empty())
        .collect();
    let mut parts = Vec::new();
    match names.split_last() {
        None => {}
        Some((last, [])) => parts.push(last.clone()),
        Some((last, rest)) => parts.push(format!("{} and {last}", rest.join(", "))),
    }
    parts.push(format!("\"{}\"", one_line(&article.title)));
    if let Some(date) = article.date {
        parts.push(date.to_string());
    }
    if let Some(url) = article
        .source_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        parts.push(url.to_owned());
    }
    parts.join(", ")
}

/// Standard base64, for OSC 52.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The OSC 52 sequence that puts `text` on the terminal's clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"https://e.org/a"), "aHR0cHM6Ly9lLm9yZy9h");
        assert_eq!(osc52("foo"), "\x1b]52;c;Zm9v\x07");
    }

    #[test]
    fn citations_name_authors_title_date_and_address() {
        use crate::article::{Article, Date};
        let mut a = Article {
            title: "Kant base\nopens".into(),
            authors: vec!["Jane Doe".into()].into(),
            date: Date::new(2024, 3, 14),
            source_url: Some("https://e.example/kant".into()),
            ..Article::default()
        };
        assert_eq!(
            citation(&a),
            "Jane Doe, \"Kant base opens\", 2024-03-14, https://e.example/kant"
        );
        a.authors.push("John Roe".into());
        assert!(citation(&a).starts_with("Jane Doe and John Roe, \""));
        a.authors.push("Ann Lee".into());
        assert!(citation(&a).starts_with("Jane Doe, John Roe and Ann Lee, \""));
        let bare = Article {
            title: "Only a title".into(),
            ..Article::default()
        };
        assert_eq!(citation(&bare), "\"Only a title\"");
        assert!(!citation(&a).contains('\n'));
    }

    #[test]
    fn browser_commands() {
        assert_eq!(
            browser_command(Some("firefox"), "u"),
            ("firefox".into(), vec!["u".into()])
        );
        assert_eq!(
            browser_command(Some("w3m -o x %s:lynx"), "u"),
            ("w3m".into(), vec!["-o".into(), "x".into(), "u".into()])
        );
        assert_eq!(browser_command(None, "u").1, vec!["u".to_owned()]);
    }
}
