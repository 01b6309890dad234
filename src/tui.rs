//! The terminal loop: draw from `&App`, read events, turn keys into messages,
//! `update`, repeat. The terminal is restored on every way out: quit, Ctrl-c,
//! SIGTERM, SIGHUP, SIGINT, and panic.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEventKind, MouseButton,
    MouseEventKind,
};
use ratatui::crossterm::execute;

use std::io::Write;
use std::sync::mpsc;
use std::time::Instant;

use crate::app::{App, Effect};
use crate::article::Article;
use crate::cli::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
use crate::config::Config;
use crate::import;
use crate::keymap::Keymap;
use crate::library::{self, Library, LoadEvent, LoadOptions, Problem};
use crate::links;
use crate::message::Message;
use crate::state;
use crate::watch;

/// Turns a terminal event into a message, if it means one.
pub fn message_for(app: &App, event: Event) -> Option<Message> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            if app.typing() {
                return match key.code {
                    KeyCode::Esc => Some(Message::Back),
                    KeyCode::Enter => Some(Message::Submit),
                    KeyCode::Backspace => Some(Message::Erase),
                    KeyCode::Down => Some(Message::SelectNext),
                    KeyCode::Up => Some(Message::SelectPrev),
                    KeyCode::Char('c') if key.modifiers.contains(event::KeyModifiers::CONTROL) => {
                        Some(Message::ForceQuit)
                    }
                    KeyCode::Char(c) => Some(Message::Type(c)),
                    _ => None,
                };
            }
            app.keymap.lookup(app.context(), key)
        }
        Event::Resize(w, h) => Some(Message::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Message::Click(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Message::Scroll(m.column, m.row, 1)),
            MouseEventKind::ScrollUp => Some(Message::Scroll(m.column, m.row, -1)),
            _ => None,
        },
        _ => None,
    }
}

/// Where the reader keeps its marks, and whether it can.
struct StateFile {
    path: Option<PathBuf>,
    last_change: Option<Instant>,
}

/// How long marks wait before being written, so a burst of keys is one write.
const SAVE_DELAY: Duration = Duration::from_millis(500);

impl StateFile {
    /// Saves when marks changed and have settled (or at once when `now_anyway`).
    fn save_if_due(&mut self, app: &mut App, now_anyway: bool) {
        if !app.state_dirty {
            return;
        }
        let changed = *self.last_change.get_or_insert_with(Instant::now);
        if !now_anyway && changed.elapsed() < SAVE_DELAY {
            return;
        }
        self.last_change = None;
        app.state_dirty = false;
        let Some(path) = &self.path else { return };
        let state = app.state_to_save();
        // Merged with what other readers saved, which then shows here too.
        match state::merge_into(path, std::slice::from_ref(&state)) {
            Ok(saved) => {
                app.restore_state(saved.state);
                if let Some(w) = saved.warning {
                    app.set_notice(w);
                }
            }
            Err(e) => {
                app.set_notice(format!("{e}; the marks are kept meanwhile"));
                app.state_dirty = e.retry();
            }
        }
    }
}

/// Opens the reader on `folder`; returns the exit status.
pub fn run(
    folder: PathBuf,
    regions: Vec<String>,
    state_path: Option<PathBuf>,
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
    let options = LoadOptions {
        max_file_size: config.max_file_size,
    };
    // The number of the signal that asked us to stop (0: none).
    let stop = Arc::new(AtomicUsize::new(0));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        if let Err(e) =
            signal_hook::flag::register_usize(signal, Arc::clone(&stop), signal as usize)
        {
            eprintln!("newsdesk: cannot watch for signals ({e}); continuing");
        }
    }
    spawn_watchdog(Arc::clone(&stop));
    let mouse = config.mouse;
    let result = ratatui::run(|terminal| -> io::Result<()> {
        // Over ratatui's hook (which restores the terminal and prints the
        // panic): a panic in a loader thread is caught and reported as a
        // problem with that file, so it must neither restore nor print.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some(library::LOADER_THREAD) {
                return;
            }
            if mouse {
                let _ = execute!(io::stdout(), DisableMouseCapture);
            }
            let _ = execute!(io::stdout(), ratatui::crossterm::cursor::Show);
            previous(info);
        }));
        if mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        let size = terminal.size()?;
        let library = Library {
            root: folder.clone(),
            ..Library::default()
        };
        let mut app = App::new(library, config, keymap, (size.width, size.height));
        app.loading = Some((0, None));
        let mut state_file = StateFile {
            path: state::locate(state_path.as_deref(), &|k| std::env::var(k).ok()),
            last_change: None,
        };
        if let Some(path) = &state_file.path {
            let loaded = state::load(path);
            app.restore_state(loaded.state);
            if let Some(w) = loaded.warning {
                app.set_notice(w);
            }
        }
        app.select_regions_when_loaded(regions);
        let mut jobs = Jobs {
            loader: library::spawn_loader(
                folder.clone(),
                options.clone(),
                library::default_threads(),
            ),
            options,
            watching: Watching::NotYet,
            reload: None,
            import: None,
        };
        let outcome = event_loop(
            terminal,
            &mut app,
            &stop,
            &mut state_file,
            &mut jobs,
            config,
        );
        state_file.save_if_due(&mut app, true);
        if mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        outcome
    });
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

