//! The terminal loop: draw from `&App`, wait for the next event, `update`,
//! repeat. Everything arrives on one channel: the terminal's events (read on
//! their own thread), the background work's reports (loader batches, reloads,
//! folder changes, imports) and stop signals. The terminal is restored on every
//! way out: quit, Ctrl-c, SIGTERM, SIGHUP, SIGINT, and panic.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyCode, KeyEventKind,
    MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::app::{App, Effect, Programs};
use crate::bodies::BodyStore;
use crate::config::Config;
use crate::exit::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
use crate::handover::Invocation;
use crate::keymap::Keymap;
use crate::library::{self, Library, LoadEvent, LoadOptions, Problem};
use crate::links;
use crate::message::{Job, Message};
use crate::snapshot::{self, Snapshot, Summary};
use crate::state;
use crate::watch::{self, Changes};

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

/// Where the reader keeps its marks, and when they are due to be written.
struct StateFile {
    path: Option<PathBuf>,
    /// When the marks first changed since the last save.
    changed: Option<Instant>,
}

/// How long marks wait before being written, so a burst of keys is one write.
const SAVE_DELAY: Duration = Duration::from_millis(500);

impl StateFile {
    /// How long until a save is due; `None` when nothing waits.
    fn due_in(&mut self, app: &App) -> Option<Duration> {
        if !app.state_dirty() {
            self.changed = None;
            return None;
        }
        let changed = *self.changed.get_or_insert_with(Instant::now);
        Some(SAVE_DELAY.saturating_sub(changed.elapsed()))
    }

    /// Reads the file again (on `r`) for what other readers saved. Nothing
    /// is written: a missing file has nothing to add, and a broken one is
    /// only reported (the next save sets it aside).
    fn read_again(&self, app: &mut App) {
        let Some(path) = &self.path else { return };
        match state::read(path) {
            Ok(saved) => app.merge_saved_state(&saved),
            Err(state::LoadError::Read { source, .. })
                if source.kind() == io::ErrorKind::NotFound => {}
            Err(e) => app.set_notice(format!("{e}; the marks here are kept")),
        }
    }

    /// Saves when marks changed and have settled (or at once when `now_anyway`).
    fn save_if_due(&mut self, app: &mut App, now_anyway: bool) {
        match self.due_in(app) {
            Some(wait) if now_anyway || wait.is_zero() => {}
            _ => return,
        }
        self.changed = None;
        let state = app.state_to_save();
        let Some(path) = &self.path else { return };
        // Merged under a lock with what other readers saved meanwhile; their
        // marks come back to show here too.
        match state::merge_into(path, std::slice::from_ref(&state)) {
            Ok(saved) => {
                app.restore_state(saved.state);
                if let Some(warning) = saved.warning {
                    app.set_notice(warning);
                }
            }
            Err(e) if e.retry() => {
                app.save_failed(format!("{e}; the marks are kept meanwhile"));
            }
            Err(e) => app.set_notice(e.to_string()),
        }
    }
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
    let (sender, incoming) = mpsc::channel();
    // The number of the signal that asked us to stop (0: none).
    let stop = Arc::new(AtomicUsize::new(0));
    forward_signals(&stop, sender.clone());
    spawn_watchdog(Arc::clone(&stop));
    let mouse = config.mouse;
    let result = ratatui::run(|terminal| -> io::Result<()> {
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

/// Over ratatui's hook (which restores the terminal and prints the panic):
/// mouse reporting off and the cursor shown first; panics caught elsewhere
/// (a loader thread's) print nothing.
fn install_panic_hook(mouse: bool) {
    crate::panics::install_hook(move || {
        if mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        let _ = execute!(io::stdout(), ratatui::crossterm::cursor::Show);
    });
}

/// SIGTERM, SIGHUP and SIGINT set `stop` and wake the loop.
fn forward_signals(stop: &Arc<AtomicUsize>, sender: Sender<Incoming>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let signals = match signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("newsdesk: cannot watch for signals ({e}); continuing");
            return;
        }
    };
    let stop = Arc::clone(stop);
    std::thread::spawn(move || {
        let mut signals = signals;
        for signal in signals.forever() {
            stop.store(signal as usize, Ordering::Relaxed);
            let _ = sender.send(Incoming::Stop);
        }
    });
}

/// How long the loop has to notice a stop signal before the watchdog ends the process.
const STOP_GRACE: Duration = Duration::from_millis(1500);

/// When the terminal hangs up, reading it returns end-of-file for ever and the
/// terminal library's read may never return. After a stop signal, give the
/// loop a moment to leave cleanly; if it has not, restore what can be
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

/// The thread that reads the terminal. It can be paused while another program
/// (Ctrl-z's shell) has the terminal, so it never takes that program's keys.
struct Input {
    control: Arc<(Mutex<InputState>, Condvar)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InputState {
    Running,
    PauseAsked,
    Paused,
}

/// How often the input thread looks up from waiting for the terminal (to pause).
const INPUT_POLL: Duration = Duration::from_millis(50);

impl Input {
    fn spawn(sender: Sender<Incoming>) -> Input {
        let control = Arc::new((Mutex::new(InputState::Running), Condvar::new()));
        let shared = Arc::clone(&control);
        std::thread::spawn(move || {
            let (lock, wake) = &*shared;
            loop {
                {
                    let Ok(mut state) = lock.lock() else { return };
                    while *state != InputState::Running {
                        if *state == InputState::PauseAsked {
                            *state = InputState::Paused;
                            wake.notify_all();
                        }
                        state = match wake.wait(state) {
                            Ok(s) => s,
                            Err(_) => return,
                        };
                    }
                }
                let next = match event::poll(INPUT_POLL) {
                    Ok(false) => continue,
                    Ok(true) => event::read().map(Incoming::Terminal),
                    Err(e) => Err(e),
                };
                let gone = next.is_err();
                let message = next.unwrap_or_else(Incoming::TerminalGone);
                if sender.send(message).is_err() || gone {
                    return;
                }
            }
        });
        Input { control }
    }

