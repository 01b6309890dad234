//! Saved views: rows at the top of the Regions pane with their counts,
//! applied by choosing them or by their key, saved with `V`.

use std::path::Path;

use newsdesk::app::{App, Effect, Prompt, RegionRow};
use newsdesk::config::Config;
use newsdesk::keymap::{Context, Keymap};
use newsdesk::library::{LoadOptions, load};
use newsdesk::line_edit::EditAction;
use newsdesk::message::Message;
use newsdesk::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const VIEWS: &str = "[[views]]\nname = \"Water\"\nquery = \"water\"\nkey = \"ctrl-w\"\n\n[[views]]\nname = \"Not Russia\"\nquery = \"-russia\"\n";

fn app_with(config_text: &str, own: Option<&Path>) -> (App, Config) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    let mut config = Config::from_text(config_text, Some(Path::new("/tmp/x/config.toml"))).unwrap();
    config.regions.geography = false;
    let library = load(&root, &LoadOptions::default()).unwrap();
    let keymap = Keymap::from_config(&config).unwrap();
    let mut app = App::new(library, &config, keymap, (120, 40));
    app.set_views(config.views.clone(), own.map(Path::to_path_buf));
    (app, config)
}

/// What the query alone gives, counted the way `list --query` does.
fn count_of(app: &mut App, query: &str) -> usize {
    let before = app.filter().search.clone();
    app.set_search(query);
    let n = app.visible().len();
    app.set_search(&before);
    n
}

#[test]
fn views_are_listed_first_with_the_count_of_their_query_alone() {
    let (mut app, _) = app_with(VIEWS, None);
    let water = count_of(&mut app, "water");
    let not_russia = count_of(&mut app, "-russia");
    assert!(
        water > 0 && water < app.articles().len(),
        "a fixture that sifts"
    );
    let rows = app.regions().rows().to_vec();
    assert_eq!(
        rows[0],
        RegionRow::View {
            view: 0,
            count: water
        }
    );
    assert_eq!(
        rows[1],
        RegionRow::View {
            view: 1,
            count: not_russia
        }
    );
    assert_eq!(rows[2], RegionRow::All);
    // Under another filter a view's count stays its query's alone.
    app.update(Message::UnreadOnly);
    app.set_search("zzzz-nothing");
    assert_eq!(
        app.regions().rows()[0],
        RegionRow::View {
            view: 0,
            count: water
        }
    );
}

#[test]
fn choosing_a_view_applies_its_query_and_marks_it() {
    let (mut app, _) = app_with(VIEWS, None);
    app.update(Message::FocusLeft);
    app.update(Message::Top);
    app.update(Message::ToggleRegion);
    assert_eq!(app.filter().search, "water");
    assert!(app.is_view_applied(0) && !app.is_view_applied(1));
    let water = app.visible().len();
    assert_eq!(water, count_of(&mut app, "water"));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| render(&app, f)).unwrap();
    let screen: Vec<String> = (1..4)
        .map(|y| {
            (1..23)
                .map(|x| terminal.backend().buffer()[(x, y)].symbol().to_owned())
                .collect()
        })
        .collect();
    assert!(screen[0].starts_with("● ⌕ Water"), "{screen:?}");
    assert!(
        screen[0].trim_end().ends_with(&water.to_string()),
        "{screen:?}"
    );
    assert!(screen[1].starts_with("  ⌕ Not Russia"), "{screen:?}");
    // No region selected: `All articles` keeps its own mark.
    assert!(screen[2].starts_with("● All articles"), "{screen:?}");
}

#[test]
fn a_views_key_applies_it_from_anywhere() {
    let (mut app, config) = app_with(VIEWS, None);
    let keymap = Keymap::from_config(&config).unwrap();
    let ctrl_w = KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL);
    for context in [Context::List, Context::Reader, Context::Regions] {
        assert_eq!(keymap.lookup(context, ctrl_w), Some(Message::ApplyView(0)));
    }
    app.update(Message::ApplyView(0));
    assert_eq!(app.filter().search, "water");
    assert!(app.notice().is_some_and(|n| n.contains("Water")));
    app.update(Message::ApplyView(9));
    assert_eq!(
        app.filter().search,
        "water",
        "no such view: nothing changes"
    );
}

#[test]
fn saving_a_view_asks_the_loop_to_write_the_persons_file() {
    let own = Path::new("/tmp/x/config.toml");
    let (mut app, _) = app_with("", Some(own));
    app.update(Message::SaveView);
    assert!(app.notice().is_some_and(|n| n.contains("no query")));
    assert!(app.take_effects().is_empty());
    app.set_search("water -russia");
    app.update(Message::SaveView);
    // A name is asked for, the query itself offered; Enter takes it.
    assert!(
        matches!(app.prompt(), Some(Prompt::NameView { line, .. }) if line.text() == "water -russia")
    );
    assert!(app.take_effects().is_empty(), "nothing saved before Enter");
    app.update(Message::Submit);
    assert_eq!(
        app.take_effects(),
        [Effect::SaveView {
            path: own.to_path_buf(),
            name: "water -russia".into(),
            query: "water -russia".into(),
        }]
    );
    app.view_saved("water -russia", "water -russia");
    assert_eq!(app.views().len(), 1);
    assert!(matches!(
        app.regions().rows()[0],
        RegionRow::View { view: 0, .. }
    ));
    assert!(app.is_view_applied(0));
}

#[test]
fn without_a_file_of_ones_own_the_notice_gives_the_lines() {
    let (mut app, _) = app_with("", None);
    app.set_search("tag:\"Central Asia\"");
    app.update(Message::SaveView);
    app.update(Message::Submit);
    assert!(app.take_effects().is_empty());
    let notice = app.notice().unwrap_or_default();
    assert!(
        notice.contains("[[views]]") && notice.contains("query = 'tag:\"Central Asia\"'"),
        "{notice}"
    );
}

#[test]
fn the_shipped_file_is_never_ones_own() {
    let shipped = Config::from_text(
        newsdesk::config::DEFAULT_CONFIG,
        Some(Path::new("config.toml")),
    )
    .unwrap();
    assert_eq!(shipped.own_file(), None);
    let mine = Config::from_text("mouse = false\n", Some(Path::new("/h/config.toml"))).unwrap();
    assert_eq!(mine.own_file(), Some(Path::new("/h/config.toml")));
}

#[test]
fn a_view_is_saved_under_the_name_typed_and_esc_saves_nothing() {
    let own = Path::new("/tmp/x/config.toml");
    let (mut app, _) = app_with("", Some(own));
    app.set_search("tag:Kyrgyzstan after:2003-01-01");
    app.update(Message::SaveView);
    app.update(Message::Back);
    assert!(app.prompt().is_none());
    assert!(app.take_effects().is_empty(), "Esc: nothing saved");
    app.update(Message::SaveView);
    // Ctrl-U clears the offered name, then a name of one's own.
    app.update(Message::Edit(EditAction::DeleteToStart));
    for c in "Kyrgyz news".chars() {
        app.update(Message::Type(c));
    }
    let screen = {
        let (w, h) = app.size();
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| render(&app, f)).unwrap();
        t.backend().to_string()
    };
    assert!(screen.contains("Save view as: Kyrgyz news▏"), "{screen}");
    app.update(Message::Submit);
    assert_eq!(
        app.take_effects(),
        [Effect::SaveView {
            path: own.to_path_buf(),
            name: "Kyrgyz news".into(),
            query: "tag:Kyrgyzstan after:2003-01-01".into(),
        }]
    );
}
