//! `update` tests: messages in, state out, no terminal.

use std::path::Path;

use newsdesk::app::{App, Overlay, RegionRow};
use newsdesk::config::Config;
use newsdesk::keymap::Keymap;
use newsdesk::layout::Focus;
use newsdesk::library::{LoadOptions, load};
use newsdesk::message::Message;
use newsdesk::regions::Selector;

fn app_for(folder: &str, size: (u16, u16)) -> App {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let config = Config::defaults();
    let library = load(&root, &LoadOptions::default()).unwrap();
    App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        size,
    )
}

fn sample() -> App {
    app_for("articles", (120, 40))
}

fn title(app: &App) -> &str {
    app.reader
        .article
        .map_or("", |i| app.articles[i].title.as_str())
}

#[test]
fn navigation_clamps_at_both_ends() {
    let mut app = sample();
    app.update(Message::SelectPrev);
    assert_eq!(app.selected, 0);
    app.update(Message::Bottom);
    assert_eq!(app.selected, app.visible.len() - 1);
    app.update(Message::SelectNext);
    assert_eq!(app.selected, app.visible.len() - 1);
    app.update(Message::PageUp);
    app.update(Message::PageUp);
    assert_eq!(app.selected, 0);
    app.update(Message::HalfPageDown);
    assert!(app.selected > 0);
}

#[test]
fn moving_the_selection_shows_the_new_article_at_its_top() {
    let mut app = sample();
    let first = title(&app).to_owned();
    app.update(Message::FocusRight);
    assert_eq!(app.focus, Focus::Reader);
    app.update(Message::PageDown);
    assert!(app.reader.scroll > 0);
    app.update(Message::FocusLeft);
    app.update(Message::SelectNext);
    assert_ne!(title(&app), first);
    assert_eq!(app.reader.scroll, 0);
}

#[test]
fn reader_scroll_clamps_and_percent_reaches_100() {
    let mut app = sample();
    app.update(Message::OpenSelected);
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(app.reader_percent(), 0);
    for _ in 0..200 {
        app.update(Message::SelectNext);
    }
    assert_eq!(app.reader_percent(), 100);
    assert_eq!(
        app.reader.scroll,
        app.reader.page.lines.len() - app.reader.height
    );
    app.update(Message::Top);
    assert_eq!(app.reader.scroll, 0);
}

#[test]
fn focus_cycles_through_visible_panes() {
    let mut app = sample();
    assert_eq!(app.focus, Focus::List);
    app.update(Message::FocusNext);
    assert_eq!(app.focus, Focus::Reader);
    app.update(Message::FocusNext);
    assert_eq!(app.focus, Focus::Regions);
    app.update(Message::FocusPrev);
    assert_eq!(app.focus, Focus::Reader);
    // In two-pane width, Regions is folded away and skipped.
    let mut two = app_for("articles", (80, 24));
    assert!(!two.regions_shown);
    two.update(Message::FocusNext);
    two.update(Message::FocusNext);
    assert_eq!(two.focus, Focus::List);
    two.update(Message::ToggleRegions);
    assert_eq!(two.focus, Focus::Regions);
    two.update(Message::Back);
    assert!(!two.regions_shown);
    assert_eq!(two.focus, Focus::List);
}

