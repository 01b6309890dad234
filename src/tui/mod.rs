//! The terminal loop: draw from `&App`, wait for the next event, `update`,
//! repeat. Everything arrives on one channel: the terminal's events (read on
//! their own thread), the background work's reports (loader batches, reloads,
//! folder changes, imports) and stop signals. The terminal is restored on every
//! way out: quit, Ctrl-c, SIGTERM, SIGHUP, SIGINT, and panic.

mod background;
mod cache;
mod runner;
mod state_file;
mod terminal;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyCode, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::app::{App, Effect, Programs};
use crate::bodies::BodyStore;
use crate::config::Config;
use crate::exit::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
use crate::keymap::Keymap;
use crate::library::{self, Library, LoadOptions};
use crate::message::{Job, Message};
use crate::snapshot::{self};
use crate::state;
use background::forward_first_load;
use cache::spawn_cache;
use runner::Runner;
use state_file::StateFile;
use terminal::{Input, forward_signals, install_panic_hook, spawn_watchdog};

/// Turns a terminal event into a message, if it means one.
pub fn message_for(app: &App, event: TermEvent) -> Option<Message> {
    match event {
        TermEvent::Key(key) if key.kind == KeyEventKind::Press => {
            if app.typing() {
                // Up and Down walk the search history; in the find prompt
                // they move the cursor through the rows found.
                let searching = app.prompt().is_some_and(crate::app::Prompt::is_search);
                return match key.code {
                    KeyCode::Esc => Some(Message::Back),
                    KeyCode::Enter => Some(Message::Submit),
                    KeyCode::Down if searching => Some(Message::HistoryForward),
                    KeyCode::Up if searching => Some(Message::HistoryBack),
                    KeyCode::Down => Some(Message::SelectNext),
                    KeyCode::Up => Some(Message::SelectPrev),
                    KeyCode::Char('c') if key.modifiers.contains(event::KeyModifiers::CONTROL) => {
                        Some(Message::ForceQuit)
                    }
                    _ => crate::line_edit::EditAction::from_key(&key).map(|action| match action {
                        crate::line_edit::EditAction::Insert(c) => Message::Type(c),
                        action => Message::Edit(action),
                    }),
                };
            }
            let found = app.keymap().lookup(app.context(), key);
            match key.code {
                // Digits nothing is bound to are a count for the next movement.
                KeyCode::Char(c @ '0'..='9')
                    if found.is_none()
                        && !key.modifiers.intersects(
                            event::KeyModifiers::CONTROL | event::KeyModifiers::ALT,
                        ) =>
                {
                    Some(Message::Digit(c as u8 - b'0'))
                }
                _ => found,
            }
        }
        TermEvent::Resize(w, h) => Some(Message::Resize(w, h)),
        TermEvent::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Message::Click(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Message::Scroll(m.column, m.row, 1)),
            MouseEventKind::ScrollUp => Some(Message::Scroll(m.column, m.row, -1)),
            _ => None,
        },
        _ => None,
    }
}

/// One thing the loop waits for.
enum Incoming {
    /// From the terminal.
    Terminal(TermEvent),
    /// The terminal cannot be read any more.
    TerminalGone(io::Error),
    /// From background work.
    Job(Job),
    /// A sentence for the status bar (a browser that failed).
    Notice(String),
    /// A stop signal arrived.
    Stop,
}

