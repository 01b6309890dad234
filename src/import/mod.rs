//! `newsdesk import`: feeds (RSS 2.0, Atom, JSON Feed, or OPML lists of them)
//! into the archive, one plain-export file per item, in a folder per feed,
//! never the same item twice. A feed that fails is reported and the rest go on.

pub mod convert;
pub mod fetch;
pub mod html;
pub mod opml;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crate::article::Date;
use crate::library::{self, LoadOptions};

/// A feed to import: where it is, and what its items get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSource {
    /// A file path or an http(s) address, of a feed or an OPML list.
    pub location: String,
    /// Location tags added to every item.
    pub tags: Vec<String>,
    /// The folder name to use (else one from the feed's title).
    pub name: Option<String>,
    /// A title to fall back on (from an OPML outline) when the feed has none.
    pub fallback_title: Option<String>,
}

impl FeedSource {
    /// A source with no settings.
    pub fn new(location: impl Into<String>) -> FeedSource {
        FeedSource {
            location: location.into(),
            tags: Vec::new(),
            name: None,
            fallback_title: None,
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The archive folder the feed folders go in.
    pub into: PathBuf,
    /// How long one address may take, start to end.
    pub timeout: Duration,
    /// The date given to items that have none.
    pub today: Date,
    /// Feeds fetched at once.
    pub parallel: usize,
}

/// What happened to one feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedReport {
    /// Where it was read from.
    pub location: String,
    /// Its title (or the location, when it has none).
    pub title: String,
    /// The files written, relative to the archive folder.
    pub written: Vec<PathBuf>,
    /// Items already in the archive (same source URL), not written again.
    pub already: usize,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// What `import` tells as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Fetching this many more feeds (OPML lists add to the count).
    Fetching(usize),
    /// An OPML list (one of the feeds counted) named this many feeds.
    Listed {
        /// The list's location.
        location: String,
        /// Feeds in it.
        feeds: usize,
    },
    /// One feed is done (or failed).
    Done(FeedReport),
}

/// The whole import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Each feed, in the order they finished.
    pub feeds: Vec<FeedReport>,
}

impl Report {
    /// Articles written.
    pub fn written(&self) -> usize {
        self.feeds.iter().map(|f| f.written.len()).sum()
    }
    /// Items skipped as already in the archive.
    pub fn already(&self) -> usize {
        self.feeds.iter().map(|f| f.already).sum()
    }
    /// Feeds that failed.
    pub fn failed(&self) -> usize {
        self.feeds.iter().filter(|f| f.error.is_some()).count()
    }
}

