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

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Message::Type(c));
    }
}

#[test]
fn search_narrows_as_you_type_and_esc_restores() {
    let mut app = sample();
    let total = app.visible.len();
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let before = app.selected_article();
    app.update(Message::Search);
    type_text(&mut app, "КАЗАХСТАН");
    assert!(
        app.visible.len() < total && !app.visible.is_empty(),
        "Cyrillic folds: {}",
        app.visible.len()
    );
    app.update(Message::Back);
    assert_eq!(app.visible.len(), total);
    assert_eq!(app.selected_article(), before);
    assert!(app.query.search.is_empty());
    // Enter keeps it, and it combines with regions.
    app.update(Message::Search);
    type_text(&mut app, "BAZAAR");
    app.update(Message::Submit);
    let with_search = app.visible.len();
    assert!(with_search >= 1);
    assert_eq!(app.query.search, "BAZAAR");
    app.select_regions(&["South Caucasus".into()]);
    assert!(
        app.visible.len() < with_search
            || with_search == 0
            || app.visible.iter().all(|&i| app.articles[i]
                .locations
                .iter()
                .any(|t| t == "South Caucasus"))
    );
    app.update(Message::ClearFilters);
    assert_eq!(app.visible.len(), total);
}

#[test]
fn region_counts_follow_the_search() {
    let mut app = sample();
    let count_of = |app: &App, name: &str| {
        app.region_rows.iter().find_map(|r| match r {
            RegionRow::Item {
                selector, count, ..
            } if app.index.name_of(selector) == name => Some(*count),
            _ => None,
        })
    };
    let before = count_of(&app, "Central Asia").unwrap();
    app.update(Message::Search);
    type_text(&mut app, "pamir");
    app.update(Message::Submit);
    let after = count_of(&app, "Central Asia").unwrap();
    assert!(after < before && after >= 1, "{before} -> {after}");
    assert_eq!(count_of(&app, "Eastern Europe"), Some(0));
}

#[test]
fn matches_are_highlighted_in_wrapped_lines_and_n_moves_through_them() {
    let mut app = sample();
    app.update(Message::Search);
    type_text(&mut app, "the");
    app.update(Message::Submit);
    assert!(!app.reader.matches.is_empty());
    for (line, range) in &app.reader.matches {
        let text = &app.reader.page.lines[*line].text;
        assert_eq!(
            text[range.clone()].to_lowercase(),
            "the",
            "line {line}: {text}"
        );
    }
    let article = app.reader.article;
    app.update(Message::NextMatch);
    let first = app.reader.scroll;
    for _ in 0..200 {
        app.update(Message::NextMatch);
        if app.reader.article != article {
            break;
        }
    }
    assert_ne!(app.reader.article, article, "n goes on to the next article");
    app.update(Message::PrevMatch);
    assert_eq!(app.reader.article, article, "N comes back");
    assert!(app.reader.scroll >= first);
}

#[test]
fn reading_marks_read_and_unread_only_next_unread() {
    let mut app = sample();
    let first = app.selected_article().unwrap();
    assert!(!app.marks[first].read);
    app.update(Message::SelectNext);
    assert!(
        !app.marks[first].read,
        "moving over an article does not read it"
    );
    app.update(Message::SelectPrev);
    app.update(Message::OpenSelected);
    assert!(app.marks[first].read);
    assert!(app.state_dirty);
    app.update(Message::FocusLeft);
    app.update(Message::ToggleRead);
    assert!(!app.marks[first].read);
    app.update(Message::ToggleRead);
    let total = app.visible.len();
    app.update(Message::UnreadOnly);
    assert_eq!(app.visible.len(), total - 1);
    assert!(!app.visible.contains(&first));
    app.update(Message::UnreadOnly);
    // ] skips read articles.
    app.update(Message::Top);
    let second = app.visible[1];
    app.marks[second].read = true;
    app.update(Message::NextUnread);
    assert_eq!(app.selected, 2);
    app.update(Message::PrevUnread);
    assert_eq!(
        app.selected, 2,
        "nothing unread above: stays, with a notice"
    );
    assert!(app.notice.is_some());
}