/// How long the loop has to notice a stop signal before the watchdog ends the process.
const STOP_GRACE: Duration = Duration::from_millis(1500);

/// When the terminal hangs up, reading it returns end-of-file for ever and the
/// terminal library's read never returns to the loop. After a stop signal, give
/// the loop a moment to leave cleanly; if it has not, restore what can be
/// restored and exit with the signal's status.
fn spawn_watchdog(stop: Arc<AtomicUsize>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let signal = stop.load(Ordering::Relaxed);
            if signal != 0 {
                std::thread::sleep(STOP_GRACE);
                let _ = execute!(
                    io::stdout(),
                    DisableMouseCapture,
                    ratatui::crossterm::cursor::Show
                );
                ratatui::restore();
                std::process::exit(128 + signal as i32);
            }
        }
    });
}

/// Ctrl-z: restore the terminal, stop (as the shell expects), and on `fg`
/// take the terminal again and redraw everything.
fn suspend(terminal: &mut ratatui::DefaultTerminal, mouse: bool) -> io::Result<()> {
    use ratatui::crossterm::terminal::{
        EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
    };
    if mouse {
        execute!(io::stdout(), DisableMouseCapture)?;
    }
    execute!(
        io::stdout(),
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    )?;
    disable_raw_mode()?;
    // Stops here until the shell sends SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    terminal.clear()
}

/// What a loader reported since the last look.
#[derive(Default)]
struct Drained {
    articles: Vec<Article>,
    problems: Vec<Problem>,
    /// Files the batches covered.
    files: usize,
    /// The number of files in all, once the walk is over.
    total: Option<usize>,
    /// Every file has been reported.
    done: bool,
}

/// Takes what a loader has sent, without waiting.
fn drain(loader: &mpsc::Receiver<LoadEvent>) -> Drained {
    let mut out = Drained::default();
    loop {
        match loader.try_recv() {
            Ok(LoadEvent::Loaded(mut batch, mut found, files)) => {
                out.files += files;
                out.articles.append(&mut batch);
                out.problems.append(&mut found);
            }
            Ok(LoadEvent::Problem(p)) => out.problems.push(p),
            Ok(LoadEvent::Total(n)) => out.total = Some(n),
            Ok(LoadEvent::Done) | Err(mpsc::TryRecvError::Disconnected) => {
                out.done = true;
                return out;
            }
            Err(mpsc::TryRecvError::Empty) => return out,
        }
    }
}

/// Moves what the loader has finished into the app, as one batch.
fn take_loaded(app: &mut App, loader: &mpsc::Receiver<LoadEvent>) {
    let drained = drain(loader);
    let (seen, total) = app.loading.unwrap_or((0, None));
    app.loading = Some((seen + drained.files, drained.total.or(total)));
    if !drained.articles.is_empty() || !drained.problems.is_empty() {
        app.add_articles(drained.articles, drained.problems);
    }
    if drained.done {
        app.finish_loading();
    }
}

/// A full reload in progress: what it has read so far.
struct Reload {
    events: mpsc::Receiver<LoadEvent>,
    articles: Vec<Article>,
    problems: Vec<Problem>,
}

/// What an import running in the background reports.
enum ImportEvent {
    Progress(import::Progress),
    Finished(Result<import::Report, String>),
}

