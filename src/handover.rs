//! Handing the terminal to another program: which browser needs the terminal,
//! and the commands for the editor (`e`, Enter in the problems list) and for
//! piping an article (`|`). Pure: the loop runs what these return, after
//! giving the terminal back (as for Ctrl-z), and redraws when it exits.
//!
//! Commands from the environment are split at whitespace, as most programs
//! that read `$EDITOR` and `$PAGER` do (`EDITOR="emacsclient -t"`); quotes are
//! not interpreted. A command typed after `|` is run by `sh -c`, so it may be a
//! pipeline.

use std::path::Path;

/// A program and its arguments, ready for `std::process::Command`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The program, as found on `$PATH` or a path.
    pub program: String,
    /// Its arguments, in order.
    pub args: Vec<String>,
}

impl Invocation {
    /// A command line split at whitespace; `None` when it is blank.
    pub fn split(command: &str) -> Option<Invocation> {
        let mut words = command.split_whitespace().map(str::to_owned);
        let program = words.next()?;
        Some(Invocation {
            program,
            args: words.collect(),
        })
    }
}

/// Browsers that draw in the terminal: they must run in the foreground with
/// the terminal handed over, not detached like a graphical one.
pub const TERMINAL_BROWSERS: &[&str] = &["w3m", "lynx", "links", "links2", "elinks"];

/// The file name of a command's program (`/usr/bin/w3m -o x` → `w3m`).
fn program_name(command: &str) -> Option<&str> {
    let program = command.split_whitespace().next()?;
    program.rsplit('/').next()
}

/// The entry of a `$BROWSER` list that is used: the first non-blank of its
/// `:`-separated commands, as [`crate::links::browser_command`] takes it.
fn first_browser(browser: &str) -> Option<&str> {
    browser.split(':').map(str::trim).find(|c| !c.is_empty())
}

/// Whether the browser runs in the terminal: `browser_in_terminal = true` in
/// config, or `$BROWSER` (its first entry, with a path, arguments or `%s`)
/// names one of [`TERMINAL_BROWSERS`].
pub fn browser_needs_terminal(browser: Option<&str>, browser_in_terminal: bool) -> bool {
    browser_in_terminal
        || browser
            .and_then(first_browser)
            .and_then(program_name)
            .is_some_and(|name| TERMINAL_BROWSERS.contains(&name))
}

/// How an editor is told the line to open at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSyntax {
    /// `editor +LINE FILE` (vi, vim, nvim, nano, emacs, kak, micro, ...).
    PlusLine,
    /// `editor FILE:LINE` (helix, Sublime Text).
    FileColon,
    /// `code --goto FILE:LINE` (VS Code and its relatives).
    Goto,
    /// Not known: the file alone.
    None,
}

/// The line syntax of an editor program, by its file name.
pub fn line_syntax(program: &str) -> LineSyntax {
    let name = program.rsplit('/').next().unwrap_or(program);
    match name {
        "vi" | "vim" | "nvim" | "view" | "gvim" | "vis" | "nano" | "pico" | "emacs"
        | "emacsclient" | "kak" | "micro" | "joe" | "jed" | "mg" | "ne" | "gedit" => {
            LineSyntax::PlusLine
        }
        "hx" | "helix" | "subl" => LineSyntax::FileColon,
        "code" | "codium" | "code-insiders" => LineSyntax::Goto,
        _ => LineSyntax::None,
    }
}

/// The command that opens `file` in `$VISUAL`, else `$EDITOR`, else `vi`,
/// at `line` (1-based) where the editor is known to take one.
pub fn editor_command(
    visual: Option<&str>,
    editor: Option<&str>,
    file: &Path,
    line: Option<usize>,
) -> Invocation {
    let mut command = [visual, editor]
        .into_iter()
        .flatten()
        .find_map(Invocation::split)
        .unwrap_or_else(|| Invocation {
            program: "vi".into(),
            args: Vec::new(),
        });
    let file = file.display().to_string();
    match line.map(|l| (l.max(1), line_syntax(&command.program))) {
        Some((l, LineSyntax::PlusLine)) => command.args.extend([format!("+{l}"), file]),
        Some((l, LineSyntax::FileColon)) => command.args.push(format!("{file}:{l}")),
        Some((l, LineSyntax::Goto)) => command
            .args
            .extend(["--goto".into(), format!("{file}:{l}")]),
        Some((_, LineSyntax::None)) | None => command.args.push(file),
    }
    command
}

/// The shell script `|` runs a typed command in (the command is `$1`): it
/// waits for Enter after, as mutt does, so what the command printed can be
/// read before the reader draws over it.
pub const PIPE_SCRIPT: &str =
    r#"eval "$1"; printf '\n[newsdesk] press Enter to go back '; read -r _ </dev/tty"#;

