//! `update` tests for the keys of a day of real use (issue 19): Space on to
//! the next unread, Esc and q back, the full-screen reader, undo, counts,
//! arrivals by live reload, and handing the terminal to other programs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use newsdesk::app::{App, Effect, Overlay, Programs, Prompt};
use newsdesk::config::Config;
use newsdesk::handover::Invocation;
use newsdesk::keymap::Keymap;
use newsdesk::layout::Focus;
use newsdesk::library::{LoadOptions, load};
use newsdesk::line_edit::EditAction;
use newsdesk::message::{Job, Message};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn app_for(folder: &Path, size: (u16, u16)) -> App {
    let config = Config::defaults();
    let library = load(folder, &LoadOptions::default()).unwrap();
    App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        size,
    )
}

fn sample_at(size: (u16, u16)) -> App {
    app_for(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("articles"),
        size,
    )
}

fn sample() -> App {
    sample_at((120, 40))
}

fn story(title: &str, date: &str, paragraphs: usize) -> String {
    let body: Vec<String> = (0..paragraphs)
        .map(|n| {
            format!("Paragraph {n} of {title}, long enough to wrap over a line or two in the pane.")
        })
        .collect();
    format!(
        "{title}\n\nAuthor: [Anna Grigoryan](#)\nDate: {date}\n\nA standfirst.\n\n{}\n",
        body.join("\n\n")
    )
}

/// A folder of articles written by the test, and the reader over it.
fn app_over(files: &[(&str, String)]) -> (tempfile::TempDir, App) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let app = app_for(tmp.path(), (120, 40));
    (tmp, app)
}

