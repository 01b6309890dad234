//! `update` tests of the places in the reader: the Regions pane as a place
//! tree, the world map (`M`) and the timeline strip (`T`); and their renders.

use std::path::Path;

use newsdesk::app::{App, RegionRow};
use newsdesk::config::Config;
use newsdesk::keymap::{Context, Keymap};
use newsdesk::layout::Focus;
use newsdesk::library::{LoadOptions, load};
use newsdesk::message::Message;
use newsdesk::regions::Selector;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The seven articles of `tests/fixtures/geo/places`: Kyrgyzstan in two
/// scripts, Germany, France, Brazil, a topic tag and one with no tag.
fn places(size: (u16, u16)) -> App {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geo/places");
    let config = Config::defaults();
    let library = load(&root, &LoadOptions::default()).unwrap();
    App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        size,
    )
}

/// The rows as `depth name count`.
fn rows(app: &App) -> Vec<String> {
    app.regions()
        .rows()
        .iter()
        .map(|r| match r {
            RegionRow::All => "All".to_owned(),
            RegionRow::View { view, count } => format!("view {view} {count}"),
            RegionRow::Item {
                selector,
                depth,
                count,
                ..
            } => format!("{depth} {} {count}", app.index().name_of(selector)),
        })
        .collect()
}

fn row_of(app: &App, name: &str) -> usize {
    rows(app)
        .iter()
        .position(|r| r.split(' ').nth(1) == Some(name))
        .unwrap_or_else(|| panic!("no row {name}: {:?}", rows(app)))
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| newsdesk::ui::render(app, f)).unwrap();
    terminal
}

#[test]
fn two_spellings_of_kyrgyzstan_are_one_row_of_two_under_central_asia() {
    let mut app = places((120, 30));
    assert_eq!(
        rows(&app),
        [
            "All",
            "0 Asia 2",
            "0 Europe 2",
            "0 Americas 1",
            "0 Other tags 1",
            "0 No location 1"
        ]
    );
    app.update(Message::FocusPrev);
    assert_eq!(app.focus(), Focus::Regions);
    // l opens Asia, then Central Asia: every level opens with the same keys.
    app.update(Message::SelectNext);
    app.update(Message::ExpandOrRight);
    app.update(Message::SelectNext);
    app.update(Message::ExpandOrRight);
    assert_eq!(
        &rows(&app)[1..4],
        ["0 Asia 2", "1 Central Asia 2", "2 Kyrgyzstan 2"]
    );
    app.update(Message::SelectNext);
    app.update(Message::ToggleRegion);
    assert_eq!(app.filter().regions, [Selector::Place("KG".into())]);
    assert_eq!(app.visible().len(), 2, "both spellings");
    assert_eq!(app.region_names(), ["Kyrgyzstan"]);
    // h on a country closes its subregion and goes to it; again, the continent.
    app.update(Message::CollapseOrLeft);
    assert_eq!(rows(&app)[app.regions().cursor()], "1 Central Asia 2");
    app.update(Message::CollapseOrLeft);
    app.update(Message::CollapseOrLeft);
    assert_eq!(rows(&app)[app.regions().cursor()], "0 Asia 2");
    assert_eq!(rows(&app).len(), 6, "all closed again");
}

#[test]
fn selecting_a_continent_takes_every_country_in_it_and_counts_follow_the_search() {
    let mut app = places((120, 30));
    app.update(Message::FocusPrev);
    app.regions();
    let europe = row_of(&app, "Europe");
    for _ in 0..europe {
        app.update(Message::SelectNext);
    }
    app.update(Message::ToggleRegion);
    let titles: Vec<&str> = app
        .visible()
        .iter()
        .map(|&i| app.articles()[i].title.as_str())
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(titles.contains(&"Berlin") && titles.contains(&"Paris"));
    app.set_search("berlin");
    assert!(
        rows(&app).contains(&"0 Europe 1".to_owned()),
        "{:?}",
        rows(&app)
    );
    assert!(rows(&app).contains(&"0 Asia 0".to_owned()));
}

#[test]
fn a_place_resolves_from_any_name_the_command_line_or_a_query_gives() {
    let mut app = places((120, 30));
    let index = app.index();
    assert_eq!(
        index.resolve("kyrgyzstan"),
        Some(Selector::Place("KG".into()))
    );
    assert_eq!(
        index.resolve("Киргизия"),
        Some(Selector::Place("KG".into()))
    );
    assert_eq!(
        index.resolve("Asia"),
        Some(Selector::Place("continent:asia".into()))
    );
    assert_eq!(index.resolve("cocoa"), Some(Selector::Tag("cocoa".into())));
    assert_eq!(index.resolve("Japan"), None, "no article is about Japan");
    let mut tags = index.tags_of_place("Asia").unwrap().to_vec();
    tags.sort();
    assert_eq!(tags, ["kyrgyzstan", "кыргызстан"]);
    assert_eq!(app.select_regions(&["Europe".into()]), Vec::<String>::new());
    assert_eq!(app.visible().len(), 2);
}