#[test]
fn stars_and_starred_only() {
    let mut app = sample();
    app.update(Message::SelectNext);
    let a = app.selected_article().unwrap();
    app.update(Message::ToggleStar);
    assert!(app.marks[a].starred);
    app.update(Message::StarredOnly);
    assert_eq!(app.visible, vec![a]);
    app.update(Message::ToggleStar);
    assert!(!app.marks[a].starred);
    app.update(Message::ClearFilters);
    assert!(!app.starred_only);
}

#[test]
fn mark_all_read_asks_first() {
    let mut app = sample();
    app.select_regions(&["Eastern Europe".into()]);
    let view = app.visible.clone();
    app.update(Message::MarkAllRead);
    assert!(app.typing());
    app.update(Message::Type('n'));
    assert!(view.iter().all(|&i| !app.marks[i].read));
    app.update(Message::MarkAllRead);
    app.update(Message::Type('y'));
    assert!(view.iter().all(|&i| app.marks[i].read));
    let others = (0..app.articles.len()).filter(|i| !view.contains(i));
    assert!(
        others.into_iter().all(|i| !app.marks[i].read),
        "only the view"
    );
}

#[test]
fn links_become_effects_and_state_round_trips() {
    let mut app = sample();
    app.update(Message::OpenLink);
    let url = app.articles[app.selected_article().unwrap()]
        .source_url
        .clone()
        .unwrap();
    assert_eq!(
        app.effects,
        vec![newsdesk::app::Effect::OpenUrl(url.clone())]
    );
    app.update(Message::CopyLink);
    assert_eq!(
        app.effects.last(),
        Some(&newsdesk::app::Effect::Copy(url.clone()))
    );
    app.update(Message::OpenSelected);
    app.update(Message::PageDown);
    app.update(Message::ToggleStar);
    let scroll = app.reader.scroll;
    let state = app.state_to_save();
    assert!(state.marks(&url).read && state.marks(&url).starred);
    assert!(state.marks(&url).position.is_some());
    // A new session restores marks, and Enter resumes at the same place.
    let mut again = sample();
    again.restore_state(state);
    assert!(again.marks[again.selected_article().unwrap()].starred);
    again.update(Message::OpenSelected);
    assert_eq!(again.reader.scroll, scroll);
}

#[test]
fn loading_in_batches_never_moves_the_selection_to_another_article() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let mut all = load(&root, &LoadOptions::default()).unwrap().articles;
    // Arrive oldest first, so every batch sorts in above the selection.
    all.reverse();
    let config = Config::defaults();
    let empty = newsdesk::library::Library {
        root: root.clone(),
        ..Default::default()
    };
    let mut app = App::new(
        empty,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    app.loading = Some((0, None));
    app.select_regions_when_loaded(vec!["Eastern Europe".into(), "Atlantis".into()]);
    let mut chunks = all.chunks(4);
    app.add_articles(chunks.next().unwrap().to_vec(), vec![]);
    app.update(Message::SelectNext);
    let chosen = app.selected_article();
    assert!(chosen.is_some());
    let title = app.articles[chosen.unwrap()].title.clone();
    for chunk in chunks {
        app.add_articles(chunk.to_vec(), vec![]);
        assert_eq!(app.articles[app.selected_article().unwrap()].title, title);
    }
    app.finish_loading();
    // The --region name resolved when its tag arrived; the unknown one is reported.
    assert_eq!(app.region_names(), ["Eastern Europe"]);
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("Atlantis"))
    );
    // The final order is the archive order.
    let titles: Vec<&str> = app
        .order
        .iter()
        .map(|&i| app.articles[i as usize].title.as_str())
        .collect();
    let mut sorted = all.clone();
    newsdesk::library::sort_articles(&mut sorted);
    let want: Vec<&str> = sorted.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, want);
}
