//! Sifting in the reader (issue 14): sort orders, list columns, the prompt
//! that edits like a shell and its history, the n/N counter, Esc clearing a
//! kept search. `update` tests and list snapshots at 80 and 160 columns.

use newsdesk::app::{App, Prompt};
use newsdesk::article::{Article, Block, Date, Text};
use newsdesk::config::{Column, Config};
use newsdesk::keymap::Keymap;
use newsdesk::layout::Focus;
use newsdesk::library::Library;
use newsdesk::line_edit::EditAction;
use newsdesk::message::Message;
use newsdesk::sort::SortOrder;
use newsdesk::ui::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn article(path: &str, title: &str, date: Option<(i32, u8, u8)>, body: &str) -> Article {
    Article {
        path: path.into(),
        title: title.into(),
        authors: vec!["Aliya Saralaeva".into(), "Daniyar Kassymov".into()].into(),
        date: date.and_then(|(y, m, d)| Date::new(y, m, d)),
        locations: vec!["Kazakhstan".into(), "Kyrgyzstan".into()].into(),
        source_url: Some(format!("https://news.example.org/{path}").into()),
        text: Text::boxed("", vec![Block::paragraph(body)]),
    }
}

/// Reuters-like: undated, numbered paths.
fn undated() -> Vec<Article> {
    [10, 2, 1, 100, 3]
        .into_iter()
        .map(|n| {
            article(
                &format!("reuters-{n}"),
                &format!("Grain shipments report number {n} from the Black Sea ports"),
                None,
                "water talks water",
            )
        })
        .collect()
}

fn dated() -> Vec<Article> {
    vec![
        article("a", "Zinc mines reopen", Some((2003, 1, 5)), "water once"),
        article(
            "b",
            "Apples and water talks",
            Some((2004, 2, 1)),
            "water water water",
        ),
        article("c", "Melons", Some((2002, 3, 1)), "talks"),
    ]
}

fn app_with(articles: Vec<Article>, config: &Config, size: (u16, u16)) -> App {
    let library = Library {
        root: "/archive".into(),
        articles,
        problems: Vec::new(),
    };
    App::new(library, config, Keymap::from_config(config).unwrap(), size)
}

fn app(articles: Vec<Article>) -> App {
    app_with(articles, &Config::defaults(), (120, 30))
}

fn paths(app: &App) -> Vec<String> {
    app.visible()
        .iter()
        .map(|&i| app.articles()[i].path.display().to_string())
        .collect()
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size().0, app.size().1)).unwrap();
    terminal.draw(|f| render(app, f)).unwrap();
    terminal.backend().to_string()
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Message::Type(c));
    }
}

#[test]
fn undated_articles_are_in_natural_path_order() {
    let app = app(undated());
    assert_eq!(
        paths(&app),
        [
            "reuters-1",
            "reuters-2",
            "reuters-3",
            "reuters-10",
            "reuters-100"
        ]
    );
}

#[test]
fn the_sort_key_cycles_the_orders_and_keeps_the_selection() {
    let mut app = app(dated());
    assert_eq!(app.sort_order(), SortOrder::Newest);
    assert_eq!(paths(&app), ["b", "a", "c"]);
    app.update(Message::SelectNext);
    let chosen = app.list().selected_article();
    app.update(Message::CycleSort);
    assert_eq!(app.sort_order(), SortOrder::Oldest);
    assert_eq!(paths(&app), ["c", "a", "b"]);
    assert_eq!(
        app.list().selected_article(),
        chosen,
        "same article selected"
    );
    assert_eq!(app.notice(), Some("sorted oldest first"));
    app.update(Message::CycleSort);
    assert_eq!(paths(&app), ["b", "c", "a"], "by title");
    app.update(Message::CycleSort);
    app.update(Message::CycleSort);
    assert_eq!(app.sort_order(), SortOrder::Path);
    assert_eq!(paths(&app), ["a", "b", "c"]);
    app.update(Message::CycleSort);
    assert_eq!(
        app.sort_order(),
        SortOrder::Newest,
        "no words: relevance skipped"
    );
    assert!(
        screen(&app).contains("Articles · newest first"),
        "{}",
        screen(&app)
    );
}