#[test]
fn typing_a_place_opens_the_way_to_it() {
    let mut app = places((120, 30));
    app.update(Message::FocusPrev);
    app.update(Message::FindRegion);
    for c in "kyrg".chars() {
        app.update(Message::Type(c));
    }
    assert_eq!(
        rows(&app),
        ["All", "0 Asia 2", "1 Central Asia 2", "2 Kyrgyzstan 2"]
    );
}

#[test]
fn geography_off_gives_the_flat_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geo/places");
    let mut config = Config::defaults();
    config.regions.geography = false;
    let library = load(&root, &LoadOptions::default()).unwrap();
    let mut app = App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 30),
    );
    assert!(
        rows(&app).contains(&"0 Кыргызстан 1".to_owned()),
        "{:?}",
        rows(&app)
    );
    app.update(Message::ToggleMap);
    assert!(app.map().is_none());
    assert!(app.notice().unwrap_or("").contains("geography"));
}

#[test]
fn names_show_in_the_display_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geo/places");
    let mut config = Config::defaults();
    config.regions.language = "ru".into();
    let library = load(&root, &LoadOptions::default()).unwrap();
    let app = App::new(
        library,
        &config,
        Keymap::from_config(&config).unwrap(),
        (120, 30),
    );
    assert_eq!(rows(&app)[1], "0 Азия 2");
}

#[test]
fn moving_on_the_map_and_selecting_a_country() {
    let mut app = places((120, 30));
    app.update(Message::ToggleMap);
    assert_eq!(app.context(), Context::Map);
    let map = app.map().expect("the map is shown");
    let codes: Vec<&str> = map.countries().iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes.len(), 4, "{codes:?}");
    assert_eq!(map.cursor_code(), Some("KG"), "the top country first");
    // West of Kyrgyzstan lie Germany and France: the nearer to the line wins.
    let at = |app: &App| app.map().and_then(|m| m.cursor_code()).map(str::to_owned);
    app.update(Message::MoveWest);
    assert_eq!(at(&app).as_deref(), Some("FR"));
    app.update(Message::MoveEast);
    assert_eq!(at(&app).as_deref(), Some("DE"));
    app.update(Message::MoveEast);
    assert_eq!(at(&app).as_deref(), Some("KG"));
    app.update(Message::MoveSouth);
    assert_eq!(at(&app).as_deref(), Some("BR"));
    app.update(Message::MoveSouth);
    assert_eq!(at(&app).as_deref(), Some("BR"), "nothing further south");
    // Enter selects the country: the list narrows, the map marks it.
    app.update(Message::ToggleRegion);
    assert_eq!(app.filter().regions, [Selector::Place("BR".into())]);
    assert_eq!(app.visible().len(), 1);
    let br = app
        .map()
        .unwrap()
        .countries()
        .iter()
        .find(|c| c.code == "BR")
        .unwrap();
    assert!(br.selected && br.count == 1);
    assert_eq!(
        app.map().unwrap().countries().len(),
        4,
        "the others stay to pick"
    );
    app.update(Message::ToggleRegion);
    assert!(app.filter().regions.is_empty());
    // Zoom to the cursor's continent and back.
    app.update(Message::MoveNorth);
    assert_eq!(app.map().and_then(|m| m.cursor_code()), Some("FR"));
    app.update(Message::ZoomIn);
    let map = app.map().unwrap();
    assert_eq!(map.zoom(), Some(newsdesk::gazetteer::Continent::Europe));
    assert_eq!(map.countries().len(), 2);
    app.update(Message::ZoomOut);
    assert_eq!(app.map().unwrap().countries().len(), 4);
    // Keys the map does not use reach the panes; Esc puts the map away.
    app.update(Message::UnreadOnly);
    assert!(app.filter().unread_only);
    app.update(Message::Back);
    assert!(app.map().is_none());
    assert_eq!(app.context(), Context::List);
}

