//! Leaving the reader for another program: a browser that draws in the
//! terminal, the editor (`e`, Enter in the problems list), the pager (`|`),
//! and the clipboard (`y`, `Y`). `update` only says what to run, as an
//! [`Effect`]; the loop hands the terminal over, waits, and takes it back.

use std::path::PathBuf;

use super::{App, Effect, Prompt};
use crate::config::Config;
use crate::handover::{self, Invocation};
use crate::line_edit::LineEdit;
use crate::links;
use crate::message::Message;

/// The programs newsdesk hands the terminal to, as the environment and
/// config name them (read once by the loop; `update` never reads the
/// environment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Programs {
    /// `$BROWSER`.
    pub browser: Option<String>,
    /// `browser_in_terminal` in config.
    pub browser_in_terminal: bool,
    /// `$VISUAL`.
    pub visual: Option<String>,
    /// `$EDITOR`.
    pub editor: Option<String>,
    /// `$PAGER`.
    pub pager: Option<String>,
}

impl Programs {
    /// The programs from the environment and `config`.
    pub fn from_env(config: &Config) -> Programs {
        let var = |name: &str| std::env::var(name).ok();
        Programs {
            browser: var("BROWSER"),
            browser_in_terminal: config.browser_in_terminal,
            visual: var("VISUAL"),
            editor: var("EDITOR"),
            pager: var("PAGER"),
        }
    }
}

impl App {
    /// Sets the programs `o`, `e` and `|` run.
    pub fn set_programs(&mut self, programs: Programs) {
        self.programs = programs;
    }

    /// The programs `o`, `e` and `|` run.
    pub fn programs(&self) -> &Programs {
        &self.programs
    }

    /// `o`, `y`, `Y`: the selected article's source URL or citation.
    pub(super) fn use_link(&mut self, message: Message) {
        let Some(i) = self.selected_article() else {
            self.notice = Some("no article selected".into());
            return;
        };
        let article = self.archive.article(i);
        if message == Message::CopyCitation {
            let citation = links::citation(article);
            self.notice = Some(format!("copied {citation}"));
            self.effects.push(Effect::Copy(citation));
            return;
        }
        let Some(url) = article.source_url.as_deref().map(str::to_owned) else {
            self.notice = Some("this article has no source URL".into());
            return;
        };
        if message == Message::CopyLink {
            self.notice = Some(format!("copied {url}"));
            self.effects.push(Effect::Copy(url));
            return;
        }
        let browser = self.programs.browser.as_deref();
        if handover::browser_needs_terminal(browser, self.programs.browser_in_terminal) {
            let (program, args) = links::browser_command(browser, &url);
            self.effects.push(Effect::RunInTerminal {
                command: Invocation { program, args },
                reread: None,
                stdin: None,
            });
        } else {
            self.notice = Some(format!("opening {url}"));
            self.effects.push(Effect::OpenUrl(url));
        }
    }

    /// `e`: the selected article's file in the editor; read again after.
    pub(super) fn edit_article(&mut self) {
        let Some(i) = self.selected_article() else {
            self.notice = Some("no article selected".into());
            return;
        };
        let path = self.archive.article(i).path.to_path_buf();
        self.edit(path, None);
    }

    /// Enter in the problems list: the file of the problem under the
    /// cursor, at its line.
    pub(super) fn edit_problem(&mut self) {
        let Some(problem) = self.archive.problems().get(self.problem_cursor) else {
            return;
        };
        if self.jobs.is_feed_problem(&problem.path) {
            self.notice = Some("this problem is a feed, not a file to edit".into());
            return;
        }
        let (path, line) = (problem.path.clone(), problem.line);
        self.edit(path, line);
    }

    fn edit(&mut self, path: PathBuf, line: Option<usize>) {
        let full = self.archive.root().join(&path);
        let command = handover::editor_command(
            self.programs.visual.as_deref(),
            self.programs.editor.as_deref(),
            &full,
            line,
        );
        self.effects.push(Effect::RunInTerminal {
            command,
            reread: Some(path),
            stdin: None,
        });
    }

    /// The article `|` would pipe: the open one, when it has text.
    fn article_to_pipe(&self) -> Option<usize> {
        let i = self.reader.article()?;
        (!self.reader.page().lines.is_empty()).then_some(i)
    }

    /// `|`: asks for the command to pipe the open article to, prefilled with
    /// the last one typed, else `$PAGER`, else `less`.
    pub(super) fn pipe_article(&mut self) {
        if self.article_to_pipe().is_none() {
            self.notice = Some("no article to pipe".into());
            return;
        }
        let default = self.last_pipe.clone().unwrap_or_else(|| {
            let pager = handover::default_pager(self.programs.pager.as_deref());
            std::iter::once(pager.program)
                .chain(pager.args)
                .collect::<Vec<_>>()
                .join(" ")
        });
        self.prompt = Some(Prompt::Pipe {
            line: LineEdit::new(&default),
        });
    }

    /// Enter at the pipe prompt: the open article's text, as the reader
    /// wraps it, into `typed` (see [`handover::pipe_command`]); the article
    /// is read again after if its file changed.
    pub(super) fn run_pipe(&mut self, typed: &str) {
        let typed = typed.trim();
        if typed.is_empty() {
            self.notice = Some("nothing piped: no command".into());
            return;
        }
        self.last_pipe = Some(typed.to_owned());
        // Checked again: a live reload may have taken the article away
        // while the command was being typed.
        let Some(i) = self.article_to_pipe() else {
            self.notice = Some("no article to pipe".into());
            return;
        };
        let command = handover::pipe_command(Some(typed), self.programs.pager.as_deref());
        self.effects.push(Effect::RunInTerminal {
            command,
            reread: Some(self.archive.article(i).path.to_path_buf()),
            stdin: Some(self.reader.page().to_text()),
        });
    }

    /// The command the last `|` ran, offered again by the next.
    pub fn last_pipe(&self) -> Option<&str> {
        self.last_pipe.as_deref()
    }

    /// The program run in the terminal failed: say so.
    pub fn handover_failed(&mut self, command: &Invocation, why: &str) {
        self.notice = Some(format!("\"{}\" {why}", command.program));
    }
}