    /// Stops reading the terminal; returns once the thread has stopped.
    fn pause(&self) {
        let (lock, wake) = &*self.control;
        let Ok(mut state) = lock.lock() else { return };
        *state = InputState::PauseAsked;
        wake.notify_all();
        while *state == InputState::PauseAsked {
            state = match wake.wait(state) {
                Ok(s) => s,
                Err(_) => return,
            };
        }
    }

    /// Reads the terminal again.
    fn resume(&self) {
        let (lock, wake) = &*self.control;
        if let Ok(mut state) = lock.lock() {
            *state = InputState::Running;
            wake.notify_all();
        }
    }
}

/// Gives the terminal back as the shell had it (main screen, cooked mode,
/// cursor shown, no mouse reports), runs `away`, then takes the terminal
/// again and clears it so the next draw paints everything. The caller
/// pauses the input thread around this, so no key goes astray.
fn away_from_terminal<T>(
    terminal: &mut ratatui::DefaultTerminal,
    mouse: bool,
    away: impl FnOnce() -> T,
) -> io::Result<T> {
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
    let outcome = away();
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    terminal.clear()?;
    Ok(outcome)
}

/// Ctrl-z: restore the terminal, stop (as the shell expects), and on `fg`
/// take the terminal again and redraw everything.
fn suspend(terminal: &mut ratatui::DefaultTerminal, mouse: bool) -> io::Result<()> {
    // Stops here until the shell sends SIGCONT.
    away_from_terminal(terminal, mouse, || {
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
    })?
}

/// Gives the terminal to `command` as Ctrl-z gives it to the shell (the
/// caller pauses the input thread first), waits for it to exit, then takes
/// the terminal back and redraws. With `stdin`, the program reads that text
/// on its standard input (a pager shows it on the terminal); without, it has
/// the terminal for input too. Returns how it ended, for the status bar when
/// it failed.
fn run_in_terminal(
    terminal: &mut ratatui::DefaultTerminal,
    mouse: bool,
    command: &Invocation,
    stdin: Option<String>,
) -> io::Result<Result<(), String>> {
    away_from_terminal(terminal, mouse, || run_waiting(command, stdin))
}

/// Runs `command` (on the terminal as it is), feeding it `stdin`, and waits.
fn run_waiting(command: &Invocation, stdin: Option<String>) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(&command.program);
    child.args(&command.args);
    if stdin.is_some() {
        child.stdin(Stdio::piped());
    }
    match child.spawn() {
        Err(e) => Err(format!("cannot start ({e})")),
        Ok(mut child) => {
            // Written on its own thread: a pager reads only as it shows.
            let writer = child.stdin.take().zip(stdin).map(|(mut pipe, text)| {
                std::thread::spawn(move || {
                    // A pager quit early closes the pipe: not a failure.
                    let _ = pipe.write_all(text.as_bytes());
                })
            });
            let status = child.wait();
            if let Some(writer) = writer {
                let _ = writer.join();
            }
            match status {
                Ok(s) if s.success() => Ok(()),
                Ok(s) => Err(format!("failed ({s})")),
                Err(e) => Err(format!("could not be waited for ({e})")),
            }
        }
    }
}

/// When a file was last changed (`None`: it cannot be read).
fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// What a full load keeps for the snapshot: each article's path and
/// summary and every problem (the whole articles go to the reader).
#[derive(Default)]
struct ForSnapshot {
    summaries: Vec<(PathBuf, Summary)>,
    problems: Vec<Problem>,
}

impl ForSnapshot {
    fn keep(&mut self, articles: &[crate::article::Article], problems: &[Problem]) {
        self.summaries
            .extend(articles.iter().map(|a| (a.path.clone(), Summary::of(a))));
        self.problems.extend_from_slice(problems);
    }
}

/// The first load: its batches go to the loop as they come; with a `cache`,
/// what the snapshot needs goes to it at the end.
fn forward_first_load(
    root: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    cache: Option<Sender<CacheOrder>>,
) {
    let started = SystemTime::now();
    let events = library::spawn_loader(root, options, library::default_threads());
    std::thread::spawn(move || {
        let mut kept = ForSnapshot::default();
        for event in events {
            let job = match event {
                LoadEvent::Loaded(articles, problems, files) => {
                    if cache.is_some() {
                        kept.keep(&articles, &problems);
                    }
                    Job::Loaded {
                        articles,
                        problems,
                        files,
                    }
                }
                LoadEvent::Problem(p) => {
                    if cache.is_some() {
                        kept.problems.push(p.clone());
                    }
                    Job::Loaded {
                        articles: Vec::new(),
                        problems: vec![p],
                        files: 0,
                    }
                }
                LoadEvent::Total(n) => Job::LoadTotal(n),
                LoadEvent::Done => break,
            };
            if sender.send(Incoming::Job(job)).is_err() {
                return;
            }
        }
        let _ = sender.send(Incoming::Job(Job::LoadDone));
        if let Some(cache) = cache {
            let _ = cache.send(CacheOrder::Built { kept, started });
        }
    });
}

/// A full reload: everything is gathered, then sent as one report (and
/// the snapshot is built anew from it).
fn forward_reload(
    root: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    cache: Option<Sender<CacheOrder>>,
) {
    let started = SystemTime::now();
    let events = library::spawn_loader(root, options, library::default_threads());
    std::thread::spawn(move || {
        let (mut articles, mut problems) = (Vec::new(), Vec::new());
        for event in events {
            match event {
                LoadEvent::Loaded(mut a, mut p, _) => {
                    articles.append(&mut a);
                    problems.append(&mut p);
                }
                LoadEvent::Problem(p) => problems.push(p),
                LoadEvent::Total(_) => {}
                LoadEvent::Done => break,
            }
        }
        let mut kept = ForSnapshot::default();
        if cache.is_some() {
            kept.keep(&articles, &problems);
        }
        let _ = sender.send(Incoming::Job(Job::Reloaded { articles, problems }));
        if let Some(cache) = cache {
            let _ = cache.send(CacheOrder::Built { kept, started });
        }
    });
}

/// What the thread that keeps the archive's snapshot is told.
enum CacheOrder {
    /// A full load (or reload) is over: the snapshot is built from it.
    Built {
        /// What the load gave.
        kept: ForSnapshot,
        /// When the load began (later mtimes are not trusted).
        started: SystemTime,
    },
    /// Changes the reader is given (live reload, a file read again).
    Applied(Changes),
    /// Check the folder against the snapshot; report what changed.
    Refresh,
}

/// How long the snapshot waits after a change before it is written, so a
/// burst of changes is one write.
const SNAPSHOT_DELAY: Duration = Duration::from_secs(2);

/// The same changes, for the snapshot (`Changes` is not `Clone`).
fn copy_changes(changes: &Changes) -> Changes {
    Changes {
        paths: changes.paths.clone(),
        articles: changes.articles.clone(),
        problems: changes.problems.clone(),
        rescan: changes.rescan,
        check: changes.check,
        started: changes.started,
    }
}

/// Sends `changes` to the loop, and a copy to the snapshot's keeper.
fn send_changes(
    changes: Changes,
    sender: &Sender<Incoming>,
    cache: Option<&Sender<CacheOrder>>,
) -> bool {
    if let Some(cache) = cache {
        let _ = cache.send(CacheOrder::Applied(copy_changes(&changes)));
    }
    sender.send(Incoming::Job(Job::Changed(changes))).is_ok()
}

/// Starts the thread that keeps the archive's snapshot (in `file`): it
/// loads it and sends the whole list at once (`Job::FromSnapshot`), or,
/// when there is none usable, says why in one line and starts the first
/// load; then it takes in every change, checks the folder when asked, and
/// writes the snapshot (at once after a full load, else a moment after
/// the last change). Everything here runs off the loop.
fn spawn_cache(
    root: PathBuf,
    file: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
) -> Option<Sender<CacheOrder>> {
    let (orders, incoming) = mpsc::channel::<CacheOrder>();
    let loader_orders = orders.clone();
    let fallback = (root.clone(), options.clone(), sender.clone());
    let started = std::thread::Builder::new()
        .name("newsdesk-cache".into())
        .spawn(move || {
            let mut keeper = CacheKeeper {
                root,
                file,
                options,
                sender,
                held: None,
                waiting: Vec::new(),
                dirty_since: None,
                save_failed: false,
            };
            keeper.start(loader_orders);
            keeper.serve(&incoming);
        });
    match started {
        Ok(_) => Some(orders),
        // No keeper (no thread to be had): the reader loads as with --no-cache.
        Err(_) => {
            let (root, options, sender) = fallback;
            forward_first_load(root, options, sender, None);
            None
        }
    }
}

/// The snapshot's keeper (see [`spawn_cache`]).
struct CacheKeeper {
    root: PathBuf,
    file: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    /// The snapshot of what the reader holds, once there is one.
    held: Option<Snapshot>,
    /// Changes that came before the first snapshot was built.
    waiting: Vec<Changes>,
    /// When the held snapshot first changed since it was written.
    dirty_since: Option<Instant>,
    /// A write failed once already (said once, not at every change).
    save_failed: bool,
}

impl CacheKeeper {
    fn start(&mut self, orders: Sender<CacheOrder>) {
        match Snapshot::load(&self.file, &self.root) {
            Ok(held) => {
                let (articles, problems) = held.library();
                self.held = Some(held);
                let _ = self
                    .sender
                    .send(Incoming::Job(Job::FromSnapshot { articles, problems }));
            }
            Err(e) => {
                if let Some(notice) = e.notice() {
                    let _ = self.sender.send(Incoming::Notice(notice));
                }
                forward_first_load(
                    self.root.clone(),
                    self.options.clone(),
                    self.sender.clone(),
                    Some(orders),
                );
            }
        }
    }