#[test]
fn one_pane_enter_opens_and_esc_goes_back() {
    let mut app = app_for("articles", (50, 20));
    app.update(Message::OpenSelected);
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(app.panes().list, None);
    app.update(Message::Back);
    assert_eq!(app.focus, Focus::List);
    app.update(Message::OpenSelected);
    app.update(Message::FocusLeft);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn resize_keeps_selection_and_reading_position() {
    let mut app = sample();
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let chosen = app.selected_article();
    app.update(Message::OpenSelected);
    app.update(Message::PageDown);
    let line = &app.reader.page.lines[app.reader.scroll];
    let (block, text) = (line.block, line.text.clone());
    app.update(Message::Resize(70, 30));
    app.update(Message::Resize(120, 40));
    assert_eq!(app.selected_article(), chosen);
    let now = &app.reader.page.lines[app.reader.scroll];
    assert_eq!(now.block, block);
    assert_eq!(now.text, text);
    for (w, h) in [(1, 1), (20, 6), (0, 0), (300, 100)] {
        app.update(Message::Resize(w, h));
        assert_eq!(app.selected_article(), chosen);
    }
}

#[test]
fn toggling_regions_filters_and_clear_restores() {
    let mut app = sample();
    let total = app.visible.len();
    app.update(Message::FocusNext);
    app.update(Message::FocusNext);
    assert_eq!(app.focus, Focus::Regions);
    // Row 1 is the biggest group (Central Asia in the samples).
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    let central = app.visible.len();
    assert!(central < total && central > 0);
    assert_eq!(app.region_names(), ["Central Asia"]);
    // A second row: any of them.
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    assert!(app.visible.len() > central);
    assert_eq!(app.region_names().len(), 2);
    // Toggling again unselects.
    app.update(Message::ToggleRegion);
    assert_eq!(app.visible.len(), central);
    app.update(Message::ClearFilters);
    assert_eq!(app.visible.len(), total);
    // `All articles` clears too.
    app.update(Message::ToggleRegion);
    app.update(Message::Top);
    app.update(Message::ToggleRegion);
    assert_eq!(app.visible.len(), total);
    assert!(app.query.regions.is_empty());
}

#[test]
fn no_location_selects_untagged_and_a_filter_can_empty_the_list() {
    let mut app = sample();
    app.select_regions(&["No location".to_owned()]);
    assert_eq!(app.visible.len(), 1);
    assert!(app.articles[app.visible[0]].locations.is_empty());
    let mut app = sample();
    let missing = app.select_regions(&["Atlantis".to_owned()]);
    assert_eq!(missing, ["Atlantis"]);
    app.query.search = "zzzz-not-there".into();
    app.refilter();
    assert!(app.visible.is_empty());
    assert_eq!(app.reader.article, None);
    app.update(Message::SelectNext);
    app.update(Message::OpenSelected);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn groups_expand_and_collapse() {
    let mut app = sample();
    app.update(Message::FocusPrev);
    assert_eq!(app.focus, Focus::Regions);
    app.update(Message::SelectNext);
    let rows = app.region_rows.len();
    app.update(Message::ExpandOrRight);
    assert!(app.region_rows.len() > rows);
    assert!(matches!(
        app.region_rows[1],
        RegionRow::Item { expanded: true, .. }
    ));
    assert!(matches!(
        app.region_rows[2],
        RegionRow::Item { depth: 1, .. }
    ));
    assert_eq!(app.focus, Focus::Regions, "expanding does not move focus");
    // Selecting a member filters to it alone.
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    assert!(matches!(app.query.regions[0], Selector::Tag(_)));
    // ← on a member collapses its group and moves to it.
    app.update(Message::CollapseOrLeft);
    assert_eq!(app.region_cursor, 1);
    assert_eq!(app.region_rows.len(), rows);
    app.update(Message::ToggleGroup);
    assert!(app.region_rows.len() > rows);
    app.update(Message::ToggleGroup);
    assert_eq!(app.region_rows.len(), rows);
    // ← on a collapsed group moves focus left... there is nothing left of Regions.
    app.update(Message::CollapseOrLeft);
    assert_eq!(app.focus, Focus::Regions);
    app.update(Message::ExpandOrRight);
    app.update(Message::ExpandOrRight);
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn finding_a_tag_by_typing() {
    let mut app = sample();
    app.update(Message::FocusPrev);
    app.update(Message::FindRegion);
    assert!(app.typing());
    for c in "geor".chars() {
        app.update(Message::Type(c));
    }
    let names: Vec<String> = app
        .region_rows
        .iter()
        .filter_map(|r| match r {
            RegionRow::Item { selector, .. } => Some(app.index.name_of(selector)),
            RegionRow::All => None,
        })
        .collect();
    assert_eq!(names, ["South Caucasus", "Georgia"]);
    app.update(Message::Submit);
    assert!(!app.typing());
    // The cursor sits on the first match; select Georgia.
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    assert_eq!(app.region_names(), ["Georgia"]);
    app.update(Message::Back);
    assert!(app.region_find.is_empty());
    assert!(app.region_rows.len() > 3);
    assert_eq!(
        app.region_names(),
        ["Georgia"],
        "clearing the find keeps the selection"
    );
}

#[test]
fn overlays_open_close_and_q_closes_before_quitting() {
    let mut app = sample();
    app.update(Message::ShowHelp);
    assert_eq!(app.overlay, Some(Overlay::Help));
    app.update(Message::Quit);
    assert_eq!(app.overlay, None);
    assert!(!app.quit);
    app.update(Message::ShowProblems);
    assert_eq!(app.overlay, Some(Overlay::Problems));
    app.update(Message::Back);
    assert_eq!(app.overlay, None);
    app.update(Message::Quit);
    assert!(app.quit);
    let mut app = sample();
    app.update(Message::ShowHelp);
    app.update(Message::ForceQuit);
    assert!(app.quit);
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut app = sample();
    let list = app.panes().list.unwrap();
    app.update(Message::Click(list.x + 3, list.y + 3));
    assert_eq!(app.selected, 2);
    assert_eq!(app.focus, Focus::List);
    let reader = app.panes().reader.unwrap();
    app.update(Message::Scroll(reader.x + 5, reader.y + 5, 1));
    assert_eq!(app.reader.scroll, 3);
    assert_eq!(app.focus, Focus::List, "the wheel does not steal focus");
    let regions = app.panes().regions.unwrap();
    app.update(Message::Click(regions.x + 3, regions.y + 2));
    assert_eq!(app.focus, Focus::Regions);
    assert_eq!(app.query.regions.len(), 1);
}
