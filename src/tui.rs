//! The terminal loop: draw from `&App`, read events, turn keys into messages,
//! `update`, repeat. The terminal is restored on every way out: quit, Ctrl-c,
//! SIGTERM, SIGHUP, SIGINT, and panic.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyCode, KeyEventKind, MouseButton,
    MouseEventKind,
};
use ratatui::crossterm::execute;

use crate::app::App;
use crate::cli::{EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE};
use crate::config::Config;
use crate::keymap::Keymap;
use crate::library::{self, LoadOptions};
use crate::message::Message;

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

/// Opens the reader on `folder`; returns the exit status.
pub fn run(folder: PathBuf, regions: Vec<String>, config: &Config) -> i32 {
    let keymap = match Keymap::from_config(config) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let library = match library::load(
        &folder,
        &LoadOptions {
            max_file_size: config.max_file_size,
        },
    ) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("newsdesk: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        if let Err(e) = signal_hook::flag::register(signal, Arc::clone(&stop)) {
            eprintln!("newsdesk: cannot watch for signals ({e}); continuing");
        }
    }
    let mouse = config.mouse;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        previous(info);
    }));
    let result = ratatui::run(|terminal| -> io::Result<()> {
        if mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        let size = terminal.size()?;
        let mut app = App::new(library, config, keymap, (size.width, size.height));
        let missing = app.select_regions(&regions);
        if !missing.is_empty() {
            app.notice = Some(format!("no article is tagged {}", missing.join(", ")));
        }
        let outcome = event_loop(terminal, &mut app, &stop);
        if mouse {
            let _ = execute!(io::stdout(), DisableMouseCapture);
        }
        outcome
    });
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("newsdesk: the terminal failed ({e})");
            EXIT_PROBLEMS
        }
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
) -> io::Result<()> {
    loop {
        terminal.draw(|frame| crate::ui::render(app, frame))?;
        // Wait for an event (waking to notice signals), then drain what is
        // pending so a burst of keys or resizes costs one draw.
        let mut got = event::poll(Duration::from_millis(200))?;
        while got {
            let ev = event::read()?;
            if let Some(message) = message_for(app, ev) {
                app.update(message);
            }
            got = !app.quit && event::poll(Duration::ZERO)?;
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
    }
}
