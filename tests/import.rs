//! `newsdesk import`: fixture feeds of our own (RSS 2.0, Atom, JSON Feed, OPML,
//! a broken one) imported into temporary folders, then read back with
//! `newsdesk check` and `list --json`; and feeds served over HTTP by a server
//! the test starts on 127.0.0.1, a slow one and a missing one among them.
#![cfg(feature = "import")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;
use common::{both, json_lines, newsdesk, root, stdout};

fn feeds() -> PathBuf {
    root().join("tests/fixtures/feeds")
}

fn fixture(name: &str) -> String {
    feeds().join(name).display().to_string()
}

/// Article files under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

fn list_json(dir: &Path) -> Vec<serde_json::Value> {
    let o = newsdesk(&["list", "--json", &dir.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    json_lines(&o)
}

fn assert_check_clean(dir: &Path, articles: usize) {
    let o = newsdesk(&["check", &dir.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    assert_eq!(
        stdout(&o).trim(),
        format!("{articles} articles, 0 errors, 0 warnings")
    );
}

/// One expected article: title, date, authors, locations, source URL, file.
struct Expected(
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
);

fn assert_articles(dir: &Path, expected: &[Expected]) {
    let listed = list_json(dir);
    assert_eq!(listed.len(), expected.len(), "{listed:#?}");
    for Expected(title, date, authors, locations, url, file) in expected {
        let a = listed
            .iter()
            .find(|a| a["source_url"] == *url)
            .unwrap_or_else(|| panic!("no article from {url} in {listed:#?}"));
        assert_eq!(a["title"], *title);
        assert_eq!(a["date"], *date);
        assert_eq!(a["authors"], serde_json::json!(authors));
        assert_eq!(a["locations"], serde_json::json!(locations));
        assert_eq!(a["path"], *file);
        let standfirst = a["standfirst"].as_str().unwrap();
        assert!(
            !standfirst.is_empty() && !standfirst.contains('<') && !standfirst.contains("&amp;"),
            "{standfirst}"
        );
    }
}

const STEPPE: &[Expected] = &[
    Expected(
        "Grain & rail: Kostanay exporters await new freight corridor",
        "2024-03-04",
        &["Aigerim Sadykova"],
        &["Kazakhstan", "Central Asia"],
        "https://steppe.example/news/kostanay-grain-corridor",
        "steppe-wire/2024-03-04-grain-rail-kostanay-exporters-await-new-freight-corridor.txt",
    ),
    Expected(
        "Almaty’s café owners brace for early spring floods",
        "2024-03-11",
        &["Daniyar Omarov"],
        &["Kazakhstan"],
        "https://steppe.example/news/almaty-cafe-floods",
        "steppe-wire/2024-03-11-almatys-café-owners-brace-for-early-spring-floods.txt",
    ),
    Expected(
        "Bishkek book fair draws record crowds",
        "2024-03-22",
        &["Nurlan Tokonov"],
        &["Kyrgyzstan", "Central Asia"],
        "https://steppe.example/news/bishkek-book-fair",
        "steppe-wire/2024-03-22-bishkek-book-fair-draws-record-crowds.txt",
    ),
];

const CAUCASUS: &[Expected] = &[
    Expected(
        "Tbilisi wine exports climb as new markets open",
        "2024-04-03",
        &["Nino Beridze"],
        &["Georgia", "South Caucasus"],
        "https://caucasus.example/2024/04/tbilisi-wine-exports",
        "caucasus-notes/2024-04-03-tbilisi-wine-exports-climb-as-new-markets-open.txt",
    ),
    Expected(
        "Yerevan council approves new tram line",
        "2024-04-12",
        &["Armen Hakobyan"],
        &["Armenia"],
        "https://caucasus.example/2024/04/yerevan-tram-line",
        "caucasus-notes/2024-04-12-yerevan-council-approves-new-tram-line.txt",
    ),
    Expected(
        "Late snow closes mountain pass between Georgia and Armenia",
        "2024-04-21",
        &["Levan Kapanadze", "Ani Grigoryan"],
        &["Georgia", "Armenia", "South Caucasus"],
        "https://caucasus.example/2024/04/pass-closed-snow",
        "caucasus-notes/2024-04-21-late-snow-closes-mountain-pass-between-georgia-and-armenia.txt",
    ),
];

const DANUBE: &[Expected] = &[
    Expected(
        "Constanța port traffic rises for third month",
        "2024-05-02",
        &["Ioana Marinescu"],
        &["Romania"],
        "https://danube.example/2024/05/constanta-port-traffic",
        "danube-daily/2024-05-02-constanța-port-traffic-rises-for-third-month.txt",
    ),
    Expected(
        "Chișinău prepares for by-elections in two districts",
        "2024-05-14",
        &["Victor Ceban", "Elena Rusu"],
        &["Moldova", "Eastern Europe"],
        "https://danube.example/2024/05/chisinau-local-elections",
        "danube-daily/2024-05-14-chișinău-prepares-for-by-elections-in-two-districts.txt",
    ),
    Expected(
        "Ruse river festival returns after two-year pause",
        "2024-05-27",
        &["Petar Dimitrov"],
        &["Bulgaria", "Eastern Europe"],
        "https://danube.example/2024/05/ruse-river-festival",
        "danube-daily/2024-05-27-ruse-river-festival-returns-after-two-year-pause.txt",
    ),
];

/// Imports one fixture feed, checks every field, imports it again.
fn import_twice(feed: &str, title: &str, expected: &[Expected]) {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("archive");
    let into_arg = into.display().to_string();
    let o = newsdesk(&["import", &fixture(feed), "--into", &into_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!("[1/1] {title}: 3 new, 0 already in the archive")),
        "{out}"
    );
    assert!(out.contains("imported 3 new articles into"), "{out}");
    assert_eq!(files(&into).len(), 3, "{:?}", files(&into));
    assert_check_clean(&into, 3);
    assert_articles(&into, expected);

    let before = files(&into);
    let again = newsdesk(&["import", &fixture(feed), "--into", &into_arg]);
    assert_eq!(again.status.code(), Some(0), "{}", both(&again));
    assert!(
        stdout(&again).contains(&format!("{title}: 0 new, 3 already in the archive")),
        "{}",
        stdout(&again)
    );
    assert_eq!(files(&into), before, "a second import wrote files");
}

#[test]
fn rss_feed_imports_once() {
    import_twice("rss.xml", "Steppe Wire", STEPPE);
}

#[test]
fn atom_feed_imports_once() {
    import_twice("atom.xml", "Caucasus Notes", CAUCASUS);
}

#[test]
fn json_feed_imports_once() {
    import_twice("feed.json", "Danube Daily", DANUBE);
}

#[test]
fn html_is_turned_into_text() {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().display().to_string();
    let o = newsdesk(&["import", &fixture("rss.xml"), "--into", &into]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    let text = std::fs::read_to_string(tmp.path().join(
        "steppe-wire/2024-03-04-grain-rail-kostanay-exporters-await-new-freight-corridor.txt",
    ))
    .unwrap();
    // Paragraphs are kept, one line each; links are their text; no tag or entity.
    assert!(
        text.contains(
            "\n\n\"We have the grain & we have the buyers,\" said one cooperative manager."
        ),
        "{text}"
    );
    assert!(
        text.contains("published on the regional tender portal."),
        "{text}"
    );
    let (body, footer) = text.split_once("Source URL:").unwrap();
    for leftover in ["<", "&amp;", "&quot;", "&nbsp;", "&#", "CDATA", "href"] {
        assert!(!body.contains(leftover), "{leftover} left in:\n{text}");
    }
    assert_eq!(
        footer,
        " <https://steppe.example/news/kostanay-grain-corridor>\n"
    );
}

#[test]
fn opml_list_imports_every_feed_in_a_folder_each() {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().join("archive");
    let o = newsdesk(&[
        "import",
        &fixture("list.opml"),
        "--into",
        &into.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    assert!(
        stdout(&o).contains("list.opml: lists 3 feeds"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("imported 9 new articles"),
        "{}",
        stdout(&o)
    );
    assert_check_clean(&into, 9);
    let all: Vec<Expected> = [STEPPE, CAUCASUS, DANUBE]
        .into_iter()
        .flatten()
        .map(|e| Expected(e.0, e.1, e.2, e.3, e.4, e.5))
        .collect();
    assert_articles(&into, &all);
}

#[test]
fn a_broken_feed_is_reported_and_the_others_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let into = tmp.path().display().to_string();
    let broken = fixture("broken.xml");
    let o = newsdesk(&["import", &broken, &fixture("rss.xml"), "--into", &into]);
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "{broken}: failed: not a readable RSS, Atom or JSON feed"
        )),
        "{out}"
    );
    assert!(out.contains("Steppe Wire: 3 new"), "{out}");
    assert!(out.contains("1 of 2 feeds failed"), "{out}");
    assert_check_clean(tmp.path(), 3);

    let missing = newsdesk(&["import", "no/such/feed.xml", "--into", &into]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stdout(&missing).contains("no/such/feed.xml: failed: no such file; check the path"),
        "{}",
        stdout(&missing)
    );
}

#[test]
fn configured_feeds_import_with_their_tags_and_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(feeds().join("atom.xml"), tmp.path().join("atom.xml")).unwrap();
    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        "articles = \"news\"\n\n[[feeds]]\nurl = \"atom.xml\"\ntags = [\"Caucasus Desk\", \"georgia\"]\nname = \"Notes\"\n",
    )
    .unwrap();
    let o = newsdesk(&["--config", &config.display().to_string(), "import"]);
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    let news = tmp.path().join("news");
    assert_eq!(files(&news).len(), 3);
    assert!(
        files(&news).iter().all(|f| f.starts_with("notes/")),
        "{:?}",
        files(&news)
    );
    let listed = list_json(&news);
    let pass = listed
        .iter()
        .find(|a| a["title"] == "Late snow closes mountain pass between Georgia and Armenia")
        .unwrap();
    // The feed's tags follow the item's own; one already there is not repeated.
    assert_eq!(
        pass["locations"],
        serde_json::json!(["Georgia", "Armenia", "South Caucasus", "Caucasus Desk"])
    );
}

#[test]
fn nothing_to_import_says_how_to_add_feeds() {
    let o = newsdesk(&["import"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no feeds to import"), "{err}");
    assert!(err.contains("[[feeds]]"), "{err}");
}

/// A feed server on 127.0.0.1: `/slow` answers after 5 s, unknown paths 404,
/// anything else is served from the fixture folder.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let mut stream = &stream;
                if path == "/slow" {
                    std::thread::sleep(Duration::from_secs(5));
                }
                let body = std::fs::read(feeds().join(path.trim_start_matches('/')));
                let response = match body {
                    Ok(body) => {
                        let mut r = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend(body);
                        r
                    }
                    Err(_) => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&response);
            });
        }
    });
    address
}