/// Today's date (UTC), for items without one.
pub fn today() -> Date {
    use chrono::Datelike;
    let now = chrono::Utc::now();
    Date::new(now.year(), now.month() as u8, now.day() as u8).unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// The source URLs of the articles already in `into`.
fn known_urls(into: &Path) -> Result<HashSet<String>, String> {
    let library = library::load(into, &LoadOptions::default()).map_err(|e| e.to_string())?;
    let mut known = HashSet::new();
    for article in library.articles {
        match article.source_url {
            Some(u) => {
                known.insert(convert::normalize_url(&u).unwrap_or(u));
            }
            None => known.extend(
                article
                    .extra
                    .into_iter()
                    .filter(|f| f.key.eq_ignore_ascii_case(convert::FEED_ID))
                    .map(|f| format!("{}:{}", convert::FEED_ID, f.value)),
            ),
        }
    }
    Ok(known)
}

/// Imports every source into `options.into`. Fails as a whole only when the
/// archive folder cannot be made or read; each feed's failure is in its report.
pub fn import(
    sources: Vec<FeedSource>,
    options: &Options,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Report, String> {
    fs::create_dir_all(&options.into).map_err(|e| {
        format!(
            "{}: cannot create the archive folder ({e}); check the path given with --into",
            options.into.display()
        )
    })?;
    let mut known = known_urls(&options.into)?;
    let mut report = Report::default();
    let mut queue = sources;
    // Feeds first; the feeds OPML lists name come in a second round (a list
    // naming a list is not followed further).
    for round in 0..2 {
        if queue.is_empty() {
            break;
        }
        progress(&Progress::Fetching(queue.len()));
        let mut listed = Vec::new();
        fetch_each(&queue, options, &mut |source, fetched| {
            let done = match fetched {
                Err(error) => failed(source, error),
                Ok(bytes) if opml::is_opml(&bytes) => match opml::parse(&bytes) {
                    Err(error) => failed(source, error),
                    Ok(_) if round > 0 => failed(
                        source,
                        "an OPML list inside an OPML list; import it by itself".into(),
                    ),
                    Ok(outlines) => {
                        progress(&Progress::Listed {
                            location: source.location.clone(),
                            feeds: outlines.len(),
                        });
                        for outline in outlines {
                            match resolve(&source.location, &outline.url) {
                                Ok(location) => listed.push(FeedSource {
                                    location,
                                    tags: source.tags.clone(),
                                    name: None,
                                    fallback_title: Some(outline.title).filter(|t| !t.is_empty()),
                                }),
                                Err(error) => {
                                    let refused = failed(&FeedSource::new(outline.url), error);
                                    progress(&Progress::Done(refused.clone()));
                                    report.feeds.push(refused);
                                }
                            }
                        }
                        return;
                    }
                },
                Ok(bytes) => match feed_rs::parser::parse(bytes.as_slice()) {
                    Err(e) => failed(
                        source,
                        format!(
                            "not a readable RSS, Atom or JSON feed ({e}); check the file or address"
                        ),
                    ),
                    Ok(feed) => write_feed(&feed, source, options, &mut known),
                },
            };
            progress(&Progress::Done(done.clone()));
            report.feeds.push(done);
        });
        queue = listed;
    }
    Ok(report)
}

fn failed(source: &FeedSource, error: String) -> FeedReport {
    FeedReport {
        location: source.location.clone(),
        title: source.location.clone(),
        error: Some(error),
        ..FeedReport::default()
    }
}

/// An OPML entry's address, taken relative to the list's own place.
/// A list on the web may only name feeds on the web (never a file here).
fn resolve(list: &str, entry: &str) -> Result<String, String> {
    if fetch::is_url(list) {
        let joined = url::Url::parse(list)
            .and_then(|base| base.join(entry))
            .map_err(|e| format!("not a usable address ({e})"))?;
        return match joined.scheme() {
            "http" | "https" => Ok(joined.into()),
            other => Err(format!(
                "a list fetched from the web may only name http(s) feeds, not {other}:"
            )),
        };
    }
    let entry = entry.strip_prefix("file://").unwrap_or(entry);
    if fetch::is_url(entry) || Path::new(entry).is_absolute() {
        return Ok(entry.to_owned());
    }
    Ok(Path::new(list)
        .parent()
        .map_or_else(|| PathBuf::from(entry), |dir| dir.join(entry))
        .display()
        .to_string())
}

/// A feed's bytes, or why they could not be had.
type Fetched = Result<Vec<u8>, String>;

/// Fetches the sources a few at a time, handing each to `handle` (on this
/// thread) as soon as it arrives.
fn fetch_each(
    sources: &[FeedSource],
    options: &Options,
    handle: &mut dyn FnMut(&FeedSource, Fetched),
) {
    let next = AtomicUsize::new(0);
    let (sender, results) = mpsc::channel();
    std::thread::scope(|scope| {
        let mut spawned = 0;
        for _ in 0..options.parallel.clamp(1, sources.len().max(1)) {
            let sender = sender.clone();
            let next = &next;
            let worker = std::thread::Builder::new()
                .name(library::LOADER_THREAD.to_owned())
                .spawn_scoped(scope, move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(source) = sources.get(i) else { break };
                        let fetched = fetch::fetch(&source.location, options.timeout);
                        if sender.send((i, fetched)).is_err() {
                            break;
                        }
                    }
                });
            spawned += usize::from(worker.is_ok());
        }
        drop(sender);
        if spawned == 0 {
            // No threads to be had: one at a time, here.
            for source in sources {
                handle(source, fetch::fetch(&source.location, options.timeout));
            }
            return;
        }
        for (i, fetched) in results {
            handle(&sources[i], fetched);
        }
    });
}

/// The folder name of a feed: its `name` setting, else its title, else its place.
fn folder_name(source: &FeedSource, title: &str) -> String {
    if let Some(name) = &source.name {
        return convert::slugify(name);
    }
    if !title.is_empty() {
        return convert::slugify(title);
    }
    let place = url::Url::parse(&source.location)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| {
            Path::new(&source.location)
                .file_stem()
                .map_or("feed".into(), |s| s.to_string_lossy().into_owned())
        });
    convert::slugify(&place)
}

