//! Holding and lending the terminal: the panic hook, stop signals and
//! their watchdog, the input thread, and giving the terminal away (Ctrl-z,
//! an outside program) and taking it back.

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use super::Incoming;
use crate::handover::Invocation;

/// Over ratatui's hook (which restores the terminal and prints the panic):
/// mouse reporting off and the cursor shown first; panics caught elsewhere
/// (a loader thread's) print nothing.
pub(super) fn install_panic_hook(mouse: bool) {
    crate::panics::install_hook(move || {
        if mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        let _ = execute!(io::stdout(), ratatui::crossterm::cursor::Show);
    });
}

/// SIGTERM, SIGHUP and SIGINT set `stop` and wake the loop.
pub(super) fn forward_signals(stop: &Arc<AtomicUsize>, sender: Sender<Incoming>) {
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
pub(super) const STOP_GRACE: Duration = Duration::from_millis(1500);

/// When the terminal hangs up, reading it returns end-of-file for ever and the
/// terminal library's read may never return. After a stop signal, give the
/// loop a moment to leave cleanly; if it has not, restore what can be
/// restored and exit with the signal's status.
pub(super) fn spawn_watchdog(stop: Arc<AtomicUsize>) {
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
pub(super) struct Input {
    control: Arc<(Mutex<InputState>, Condvar)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum InputState {
    Running,
    PauseAsked,
    Paused,
}

/// How often the input thread looks up from waiting for the terminal (to pause).
pub(super) const INPUT_POLL: Duration = Duration::from_millis(50);

impl Input {
    pub(super) fn spawn(sender: Sender<Incoming>) -> Input {
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
    pub(super) fn pause(&self) {
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
    pub(super) fn resume(&self) {
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
pub(super) fn away_from_terminal<T>(
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
pub(super) fn suspend(terminal: &mut ratatui::DefaultTerminal, mouse: bool) -> io::Result<()> {
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
pub(super) fn run_in_terminal(
    terminal: &mut ratatui::DefaultTerminal,
    mouse: bool,
    command: &Invocation,
    stdin: Option<String>,
) -> io::Result<Result<(), String>> {
    away_from_terminal(terminal, mouse, || run_waiting(command, stdin))
}

/// Runs `command` (on the terminal as it is), feeding it `stdin`, and waits.
pub(super) fn run_waiting(command: &Invocation, stdin: Option<String>) -> Result<(), String> {
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