#[test]
fn feeds_over_http_with_a_timeout() {
    let server = serve();
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, "[import]\ntimeout = 1\n").unwrap();
    let into = tmp.path().join("archive").display().to_string();
    let (rss, slow, missing) = (
        format!("{server}/rss.xml"),
        format!("{server}/slow"),
        format!("{server}/missing.xml"),
    );
    let o = newsdesk(&[
        "--config",
        &config.display().to_string(),
        "import",
        &rss,
        &slow,
        &missing,
        "--into",
        &into,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let out = stdout(&o);
    assert!(out.contains("Steppe Wire: 3 new"), "{out}");
    assert!(
        out.contains(&format!("{slow}: failed: no answer within 1 s (timed out)")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{missing}: failed: the server answered HTTP 404")),
        "{out}"
    );
    assert!(out.contains("2 of 3 feeds failed"), "{out}");
    assert_check_clean(Path::new(&into), 3);

    // An OPML list fetched over HTTP names its feeds relative to itself.
    let again = newsdesk(&["import", &format!("{server}/list.opml"), "--into", &into]);
    assert_eq!(again.status.code(), Some(0), "{}", both(&again));
    let out = stdout(&again);
    assert!(
        out.contains("Steppe Wire: 0 new, 3 already in the archive"),
        "{out}"
    );
    assert!(out.contains("imported 6 new articles"), "{out}");
    assert_check_clean(Path::new(&into), 9);

    // A list on the web names feeds by absolute path on its server, and may
    // not make the importer read a local file.
    let remote = newsdesk(&["import", &format!("{server}/remote.opml"), "--into", &into]);
    assert_eq!(remote.status.code(), Some(1), "{}", both(&remote));
    let out = stdout(&remote);
    assert!(
        out.contains("Steppe Wire: 0 new, 3 already in the archive"),
        "{out}"
    );
    assert!(
        out.contains(
            "file:///etc/hostname: failed: a list fetched from the web may only name http(s) feeds"
        ),
        "{out}"
    );
}

#[test]
fn items_without_an_address_are_known_by_their_feed_id() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = tmp.path().join("notes.xml");
    std::fs::write(
        &feed,
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Desk notes</title>
        <item><title>Bulletin</title><guid isPermaLink="false">desk-1</guid><description>First.</description></item>
        <item><title>Bulletin</title><guid isPermaLink="false">desk-2</guid><description>Second.</description></item>
        </channel></rss>"#,
    )
    .unwrap();
    let into = tmp.path().join("archive");
    let args = [
        "import",
        feed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ];
    let first = newsdesk(&args);
    assert!(
        stdout(&first).contains("Desk notes: 2 new"),
        "{}",
        both(&first)
    );
    assert_check_clean(&into, 2);
    // Same title, same (import) date: two files, not one "already there".
    assert_eq!(files(&into).len(), 2, "{:?}", files(&into));
    let again = newsdesk(&args);
    assert!(
        stdout(&again).contains("Desk notes: 0 new, 2 already in the archive"),
        "{}",
        both(&again)
    );
    // Known by id, not by file name: renaming the files changes nothing.
    for f in files(&into) {
        let from = into.join(&f);
        std::fs::rename(
            &from,
            from.with_file_name(format!(
                "renamed-{}",
                from.file_name().unwrap().to_string_lossy()
            )),
        )
        .unwrap();
    }
    let third = newsdesk(&args);
    assert!(
        stdout(&third).contains("0 new, 2 already"),
        "{}",
        both(&third)
    );
}