#[test]
fn a_click_on_the_map_picks_the_nearest_country() {
    let mut app = places((120, 30));
    app.update(Message::ToggleMap);
    let area = app.panes().map.expect("placed over the reader");
    let (list, reader) = (app.panes().list.unwrap(), app.panes().reader.unwrap());
    assert_eq!(
        (area.x, area.x + area.width),
        (list.x, reader.x + reader.width),
        "three panes: in the place of a reader too narrow alone, and the list's"
    );
    // The world's canvas spans longitude -180..180 over the map's width
    // (the legend aside); click near Brazil (-14 N, -51 E).
    let inner = newsdesk::layout::inner(area);
    let map_w = newsdesk::ui::map::map_area(inner).width;
    let x = inner.x + ((-51.0 + 180.0) / 360.0 * f64::from(map_w)) as u16;
    let y = inner.y + ((85.0 - -14.0) / 145.0 * f64::from(inner.height)) as u16;
    app.update(Message::Click(x, y));
    assert_eq!(app.map().and_then(|m| m.cursor_code()), Some("BR"));
    assert_eq!(app.filter().regions, [Selector::Place("BR".into())]);
    // A click on another pane puts the map away and does what it does there.
    let regions = app.panes().regions.unwrap();
    app.update(Message::Click(regions.x + 2, regions.y + 1));
    assert!(app.map().is_none());
    assert_eq!(app.focus(), Focus::Regions);
    assert!(app.filter().regions.is_empty(), "All articles clicked");
}

#[test]
fn the_map_takes_the_whole_window_below_100_columns() {
    let mut app = places((80, 24));
    app.update(Message::ToggleMap);
    assert_eq!(
        app.panes().map,
        Some(ratatui::layout::Rect::new(0, 0, 80, 23))
    );
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("Map"), "{screen}");
    assert!(screen.contains("Kyrgyzstan"), "the legend: {screen}");
}

#[test]
fn selecting_a_range_on_the_timeline() {
    let mut app = places((120, 30));
    app.update(Message::ToggleTimeline);
    assert_eq!(app.context(), Context::Timeline);
    let strip = app.timeline().expect("shown");
    let t = strip.timeline().expect("counted");
    let labels: Vec<(&str, usize)> = t
        .buckets
        .iter()
        .map(|b| (b.label.as_str(), b.count))
        .collect();
    assert_eq!(
        labels,
        [
            ("2024-01", 1),
            ("2024-02", 2),
            ("2024-03", 2),
            ("2024-04", 2)
        ]
    );
    assert_eq!(strip.selection().cursor, 3, "the newest bucket first");
    // The strip sits above the list, which gives it its rows.
    let panes = app.panes();
    let (timeline, list) = (panes.timeline.unwrap(), panes.list.unwrap());
    assert_eq!((timeline.x, timeline.y + timeline.height), (list.x, list.y));
    app.update(Message::MoveWest);
    app.update(Message::MarkRange);
    app.update(Message::MoveWest);
    app.update(Message::MoveWest);
    app.update(Message::MoveWest);
    let strip = app.timeline().unwrap();
    assert_eq!(strip.selection().range(), (0, 2));
    // j still moves the list under the strip.
    app.update(Message::SelectNext);
    assert_eq!(app.selected(), 1);
    app.update(Message::ApplyRange);
    assert_eq!(app.filter().search, "date:2024-01..2024-03");
    assert!(app.notice().unwrap_or("").contains("date:2024-01..2024-03"));
    app.update(Message::Back);
    assert!(app.timeline().is_none());
}

#[test]
fn the_map_and_the_timeline_render() {
    let mut app = places((120, 30));
    app.update(Message::ToggleMap);
    app.update(Message::MoveWest);
    insta::assert_snapshot!("map_pane_120x30", draw(&app).backend());
    app.update(Message::ToggleTimeline);
    assert!(app.map().is_none(), "one at a time");
    app.update(Message::MoveWest);
    app.update(Message::MarkRange);
    app.update(Message::MoveWest);
    insta::assert_snapshot!("timeline_strip_120x30", draw(&app).backend());
}

/// The row under the Regions cursor, as `depth name count`.
fn cursor_row(app: &App) -> String {
    rows(app)[app.regions().cursor()].clone()
}

#[test]
fn finding_a_tag_lands_on_it_and_the_cursor_stays_on_it_after_esc() {
    for end in [Message::Back, Message::Submit] {
        let mut app = places((120, 30));
        app.update(Message::FocusPrev);
        app.update(Message::FindRegion);
        for c in "kyrg".chars() {
            app.update(Message::Type(c));
        }
        // Asia and Central Asia show as the way there; the cursor is on the tag.
        assert_eq!(cursor_row(&app), "2 Kyrgyzstan 2", "{:?}", rows(&app));
        app.update(end);
        if end == Message::Submit {
            // Enter keeps the filter; Esc in the pane lets it go.
            assert_eq!(app.regions().find(), "kyrg");
            app.update(Message::Back);
        }
        assert_eq!(app.regions().find(), "");
        assert_eq!(cursor_row(&app), "2 Kyrgyzstan 2", "{:?}", rows(&app));
        assert!(
            rows(&app).contains(&"0 Europe 2".to_owned()),
            "every row back"
        );
    }
}