/// Opens the reader on `folder`; returns the exit status. With `no_cache`
/// the archive's snapshot is neither read nor written.
pub fn run(
    folder: PathBuf,
    regions: Vec<String>,
    query: String,
    state_path: Option<PathBuf>,
    no_cache: bool,
    config: &Config,
) -> i32 {
    let keymap = match Keymap::from_config(config) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            return EXIT_UNUSABLE;
        }
    };
    if let Err(e) = library::check_root(&folder) {
        eprintln!("newsdesk: {e}");
        return EXIT_UNUSABLE;
    }
    if !no_cache && let Ok(dir) = snapshot::cache_dir() {
        // Before the gazetteer is first wanted: its name table is kept there.
        crate::gazetteer::kept::keep_in(dir);
    }
    let (sender, incoming) = mpsc::channel();
    // The number of the signal that asked us to stop (0: none).
    let stop = Arc::new(AtomicUsize::new(0));
    forward_signals(&stop, sender.clone());
    spawn_watchdog(Arc::clone(&stop));
    let mouse = config.mouse;
    // Not `ratatui::run`: it panics when there is no terminal to be had.
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            eprintln!(
                "newsdesk: no terminal to show the reader in ({e}); run it in a terminal, \
                 or use `newsdesk list` or `newsdesk check` without one"
            );
            return EXIT_PROBLEMS;
        }
    };
    let session = |terminal: &mut ratatui::DefaultTerminal| -> io::Result<()> {
        install_panic_hook(mouse);
        if mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        let size = terminal.size()?;
        let library = Library {
            root: folder.clone(),
            ..Library::default()
        };
        let mut app = App::new(library, config, keymap, (size.width, size.height));
        app.set_views(
            config.views.clone(),
            config.own_file().map(Path::to_path_buf),
        );
        app.set_programs(Programs::from_env(config));
        app.start_loading();
        let mut state_file = StateFile {
            path: state::locate(state_path.as_deref(), &|k| std::env::var(k).ok()),
            changed: None,
        };
        if let Some(path) = &state_file.path {
            let loaded = state::load(path);
            app.restore_state(loaded.state);
            if let Some(w) = loaded.warning {
                app.set_notice(w);
            }
        }
        app.select_regions_when_loaded(regions);
        if !query.is_empty() {
            app.set_search(&query);
        }
        let options = LoadOptions {
            max_file_size: config.max_file_size,
        };
        let input = Input::spawn(sender.clone());
        // Without a cache folder the reader works as with --no-cache.
        let snapshot_file = (!no_cache)
            .then(|| snapshot::path_for(&folder).ok())
            .flatten();
        let cache = match snapshot_file {
            Some(file) => spawn_cache(folder.clone(), file, options.clone(), sender.clone()),
            None => {
                forward_first_load(folder.clone(), options.clone(), sender.clone(), None);
                None
            }
        };
        let mut runner = Runner {
            sender: sender.clone(),
            options: options.clone(),
            input,
            watch_started: false,
            config,
            bodies: BodyStore::new(folder.clone(), options, crate::bodies::DEFAULT_CAPACITY),
            cache,
        };
        let outcome = event_loop(terminal, &mut app, &incoming, &mut runner, &mut state_file);
        state_file.save_if_due(&mut app, true);
        if mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        // The marks are saved above; the archive is not freed piece by
        // piece: the process ends next and its memory goes back at once
        // (freeing a million articles held the terminal for half a second
        // after `q`). A snapshot write still due is not waited for: the
        // next start checks the folder against the older one.
        drop(runner);
        std::mem::forget(app);
        outcome
    };
    let result = session(&mut terminal);
    ratatui::restore();
    match result {
        // Stopped by a signal: the shell's convention, 128 + its number.
        Ok(()) if stop.load(Ordering::Relaxed) != 0 => 128 + stop.load(Ordering::Relaxed) as i32,
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("newsdesk: the terminal failed ({e})");
            EXIT_PROBLEMS
        }
    }
}

/// How long one pass may take in events before it draws (a flood of loader
/// batches or keys still shows progress).
const DRAIN_BUDGET: Duration = Duration::from_millis(30);

/// How long the reader waits with nothing arriving before its idle work.
const IDLE_AFTER: Duration = Duration::from_millis(300);

