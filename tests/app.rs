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
    let mut config = Config::defaults();
    // These tests are about the flat pane (`geography = false`); the place
    // tree has its own in tests/geo_app.rs.
    config.regions.geography = false;
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
    app.reader()
        .article()
        .map_or("", |i| app.articles()[i].title.as_str())
}

#[test]
fn navigation_clamps_at_both_ends() {
    let mut app = sample();
    app.update(Message::SelectPrev);
    assert_eq!(app.selected(), 0);
    app.update(Message::Bottom);
    assert_eq!(app.selected(), app.visible().len() - 1);
    app.update(Message::SelectNext);
    assert_eq!(app.selected(), app.visible().len() - 1);
    app.update(Message::PageUp);
    app.update(Message::PageUp);
    assert_eq!(app.selected(), 0);
    app.update(Message::HalfPageDown);
    assert!(app.selected() > 0);
}

#[test]
fn moving_the_selection_shows_the_new_article_at_its_top() {
    let mut app = sample();
    let first = title(&app).to_owned();
    app.update(Message::FocusRight);
    assert_eq!(app.focus(), Focus::Reader);
    app.update(Message::PageDown);
    assert!(app.reader().scroll() > 0);
    app.update(Message::FocusLeft);
    app.update(Message::SelectNext);
    assert_ne!(title(&app), first);
    assert_eq!(app.reader().scroll(), 0);
}

#[test]
fn reader_scroll_clamps_and_percent_reaches_100() {
    let mut app = sample();
    app.update(Message::OpenSelected);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.reader_percent(), 0);
    for _ in 0..200 {
        app.update(Message::SelectNext);
    }
    assert_eq!(app.reader_percent(), 100);
    assert_eq!(
        app.reader().scroll(),
        app.reader().page().lines.len() - app.reader().height()
    );
    app.update(Message::Top);
    assert_eq!(app.reader().scroll(), 0);
}

#[test]
fn focus_cycles_through_visible_panes() {
    let mut app = sample();
    assert_eq!(app.focus(), Focus::List);
    app.update(Message::FocusNext);
    assert_eq!(app.focus(), Focus::Reader);
    app.update(Message::FocusNext);
    assert_eq!(app.focus(), Focus::Regions);
    app.update(Message::FocusPrev);
    assert_eq!(app.focus(), Focus::Reader);
    // In two-pane width, Regions is folded away and skipped.
    let mut two = app_for("articles", (80, 24));
    assert!(!two.regions_shown());
    two.update(Message::FocusNext);
    two.update(Message::FocusNext);
    assert_eq!(two.focus(), Focus::List);
    two.update(Message::ToggleRegions);
    assert_eq!(two.focus(), Focus::Regions);
    two.update(Message::Back);
    assert!(!two.regions_shown());
    assert_eq!(two.focus(), Focus::List);
}

#[test]
fn one_pane_enter_opens_and_esc_goes_back() {
    let mut app = app_for("articles", (50, 20));
    app.update(Message::OpenSelected);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.panes().list, None);
    app.update(Message::Back);
    assert_eq!(app.focus(), Focus::List);
    app.update(Message::OpenSelected);
    app.update(Message::FocusLeft);
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn resize_keeps_selection_and_reading_position() {
    let mut app = sample();
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let chosen = app.selected_article();
    app.update(Message::OpenSelected);
    app.update(Message::PageDown);
    let line = &app.reader().page().lines[app.reader().scroll()];
    let (block, text) = (line.block, line.text.clone());
    app.update(Message::Resize(70, 30));
    app.update(Message::Resize(120, 40));
    assert_eq!(app.selected_article(), chosen);
    let now = &app.reader().page().lines[app.reader().scroll()];
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
    let total = app.visible().len();
    app.update(Message::FocusNext);
    app.update(Message::FocusNext);
    assert_eq!(app.focus(), Focus::Regions);
    // Row 1 is the biggest group (Central Asia in the samples).
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    let central = app.visible().len();
    assert!(central < total && central > 0);
    assert_eq!(app.region_names(), ["Central Asia"]);
    // A second row: any of them.
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    assert!(app.visible().len() > central);
    assert_eq!(app.region_names().len(), 2);
    // Toggling again unselects.
    app.update(Message::ToggleRegion);
    assert_eq!(app.visible().len(), central);
    app.update(Message::ClearFilters);
    assert_eq!(app.visible().len(), total);
    // `All articles` clears too.
    app.update(Message::ToggleRegion);
    app.update(Message::Top);
    app.update(Message::ToggleRegion);
    assert_eq!(app.visible().len(), total);
    assert!(app.filter().regions.is_empty());
}