    fn serve(&mut self, orders: &Receiver<CacheOrder>) {
        loop {
            let order = match self.dirty_since {
                Some(since) => orders.recv_timeout(SNAPSHOT_DELAY.saturating_sub(since.elapsed())),
                None => orders.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match order {
                Ok(CacheOrder::Built { kept, started }) => {
                    match Snapshot::build_from(&self.root, kept.summaries, &kept.problems, started)
                    {
                        Ok(mut built) => {
                            for changes in self.waiting.drain(..) {
                                built.apply(&self.root, &changes);
                            }
                            self.held = Some(built);
                            let _ = self.sender.send(Incoming::Job(Job::SnapshotHeld));
                            self.save();
                        }
                        Err(e) => self.say_once(&e.to_string()),
                    }
                }
                Ok(CacheOrder::Applied(changes)) => match &mut self.held {
                    Some(held) => {
                        held.apply(&self.root, &changes);
                        self.dirty_since.get_or_insert_with(Instant::now);
                    }
                    None => self.waiting.push(changes),
                },
                Ok(CacheOrder::Refresh) => {
                    let Some(held) = &mut self.held else {
                        continue;
                    };
                    let changes = snapshot::refresh(&self.root, held, &self.options);
                    if !changes.paths.is_empty() {
                        held.apply(&self.root, &changes);
                        self.dirty_since.get_or_insert_with(Instant::now);
                    }
                    if self
                        .sender
                        .send(Incoming::Job(Job::Changed(changes)))
                        .is_err()
                    {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout) => self.save(),
                Err(RecvTimeoutError::Disconnected) => {
                    if self.dirty_since.is_some() {
                        self.save();
                    }
                    return;
                }
            }
        }
    }

    fn save(&mut self) {
        self.dirty_since = None;
        if let Some(held) = &self.held
            && let Err(e) = held.save(&self.file)
        {
            self.say_once(&e.to_string());
        }
    }

    fn say_once(&mut self, why: &str) {
        if !self.save_failed {
            self.save_failed = true;
            let _ = self.sender.send(Incoming::Notice(format!(
                "cannot keep the archive cache ({why}); the next start reads every file"
            )));
        }
    }
}

/// Starts the full-text index's background work (open, or build on both
/// cores, then follow the folder's changes), passing on what it reports.
fn forward_index(root: PathBuf, options: LoadOptions, sender: Sender<Incoming>) {
    let report = sender.clone();
    let spawned = crate::index::spawn(root, options, move |job| {
        report.send(Incoming::Job(Job::Index(job))).is_ok()
    });
    if let Err(e) = spawned {
        let why = crate::index::IndexJob::Failed(e.to_string());
        let _ = sender.send(Incoming::Job(Job::Index(why)));
    }
}

/// Sets up the folder watch on its own thread, then passes on what it reports.
fn forward_watch(
    root: PathBuf,
    options: LoadOptions,
    sender: Sender<Incoming>,
    cache: Option<Sender<CacheOrder>>,
) {
    let spawned = library::spawn_worker({
        let sender = sender.clone();
        move || match watch::watch(&root, options) {
            Ok(watch) => {
                if sender.send(Incoming::Job(Job::WatchReady)).is_err() {
                    return;
                }
                for changes in watch.changes.iter() {
                    if !send_changes(changes, &sender, cache.as_ref()) {
                        return;
                    }
                }
            }
            Err(e) => {
                let _ = sender.send(Incoming::Job(Job::WatchFailed(e.to_string())));
            }
        }
    });
    if let Err(e) = spawned {
        let _ = sender.send(Incoming::Job(Job::WatchFailed(e.to_string())));
    }
}

/// Runs the effects `update` leaves, starting background work that reports
/// on the loop's channel.
struct Runner<'a> {
    sender: Sender<Incoming>,
    options: LoadOptions,
    input: Input,
    watch_started: bool,
    config: &'a Config,
    /// Whole articles for those that came without their text.
    bodies: BodyStore,
    /// The snapshot's keeper (none with --no-cache).
    cache: Option<Sender<CacheOrder>>,
}

impl Runner<'_> {
    /// The watch walks every folder (a second or more on a big archive), so
    /// it starts once the first rows are drawn.
    fn start_watch_once(&mut self, root: &Path) {
        if !self.watch_started {
            self.watch_started = true;
            forward_watch(
                root.to_path_buf(),
                self.options.clone(),
                self.sender.clone(),
                self.cache.clone(),
            );
            // The index lives in the cache folder too: none with --no-cache.
            if self.cache.is_some() {
                forward_index(
                    root.to_path_buf(),
                    self.options.clone(),
                    self.sender.clone(),
                );
            }
        }
    }

