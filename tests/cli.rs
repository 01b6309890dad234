//! The built binary's commands, output and exit codes.

use std::path::Path;

mod common;
use common::{both, json_lines, newsdesk, root, stdout};

#[test]
fn check_bundled_articles_is_clean() {
    let o = newsdesk(&["check", "articles"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.trim_end().ends_with("articles, 0 errors, 0 warnings"),
        "{out}"
    );
}

#[test]
fn check_reports_problems_with_exit_1_and_unreadable_with_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.txt"), "Title\n\nStandfirst.\n").unwrap();
    std::fs::write(dir.path().join("bad.md"), "+++\ntitle = \n+++\n").unwrap();
    let o = newsdesk(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("bad.md:2: error: invalid front matter"),
        "{out}"
    );
    assert!(out.contains("1 article, 1 error, 0 warnings"), "{out}");
    let o = newsdesk(&["check", "/no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no such folder"));
}

#[test]
fn list_json_has_exactly_the_fields() {
    let o = newsdesk(&["list", "tests/fixtures/good", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 3);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    let mut want = [
        "path",
        "title",
        "authors",
        "date",
        "locations",
        "source_url",
        "standfirst",
        "words",
    ];
    want.sort();
    let mut got: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(rows[0]["title"], "Good Article Two");
    assert_eq!(rows[0]["date"], "2024-05-06");
    assert_eq!(rows[2]["date"], serde_json::Value::Null);
    assert_eq!(rows[2]["path"], "sub/c.txt");
}

#[test]
fn list_filters_by_region_group_alias_and_search() {
    let titles = |args: &[&str]| -> Vec<String> {
        json_lines(&newsdesk(args))
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_owned())
            .collect()
    };
    // b.md is tagged only "Kazakstan": the alias makes it Kazakhstan, a member of Central Asia.
    assert_eq!(
        titles(&[
            "list",
            "tests/fixtures/good",
            "--json",
            "--region",
            "Kazakhstan"
        ]),
        ["Good Article Two"]
    );
    assert_eq!(
        titles(&[
            "list",
            "tests/fixtures/good",
            "--json",
            "--region",
            "central  ASIA "
        ]),
        ["Good Article Two"]
    );
    assert_eq!(
        titles(&[
            "list",
            "tests/fixtures/good",
            "--json",
            "--region",
            "georgia",
            "--region",
            "Kazakstan"
        ]),
        ["Good Article Two", "Good Article One"]
    );
    assert_eq!(
        titles(&[
            "list",
            "tests/fixtures/good",
            "--json",
            "--search",
            "NESTED"
        ]),
        ["Nested Article Three"]
    );
    let bundled = titles(&["list", "articles", "--json", "--region", "Central Asia"]);
    let again = titles(&["list", "articles", "--json", "--region", "central asia"]);
    assert_eq!(bundled, again);
    assert!(bundled.len() >= 5);
}

#[test]
fn list_search_folds_cyrillic_case() {
    let o = newsdesk(&[
        "list",
        "tests/fixtures/parse",
        "--json",
        "--search",
        "КЫРГЫЗСТАН",
    ]);
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["title"], "Кыргызстан строит дороги");
}