#[test]
fn relevance_ranks_by_the_query_words_and_yields_without_them() {
    let mut app = app(dated());
    app.set_sort(SortOrder::Relevance);
    assert_eq!(app.sort_order(), SortOrder::Newest, "no words yet");
    app.set_search("water");
    assert_eq!(app.sort_order(), SortOrder::Relevance);
    // b has water three times and in its title; a once; c not at all.
    assert_eq!(paths(&app), ["b", "a"]);
    app.set_search("");
    assert_eq!(paths(&app), ["b", "a", "c"]);
}

#[test]
fn the_configured_order_and_columns_are_used() {
    let text = "[list]\nsort = \"path\"\ncolumns = [\"date\", \"title\", \"authors\"]\n";
    let config = Config::from_text(text, Some(std::path::Path::new("/x/config.toml"))).unwrap();
    assert_eq!(config.list.sort, SortOrder::Path);
    assert_eq!(
        config.list.columns,
        [Column::Date, Column::Title, Column::Authors]
    );
    let app = app_with(dated(), &config, (120, 30));
    assert_eq!(paths(&app), ["a", "b", "c"]);
    let bad = "[list]\ncolumns = [\"title\", \"title\"]\n";
    let err = Config::from_text(bad, Some(std::path::Path::new("/x/config.toml")))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/x/config.toml:2:"), "{err}");
    assert!(err.contains("names \"title\" twice"), "{err}");
}

#[test]
fn the_prompt_edits_like_a_shell() {
    let mut app = app(dated());
    app.update(Message::Search);
    type_text(&mut app, "water talks");
    let line = |app: &App| match app.prompt() {
        Some(Prompt::Search { line, .. }) => (line.text().to_owned(), line.cursor()),
        _ => panic!("no search prompt"),
    };
    app.update(Message::Edit(EditAction::WordLeft));
    assert_eq!(line(&app), ("water talks".into(), 6));
    app.update(Message::Edit(EditAction::DeleteToStart));
    assert_eq!(line(&app), ("talks".into(), 0));
    assert_eq!(app.filter().search, "talks", "the filter follows the line");
    assert_eq!(paths(&app), ["b", "c"]);
    type_text(&mut app, "title:apples ");
    assert_eq!(line(&app), ("title:apples talks".into(), 13));
    assert_eq!(paths(&app), ["b"]);
    app.update(Message::Edit(EditAction::End));
    app.update(Message::Edit(EditAction::DeleteWordBack));
    assert_eq!(line(&app).0, "title:apples ");
    app.update(Message::Edit(EditAction::Home));
    app.update(Message::Edit(EditAction::DeleteToEnd));
    assert_eq!(line(&app), (String::new(), 0));
    assert_eq!(paths(&app).len(), 3);
    // The cursor is drawn where it is.
    type_text(&mut app, "ab");
    app.update(Message::Edit(EditAction::Left));
    assert!(screen(&app).contains("/a▏b"), "{}", screen(&app));
}

#[test]
fn up_and_down_walk_the_history_of_queries() {
    let mut app = app(dated());
    app.restore_history(vec!["melons".into()]);
    for q in ["water", "talks"] {
        app.update(Message::Search);
        app.update(Message::Edit(EditAction::DeleteToStart));
        type_text(&mut app, q);
        app.update(Message::Submit);
    }
    assert_eq!(app.history(), ["melons", "water", "talks"]);
    app.update(Message::Search);
    app.update(Message::Edit(EditAction::DeleteToStart));
    type_text(&mut app, "zi");
    app.update(Message::HistoryBack);
    assert_eq!(app.filter().search, "talks");
    app.update(Message::HistoryBack);
    app.update(Message::HistoryBack);
    assert_eq!(app.filter().search, "melons");
    assert_eq!(paths(&app), ["c"], "the query from history runs");
    app.update(Message::HistoryBack);
    assert_eq!(app.filter().search, "melons", "the oldest stays");
    app.update(Message::HistoryForward);
    app.update(Message::HistoryForward);
    app.update(Message::HistoryForward);
    assert_eq!(app.filter().search, "zi", "back to what was typed");
    app.update(Message::Back);
    assert_eq!(app.filter().search, "talks", "Esc: the search before");
    let many: Vec<String> = (0..150).map(|i| format!("q{i}")).collect();
    app.restore_history(many);
    assert_eq!(app.history().len(), 100);
}