    fn run(
        &mut self,
        effect: Effect,
        app: &mut App,
        terminal: &mut ratatui::DefaultTerminal,
    ) -> io::Result<()> {
        match effect {
            Effect::OpenUrl(url) => {
                let sender = self.sender.clone();
                links::open_url(&url, move |text| {
                    let _ = sender.send(Incoming::Notice(text));
                });
            }
            Effect::Copy(text) => {
                let mut out = io::stdout();
                out.write_all(links::osc52(&text).as_bytes())?;
                out.flush()?;
            }
            Effect::Suspend => {
                self.input.pause();
                let suspended = suspend(terminal, self.config.mouse);
                self.input.resume();
                suspended?;
            }
            Effect::RunInTerminal {
                command,
                reread,
                stdin,
            } => {
                let full = reread.as_ref().map(|p| app.root().join(p));
                let before = full.as_deref().and_then(modified);
                self.input.pause();
                let outcome = run_in_terminal(terminal, self.config.mouse, &command, stdin);
                self.input.resume();
                if let Err(why) = outcome? {
                    app.handover_failed(&command, &why);
                }
                // Read again what the program changed, as live reload would.
                if let (Some(rel), Some(full)) = (reread, full)
                    && modified(&full) != before
                {
                    let paths = std::iter::once(rel).collect();
                    let changes = watch::read(app.root(), paths, &self.options);
                    if let Some(cache) = &self.cache {
                        let _ = cache.send(CacheOrder::Applied(copy_changes(&changes)));
                    }
                    self.bodies.forget(&changes.paths);
                    app.update(Job::Changed(changes));
                }
            }
            Effect::Reload => forward_reload(
                app.root().to_path_buf(),
                self.options.clone(),
                self.sender.clone(),
                self.cache.clone(),
            ),
            Effect::Import => self.start_import(app),
            // The loop holds the state file and reads it (StateFile::read_again).
            Effect::ReadState => {}
            Effect::SaveView { path, name, query } => {
                match crate::views::save(&path, &name, &query) {
                    Ok(()) => app.view_saved(&name, &query),
                    Err(e) => app.set_notice(e.to_string()),
                }
            }
            Effect::CatchUp { articles, problems } => {
                let (root, options) = (app.root().to_path_buf(), self.options.clone());
                let (sender, cache) = (self.sender.clone(), self.cache.clone());
                let _ = library::spawn_worker(move || {
                    let changes = watch::missed(&root, articles, problems, &options);
                    send_changes(changes, &sender, cache.as_ref());
                });
            }
            // Read on the loop: one file, bounded by max_file_size, from the
            // page cache as a rule; the page then shows whole at the next draw.
            Effect::ReadBody(path) => {
                let article = self.bodies.get(&path);
                app.update(Job::Body { path, article });
            }
            Effect::Refresh => {
                if let Some(cache) = &self.cache {
                    let _ = cache.send(CacheOrder::Refresh);
                }
            }
            Effect::PrepareWords { generation, files } => {
                let (root, options) = (app.root().to_path_buf(), self.options.clone());
                let sender = self.sender.clone();
                let _ = library::spawn_worker(move || {
                    prepare_words(&root, &options, generation, files, &sender);
                });
            }
        }
        Ok(())
    }