#[test]
fn list_text_is_aligned() {
    let out = stdout(&newsdesk(&["list", "tests/fixtures/good"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    let col = |l: &str| {
        l.find(".txt")
            .or_else(|| l.find(".md"))
            .map(|i| l[..i].rfind("  ").unwrap())
    };
    assert!(lines.iter().all(|l| col(l) == col(lines[0])), "{out}");
}

#[test]
fn regions_prints_the_place_tree() {
    let o = newsdesk(&["regions", "articles"]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "     21  World", "{out}");
    // Continents one level in, their subregions two, countries three.
    assert!(lines.contains(&"     16    Asia"), "{out}");
    assert!(lines.contains(&"     11      Central Asia"), "{out}");
    assert!(
        lines.iter().any(|l| l.ends_with("        Kazakhstan")),
        "{out}"
    );
    assert!(lines.contains(&"      1    No location"), "{out}");
}

#[test]
fn regions_json_nests_the_tree_with_codes() {
    let o = newsdesk(&["regions", "articles", "--json"]);
    let tree: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON document");
    assert_eq!(tree["name"], "World");
    assert_eq!(tree["count"], 21);
    let asia = &tree["children"][0];
    assert_eq!(
        (asia["name"].as_str(), asia["code"].as_str()),
        (Some("Asia"), Some("continent:asia"))
    );
    let central = asia["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "subregion:central_asia")
        .expect("Central Asia");
    assert_eq!(central["tags"], serde_json::json!(["central asia"]));
    let kz = central["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "KZ")
        .expect("Kazakhstan by its ISO code");
    assert_eq!(kz["name"], "Kazakhstan");
    assert!(kz["count"].as_u64().unwrap() >= 1);
}

#[test]
fn timeline_counts_per_bucket() {
    let o = newsdesk(&["timeline", "articles", "--by", "year", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    let t: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(t["granularity"], "year");
    let buckets = t["buckets"].as_array().unwrap();
    let labels: Vec<&str> = buckets
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2023", "2024", "2025"]);
    let dated: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(dated + t["undated"].as_u64().unwrap(), 21);
    // The same counts as text, and a place narrows them as in the reader.
    let text = stdout(&newsdesk(&["timeline", "articles", "--by", "year"]));
    assert!(
        text.lines()
            .any(|l| l.starts_with("2025  ") && l.contains('█')),
        "{text}"
    );
    let asia = newsdesk(&[
        "timeline", "articles", "--by", "year", "--region", "Asia", "--json",
    ]);
    let asia: serde_json::Value = serde_json::from_str(&stdout(&asia)).expect("JSON");
    let n: u64 = asia["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert!(n > 0 && n < dated, "{n} of {dated}");
    let bad = newsdesk(&["timeline", "articles", "--by", "week"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn regions_json_with_groups() {
    // The flat rows, as with `geography = false`.
    let rows = json_lines(&newsdesk(&[
        "--config",
        "tests/fixtures/config/valid/flat.toml",
        "regions",
        "articles",
        "--json",
    ]));
    let central = rows
        .iter()
        .find(|r| r["tag"] == "Central Asia")
        .expect("group row");
    assert!(
        central["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "Kazakhstan")
    );
    // The members again, each with its own count.
    let kazakhstan = (central["children"].as_array().unwrap().iter())
        .find(|m| m["tag"] == "Kazakhstan")
        .expect("member object");
    assert!(kazakhstan["count"].as_u64().unwrap() >= 1);
    assert!(kazakhstan["count"].as_u64() <= central["count"].as_u64());
    assert!(!rows.iter().any(|r| r["tag"] == "Kazakstan"));
    let plain = rows
        .iter()
        .find(|r| r["tag"] == "Russia")
        .expect("plain tag");
    assert!(plain.get("members").is_none());
    assert!(rows.last().unwrap()["tag"] == "No location");
}

#[test]
fn show_json_and_text() {
    let o = newsdesk(&["show", "tests/fixtures/parse/captions.txt", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["body"][4],
        "Engineers inspect the spillway\nPhotos: Timur Osmonov"
    );
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert_eq!(v["source_url"], "https://example.org/naryn-dam");
    let o = newsdesk(&["show", "tests/fixtures/parse/captions.txt", "--width", "30"]);
    let text = stdout(&o);
    assert!(text.starts_with("Dam Talks Resume in Naryn\n"));
    assert!(text.lines().all(|l| unicode_width(l) <= 30), "{text}");
    let o = newsdesk(&["show", "tests/fixtures/parse/nope.txt"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn show_takes_a_path_as_list_prints_it_and_names_a_missing_file() {
    // The shipped config.toml in the working folder names `articles`.
    let listed = json_lines(&newsdesk(&["list", "--json"]));
    let path = listed[0]["path"].as_str().unwrap().to_owned();
    assert!(
        !Path::new(&path).exists(),
        "{path} is relative to the archive"
    );
    let o = newsdesk(&["show", &path, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::both(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["title"], listed[0]["title"]);
    let o = newsdesk(&["show", "articles/no-such-story.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no such file: articles/no-such-story.txt"),
        "{err}"
    );
}

fn unicode_width(s: &str) -> usize {
    newsdesk::page::display_width(s)
}

#[test]
fn seed_through_show_json() {
    let seed = root().join("../shared/seeds/000_5937e69cfba3e3de.txt");
    if !Path::new(&seed).exists() {
        println!("skipped: ../shared/seeds is absent");
        return;
    }
    let v: serde_json::Value = serde_json::from_str(&stdout(&newsdesk(&[
        "show",
        seed.to_str().unwrap(),
        "--json",
    ])))
    .unwrap();
    assert_eq!(v["title"], "Kyrgyzstan Sticks Close to Russia");
    assert_eq!(v["authors"], serde_json::json!(["Leila Saralaeva"]));
    assert_eq!(
        v["locations"],
        serde_json::json!(["Central Asia", "Uzbekistan", "Turkmenistan", "Tajikistan"])
    );
    assert_eq!(
        v["source_url"],
        "https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia"
    );
    assert_eq!(v["body"].as_array().unwrap().len(), 20);
}

#[test]
fn help_and_version() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["list", "--help"],
        &["regions", "--help"],
        &["show", "--help"],
        &["config", "--help"],
    ] {
        let o = newsdesk(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(stdout(&o).contains("Usage:"));
    }
    assert!(stdout(&newsdesk(&["--version"])).starts_with("newsdesk "));
}

#[test]
fn config_print_default_equals_shipped_file() {
    let o = newsdesk(&["config", "--print-default"]);
    let shipped = std::fs::read_to_string(root().join("config.toml")).unwrap();
    assert_eq!(stdout(&o), shipped);
    assert!(toml::from_str::<toml::Table>(&stdout(&o)).is_ok());
}

#[test]
fn bad_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "mouse = true\nfrobnicate = 1\n").unwrap();
    let o = newsdesk(&["--config", cfg.to_str().unwrap(), "check", "articles"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("c.toml:2:1") && err.contains("frobnicate"),
        "{err}"
    );
}

#[test]
fn bad_folder_lists_every_good_article_and_check_names_every_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good1.txt"), "First Good\n\nStandfirst.\n").unwrap();
    std::fs::create_dir(d.join("deep")).unwrap();
    std::fs::write(
        d.join("deep/good2.md"),
        "+++\ntitle = \"Second Good\"\n+++\nText.\n",
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(d.join("binary.txt"), b"\x00\x01\x02").unwrap();
    std::fs::write(d.join("front.md"), "+++\ntitle = [\n+++\n").unwrap();
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("broken.txt")).unwrap();
    std::os::unix::fs::symlink(d, d.join("deep/loop")).unwrap();
    let path = d.to_str().unwrap();
    let listed = json_lines(&newsdesk(&["list", path, "--json"]));
    let mut titles: Vec<&str> = listed
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, ["First Good", "Second Good"]);
    let o = newsdesk(&["check", path]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for name in [
        "empty.txt",
        "binary.txt",
        "front.md:2",
        "broken.txt",
        "deep/loop",
    ] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
    assert!(out.contains("2 articles, 4 errors, 1 warning"), "{out}");
}

#[test]
fn list_query_does_what_it_says_and_a_bad_query_exits_2() {
    let out = newsdesk(&[
        "list",
        "articles",
        "--json",
        "--query",
        "tag:\"Central Asia\" author:toktorov after:2023-01-01 -russia",
    ]);
    assert!(out.status.success(), "{}", common::both(&out));
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 1, "{}", common::both(&out));
    assert_eq!(rows[0]["path"], "001_bishkek-water-talks.txt");
    let bad = newsdesk(&["list", "articles", "--query", "water auther:toktorov"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("column 7") && err.contains("did you mean author:?"),
        "{err}"
    );
    assert!(
        bad.stdout.is_empty(),
        "nothing listed for a query that cannot be read"
    );
}

#[test]
fn list_and_timeline_take_a_saved_view() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let articles = root().join("articles");
    std::fs::write(
        &config,
        format!(
            "articles = {:?}\n[[views]]\nname = \"Water in CA\"\nquery = 'tag:\"Central Asia\" author:toktorov OR water'\n",
            articles.display().to_string()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let by_view = newsdesk(&[
        "--config",
        config,
        "list",
        "--view",
        "water in ca",
        "--json",
    ]);
    assert!(by_view.status.success(), "{}", both(&by_view));
    let by_query = newsdesk(&[
        "--config",
        config,
        "list",
        "--json",
        "--query",
        "tag:\"Central Asia\" author:toktorov OR water",
    ]);
    assert_eq!(json_lines(&by_view), json_lines(&by_query));
    assert!(!json_lines(&by_view).is_empty(), "{}", both(&by_view));
    // --query narrows the view (the view's ORs stay inside it).
    let both_ways = newsdesk(&[
        "--config",
        config,
        "list",
        "--json",
        "--view",
        "Water in CA",
        "--query=-water",
    ]);
    assert!(both_ways.status.success(), "{}", both(&both_ways));
    assert!(json_lines(&both_ways).len() < json_lines(&by_view).len());
    let timeline = newsdesk(&[
        "--config",
        config,
        "timeline",
        "--json",
        "--view",
        "Water in CA",
    ]);
    assert!(timeline.status.success(), "{}", both(&timeline));
    let missing = newsdesk(&["--config", config, "list", "--view", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("no saved view is called \"nope\"") && err.contains("Water in CA"),
        "{err}"
    );
}

#[test]
fn config_check_reports_a_bad_view_query() {
    let o = newsdesk(&[
        "config",
        "--check",
        "tests/fixtures/config/invalid/bad_view_query.toml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad_view_query.toml:4:9: view \"Water\": query, column 7"),
        "{err}"
    );
}

/// `index` into a log: the result line, and no progress figures (those
/// are for a terminal, a figure at a time).
#[test]
fn index_into_a_pipe_prints_its_result_without_progress() {
    let cache = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["index", "--rebuild", "articles"])
        .current_dir(root())
        .env_remove("NEWSDESK_CONFIG")
        .env("XDG_CACHE_HOME", cache.path())
        .env(
            "XDG_CONFIG_HOME",
            root().join("tests/fixtures/no-such-config-home"),
        )
        .output()
        .expect("binary runs");
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    assert!(stdout(&o).contains(" articles indexed in "), "{}", both(&o));
    assert!(o.stderr.is_empty(), "{}", both(&o));
}