/// Writes the feed's new items; counts the ones already in the archive.
fn write_feed(
    feed: &feed_rs::model::Feed,
    source: &FeedSource,
    options: &Options,
    known: &mut HashSet<String>,
) -> FeedReport {
    let title = feed
        .title
        .as_ref()
        .map(|t| html::html_to_text(&t.content).replace('\n', " "))
        .filter(|t| !t.is_empty())
        .or_else(|| source.fallback_title.clone())
        .unwrap_or_default();
    let folder = PathBuf::from(folder_name(source, &title));
    let mut report = FeedReport {
        location: source.location.clone(),
        title: if title.is_empty() {
            source.location.clone()
        } else {
            title
        },
        ..FeedReport::default()
    };
    let dir = options.into.join(&folder);
    for entry in &feed.entries {
        let item = convert::convert(feed, entry, &source.tags, options.today);
        // An item is known by its address, else by its feed id, else by its file name.
        let url = item.article.source_url.clone().or_else(|| {
            item.article
                .extra
                .iter()
                .find(|f| f.key == convert::FEED_ID)
                .map(|f| format!("{}:{}", convert::FEED_ID, f.value))
        });
        if url.as_ref().is_some_and(|u| known.contains(u)) {
            report.already += 1;
            continue;
        }
        if url.is_none() && dir.join(item.file_name(1)).exists() {
            report.already += 1;
            continue;
        }
        let name = match write_new(&dir, &item.file_name(1), &item.article.to_export(), |n| {
            item.file_name(n)
        }) {
            Ok(name) => name,
            Err(e) => {
                report.error = Some(format!(
                    "cannot write into {} ({e}); check the folder's permissions and free space",
                    dir.display()
                ));
                break;
            }
        };
        if let Some(url) = url {
            known.insert(url);
        }
        report.written.push(folder.join(name));
    }
    report
}

/// Writes `text` as a new file in `dir` under the first free name of
/// `first`, `name(2)`, `name(3)`…, never replacing a file (another import may
/// be writing beside this one), through a hidden temporary file so a reader
/// watching the folder never sees half a file. Returns the name used.
fn write_new(
    dir: &Path,
    first: &str,
    text: &str,
    name: impl Fn(usize) -> String,
) -> std::io::Result<String> {
    fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(".{first}.{}.part", std::process::id()));
    let mut file = fs::File::create(&temporary)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    let mut result = Err(std::io::Error::other("no free name"));
    for n in 1..10_000 {
        let candidate = if n == 1 { first.to_owned() } else { name(n) };
        // A hard link fails when the name is taken, where a rename would replace.
        match fs::hard_link(&temporary, dir.join(&candidate)) {
            Ok(()) => {
                result = Ok(candidate);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // A filesystem without hard links: take a free name by renaming.
            Err(_) if dir.join(&candidate).exists() => continue,
            Err(e) => {
                result = fs::rename(&temporary, dir.join(&candidate))
                    .map(|()| candidate)
                    .map_err(|_| e);
                break;
            }
        }
    }
    let _ = fs::remove_file(&temporary);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let name = |n: usize| format!("a-{n}.txt");
        let first = write_new(tmp.path(), "a.txt", "one", name).unwrap();
        let second = write_new(tmp.path(), "a.txt", "two", name).unwrap();
        assert_eq!((first.as_str(), second.as_str()), ("a.txt", "a-2.txt"));
        assert_eq!(fs::read_to_string(tmp.path().join("a.txt")).unwrap(), "one");
        assert_eq!(
            fs::read_to_string(tmp.path().join("a-2.txt")).unwrap(),
            "two"
        );
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2);
    }

    #[test]
    fn list_entries_resolve_against_the_list() {
        assert_eq!(
            resolve("https://e.example/lists/a.opml", "/rss.xml").unwrap(),
            "https://e.example/rss.xml"
        );
        assert_eq!(
            resolve("https://e.example/lists/a.opml", "b.xml").unwrap(),
            "https://e.example/lists/b.xml"
        );
        assert!(resolve("https://e.example/a.opml", "file:///etc/passwd").is_err());
        assert_eq!(
            resolve("/srv/lists/a.opml", "b.xml").unwrap(),
            "/srv/lists/b.xml"
        );
        assert_eq!(
            resolve("/srv/a.opml", "file:///x/c.xml").unwrap(),
            "/x/c.xml"
        );
        assert_eq!(
            resolve("/srv/a.opml", "https://e.example/f").unwrap(),
            "https://e.example/f"
        );
    }
}