    #[cfg(feature = "import")]
    fn start_import(&mut self, app: &mut App) {
        use crate::import;
        let sources = import::sources(Vec::new(), self.config);
        if sources.is_empty() {
            app.set_notice(import::no_feeds_message(self.config));
            return;
        }
        let options = import::Options {
            into: app.root().to_path_buf(),
            timeout: self.config.import_timeout,
            today: import::today(),
            parallel: 4,
        };
        let sender = self.sender.clone();
        let worker = library::spawn_worker(move || {
            let progress = sender.clone();
            let result = import::import(sources, &options, &mut |p| {
                let _ = progress.send(Incoming::Job(Job::ImportProgress(p.clone())));
            });
            let _ = sender.send(Incoming::Job(Job::ImportFinished(
                result.map_err(|e| e.to_string()),
            )));
        });
        match worker {
            Ok(()) => app.import_started(),
            Err(e) => app.set_notice(format!("cannot start the import ({e})")),
        }
    }

    #[cfg(not(feature = "import"))]
    fn start_import(&mut self, app: &mut App) {
        app.set_notice(crate::import::UNAVAILABLE.to_owned());
    }
}

/// How long one pass may take in events before it draws (a flood of loader
/// batches or keys still shows progress).
const DRAIN_BUDGET: Duration = Duration::from_millis(30);

/// How long the reader waits with nothing arriving before its idle work.
const IDLE_AFTER: Duration = Duration::from_millis(300);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    incoming: &Receiver<Incoming>,
    runner: &mut Runner,
    state_file: &mut StateFile,
) -> io::Result<()> {
    loop {
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
        if !app.articles().is_empty() || app.loading().is_none() {
            runner.start_watch_once(app.root());
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
            let changed_paths = match &event {
                Incoming::Job(Job::Changed(changes)) => Some(changes.paths.clone()),
                _ => None,
            };
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

/// How many articles' words go to the loop in one report.
const WORDS_BATCH: usize = 512;

/// Reads `files` for their words (on a worker), in batches, then says it is
/// done. A file that cannot be read gives no words: the reader keeps what
/// the list knows of it (title, authors) once the rest is done.
fn prepare_words(
    root: &Path,
    options: &LoadOptions,
    generation: u64,
    files: Vec<(u32, PathBuf)>,
    sender: &Sender<Incoming>,
) {
    for chunk in files.chunks(WORDS_BATCH) {
        let words = chunk
            .iter()
            .filter_map(|(id, path)| {
                let candidate = library::Candidate {
                    path: root.join(path),
                    relative: path.clone(),
                    form: library::form_of(path).unwrap_or(crate::article::Form::Plain),
                };
                let (article, _) = library::load_one_guarded(&candidate, options);
                article.map(|a| (*id, crate::query::eval::ArticleWords::new(&a)))
            })
            .collect();
        if sender
            .send(Incoming::Job(Job::Words { generation, words }))
            .is_err()
        {
            return;
        }
    }
    let _ = sender.send(Incoming::Job(Job::WordsDone { generation }));
}