/// While the first load streams in, at most one frame this often for the
/// loader's batches alone (about 30 a second: the list still fills as one
/// watches); a key, a resize or the end of the load draws at once.
const LOADING_FRAME: Duration = Duration::from_millis(33);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    incoming: &Receiver<Incoming>,
    runner: &mut Runner,
    state_file: &mut StateFile,
) -> io::Result<()> {
    // When the last frame was drawn (if it had articles: the first rows
    // are never held back), and whether what came since was only the
    // loader's batches, which may wait for the next frame.
    let mut drawn: Option<Instant> = None;
    let mut only_batches = false;
    loop {
        let frame_in = match drawn {
            Some(at) if only_batches && app.loading().is_some() => {
                LOADING_FRAME.checked_sub(at.elapsed())
            }
            _ => None,
        };
        if frame_in.is_none() {
            if let Some(overlay) = app.overlay() {
                let (w, h) = app.size();
                let first = crate::ui::overlay::first_shown(
                    app,
                    overlay,
                    ratatui::layout::Rect::new(0, 0, w, h),
                );
                app.show_overlay_from(first);
            }
            terminal.draw(|frame| crate::ui::render(app, frame))?;
            crate::trace::point("drawn");
            drawn = (!app.articles().is_empty()).then(Instant::now);
        }
        only_batches = true;
        // Once rows show: a snapshot's pieces are staged unseen, and the
        // watch's walk (and the index's opening) beside their decoding
        // would take a core from it; the folder check after it finds what
        // changed before the watch was up.
        if (!app.archive().order().is_empty() || app.loading().is_none())
            && runner.start_watch_once(app.root())
        {
            app.index_coming();
        }
        // Wait for the next event (or for the marks to be due), then take in
        // what else is waiting, so a burst of keys or batches costs one draw.
        // Once nothing has arrived for a moment (a person reads the screen;
        // the first frames and the terminal get the cores first), the app
        // does its idle work a piece at a time until something arrives.
        let idle = app.has_idle_work();
        let wait = match state_file.due_in(app) {
            Some(wait) if idle => Some(wait.min(IDLE_AFTER)),
            None if idle => Some(IDLE_AFTER),
            wait => wait,
        };
        // A frame held back is drawn when due even if nothing else comes.
        let wait = match (wait, frame_in) {
            (Some(w), Some(f)) => Some(w.min(f)),
            (w, f) => w.or(f),
        };
        let mut first = match wait {
            Some(wait) => incoming.recv_timeout(wait),
            None => incoming.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        if idle && matches!(first, Err(RecvTimeoutError::Timeout)) {
            while app.idle_work() {
                match incoming.try_recv() {
                    Ok(event) => first = Ok(event),
                    Err(TryRecvError::Disconnected) => first = Err(RecvTimeoutError::Disconnected),
                    Err(TryRecvError::Empty) => continue,
                }
                break;
            }
        }
        let started = Instant::now();
        let mut next = match first {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        while let Some(event) = next.take() {
            only_batches &= matches!(event, Incoming::Job(Job::Loaded { .. }));
            let changed_paths = stale_bodies(&event);
            match event {
                Incoming::Terminal(ev) => {
                    if let Some(message) = message_for(app, ev) {
                        app.update(message);
                    }
                }
                Incoming::TerminalGone(e) => return Err(e),
                Incoming::Job(job) => app.update(job),
                Incoming::Notice(text) => app.set_notice(text),
                Incoming::Stop => return Ok(()),
            }
            if let Some(paths) = changed_paths {
                runner.bodies.forget(&paths);
            }
            // An effect may leave more (a body read answers at once).
            loop {
                let effects = app.take_effects();
                if effects.is_empty() {
                    break;
                }
                for effect in effects {
                    match effect {
                        Effect::ReadState => state_file.read_again(app),
                        effect => runner.run(effect, app, terminal)?,
                    }
                }
            }
            if app.quit() {
                break;
            }
            if started.elapsed() < DRAIN_BUDGET {
                next = incoming.try_recv().ok();
            }
        }
        state_file.save_if_due(app, false);
        if app.quit() {
            return Ok(());
        }
    }
}

/// The paths whose kept bodies `event` makes old (forgotten before the
/// effects it causes read any): what changed, or everything on a reload,
/// whose articles come without their text.
fn stale_bodies(event: &Incoming) -> Option<Vec<PathBuf>> {
    match event {
        Incoming::Job(Job::Changed(changes)) => Some(changes.paths.clone()),
        Incoming::Job(Job::Reloaded { .. }) => Some(vec![PathBuf::new()]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reload_makes_every_kept_body_old() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("news")).unwrap();
        let file = Path::new("news/a.txt");
        std::fs::write(dir.path().join(file), "Old\n\nOld text.\n").unwrap();
        let mut store = BodyStore::new(dir.path().to_path_buf(), Default::default(), 4);
        assert!(store.get(file).is_ok());
        std::fs::write(dir.path().join(file), "New\n\nNew text.\n").unwrap();
        let reloaded = Incoming::Job(Job::Reloaded {
            articles: Vec::new(),
            problems: Vec::new(),
        });
        store.forget(&stale_bodies(&reloaded).unwrap());
        let article = store.get(file).unwrap();
        assert_eq!(article.title, "New", "read again, not the kept one");
        assert!(stale_bodies(&Incoming::Notice(String::new())).is_none());
    }
}