/// The pager `|` offers first: `$PAGER`, else `less`.
pub fn default_pager(pager: Option<&str>) -> Invocation {
    pager
        .and_then(Invocation::split)
        .unwrap_or_else(|| Invocation {
            program: "less".into(),
            args: Vec::new(),
        })
}

/// The command `|` pipes the article's text into: the pager (`$PAGER`, else
/// `less`) when nothing else was typed, run as it is; else what the person
/// typed, run by `sh` (so pipes and quotes work) in [`PIPE_SCRIPT`].
pub fn pipe_command(typed: Option<&str>, pager: Option<&str>) -> Invocation {
    let pager = default_pager(pager);
    match typed.map(str::trim).filter(|t| !t.is_empty()) {
        Some(typed) if Invocation::split(typed).as_ref() != Some(&pager) => Invocation {
            program: "sh".into(),
            args: vec![
                "-c".into(),
                PIPE_SCRIPT.into(),
                "newsdesk-pipe".into(),
                typed.to_owned(),
            ],
        },
        _ => pager,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(program: &str, args: &[&str]) -> Invocation {
        Invocation {
            program: program.into(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn terminal_browsers_are_known_with_paths_arguments_and_lists() {
        assert!(browser_needs_terminal(Some("w3m"), false));
        assert!(browser_needs_terminal(
            Some("/usr/bin/lynx -accept_all_cookies"),
            false
        ));
        assert!(browser_needs_terminal(Some("elinks %s"), false));
        assert!(browser_needs_terminal(Some(" : links2 -g:firefox"), false));
        assert!(
            !browser_needs_terminal(Some("firefox:w3m"), false),
            "the first entry is used"
        );
        assert!(!browser_needs_terminal(Some("/opt/w3m-tools/open"), false));
        assert!(!browser_needs_terminal(None, false));
        assert!(!browser_needs_terminal(Some(""), false));
        assert!(
            browser_needs_terminal(Some("my-browser"), true),
            "config says so"
        );
    }

    #[test]
    fn editors_open_at_the_line_where_they_know_how() {
        let f = Path::new("articles/a b.txt");
        assert_eq!(
            editor_command(None, Some("vim"), f, Some(12)),
            inv("vim", &["+12", "articles/a b.txt"])
        );
        assert_eq!(
            editor_command(Some("/usr/bin/nvim"), Some("nano"), f, Some(3)),
            inv("/usr/bin/nvim", &["+3", "articles/a b.txt"]),
            "$VISUAL wins"
        );
        assert_eq!(
            editor_command(Some(" "), Some("emacsclient -t"), f, Some(1)),
            inv("emacsclient", &["-t", "+1", "articles/a b.txt"]),
            "a blank $VISUAL is skipped"
        );
        assert_eq!(
            editor_command(None, Some("hx"), f, Some(7)),
            inv("hx", &["articles/a b.txt:7"])
        );
        assert_eq!(
            editor_command(None, Some("code --wait"), f, Some(7)),
            inv("code", &["--wait", "--goto", "articles/a b.txt:7"])
        );
        assert_eq!(
            editor_command(None, Some("ed"), f, Some(7)),
            inv("ed", &["articles/a b.txt"]),
            "an unknown editor gets the file alone"
        );
        assert_eq!(
            editor_command(None, None, f, None),
            inv("vi", &["articles/a b.txt"])
        );
        assert_eq!(
            editor_command(None, Some("kak"), f, Some(0)),
            inv("kak", &["+1", "articles/a b.txt"]),
            "lines are 1-based"
        );
    }

    #[test]
    fn pipes_go_to_the_typed_command_then_the_pager_then_less() {
        assert_eq!(
            pipe_command(Some("grep -c x | wc"), Some("more")),
            inv(
                "sh",
                &["-c", PIPE_SCRIPT, "newsdesk-pipe", "grep -c x | wc"]
            )
        );
        assert_eq!(
            pipe_command(Some("  "), Some("less -R")),
            inv("less", &["-R"])
        );
        assert_eq!(
            pipe_command(Some(" less  -R "), Some("less -R")),
            inv("less", &["-R"]),
            "the pager as offered runs as it is, with no wait after"
        );
        assert_eq!(pipe_command(None, Some("")), inv("less", &[]));
        assert_eq!(pipe_command(None, None), inv("less", &[]));
    }

    /// The stand-in the end-to-end tests run as browser, editor and pager.
    #[test]
    fn the_stand_in_records_arguments_input_and_terminals() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let standin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bin/standin");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let mut child = Command::new("sh")
            .arg(&standin)
            .args(["+3", "a file.txt"])
            .env("STANDIN_LOG", &log)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"line one\nline two\n")
            .unwrap();
        assert!(child.wait().unwrap().success());
        let text = std::fs::read_to_string(&log).unwrap();
        assert_eq!(
            text,
            "args: [+3] [a file.txt]\nstdin-terminal: no\nstdout-terminal: no\nstdin:\nline one\nline two\nend of stdin\n"
        );
    }
}