/// What the watch would report for `names` (relative paths) now.
fn changed(root: &Path, names: &[&str]) -> Job {
    let paths: BTreeSet<PathBuf> = names.iter().map(PathBuf::from).collect();
    Job::Changed(newsdesk::watch::read(root, paths, &LoadOptions::default()))
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn space_pages_with_one_line_kept_then_goes_on_to_the_next_unread() {
    let mut app = sample();
    app.update(Message::OpenSelected);
    let first = app.reader().article().unwrap();
    let height = app.reader().height();
    app.update(Message::PageDown);
    assert_eq!(app.reader().scroll(), height - 1, "PgDn keeps one line");
    app.update(Message::Top);
    app.update(Message::PageDownOrNextUnread);
    assert_eq!(app.reader().scroll(), height - 1, "Space keeps one line");
    // The second article is read already: Space skips it.
    let second = app.visible()[1];
    let third = app.visible()[2];
    app.update(Message::FocusLeft);
    app.update(Message::SelectNext);
    app.update(Message::ToggleRead);
    assert!(app.marks(second).read);
    app.update(Message::SelectPrev);
    app.update(Message::OpenSelected);
    let mut presses = 0;
    while app.reader().article() == Some(first) {
        app.update(Message::PageDownOrNextUnread);
        presses += 1;
        assert!(presses < 100, "Space never left the article");
    }
    assert_eq!(app.reader().article(), Some(third));
    assert_eq!(app.reader().scroll(), 0);
    assert_eq!(app.focus(), Focus::Reader);
    assert!(app.marks(third).read, "the article shown is read");
}

#[test]
fn esc_goes_back_to_the_list_in_every_layout_and_q_too_in_one_pane() {
    for size in [(120, 40), (80, 24), (50, 20)] {
        let mut app = sample_at(size);
        app.update(Message::OpenSelected);
        assert_eq!(app.focus(), Focus::Reader, "{size:?}");
        app.update(Message::Back);
        assert_eq!(app.focus(), Focus::List, "Esc at {size:?}");
    }
    let mut one = sample_at((50, 20));
    one.update(Message::OpenSelected);
    one.update(Message::Quit);
    assert_eq!(one.focus(), Focus::List);
    assert!(!one.quit(), "q in the one-pane reader goes back");
    one.update(Message::Quit);
    assert!(one.quit(), "q in the list quits");
    let mut three = sample();
    three.update(Message::OpenSelected);
    three.update(Message::Quit);
    assert!(three.quit(), "q beside the list quits, as before");
}

#[test]
fn the_full_screen_reader_keeps_the_reading_position() {
    let mut app = sample();
    app.update(Message::OpenSelected);
    for _ in 0..7 {
        app.update(Message::SelectNext);
    }
    let scroll = app.reader().scroll();
    let (block, offset) = app.reader().place().unwrap();
    let narrow = app.reader().page().width;
    app.update(Message::ToggleFullScreen);
    assert!(app.full_screen());
    assert_eq!(app.panes().list, None);
    assert_eq!(app.panes().reader.unwrap().width, 120);
    assert!(app.reader().page().width > narrow, "wrapped wider");
    let line = &app.reader().page().lines[app.reader().scroll()];
    assert_eq!(line.block, block, "the same paragraph on top");
    assert!(line.offset <= offset);
    app.update(Message::ToggleFullScreen);
    assert!(!app.full_screen());
    assert!(app.panes().list.is_some());
    assert_eq!(app.reader().scroll(), scroll, "back at the same line");
    // From the list, f opens the reader full-screen; Esc goes back to the list.
    app.update(Message::Back);
    app.update(Message::ToggleFullScreen);
    assert_eq!(app.focus(), Focus::Reader);
    assert!(app.full_screen());
    app.update(Message::Back);
    assert_eq!(app.focus(), Focus::List);
    assert!(!app.full_screen());
    assert!(app.panes().list.is_some());
}

#[test]
fn u_undoes_toggles_stars_and_mark_all_several_steps_back() {
    let mut app = sample();
    let first = app.selected_article().unwrap();
    app.update(Message::ToggleRead);
    app.update(Message::ToggleStar);
    assert!(app.marks(first).read && app.marks(first).starred);
    app.update(Message::Undo);
    assert!(!app.marks(first).starred);
    assert!(app.marks(first).read);
    assert!(
        app.notice().unwrap().starts_with("undid: starred"),
        "{:?}",
        app.notice()
    );
    app.update(Message::Undo);
    assert!(!app.marks(first).read);
    assert!(app.notice().unwrap().starts_with("undid: marked read"));
    app.update(Message::Undo);
    assert_eq!(app.notice(), Some("nothing to undo"));

    // Mark-all, then undo: exactly the articles that were unread are again.
    app.update(Message::SelectNext);
    app.update(Message::ToggleRead);
    let second = app.selected_article().unwrap();
    app.update(Message::MarkAllRead);
    app.update(Message::Type('y'));
    assert!(app.visible().iter().all(|&i| app.marks(i).read));
    app.update(Message::Undo);
    assert!(
        app.notice().unwrap().contains("marked 20 articles read"),
        "{:?}",
        app.notice()
    );
    let read: Vec<usize> = (0..app.articles().len())
        .filter(|&i| app.marks(i).read)
        .collect();
    assert_eq!(read, vec![second]);
    assert!(app.state_dirty());
}

#[test]
fn undo_survives_a_live_change_that_renumbers_the_articles() {
    let (tmp, mut app) = app_over(&[
        ("b.txt", story("Bravo", "2024-02-01", 2)),
        ("c.txt", story("Charlie", "2024-03-01", 2)),
    ]);
    app.update(Message::ToggleStar);
    let path = app.articles()[app.selected_article().unwrap()]
        .path
        .to_path_buf();
    std::fs::write(tmp.path().join("a.txt"), story("Alpha", "2024-01-01", 2)).unwrap();
    std::fs::remove_file(tmp.path().join("b.txt")).unwrap();
    app.update(changed(tmp.path(), &["a.txt", "b.txt"]));
    let id = app.archive().id_of(&path).unwrap();
    assert!(app.marks(id).starred);
    app.update(Message::Undo);
    assert!(!app.marks(id).starred);
}

#[test]
fn counts_move_that_far_and_g_goes_to_the_row() {
    let mut app = sample();
    app.update(Message::Digit(5));
    assert_eq!(app.pending_count(), Some(5));
    assert_eq!(app.selected(), 0, "a digit alone moves nothing");
    app.update(Message::SelectNext);
    assert_eq!(app.selected(), 5);
    assert_eq!(app.pending_count(), None);
    app.update(Message::Digit(1));
    app.update(Message::Digit(0));
    assert_eq!(app.pending_count(), Some(10));
    app.update(Message::Bottom);
    assert_eq!(app.selected(), 9, "10G: row 10");
    app.update(Message::Digit(2));
    app.update(Message::SelectPrev);
    assert_eq!(app.selected(), 7);
    // A leading 0 is no count; a count is dropped by a key that is no movement.
    app.update(Message::Digit(0));
    assert_eq!(app.pending_count(), None);
    app.update(Message::Digit(3));
    app.update(Message::ToggleStar);
    assert_eq!(app.pending_count(), None);
    app.update(Message::SelectNext);
    assert_eq!(app.selected(), 8);

    // 3]: the third unread article on; passed ones are not marked read.
    app.update(Message::Top);
    app.update(Message::Digit(3));
    app.update(Message::NextUnread);
    assert_eq!(app.selected(), 3);
    assert!((0..app.articles().len()).all(|i| !app.marks(i).read));

    // In the reader, 4j scrolls four lines.
    app.update(Message::OpenSelected);
    app.update(Message::Digit(4));
    app.update(Message::SelectNext);
    assert_eq!(app.reader().scroll(), 4);
}

#[test]
fn digits_are_counts_outside_prompts_and_text_inside() {
    let mut app = sample();
    let message = newsdesk::tui::message_for(&app, key('7'));
    assert_eq!(message, Some(Message::Digit(7)));
    app.update(Message::Search);
    assert_eq!(
        newsdesk::tui::message_for(&app, key('7')),
        Some(Message::Type('7'))
    );
}

#[test]
fn arrivals_are_counted_and_a_jumps_to_the_newest() {
    let (tmp, mut app) = app_over(&[("old.txt", story("Old", "2020-01-01", 2))]);
    app.update(Message::JumpToArrival);
    assert_eq!(app.notice(), Some("no new articles have arrived"));
    for (name, title, date) in [
        ("x.txt", "Xray", "2021-01-01"),
        ("y.txt", "Yankee", "2023-06-01"),
        ("z.txt", "Zulu", "2022-01-01"),
    ] {
        std::fs::write(tmp.path().join(name), story(title, date, 2)).unwrap();
    }
    // The old one is edited meanwhile: no arrival.
    std::fs::write(
        tmp.path().join("old.txt"),
        story("Old, edited", "2020-01-01", 2),
    )
    .unwrap();
    app.update(changed(tmp.path(), &["old.txt", "x.txt", "y.txt", "z.txt"]));
    assert_eq!(app.notice(), Some("3 new articles (a goes to the newest)"));
    app.update(Message::Bottom);
    app.update(Message::JumpToArrival);
    let at = app.selected_article().unwrap();
    assert_eq!(app.articles()[at].title, "Yankee");
}

#[test]
fn deleting_the_article_being_read_says_so() {
    let (tmp, mut app) = app_over(&[
        ("a.txt", story("Alpha", "2024-01-01", 3)),
        ("b.txt", story("Bravo", "2024-02-01", 3)),
    ]);
    app.update(Message::OpenSelected);
    let open = app.reader().article().unwrap();
    let name = app.articles()[open].path.to_path_buf();
    std::fs::remove_file(tmp.path().join(&name)).unwrap();
    app.update(changed(tmp.path(), &[name.to_str().unwrap()]));
    let notice = app.notice().unwrap();
    assert!(
        notice.contains("you were reading") && notice.contains("deleted"),
        "{notice}"
    );
    assert_eq!(app.articles().len(), 1);
}

fn programs(browser: &str) -> Programs {
    Programs {
        browser: Some(browser.into()),
        browser_in_terminal: false,
        visual: None,
        editor: Some("vim".into()),
        pager: Some("less -R".into()),
    }
}

#[test]
fn e_pipe_and_a_terminal_browser_hand_the_terminal_over() {
    let (tmp, mut app) = app_over(&[(
        "a.txt",
        story("Alpha", "2024-01-01", 3) + "\nSource URL: <https://example.org/alpha>\n",
    )]);
    app.set_programs(programs("w3m"));
    app.update(Message::EditArticle);
    let file = tmp.path().join("a.txt");
    assert_eq!(
        app.take_effects(),
        vec![Effect::RunInTerminal {
            command: Invocation {
                program: "vim".into(),
                args: vec![file.display().to_string()],
            },
            reread: Some(PathBuf::from("a.txt")),
            stdin: None,
        }]
    );
    app.update(Message::PipeArticle);
    assert_eq!(app.take_effects(), vec![], "| asks first");
    app.update(Message::Submit);
    let effects = app.take_effects();
    let [
        Effect::RunInTerminal {
            command,
            stdin: Some(text),
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(
        command,
        &Invocation {
            program: "less".into(),
            args: vec!["-R".into()],
        },
        "the prompt offers $PAGER, run as it is"
    );
    assert!(
        text.contains("Alpha") && text.contains("Paragraph 2 of Alpha"),
        "{text}"
    );

    app.update(Message::OpenLink);
    let effects = app.take_effects();
    let [
        Effect::RunInTerminal {
            command,
            reread: None,
            stdin: None,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(command.program, "w3m");
    assert!(
        command
            .args
            .contains(&"https://example.org/alpha".to_owned()),
        "{command:?}"
    );
    app.set_programs(programs("firefox"));
    app.update(Message::OpenLink);
    assert_eq!(
        app.take_effects(),
        vec![Effect::OpenUrl("https://example.org/alpha".into())]
    );
    app.set_programs(Programs {
        browser_in_terminal: true,
        ..programs("my-browser")
    });
    app.update(Message::OpenLink);
    assert!(matches!(
        app.take_effects().as_slice(),
        [Effect::RunInTerminal { .. }]
    ));

    app.update(Message::CopyCitation);
    assert_eq!(
        app.take_effects(),
        vec![Effect::Copy(
            "Anna Grigoryan, \"Alpha\", 2024-01-01, https://example.org/alpha".into()
        )]
    );
}

fn pipe_line(app: &App) -> Option<String> {
    match app.prompt() {
        Some(Prompt::Pipe { line }) => Some(line.text().to_owned()),
        _ => None,
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Message::Type(c));
    }
}

#[test]
fn pipe_asks_for_the_command_like_mutt_and_remembers_the_last() {
    let (_tmp, mut app) = app_over(&[
        ("a.txt", story("Alpha", "2024-01-01", 3)),
        ("b.txt", story("Bravo", "2024-02-01", 3)),
    ]);
    app.set_programs(programs("w3m"));
    app.update(Message::OpenSelected);
    let open = app.reader().article().unwrap();
    assert_eq!(app.articles()[open].title, "Bravo");

    // Prefilled with the pager; Esc cancels and runs nothing.
    app.update(Message::PipeArticle);
    assert_eq!(pipe_line(&app).as_deref(), Some("less -R"));
    assert!(app.typing(), "the prompt takes the keys");
    app.update(Message::Back);
    assert_eq!(app.prompt(), None);
    assert_eq!(app.take_effects(), vec![]);

    // Ctrl-U, a command of one's own, Enter: it gets the article's text.
    app.update(Message::PipeArticle);
    app.update(Message::Edit(EditAction::DeleteToStart));
    type_text(&mut app, "grep -c Paragraph | wc -l");
    // Up and Down do not move the list under the prompt.
    app.update(Message::SelectNext);
    assert_eq!(app.reader().article(), Some(open));
    assert_eq!(
        pipe_line(&app).as_deref(),
        Some("grep -c Paragraph | wc -l")
    );
    app.update(Message::Submit);
    assert_eq!(app.prompt(), None);
    let effects = app.take_effects();
    let [
        Effect::RunInTerminal {
            command,
            reread: Some(reread),
            stdin: Some(text),
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(command.program, "sh");
    assert_eq!(
        command.args,
        [
            "-c",
            newsdesk::handover::PIPE_SCRIPT,
            "newsdesk-pipe",
            "grep -c Paragraph | wc -l"
        ],
        "run by sh, waiting for Enter after"
    );
    assert_eq!(reread, &app.articles()[open].path, "read again if changed");
    assert!(
        text.starts_with("Bravo\n") && text.contains("Paragraph 2 of Bravo"),
        "{text}"
    );
    assert_eq!(app.last_pipe(), Some("grep -c Paragraph | wc -l"));

    // The next | offers the last command.
    app.update(Message::PipeArticle);
    assert_eq!(
        pipe_line(&app).as_deref(),
        Some("grep -c Paragraph | wc -l")
    );
    // An empty command pipes nothing.
    app.update(Message::Edit(EditAction::DeleteToStart));
    app.update(Message::Submit);
    assert_eq!(app.take_effects(), vec![]);
    assert_eq!(app.notice(), Some("nothing piped: no command"));
    assert_eq!(app.last_pipe(), Some("grep -c Paragraph | wc -l"));
}

#[test]
fn pipe_without_a_pager_offers_less_and_without_an_article_asks_nothing() {
    let (_tmp, mut app) = app_over(&[("a.txt", story("Alpha", "2024-01-01", 1))]);
    app.update(Message::PipeArticle);
    assert_eq!(pipe_line(&app).as_deref(), Some("less"));
    app.update(Message::Back);

    let empty = tempfile::tempdir().unwrap();
    let mut app = app_for(empty.path(), (120, 40));
    app.update(Message::PipeArticle);
    assert_eq!(app.prompt(), None);
    assert_eq!(app.notice(), Some("no article to pipe"));
}

#[test]
fn the_pipe_prompt_takes_the_status_bar_and_shows_the_cursor_end() {
    let (_tmp, mut app) = app_over(&[("a.txt", story("Alpha", "2024-01-01", 1))]);
    app.set_programs(programs("w3m"));
    app.update(Message::Resize(50, 20));
    app.update(Message::PipeArticle);
    // The hint where it fits whole, else not at all.
    let rows = screen(&app);
    assert_eq!(rows[19].trim_end(), " Pipe to command: less -R▏");
    app.update(Message::Resize(80, 24));
    let rows = screen(&app);
    assert_eq!(
        rows[23].trim_end(),
        " Pipe to command: less -R▏  (Enter runs, Esc cancels)"
    );
    app.update(Message::Resize(50, 20));
    // A command wider than the row shows its end, where the cursor is.
    type_text(&mut app, " | tr a-z A-Z | sed -e s/X/Y/ | tee /tmp/out");
    let rows = screen(&app);
    let last = rows[19].trim_end();
    assert!(
        last.starts_with(" Pipe to command: …") && last.ends_with("tee /tmp/out▏"),
        "{last:?}"
    );
    assert_eq!(newsdesk::page::display_width(last), 50, "{last:?}");
}

#[test]
fn enter_in_the_problems_list_edits_the_file_at_the_line() {
    let bad = "Title\n\nDate: not a date\n\nBody.\n";
    let (tmp, mut app) = app_over(&[
        ("a.txt", story("Alpha", "2024-01-01", 1)),
        ("bad.txt", bad.into()),
        ("worse.txt", "Worse\n\nDate: 2024-13-45\n\nBody.\n".into()),
    ]);
    assert!(app.problems().len() >= 2, "{:?}", app.problems());
    app.set_programs(programs("w3m"));
    app.update(Message::ShowProblems);
    app.update(Message::SelectNext);
    assert_eq!(app.problem_cursor(), 1);
    app.update(Message::Bottom);
    app.update(Message::Top);
    assert_eq!(app.problem_cursor(), 0);
    app.update(Message::OpenSelected);
    let problem = app.problems()[0].clone();
    let line = problem.line.expect("a problem with a line");
    let file = tmp.path().join(&problem.path);
    assert_eq!(
        app.take_effects(),
        vec![Effect::RunInTerminal {
            command: Invocation {
                program: "vim".into(),
                args: vec![format!("+{line}"), file.display().to_string()],
            },
            reread: Some(problem.path.to_path_buf()),
            stdin: None,
        }]
    );
    assert!(app.showing(Overlay::Problems), "the list stays open");
}

#[test]
fn help_lists_every_new_key() {
    let app = sample();
    let help = app.keymap().help();
    for action in [
        Message::PageDownOrNextUnread,
        Message::ToggleFullScreen,
        Message::Undo,
        Message::JumpToArrival,
        Message::EditArticle,
        Message::PipeArticle,
        Message::CopyCitation,
    ] {
        assert!(
            help.iter().any(|h| h.action == action),
            "{} has no key in help",
            action.name()
        );
    }
}

fn screen(app: &App) -> Vec<String> {
    use ratatui::{Terminal, backend::TestBackend};
    let mut terminal = Terminal::new(TestBackend::new(app.size().0, app.size().1)).unwrap();
    terminal.draw(|f| newsdesk::ui::render(app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect())
        .collect()
}

#[test]
fn the_status_bar_shows_the_count_and_full_screen_hides_the_list() {
    for size in [(120, 40), (80, 24), (50, 20)] {
        let mut app = sample_at(size);
        app.update(Message::Digit(1));
        app.update(Message::Digit(2));
        let rows = screen(&app);
        let status = rows.last().unwrap();
        assert!(status.contains("count 12"), "{size:?}: {status:?}");
        app.update(Message::Back);
        app.update(Message::ToggleFullScreen);
        let rows = screen(&app);
        assert!(
            rows[0].starts_with('┌') && rows[0].ends_with('┐'),
            "{size:?}: {:?}",
            rows[0]
        );
        assert!(
            !rows.iter().any(|r| r.contains("Articles")),
            "{size:?}: the list is hidden"
        );
        assert!(rows.last().unwrap().contains("full screen"), "{size:?}");
    }
}

#[test]
fn the_problems_cursor_stays_in_view_when_entries_wrap() {
    use newsdesk::library::{Problem, Severity};
    use newsdesk::ui::overlay::first_shown;
    let mut app = sample_at((80, 24));
    let problems = (1..=30)
        .map(|n| Problem {
            path: format!("notes/n{n:02}.txt").into(),
            line: Some(n),
            severity: Severity::Error,
            message: format!(
                "problem {n}: no title: the first line is empty after removing markup; write the title on the first line"
            ),
        })
        .collect();
    app.add_articles(vec![], problems);
    app.update(Message::ShowProblems);
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    // As the loop does: the scroll drawn becomes the app's.
    let step = |app: &mut App, message: Message| {
        app.update(message);
        let first = first_shown(app, Overlay::Problems, area);
        app.show_overlay_from(first);
    };
    for _ in 0..15 {
        step(&mut app, Message::SelectNext);
    }
    assert_eq!(app.problem_cursor(), 15);
    let rows = screen(&app);
    assert!(
        rows.iter()
            .any(|r| r.contains("▸ error notes/n16.txt:16: problem 16:")),
        "the cursor is drawn in view: {rows:#?}"
    );
    let first = app.overlay_scroll();
    assert!(first > 0);
    step(&mut app, Message::SelectPrev);
    assert_eq!(
        app.overlay_scroll(),
        first,
        "moving up inside the view does not scroll"
    );
    assert!(
        screen(&app)
            .iter()
            .any(|r| r.contains("▸ error notes/n15.txt:15:"))
    );
}