#[test]
fn a_closed_place_with_a_selection_inside_shows_a_partial_mark() {
    let mut app = places((120, 30));
    app.update(Message::FocusPrev);
    app.update(Message::FindRegion);
    for c in "kyrg".chars() {
        app.update(Message::Type(c));
    }
    app.update(Message::Submit);
    app.update(Message::ToggleRegion);
    app.update(Message::Back);
    let asia = row_of(&app, "Asia");
    assert!(!app.regions().partly_selected(asia), "Asia is open");
    app.update(Message::CollapseOrLeft);
    app.update(Message::CollapseOrLeft);
    assert_eq!(cursor_row(&app), "0 Asia 2");
    assert!(app.regions().partly_selected(asia));
    assert!(!app.regions().partly_selected(row_of(&app, "Europe")));
    let screen = draw(&app).backend().to_string();
    assert!(screen.contains("◐ ▸ Asia"), "{screen}");
    // The whole of Asia selected: a full mark, not a partial one.
    app.update(Message::ToggleRegion);
    assert!(!app.regions().partly_selected(asia));
}

#[test]
fn empty_rows_go_last_dimmed_and_z_hides_them_but_not_a_selected_one() {
    let mut app = places((120, 30));
    app.update(Message::FocusPrev);
    app.update(Message::SelectNext);
    assert_eq!(cursor_row(&app), "0 Asia 2");
    app.update(Message::ToggleRegion);
    app.set_search("berlin OR paris");
    assert_eq!(
        rows(&app),
        [
            "All",
            "0 Europe 2",
            "0 Asia 0",
            "0 Americas 0",
            "0 Other tags 0",
            "0 No location 0"
        ]
    );
    assert_eq!(
        app.regions().all_count(),
        2,
        "All counts the rest of the query"
    );
    assert!(app.visible().is_empty(), "Asia and the search: nothing");
    let terminal = draw(&app);
    let buf = terminal.backend().buffer();
    let cell_of = |text: &str| {
        let y = (0..buf.area.height)
            .find(|&y| {
                (0..24)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .contains(text)
            })
            .unwrap_or_else(|| panic!("no {text}"));
        buf[(6, y)].clone()
    };
    let dimmed = app.theme().dimmed.fg;
    assert_eq!(cell_of("Americas").fg, dimmed.unwrap_or_default());
    assert_ne!(cell_of("Europe").fg, dimmed.unwrap_or_default());
    app.update(Message::HideEmptyRegions);
    assert_eq!(
        rows(&app),
        ["All", "0 Europe 2", "0 Asia 0"],
        "Asia is selected: it stays to be unselected"
    );
    assert!(
        draw(&app)
            .backend()
            .to_string()
            .contains("Regions with articles")
    );
    app.update(Message::HideEmptyRegions);
    assert_eq!(rows(&app).len(), 6);
}

#[test]
fn regions_query_on_the_command_line_counts_what_the_pane_counts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geo/places");
    for query in ["-berlin", "bishkek OR paris", "tag:Asia OR tag:cocoa"] {
        let mut app = places((120, 30));
        app.set_search(query);
        // The pane's top rows with articles under the query, as `name count`.
        let pane: Vec<String> = rows(&app)
            .iter()
            .filter(|r| r.starts_with("0 ") && !r.ends_with(" 0"))
            .map(|r| r[2..].to_owned())
            .collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
            .args(["regions", "--json", "--query", query])
            .arg(&root)
            .env("XDG_CONFIG_HOME", root.join("no-such-config-home"))
            .env_remove("NEWSDESK_CONFIG")
            .output()
            .unwrap();
        assert!(out.status.success(), "{query}: {out:?}");
        let tree: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let cli: Vec<String> = (tree["children"].as_array().unwrap().iter())
            .map(|c| format!("{} {}", c["name"].as_str().unwrap(), c["count"]))
            .collect();
        assert_eq!(cli, pane, "{query}");
        assert!(!cli.is_empty(), "{query} matches something");
        assert_eq!(
            tree["count"],
            app.visible().len(),
            "{query}: World, every match"
        );
        assert_eq!(
            app.regions().all_count(),
            app.visible().len(),
            "All articles"
        );
    }
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["regions", "--query", "auther:x"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean author:"));
}