/// The folder watch.
enum Watching {
    /// Not asked for yet: it walks every folder (a second or more on a big
    /// archive), so it starts once the first rows are drawn.
    NotYet,
    /// Being set up on its own thread.
    SettingUp(mpsc::Receiver<Result<watch::Watch, String>>),
    /// In place, with the walk for what changed before it was.
    On(watch::Watch, CatchUp),
    /// Not possible here (the status bar said why; `r` still reloads).
    Off,
}

/// The walk that finds what changed while the watch was being set up.
enum CatchUp {
    /// Due once the first load is over.
    Due,
    /// Walking the folder.
    Running(mpsc::Receiver<watch::Changes>),
    /// Done (or not possible).
    Done,
}

/// The work going on beside the loop: the first load, the folder watch, a
/// full reload, a feed import.
struct Jobs {
    loader: mpsc::Receiver<LoadEvent>,
    options: LoadOptions,
    watching: Watching,
    reload: Option<Reload>,
    import: Option<mpsc::Receiver<ImportEvent>>,
}

fn watch_off(app: &mut App, why: impl std::fmt::Display) {
    app.set_notice(format!(
        "live reload is off ({why}); r reads the folder again"
    ));
}

impl Jobs {
    fn busy(&self) -> bool {
        self.reload.is_some() || self.import.is_some()
    }

    /// Sets up the folder watch on its own thread (once); changes wait until
    /// the first load is over.
    fn start_watch(&mut self, app: &mut App) {
        if !matches!(self.watching, Watching::NotYet) {
            return;
        }
        let (sender, ready) = mpsc::channel();
        let (folder, options) = (app.root.clone(), self.options.clone());
        self.watching = match library::spawn_worker(move || {
            let _ = sender.send(watch::watch(&folder, options));
        }) {
            Ok(()) => Watching::SettingUp(ready),
            Err(e) => {
                watch_off(app, e);
                Watching::Off
            }
        };
    }

    /// Takes in the watch once it is set up, then what it reports: changes
    /// wait until the first load and any full reload are over.
    fn poll_watch(&mut self, app: &mut App) {
        if let Watching::SettingUp(ready) = &self.watching {
            self.watching = match ready.try_recv() {
                Ok(Ok(watch)) => Watching::On(watch, CatchUp::Due),
                Ok(Err(e)) => {
                    watch_off(app, e);
                    Watching::Off
                }
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => Watching::Off,
            };
        }
        if app.loading.is_some() || self.reload.is_some() {
            return;
        }
        let Watching::On(watch, catch_up) = &mut self.watching else {
            return;
        };
        Self::catch_up(catch_up, app, &self.options);
        let mut pending: Option<watch::Changes> = None;
        while let Ok(changes) = watch.changes.try_recv() {
            match &mut pending {
                Some(p) => p.merge(changes),
                None => pending = Some(changes),
            }
        }
        match pending {
            // Events were lost: read everything again.
            Some(changes) if changes.rescan => self.start_reload(app),
            Some(changes) => app.apply_changes(changes),
            None => {}
        }
    }

    /// A file added or removed after the first load read its folder but
    /// before the watch covered it would be missed: once both are done, the
    /// folder is walked (not read) and the files that came or went are taken in.
    fn catch_up(state: &mut CatchUp, app: &mut App, options: &LoadOptions) {
        match state {
            CatchUp::Due => {
                let articles: Vec<PathBuf> = app.articles.iter().map(|a| a.path.clone()).collect();
                let problems: Vec<PathBuf> = app.problems.iter().map(|p| p.path.clone()).collect();
                let (root, options) = (app.root.clone(), options.clone());
                let (sender, receiver) = mpsc::channel();
                let spawned = library::spawn_worker(move || {
                    let _ = sender.send(watch::missed(&root, articles, problems, &options));
                });
                *state = match spawned {
                    Ok(()) => CatchUp::Running(receiver),
                    Err(_) => CatchUp::Done,
                };
            }
            CatchUp::Running(receiver) => match receiver.try_recv() {
                Ok(changes) => {
                    app.apply_changes(changes);
                    *state = CatchUp::Done;
                }
                Err(mpsc::TryRecvError::Disconnected) => *state = CatchUp::Done,
                Err(mpsc::TryRecvError::Empty) => {}
            },
            CatchUp::Done => {}
        }
    }

