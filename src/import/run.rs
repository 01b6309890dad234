//! Running an import: fetch each source a few at a time, follow OPML lists
//! one level, convert each new item and write it without ever replacing a file.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::{fs, io};

use super::fetch::FetchError;
use super::opml::OpmlError;
use super::{FeedReport, FeedSource, Options, Progress, Report, convert, fetch, html, opml};
use crate::article::Date;
use crate::library::{self, LoadError, LoadOptions};

/// Why a whole import could not run (each feed's own failure is in its report).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The archive folder cannot be made.
    #[error(
        "{}: cannot create the archive folder ({source}); check the path given with --into",
        .path.display()
    )]
    CreateFolder {
        /// The archive folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The archive cannot be read, so what is in it already is not known.
    #[error(transparent)]
    ReadArchive(#[from] LoadError),
}

/// Why one feed was not imported (or not all of it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// Its bytes could not be had.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// It looks like an OPML list but does not parse.
    #[error(transparent)]
    Opml(#[from] OpmlError),
    /// An OPML list named in an OPML list (not followed).
    #[error("an OPML list inside an OPML list; import it by itself")]
    NestedList,
    /// An OPML entry's address cannot be used.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// The bytes are no feed feed-rs can read.
    #[error("not a readable RSS, Atom or JSON feed ({0}); check the file or address")]
    NotAFeed(String),
    /// An item could not be written.
    #[error(
        "cannot write into {} ({reason}); check the folder's permissions and free space",
        .dir.display()
    )]
    Write {
        /// The feed's folder.
        dir: PathBuf,
        /// What the system said.
        reason: String,
    },
}

/// Why an OPML entry's address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// It does not join to the list's address.
    #[error("not a usable address ({0})")]
    Unusable(String),
    /// A list on the web naming something other than a web feed.
    #[error("a list fetched from the web may only name http(s) feeds, not {0}:")]
    NotWeb(String),
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
fn known_urls(into: &Path) -> Result<HashSet<String>, LoadError> {
    let library = library::load(into, &LoadOptions::default())?;
    let mut known = HashSet::new();
    for article in library.articles {
        match article.source_url {
            Some(u) => {
                known.insert(convert::normalize_url(&u).unwrap_or_else(|| u.to_string()));
            }
            None => known.extend(
                article
                    .extra()
                    .iter()
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
) -> Result<Report, ImportError> {
    fs::create_dir_all(&options.into).map_err(|source| ImportError::CreateFolder {
        path: options.into.clone(),
        source,
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
                Err(error) => failed(source, error.into()),
                Ok(bytes) if opml::is_opml(&bytes) => match opml::parse(&bytes) {
                    Err(error) => failed(source, error.into()),
                    Ok(_) if round > 0 => failed(source, FeedError::NestedList),
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
                                    let refused =
                                        failed(&FeedSource::new(outline.url), error.into());
                                    progress(&Progress::Done(refused.clone()));
                                    report.feeds.push(refused);
                                }
                            }
                        }
                        return;
                    }
                },
                Ok(bytes) => match super::convert::parse_feed(bytes.as_slice()) {
                    Err(e) => failed(source, FeedError::NotAFeed(e)),
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

fn failed(source: &FeedSource, error: FeedError) -> FeedReport {
    FeedReport {
        location: source.location.clone(),
        title: source.location.clone(),
        error: Some(error.to_string()),
        ..FeedReport::default()
    }
}

/// An OPML entry's address, taken relative to the list's own place.
/// A list on the web may only name feeds on the web (never a file here).
fn resolve(list: &str, entry: &str) -> Result<String, ResolveError> {
    if fetch::is_url(list) {
        let joined = url::Url::parse(list)
            .and_then(|base| base.join(entry))
            .map_err(|e| ResolveError::Unusable(e.to_string()))?;
        return match joined.scheme() {
            "http" | "https" => Ok(joined.into()),
            other => Err(ResolveError::NotWeb(other.to_owned())),
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
type Fetched = Result<Vec<u8>, FetchError>;

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
        let url = item
            .article
            .source_url
            .as_deref()
            .map(str::to_owned)
            .or_else(|| {
                item.article
                    .extra()
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
                let error = FeedError::Write {
                    dir: dir.clone(),
                    reason: e.to_string(),
                };
                report.error = Some(error.to_string());
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
) -> io::Result<String> {
    fs::create_dir_all(dir)?;
    // Hidden (a leading dot), so the loader and the watch skip it; removed
    // when dropped, so a failure leaves nothing behind.
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{first}."))
        .suffix(".part")
        .tempfile_in(dir)?;
    temporary.write_all(text.as_bytes())?;
    temporary.as_file().sync_all()?;
    for n in 1..10_000 {
        let candidate = if n == 1 { first.to_owned() } else { name(n) };
        let target = dir.join(&candidate);
        // No-clobber: a rename that refuses a taken name, else a hard link
        // (which fails when the name is taken, where a rename would replace).
        temporary = match temporary.persist_noclobber(&target) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => e.file,
            // A filesystem without either: take a free name by renaming.
            Err(e) if target.exists() => e.file,
            Err(e) => {
                let error = e.error;
                return e
                    .file
                    .persist(&target)
                    .map(|_| candidate)
                    .map_err(|_| error);
            }
        };
    }
    Err(io::Error::other("no free name"))
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
