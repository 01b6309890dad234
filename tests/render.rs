//! Rendering on ratatui's TestBackend: snapshots of each layout, the empty
//! states and overlays, one styled cell, and every small size without a panic.

use std::path::Path;

use newsdesk::app::App;
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;
use newsdesk::library::{Library, LoadOptions, load};
use newsdesk::message::Message;
use newsdesk::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn app_for(folder: &str, size: (u16, u16)) -> App {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let library = load(&root, &LoadOptions::default()).unwrap();
    with_library(library, size)
}

fn with_library(library: Library, size: (u16, u16)) -> App {
    let config = Config::defaults();
    App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        size,
    )
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size().0, app.size().1)).unwrap();
    terminal.draw(|f| render(app, f)).unwrap();
    terminal
}

#[test]
fn three_panes_at_120x40() {
    let app = app_for("tests/fixtures/good", (120, 40));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn two_panes_at_80x24() {
    let app = app_for("tests/fixtures/good", (80, 24));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn one_pane_at_50x20_list_then_reader() {
    let mut app = app_for("tests/fixtures/good", (50, 20));
    insta::assert_snapshot!("one_pane_list", draw(&app).backend());
    app.update(Message::OpenSelected);
    insta::assert_snapshot!("one_pane_reader", draw(&app).backend());
}

/// The title is the page's first line, wrapped whole, and shows once: the
/// border says whose pane it is and where the article is in the list.
#[test]
fn the_title_shows_once_wrapped_in_the_text_not_cut_in_the_border() {
    for size in [(120, 40), (80, 24), (50, 20)] {
        let mut app = app_for("articles", size);
        app.update(Message::OpenSelected);
        let terminal = draw(&app);
        let rows = screen(&terminal);
        let reader_top = rows[0]
            .rfind("┌ Reader ")
            .unwrap_or_else(|| panic!("{size:?}: {rows:#?}"));
        assert!(
            rows[0].ends_with(&format!(" 1 of {} ┐", app.visible().len())),
            "{size:?}: {}",
            rows[0]
        );
        let title = &app.articles()[app.reader().article().unwrap()].title;
        // The first words of the title, on the reader's first text row only.
        let start: String = title.split(' ').take(2).collect::<Vec<_>>().join(" ");
        // The reader's columns (the top row is all one cell wide).
        let col = rows[0][..reader_top].chars().count();
        let buffer = terminal.backend().buffer();
        let reader: Vec<String> = (0..buffer.area.height)
            .map(|y| {
                (col as u16..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect()
            })
            .collect();
        assert!(reader[1].contains(&start), "{size:?}: {reader:#?}");
        let shown = reader.iter().filter(|r| r.contains(&start)).count();
        assert_eq!(shown, 1, "{size:?}: the title once: {reader:#?}");
        // Wrapped, not cut: every word of it is in the reader.
        let text = reader.join(" ");
        for word in title.split(' ') {
            assert!(text.contains(word), "{size:?}: {word} missing: {reader:#?}");
        }
    }
}

#[test]
fn empty_folder_names_the_folder_and_the_fix() {
    let app = with_library(
        Library {
            root: "/archive/empty".into(),
            ..Library::default()
        },
        (100, 16),
    );
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("No articles in /archive/empty"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn filter_matching_nothing_says_how_to_clear() {
    let mut app = app_for("tests/fixtures/good", (100, 16));
    app.set_search("no such words anywhere");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn help_overlay_lists_the_keymap() {
    let mut app = app_for("tests/fixtures/good", (120, 40));
    app.update(Message::ShowHelp);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn regions_pane_groups_collapsed_and_expanded() {
    let mut app = app_for("articles", (120, 30));
    app.update(Message::FocusPrev);
    insta::assert_snapshot!("regions_collapsed", draw(&app).backend());
    app.update(Message::SelectNext);
    app.update(Message::ExpandOrRight);
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    insta::assert_snapshot!("regions_expanded_member_selected", draw(&app).backend());
}

#[test]
fn selected_row_is_highlighted() {
    let app = app_for("tests/fixtures/good", (120, 40));
    let terminal = draw(&app);
    let list = app.panes().list.unwrap();
    let cell = &terminal.backend().buffer()[(list.x + 3, list.y + 1)];
    assert_eq!(cell.symbol(), "G");
    assert_eq!(cell.fg, app.theme().selection.fg.unwrap());
    assert_eq!(cell.bg, app.theme().selection.bg.unwrap());
    let next = &terminal.backend().buffer()[(list.x + 3, list.y + 2)];
    assert_ne!(next.bg, app.theme().selection.bg.unwrap());
}

#[test]
fn every_small_size_renders_without_panic() {
    let mut app = app_for("articles", (1, 1));
    for w in 1..=30 {
        for h in 1..=10 {
            app.update(Message::Resize(w, h));
            let screen = draw(&app).backend().to_string();
            if (18..20).contains(&w) || (w >= 18 && h < 5) {
                assert!(screen.contains("terminal too small"), "{w}x{h}: {screen}");
            } else if w < 20 || h < 5 {
                let notice = screen.chars().any(|c| "terminalosm".contains(c));
                assert!(notice && !screen.contains('┌'), "{w}x{h}: {screen}");
            } else {
                assert!(
                    screen.contains("of "),
                    "{w}x{h}: the status bar shows: {screen}"
                );
            }
        }
    }
}

#[test]
fn no_color_sends_no_colour_in_any_cell() {
    let mut config = Config::defaults();
    config.no_color = true;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let library = load(&root, &LoadOptions::default()).unwrap();
    let mut app = App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    app.update(Message::ShowProblems);
    app.update(Message::Back);
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    for cell in &buffer.content {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
    // Emphasis remains: the selected row is reversed.
    let list = app.panes().list.unwrap();
    let selected = &buffer[(list.x + 1, list.y + 1)];
    assert!(
        selected
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
    // And the default theme does send colour.
    let colored = draw(&app_for("articles", (120, 40)));
    assert!(
        colored
            .backend()
            .buffer()
            .content
            .iter()
            .any(|c| c.bg != ratatui::style::Color::Reset)
    );
}

#[test]
fn every_size_up_to_300x100_renders_without_panic() {
    let mut app = app_for("tests/fixtures/good", (1, 1));
    app.update(Message::OpenSelected);
    let mut terminal = Terminal::new(TestBackend::new(1, 1)).unwrap();
    for w in 1..=300u16 {
        for h in 1..=100u16 {
            app.update(Message::Resize(w, h));
            terminal.backend_mut().resize(w, h);
            terminal
                .resize(ratatui::layout::Rect::new(0, 0, w, h))
                .unwrap();
            terminal.draw(|f| render(&app, f)).unwrap();
        }
    }
    assert_eq!(terminal.backend().buffer().area.width, 300);
}

/// The status bar while an import and a reload run, and after the import.
#[test]
fn status_bar_shows_import_progress_and_failures() {
    use newsdesk::import::{FeedReport, Progress, Report};
    let mut app = app_for("tests/fixtures/good", (200, 10));
    let last_row = |app: &App| {
        let terminal = draw(app);
        let buffer = terminal.backend().buffer();
        let y = buffer.area.height - 1;
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect::<String>()
    };
    app.import_started();
    app.import_progress(&Progress::Fetching(2));
    app.import_progress(&Progress::Done(FeedReport::default()));
    app.update(Message::Reload);
    let row = last_row(&app);
    assert!(row.contains("importing feeds 1/2"), "{row}");
    assert!(row.contains("reloading…"), "{row}");
    let failed = FeedReport {
        location: "https://x.example/rss".into(),
        error: Some("no answer within 20 s (timed out)".into()),
        ..FeedReport::default()
    };
    app.import_progress(&Progress::Done(failed.clone()));
    app.import_finished(Ok(&Report {
        feeds: vec![FeedReport::default(), failed],
    }));
    let row = last_row(&app);
    assert!(!row.contains("importing"), "{row}");
    assert!(
        row.contains(
            "imported 0 new articles from 2 feeds (0 already there); 1 feed failed (! lists why)"
        ),
        "{row}"
    );
    assert!(row.contains("1 problem (!)"), "{row}");
}

fn screen(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect())
        .collect()
}

#[test]
fn problems_popup_wraps_scrolls_and_leaves_the_status_bar() {
    use newsdesk::library::{Problem, Severity};
    use newsdesk::ui::overlay::max_scroll;
    let mut app = app_for("tests/fixtures/good", (80, 24));
    let problems = (1..=30)
        .map(|n| Problem {
            path: format!("notes/n{n:02}.txt").into(),
            line: Some(1),
            severity: Severity::Error,
            message: format!(
                "problem {n}: no title: the first line is empty after removing markup; write the title on the first line"
            ),
        })
        .collect();
    app.add_articles(vec![], problems);
    app.update(Message::ShowProblems);
    let area = ratatui::layout::Rect::new(0, 0, 80, 24);
    let top = screen(&draw(&app));
    insta::assert_snapshot!("problems_popup_top_80x24", top.join("\n"));
    assert!(
        top[23].contains("30 problems"),
        "the status bar stays: {:?}",
        top[23]
    );
    assert!(
        top.iter()
            .any(|l| l.contains("write the title on the first line")),
        "long entries wrap inside the popup"
    );
    assert!(
        top.iter().any(|l| l.contains("↓ 1–")),
        "there is more below"
    );
    let max = max_scroll(&app, newsdesk::app::Overlay::Problems, area);
    assert!(max > 0 && max < 30, "{max}");
    // Far past the end draws the same as the end itself.
    app.update(Message::Bottom);
    assert!(app.overlay_scroll() > 10_000);
    let past = screen(&draw(&app));
    app.clamp_overlay_scroll(max);
    assert_eq!(app.overlay_scroll(), max);
    assert_eq!(past, screen(&draw(&app)));
    assert!(
        past.iter().any(|l| l.contains("problem 30:")),
        "the last entry is in view"
    );
    assert!(
        past.iter()
            .any(|l| l.contains(" of 30 ") && l.contains('↑'))
    );
}

/// Each key context has its own heading in help (the map's and the
/// timeline's keys were once listed under "Regions pane" too).
#[test]
fn help_headings_name_each_context_once() {
    let mut app = app_for("tests/fixtures/good", (120, 120));
    app.update(Message::ShowHelp);
    let rows = screen(&draw(&app));
    for heading in [
        "Everywhere",
        "Articles pane",
        "Reading pane",
        "Regions pane",
        "World map",
        "Timeline",
    ] {
        let n = rows
            .iter()
            .filter(|r| r.contains(&format!("│ {heading} ")))
            .count();
        assert_eq!(n, 1, "{heading}: {rows:#?}");
    }
}

#[test]
fn help_popup_wraps_at_50_columns() {
    let mut app = app_for("tests/fixtures/good", (50, 20));
    app.update(Message::ShowHelp);
    let rows = screen(&draw(&app));
    insta::assert_snapshot!("help_popup_50x20", rows.join("\n"));
    assert!(
        rows[19].contains("articles"),
        "the status bar stays: {:?}",
        rows[19]
    );
    assert!(rows.iter().any(|r| r.contains("↓ 1–")));
}