#[test]
fn esc_in_the_list_clears_a_kept_search() {
    let mut app = app(dated());
    app.update(Message::Search);
    type_text(&mut app, "melons");
    app.update(Message::Submit);
    assert_eq!(paths(&app), ["c"]);
    assert_eq!(app.focus(), Focus::List);
    app.update(Message::Back);
    assert_eq!(app.filter().search, "");
    assert_eq!(paths(&app).len(), 3);
    assert_eq!(app.notice(), Some("search cleared"));
}

#[test]
fn n_counts_the_matches_and_stays_at_the_last() {
    let mut app = app(dated());
    app.set_search("water");
    // b (three in the body, one in the title), then a.
    app.update(Message::NextMatch);
    let counter = newsdesk::ui::status::match_counter(&app);
    let total = app.reader().matches().len();
    assert!(total >= 3, "{total}");
    assert_eq!(
        counter.as_deref(),
        Some(format!("match 1 of {total} in this article · article 1 of 2").as_str())
    );
    for _ in 1..total {
        app.update(Message::NextMatch);
    }
    assert_eq!(app.reader().current_match(), Some(total - 1));
    app.update(Message::NextMatch);
    assert!(
        newsdesk::ui::status::match_counter(&app)
            .is_some_and(|c| c.starts_with("match 1 of") && c.ends_with("article 2 of 2")),
        "on to the next article"
    );
    let in_a = app.reader().matches().len();
    for _ in 1..in_a {
        app.update(Message::NextMatch);
    }
    let before = (app.reader().article(), app.reader().current_match());
    app.update(Message::NextMatch);
    assert_eq!(app.notice(), Some("no more matches after this one"));
    assert_eq!(
        (app.reader().article(), app.reader().current_match()),
        before,
        "stays where it is"
    );
    assert!(screen(&app).contains(&format!("match {in_a} of {in_a} in this article")));
}