#[test]
fn no_location_selects_untagged_and_a_filter_can_empty_the_list() {
    let mut app = sample();
    app.select_regions(&["No location".to_owned()]);
    assert_eq!(app.visible().len(), 1);
    assert!(app.articles()[app.visible()[0]].locations.is_empty());
    let mut app = sample();
    let missing = app.select_regions(&["Atlantis".to_owned()]);
    assert_eq!(missing, ["Atlantis"]);
    app.set_search("zzzz-not-there");
    assert!(app.visible().is_empty());
    assert_eq!(app.reader().article(), None);
    app.update(Message::SelectNext);
    app.update(Message::OpenSelected);
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn groups_expand_and_collapse() {
    let mut app = sample();
    app.update(Message::FocusPrev);
    assert_eq!(app.focus(), Focus::Regions);
    app.update(Message::SelectNext);
    let rows = app.regions().rows().len();
    app.update(Message::ExpandOrRight);
    assert!(app.regions().rows().len() > rows);
    assert!(matches!(
        app.regions().rows()[1],
        RegionRow::Item { expanded: true, .. }
    ));
    assert!(matches!(
        app.regions().rows()[2],
        RegionRow::Item { depth: 1, .. }
    ));
    assert_eq!(app.focus(), Focus::Regions, "expanding does not move focus");
    // Selecting a member filters to it alone.
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    assert!(matches!(app.filter().regions[0], Selector::Tag(_)));
    // ← on a member collapses its group and moves to it.
    app.update(Message::CollapseOrLeft);
    assert_eq!(app.regions().cursor(), 1);
    assert_eq!(app.regions().rows().len(), rows);
    app.update(Message::ToggleGroup);
    assert!(app.regions().rows().len() > rows);
    app.update(Message::ToggleGroup);
    assert_eq!(app.regions().rows().len(), rows);
    // ← on a collapsed group moves focus left... there is nothing left of Regions.
    app.update(Message::CollapseOrLeft);
    assert_eq!(app.focus(), Focus::Regions);
    app.update(Message::ExpandOrRight);
    app.update(Message::ExpandOrRight);
    assert_eq!(app.focus(), Focus::List);
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
        .regions()
        .rows()
        .iter()
        .filter_map(|r| match r {
            RegionRow::Item { selector, .. } => Some(app.index().name_of(selector)),
            RegionRow::All | RegionRow::View { .. } => None,
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
    assert!(app.regions().find().is_empty());
    assert!(app.regions().rows().len() > 3);
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
    assert_eq!(app.overlay(), Some(Overlay::Help));
    app.update(Message::Quit);
    assert_eq!(app.overlay(), None);
    assert!(!app.quit());
    app.update(Message::ShowProblems);
    assert_eq!(app.overlay(), Some(Overlay::Problems));
    app.update(Message::Back);
    assert_eq!(app.overlay(), None);
    app.update(Message::Quit);
    assert!(app.quit());
    let mut app = sample();
    app.update(Message::ShowHelp);
    app.update(Message::ForceQuit);
    assert!(app.quit());
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut app = sample();
    let list = app.panes().list.unwrap();
    app.update(Message::Click(list.x + 3, list.y + 3));
    assert_eq!(app.selected(), 2);
    assert_eq!(app.focus(), Focus::List);
    let reader = app.panes().reader.unwrap();
    app.update(Message::Scroll(reader.x + 5, reader.y + 5, 1));
    assert_eq!(app.reader().scroll(), 3);
    assert_eq!(app.focus(), Focus::List, "the wheel does not steal focus");
    let regions = app.panes().regions.unwrap();
    app.update(Message::Click(regions.x + 3, regions.y + 2));
    assert_eq!(app.focus(), Focus::Regions);
    assert_eq!(app.filter().regions.len(), 1);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Message::Type(c));
    }
}

#[test]
fn search_narrows_as_you_type_and_esc_restores() {
    let mut app = sample();
    let total = app.visible().len();
    app.update(Message::SelectNext);
    app.update(Message::SelectNext);
    let before = app.selected_article();
    app.update(Message::Search);
    type_text(&mut app, "КАЗАХСТАН");
    assert!(
        app.visible().len() < total && !app.visible().is_empty(),
        "Cyrillic folds: {}",
        app.visible().len()
    );
    app.update(Message::Back);
    assert_eq!(app.visible().len(), total);
    assert_eq!(app.selected_article(), before);
    assert!(app.filter().search.is_empty());
    // Enter keeps it, and it combines with regions.
    app.update(Message::Search);
    type_text(&mut app, "BAZAAR");
    app.update(Message::Submit);
    let with_search = app.visible().len();
    assert!(with_search >= 1);
    assert_eq!(app.filter().search, "BAZAAR");
    app.select_regions(&["South Caucasus".into()]);
    assert!(
        app.visible().len() < with_search
            || with_search == 0
            || app.visible().iter().all(|&i| app.articles()[i]
                .locations
                .iter()
                .any(|t| t == "South Caucasus"))
    );
    app.update(Message::ClearFilters);
    assert_eq!(app.visible().len(), total);
}

#[test]
fn region_counts_follow_the_search() {
    let mut app = sample();
    let count_of = |app: &App, name: &str| {
        app.regions().rows().iter().find_map(|r| match r {
            RegionRow::Item {
                selector, count, ..
            } if app.index().name_of(selector) == name => Some(*count),
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
    assert!(!app.reader().matches().is_empty());
    for (line, range) in app.reader().matches() {
        let text = &app.reader().page().lines[*line].text;
        assert_eq!(
            text[range.clone()].to_lowercase(),
            "the",
            "line {line}: {text}"
        );
    }
    let article = app.reader().article();
    app.update(Message::NextMatch);
    let first = app.reader().scroll();
    for _ in 0..200 {
        app.update(Message::NextMatch);
        if app.reader().article() != article {
            break;
        }
    }
    assert_ne!(
        app.reader().article(),
        article,
        "n goes on to the next article"
    );
    app.update(Message::PrevMatch);
    assert_eq!(app.reader().article(), article, "N comes back");
    assert!(app.reader().scroll() >= first);
}

#[test]
fn reading_marks_read_and_unread_only_next_unread() {
    let mut app = sample();
    let first = app.selected_article().unwrap();
    assert!(!app.marks(first).read);
    app.update(Message::SelectNext);
    assert!(
        !app.marks(first).read,
        "moving over an article does not read it"
    );
    app.update(Message::SelectPrev);
    app.update(Message::OpenSelected);
    assert!(app.marks(first).read);
    assert!(app.state_dirty());
    app.update(Message::FocusLeft);
    app.update(Message::ToggleRead);
    assert!(!app.marks(first).read);
    app.update(Message::ToggleRead);
    let total = app.visible().len();
    app.update(Message::UnreadOnly);
    assert_eq!(app.visible().len(), total - 1);
    assert!(!app.visible().contains(&first));
    app.update(Message::UnreadOnly);
    // ] skips read articles.
    app.update(Message::Top);
    let second = app.visible()[1];
    app.update(Message::SelectNext);
    app.update(Message::ToggleRead);
    assert!(app.marks(second).read);
    app.update(Message::Top);
    app.update(Message::NextUnread);
    assert_eq!(app.selected(), 2);
    app.update(Message::PrevUnread);
    assert_eq!(
        app.selected(),
        2,
        "nothing unread above: stays, with a notice"
    );
    assert!(app.notice().is_some());
}

#[test]
fn stars_and_starred_only() {
    let mut app = sample();
    app.update(Message::SelectNext);
    let a = app.selected_article().unwrap();
    app.update(Message::ToggleStar);
    assert!(app.marks(a).starred);
    app.update(Message::StarredOnly);
    assert_eq!(app.visible(), vec![a]);
    app.update(Message::ToggleStar);
    assert!(!app.marks(a).starred);
    app.update(Message::ClearFilters);
    assert!(!app.filter().starred_only);
}

#[test]
fn mark_all_read_asks_first() {
    let mut app = sample();
    app.select_regions(&["Eastern Europe".into()]);
    let view = app.visible().to_vec();
    app.update(Message::MarkAllRead);
    assert!(app.typing());
    app.update(Message::Type('n'));
    assert!(view.iter().all(|&i| !app.marks(i).read));
    app.update(Message::MarkAllRead);
    app.update(Message::Type('y'));
    assert!(view.iter().all(|&i| app.marks(i).read));
    let others = (0..app.articles().len()).filter(|i| !view.contains(i));
    assert!(
        others.into_iter().all(|i| !app.marks(i).read),
        "only the view"
    );
}

#[test]
fn links_become_effects_and_state_round_trips() {
    let mut app = sample();
    app.update(Message::OpenLink);
    let url = app.articles()[app.selected_article().unwrap()]
        .source_url
        .clone()
        .unwrap();
    assert_eq!(
        app.effects(),
        vec![newsdesk::app::Effect::OpenUrl(url.to_string())]
    );
    app.update(Message::CopyLink);
    assert_eq!(
        app.effects().last(),
        Some(&newsdesk::app::Effect::Copy(url.to_string()))
    );
    app.update(Message::OpenSelected);
    app.update(Message::PageDown);
    app.update(Message::ToggleStar);
    let scroll = app.reader().scroll();
    let state = app.state_to_save();
    assert!(state.marks(&url).read && state.marks(&url).starred);
    assert!(state.marks(&url).position.is_some());
    // A new session restores marks, and Enter resumes at the same place.
    let mut again = sample();
    again.restore_state(state);
    assert!(again.marks(again.selected_article().unwrap()).starred);
    again.update(Message::OpenSelected);
    assert_eq!(again.reader().scroll(), scroll);
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
    app.start_loading();
    app.select_regions_when_loaded(vec!["Eastern Europe".into(), "Atlantis".into()]);
    let mut chunks = all.chunks(4);
    app.add_articles(chunks.next().unwrap().to_vec(), vec![]);
    app.update(Message::SelectNext);
    let chosen = app.selected_article();
    assert!(chosen.is_some());
    let title = app.articles()[chosen.unwrap()].title.clone();
    for chunk in chunks {
        app.add_articles(chunk.to_vec(), vec![]);
        assert_eq!(app.articles()[app.selected_article().unwrap()].title, title);
    }
    app.finish_loading();
    // The --region name resolved when its tag arrived; the unknown one is reported.
    assert_eq!(app.region_names(), ["Eastern Europe"]);
    assert!(app.notice().is_some_and(|n| n.contains("Atlantis")));
    // The final order is the archive order.
    let titles: Vec<&str> = app
        .archive()
        .order()
        .iter()
        .map(|&i| app.articles()[i as usize].title.as_str())
        .collect();
    let mut sorted = all.clone();
    newsdesk::library::sort_articles(&mut sorted);
    let want: Vec<&str> = sorted.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, want);
}

/// A folder of articles written by the test, and the reader over it.
fn app_over(files: &[(&str, String)]) -> (tempfile::TempDir, App) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let config = Config::defaults();
    let library = load(tmp.path(), &LoadOptions::default()).unwrap();
    let app = App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    (tmp, app)
}

#[test]
fn n_through_author_only_matches_marks_nothing_read() {
    let story = |title: &str, date: &str, author: &str, body: &str| {
        format!("{title}\n\nAuthor: [{author}](#)\nDate: {date}\n\nA standfirst.\n\n{body}\n")
    };
    let (_tmp, mut app) = app_over(&[
        (
            "a.txt",
            story("Alpha", "2024-03-05", "Ann Lee", "The zebra ran."),
        ),
        (
            "b.txt",
            story("Beta", "2024-03-04", "Zebra Jones", "Nothing here."),
        ),
        (
            "c.txt",
            story("Gamma", "2024-03-03", "Zebra Smith", "Nothing here."),
        ),
        (
            "d.txt",
            story("Delta", "2024-03-02", "Bo Park", "A zebra again."),
        ),
    ]);
    app.update(Message::Search);
    for c in "zebra".chars() {
        app.update(Message::Type(c));
    }
    app.update(Message::Submit);
    assert_eq!(app.visible().len(), 4, "authors match the search too");
    app.update(Message::OpenSelected);
    assert_eq!(title(&app), "Alpha");
    let id = |app: &App, t: &str| app.articles().iter().position(|a| a.title == t).unwrap();
    for _ in 0..10 {
        app.update(Message::NextMatch);
        if title(&app) == "Delta" {
            break;
        }
    }
    assert_eq!(title(&app), "Delta", "n goes on to the next visible match");
    assert!(app.marks(id(&app, "Alpha")).read && app.marks(id(&app, "Delta")).read);
    assert!(
        !app.marks(id(&app, "Beta")).read && !app.marks(id(&app, "Gamma")).read,
        "articles passed on the way are not read"
    );
    assert!(!app.reader().matches().is_empty());
}

#[test]
fn the_reader_and_list_give_the_same_articles_for_the_same_filters() {
    same_in_reader_and_list("the");
    same_in_reader_and_list("water OR (bazaar -osh) after:2023-06-01");
}

#[test]
fn a_query_that_cannot_be_read_keeps_the_last_good_list_and_says_why() {
    let mut app = sample();
    app.update(Message::Search);
    type_text(&mut app, "water");
    let good = app.visible().to_vec();
    assert!(!good.is_empty());
    type_text(&mut app, " \"unclosed");
    assert_eq!(app.visible(), good, "the last good result stays");
    assert!(
        app.query_error().is_some_and(|e| e.contains("quote")),
        "{:?}",
        app.query_error()
    );
    app.update(Message::Back);
    assert!(app.query_error().is_none());
}

fn same_in_reader_and_list(query: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let mut app = sample();
    app.select_regions(&["Central Asia".to_owned()]);
    app.set_search(query);
    let reader: Vec<String> = app
        .visible()
        .iter()
        .map(|&i| app.articles()[i].path.display().to_string())
        .collect();
    assert!(!reader.is_empty() && reader.len() < app.articles().len());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args([
            "list",
            "--json",
            "--region",
            "Central Asia",
            "--query",
            query,
        ])
        .arg(&root)
        .env("XDG_CONFIG_HOME", root.join("no-such-config-home"))
        .env_remove("NEWSDESK_CONFIG")
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["path"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(listed, reader, "query {query:?}");
}

#[test]
fn batches_while_loading_are_merged_in_doubling_steps() {
    use newsdesk::message::Job;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let one = load(&root, &LoadOptions::default()).unwrap().articles;
    let config = Config::defaults();
    let mut app = App::new(
        newsdesk::library::Library {
            root: root.clone(),
            ..Default::default()
        },
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 40),
    );
    app.start_loading();
    // 4,096 batches of one article: a merge per batch would write ~8 million
    // positions; doubling steps write about twice the archive.
    let batches = 4096;
    for k in 0..batches {
        let mut a = one[k % one.len()].clone();
        a.path = format!("copy-{k}.txt").into();
        app.update(Job::Loaded {
            articles: vec![a],
            problems: vec![],
            files: 1,
            shallow: false,
        });
        if k == 0 {
            assert_eq!(
                app.visible().len(),
                1,
                "the first rows show with the first batch"
            );
        }
    }
    app.update(Job::LoadDone);
    assert_eq!(app.visible().len(), batches);
    assert!(app.loading().is_none());
    let work = app.archive().merge_work();
    assert!(
        work <= 3 * batches,
        "merge work {work} for {batches} articles"
    );
}