    /// Starts a full reload in the background, unless one is running.
    fn start_reload(&mut self, app: &mut App) {
        if self.reload.is_some() {
            return;
        }
        app.reloading = true;
        self.reload = Some(Reload {
            events: library::spawn_loader(
                app.root.clone(),
                self.options.clone(),
                library::default_threads(),
            ),
            articles: Vec::new(),
            problems: Vec::new(),
        });
    }

    fn start_import(&mut self, app: &mut App, config: &Config) {
        let sources = crate::cli::import_sources(Vec::new(), config);
        if sources.is_empty() {
            app.set_notice(crate::cli::no_feeds_message(config));
            return;
        }
        let options = import::Options {
            into: app.root.clone(),
            timeout: config.import_timeout,
            today: import::today(),
            parallel: 4,
        };
        let (sender, events) = mpsc::channel();
        let worker = library::spawn_worker(move || {
            let progress = sender.clone();
            let result = import::import(sources, &options, &mut |p| {
                let _ = progress.send(ImportEvent::Progress(p.clone()));
            });
            let _ = sender.send(ImportEvent::Finished(result));
        });
        match worker {
            Ok(()) => {
                app.import_started();
                self.import = Some(events);
            }
            Err(e) => app.set_notice(format!("cannot start the import ({e})")),
        }
    }

    /// Takes in what the background work has done.
    fn poll(&mut self, app: &mut App) {
        if let Some(reload) = &mut self.reload {
            let mut drained = drain(&reload.events);
            reload.articles.append(&mut drained.articles);
            reload.problems.append(&mut drained.problems);
            if drained.done
                && let Some(reload) = self.reload.take()
            {
                app.replace_all(reload.articles, reload.problems);
            }
        }
        self.poll_watch(app);
        if let Some(events) = &self.import {
            let mut finished = None;
            loop {
                match events.try_recv() {
                    Ok(ImportEvent::Progress(p)) => app.import_progress(&p),
                    Ok(ImportEvent::Finished(result)) => {
                        finished = Some(result);
                        break;
                    }
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        finished = Some(Err("the import stopped unexpectedly".into()));
                        break;
                    }
                }
            }
            if let Some(result) = finished {
                self.import = None;
                app.import_finished(result.as_ref().map_err(String::as_str));
                // Without a watch, the new files come in by a full reload.
                if !matches!(self.watching, Watching::On(..))
                    && result.is_ok_and(|r| r.written() > 0)
                    && app.loading.is_none()
                {
                    self.start_reload(app);
                }
            }
        }
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicUsize,
    state_file: &mut StateFile,
    jobs: &mut Jobs,
    config: &Config,
) -> io::Result<()> {
    let (report, reports) = mpsc::channel();
    loop {
        terminal.draw(|frame| crate::ui::render(app, frame))?;
        if !app.articles.is_empty() || app.loading.is_none() {
            jobs.start_watch(app);
        }
        // Wait for an event (waking to notice signals, and to take in loaded
        // articles), then drain what is pending so a burst of keys or resizes
        // costs one draw.
        let wait = match app.loading {
            // Until the first articles show, look often; then in batches.
            Some(_) if app.articles.is_empty() => Duration::from_millis(5),
            Some(_) => Duration::from_millis(100),
            None if jobs.busy() => Duration::from_millis(100),
            None => Duration::from_millis(250),
        };
        let mut got = event::poll(wait)?;
        while got {
            let ev = event::read()?;
            if let Some(message) = message_for(app, ev) {
                app.update(message);
            }
            got = !app.quit && event::poll(Duration::ZERO)?;
        }
        if app.loading.is_some() {
            take_loaded(app, &jobs.loader);
        }
        jobs.poll(app);
        let effects: Vec<Effect> = app.effects.drain(..).collect();
        for effect in effects {
            match effect {
                Effect::OpenUrl(url) => links::open_url(&url, report.clone()),
                Effect::Copy(text) => {
                    let mut out = io::stdout();
                    out.write_all(links::osc52(&text).as_bytes())?;
                    out.flush()?;
                }
                Effect::Suspend => suspend(terminal, app.mouse)?,
                Effect::Reload => jobs.start_reload(app),
                Effect::Import => jobs.start_import(app, config),
            }
        }
        while let Ok(problem) = reports.try_recv() {
            app.set_notice(problem);
        }
        state_file.save_if_due(app, false);
        if app.quit || stop.load(Ordering::Relaxed) != 0 {
            return Ok(());
        }
    }
}