#[test]
fn the_current_match_has_its_own_style() {
    let mut app = app(dated());
    app.set_search("water");
    app.update(Message::NextMatch);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|f| render(&app, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let theme = app.theme();
    let styled = |style: ratatui::style::Style| {
        buffer
            .content()
            .iter()
            .filter(|c| Some(c.bg) == style.bg && c.symbol() != " ")
            .count()
    };
    assert_eq!(styled(theme.current_match), "water".len(), "one match");
    assert!(styled(theme.match_highlight) >= "water".len(), "the others");
}

fn list_screen(articles: Vec<Article>, columns: &str, size: (u16, u16)) -> String {
    let text = format!("[list]\ncolumns = {columns}\n[layout]\nshow_regions = false\n");
    let config = Config::from_text(&text, Some(std::path::Path::new("/x/config.toml"))).unwrap();
    screen(&app_with(articles, &config, size))
}

const ALL_COLUMNS: &str = r#"["date", "title", "authors", "tags", "source"]"#;
const DEFAULT_COLUMNS: &str = r#"["title", "date", "tags"]"#;

#[test]
fn list_columns_at_80_and_160_with_and_without_dates() {
    for (name, articles) in [
        ("dated", dated as fn() -> Vec<Article>),
        ("undated", undated),
    ] {
        for width in [80, 160] {
            for (cols, columns) in [("all", ALL_COLUMNS), ("default", DEFAULT_COLUMNS)] {
                let shown = list_screen(articles(), columns, (width, 8));
                insta::assert_snapshot!(format!("list_{cols}_{name}_{width}"), shown);
            }
        }
    }
    let undated = list_screen(undated(), DEFAULT_COLUMNS, (160, 8));
    assert!(
        undated.contains("Grain shipments report number 1 from the Black Sea ports"),
        "the title takes the date's room: {undated}"
    );
}

mod common;

#[test]
fn list_sorts_on_the_command_line() {
    let paths_of = |args: &[&str]| -> Vec<String> {
        let o = common::newsdesk(args);
        assert_eq!(o.status.code(), Some(0), "{}", common::both(&o));
        common::json_lines(&o)
            .iter()
            .map(|v| v["path"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let dir = "tests/fixtures/sort";
    assert_eq!(
        paths_of(&["list", dir, "--json"]),
        [
            "dated.txt",
            "reuters-1.txt",
            "reuters-2.txt",
            "reuters-10.txt"
        ],
        "newest first, undated in natural path order"
    );
    assert_eq!(
        paths_of(&["list", dir, "--json", "--sort", "path"]),
        [
            "dated.txt",
            "reuters-1.txt",
            "reuters-2.txt",
            "reuters-10.txt"
        ]
    );
    assert_eq!(
        paths_of(&["list", dir, "--json", "--sort", "title"]),
        [
            "dated.txt",
            "reuters-1.txt",
            "reuters-10.txt",
            "reuters-2.txt"
        ],
        "titles: Apples, Grain report 1, 10, 2 (titles compare as text)"
    );
    let o = common::newsdesk(&["list", dir, "--sort", "popular"]);
    assert_eq!(o.status.code(), Some(2), "{}", common::both(&o));
    assert!(common::both(&o).contains("give one of newest, oldest"));
}

#[test]
fn with_the_index_ready_it_answers_the_words_and_the_relevance_order() {
    use newsdesk::index::{IndexJob, TextIndex};
    use newsdesk::message::Job;
    let dir = tempfile::tempdir().unwrap();
    // The index holds other text for "c" than the reader does: what the
    // list and its order show says which of the two answered.
    let mut indexed = dated();
    indexed[2].text_mut().body[0].text = "water water water water water".into();
    let (index, _) = TextIndex::open(dir.path()).unwrap();
    index.build(&indexed, |_| {}).unwrap();
    let mut app = app(dated());
    app.set_sort(SortOrder::Relevance);
    app.set_search("water");
    assert_eq!(paths(&app), ["b", "a"], "the scan, before the index");
    app.update(Job::Index(IndexJob::Ready(std::sync::Arc::new(index))));
    assert_eq!(
        paths(&app),
        ["c", "b", "a"],
        "the index's matches, by its scores"
    );
}

#[test]
fn while_the_index_builds_the_status_bar_says_how_far_and_searches_scan() {
    use newsdesk::index::{IndexJob, TextIndex};
    use newsdesk::message::Job;
    let mut app = app(dated());
    app.update(Job::Index(IndexJob::Progress {
        done: 41,
        total: 100,
    }));
    let last_row = |app: &App| screen(app).lines().last().unwrap_or_default().to_owned();
    assert!(
        last_row(&app).contains("indexing 41%"),
        "{}",
        last_row(&app)
    );
    app.set_search("water");
    assert_eq!(paths(&app), ["b", "a"], "the scan answers meanwhile");
    app.update(Job::Index(IndexJob::Progress {
        done: 97,
        total: 100,
    }));
    assert!(
        last_row(&app).contains("indexing 97%"),
        "{}",
        last_row(&app)
    );
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = TextIndex::open(dir.path()).unwrap();
    index.build(dated(), |_| {}).unwrap();
    app.update(Job::Index(IndexJob::Ready(std::sync::Arc::new(index))));
    assert!(!last_row(&app).contains("indexing"), "{}", last_row(&app));
    assert_eq!(paths(&app), ["b", "a"], "the index, the same matches");
}

#[test]
fn a_reload_says_what_it_found_even_while_the_index_reports_progress() {
    use newsdesk::index::IndexJob;
    use newsdesk::message::Job;
    let mut app = app(dated());
    app.update(Job::Index(IndexJob::Progress {
        done: 41,
        total: 100,
    }));
    assert_eq!(app.notice(), Some("indexing 41%"));
    app.replace_all(dated(), Vec::new());
    assert_eq!(app.notice(), Some("reloaded: 3 articles (+0)"));
}
