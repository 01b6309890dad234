//! Reading a config file: the form it is written in (every key optional,
//! unknown keys refused), merged over the defaults, with every value checked
//! and every mistake located (file, line, column).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{
    Align, Column, Config, ConfigError, DEFAULT_CONFIG, FeedConfig, KeyTables, Layout, ListConfig,
    ThemeConfig, line_col, ranges,
};
use crate::regions::{RegionRules, RegionSort};

/// One `[[views]]` entry as written, spans kept to point at mistakes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViewFile {
    name: String,
    query: toml::Spanned<String>,
    #[serde(default)]
    key: Option<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportFile {
    timeout: Option<toml::Spanned<f64>>,
}

/// The form of a config file: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    articles: Option<String>,
    max_file_size: Option<toml::Spanned<u64>>,
    regions_sort: Option<RegionSort>,
    geography: Option<bool>,
    display_language: Option<String>,
    mouse: Option<bool>,
    browser_in_terminal: Option<bool>,
    layout: Option<LayoutFile>,
    list: Option<ListFile>,
    regions: Option<BTreeMap<String, Vec<String>>>,
    aliases: Option<BTreeMap<String, String>>,
    keys: Option<KeysFile>,
    theme: Option<ThemeConfig>,
    feeds: Option<Vec<FeedConfig>>,
    import: Option<ImportFile>,
    views: Option<Vec<ViewFile>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    regions_width: Option<toml::Spanned<u16>>,
    list_width: Option<toml::Spanned<u16>>,
    reader_max_width: Option<toml::Spanned<u16>>,
    reader_align: Option<Align>,
    show_regions: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    sort: Option<crate::sort::SortOrder>,
    columns: Option<toml::Spanned<Vec<Column>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysFile {
    global: Option<BTreeMap<String, String>>,
    list: Option<BTreeMap<String, String>>,
    reader: Option<BTreeMap<String, String>>,
    regions: Option<BTreeMap<String, String>>,
    map: Option<BTreeMap<String, String>>,
    timeline: Option<BTreeMap<String, String>>,
}

fn parse_file(text: &str, path: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError {
        path: path.to_owned(),
        position: e.span().map(|s| line_col(text, s.start)),
        message: e.message().trim().replace('\n', " "),
    })
}

/// A numeric setting's value, refused with its file:line:column and the
/// valid range when outside `range`. `example` is the shipped value, shown
/// as the fix.
fn checked<T>(
    value: Option<toml::Spanned<T>>,
    key: &str,
    range: std::ops::RangeInclusive<T>,
    example: &str,
    (text, path): (&str, &str),
) -> Result<Option<T>, ConfigError>
where
    T: PartialOrd + fmt::Display + Copy,
{
    let Some(value) = value else {
        return Ok(None);
    };
    let v = *value.get_ref();
    if range.contains(&v) {
        return Ok(Some(v));
    }
    Err(ConfigError {
        path: path.to_owned(),
        position: Some(line_col(text, value.span().start)),
        message: format!(
            "{key} = {v} is out of range: give a value from {} to {}, e.g. {key} = {example}",
            range.start(),
            range.end()
        ),
    })
}

/// The `[list]` table of the user's file over the shipped one's. Columns are
/// refused when one is named twice (a typo, most likely, not a wish).
fn list_config(
    default: Option<ListFile>,
    user: Option<ListFile>,
    user_at: (&str, &str),
    default_at: (&str, &str),
) -> Result<ListConfig, ConfigError> {
    let (d, u) = (default.unwrap_or_default(), user.unwrap_or_default());
    let checked = |columns: Option<toml::Spanned<Vec<Column>>>, (text, path): (&str, &str)| {
        let Some(columns) = columns else {
            return Ok(None);
        };
        let list = columns.get_ref();
        for (i, c) in list.iter().enumerate() {
            if list[..i].contains(c) {
                return Err(ConfigError {
                    path: path.to_owned(),
                    position: Some(line_col(text, columns.span().start)),
                    message: format!(
                        "columns names \"{}\" twice: give each column once, e.g. columns = [\"title\", \"date\", \"tags\"]",
                        format!("{c:?}").to_lowercase()
                    ),
                });
            }
        }
        Ok(Some(list.clone()))
    };
    let fallback = ListConfig::default();
    Ok(ListConfig {
        sort: u.sort.or(d.sort).unwrap_or(fallback.sort),
        columns: checked(u.columns, user_at)?
            .or(checked(d.columns, default_at)?)
            .unwrap_or(fallback.columns),
    })
}

/// The views of one file, each query parsed and each key read: a mistake is
/// refused with its file:line:column and what the query parser or the key
/// reader said.
fn checked_views(
    views: Option<Vec<ViewFile>>,
    (text, path): (&str, &str),
) -> Result<Vec<crate::views::View>, ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| ConfigError {
        path: path.to_owned(),
        position: Some(line_col(text, span.start)),
        message,
    };
    views
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            let query = v.query.get_ref();
            if let Err(e) = crate::query::Query::parse(query) {
                return Err(at(
                    v.query.span(),
                    format!(
                        "view \"{}\": {}; `newsdesk list --query` tries a query out",
                        v.name,
                        e.report(query)
                    ),
                ));
            }
            if let Some(key) = &v.key
                && let Err(e) = crate::key::Key::parse(key.get_ref())
            {
                return Err(at(key.span(), format!("view \"{}\": {e}", v.name)));
            }
            Ok(crate::views::View {
                name: v.name,
                query: v.query.into_inner(),
                key: v.key.map(toml::Spanned::into_inner),
            })
        })
        .collect()
}

fn merge_maps<V>(
    base: Option<BTreeMap<String, V>>,
    over: Option<BTreeMap<String, V>>,
) -> BTreeMap<String, V> {
    let mut out = base.unwrap_or_default();
    out.extend(over.unwrap_or_default());
    out
}

impl Config {
    /// Parses a config file's text merged over the defaults; relative paths are
    /// taken from the file's folder (`source`), or the working folder.
    pub fn from_text(text: &str, source: Option<&Path>) -> Result<Config, ConfigError> {
        let default = parse_file(DEFAULT_CONFIG, "built-in config.toml")?;
        let display = source.map_or("built-in defaults".to_owned(), |p| p.display().to_string());
        let user = if source.is_some() {
            parse_file(text, &display)?
        } else {
            ConfigFile::default()
        };
        let base = source
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let articles = user
            .articles
            .or(default.articles)
            .unwrap_or_else(|| "articles".into());
        let articles = if Path::new(&articles).is_absolute() || source.is_none() {
            PathBuf::from(articles)
        } else {
            base.join(articles)
        };
        let user_at = (text, display.as_str());
        let default_at = (DEFAULT_CONFIG, "built-in config.toml");
        let dl = default.layout.unwrap_or_default();
        let ul = user.layout.unwrap_or_default();
        // Both files are checked: the shipped one by the same rules (a test
        // loads it), so a bad default cannot slip through either.
        let width = |u, d, key, range: std::ops::RangeInclusive<u16>, example, fallback| {
            let u = checked(u, key, range.clone(), example, user_at)?;
            let d = checked(d, key, range, example, default_at)?;
            Ok::<u16, ConfigError>(u.or(d).unwrap_or(fallback))
        };
        let layout = Layout {
            regions_width: width(
                ul.regions_width,
                dl.regions_width,
                "regions_width",
                ranges::REGIONS_WIDTH,
                "24",
                24,
            )?,
            list_width: width(
                ul.list_width,
                dl.list_width,
                "list_width",
                ranges::LIST_WIDTH,
                "50",
                50,
            )?,
            reader_max_width: width(
                ul.reader_max_width,
                dl.reader_max_width,
                "reader_max_width",
                ranges::READER_MAX_WIDTH,
                "80",
                80,
            )?,
            reader_align: ul.reader_align.or(dl.reader_align).unwrap_or(Align::Center),
            show_regions: ul.show_regions.or(dl.show_regions).unwrap_or(true),
        };
        let list = list_config(default.list, user.list, user_at, default_at)?;
        let tables = |k: Option<KeysFile>| -> KeyTables {
            let k = k.unwrap_or_default();
            [
                ("global", k.global),
                ("list", k.list),
                ("reader", k.reader),
                ("regions", k.regions),
                ("map", k.map),
                ("timeline", k.timeline),
            ]
            .into_iter()
            .map(|(name, table)| (name.to_owned(), table.unwrap_or_default()))
            .collect()
        };
        let feeds = user
            .feeds
            .or(default.feeds)
            .unwrap_or_default()
            .into_iter()
            .map(|mut feed| {
                if let Some(path) = feed.url.strip_prefix("file://") {
                    feed.url = path.to_owned();
                }
                let local = !crate::paths::is_url(&feed.url)
                    && !Path::new(&feed.url).is_absolute()
                    && source.is_some();
                if local {
                    feed.url = base.join(&feed.url).display().to_string();
                }
                feed
            })
            .collect();
        // NaN fails `contains`, so `timeout = nan` is refused too.
        let timeout = checked(
            user.import.and_then(|i| i.timeout),
            "timeout",
            ranges::IMPORT_TIMEOUT,
            "20",
            user_at,
        )?
        .or(checked(
            default.import.and_then(|i| i.timeout),
            "timeout",
            ranges::IMPORT_TIMEOUT,
            "20",
            default_at,
        )?)
        .unwrap_or(20.0);
        let mut views = checked_views(default.views, default_at)?;
        for view in checked_views(user.views, user_at)? {
            let same = |v: &crate::views::View| {
                crate::search::fold(v.name.trim()) == crate::search::fold(view.name.trim())
            };
            views.retain(|v| !same(v));
            views.push(view);
        }
        let keys = tables(default.keys);
        let user_keys = tables(user.keys);
        Ok(Config {
            articles,
            max_file_size: checked(
                user.max_file_size,
                "max_file_size",
                ranges::MAX_FILE_SIZE,
                "8388608",
                user_at,
            )?
            .or(checked(
                default.max_file_size,
                "max_file_size",
                ranges::MAX_FILE_SIZE,
                "8388608",
                default_at,
            )?)
            .unwrap_or(crate::library::DEFAULT_MAX_FILE_SIZE),
            regions: RegionRules {
                groups: user.regions.or(default.regions).unwrap_or_default(),
                aliases: merge_maps(default.aliases, user.aliases),
                sort: user
                    .regions_sort
                    .or(default.regions_sort)
                    .unwrap_or_default(),
                geography: user.geography.or(default.geography).unwrap_or(true),
                language: user
                    .display_language
                    .or(default.display_language)
                    .map_or_else(|| "en".to_owned(), |l| l.trim().to_owned()),
            },
            mouse: user.mouse.or(default.mouse).unwrap_or(true),
            browser_in_terminal: user
                .browser_in_terminal
                .or(default.browser_in_terminal)
                .unwrap_or(false),
            layout,
            list,
            keys,
            user_keys,
            theme: default
                .theme
                .unwrap_or_default()
                .merged(&user.theme.unwrap_or_default()),
            no_color: false,
            source: source.map(Path::to_path_buf),
            source_text: if source.is_some() {
                text.to_owned()
            } else {
                String::new()
            },
            feeds,
            import_timeout: std::time::Duration::from_secs_f64(timeout),
            views,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_parses() {
        let c = Config::defaults();
        assert_eq!(c.articles, PathBuf::from("articles"));
        assert_eq!(c.max_file_size, 8 * 1024 * 1024);
        assert!(c.regions.groups.contains_key("Central Asia"));
    }

    #[test]
    fn user_file_merges_over_defaults() {
        let c = Config::from_text(
            "[layout]\nreader_max_width = 60\n[aliases]\n\"X\" = \"Y\"\n",
            Some(Path::new("/tmp/n/config.toml")),
        )
        .unwrap();
        assert_eq!(c.layout.reader_max_width, 60);
        assert_eq!(c.layout.regions_width, 24);
        assert_eq!(
            c.regions.aliases.get("Kazakstan").map(String::as_str),
            Some("Kazakhstan")
        );
        assert_eq!(c.regions.aliases.get("X").map(String::as_str), Some("Y"));
        assert_eq!(c.articles, PathBuf::from("/tmp/n/articles"));
    }

    #[test]
    fn feed_paths_are_taken_from_the_config_folder() {
        let c = Config::from_text(
            "[[feeds]]\nurl = \"file:///srv/a.xml\"\n[[feeds]]\nurl = \"b.xml\"\ntags = [\"X\"]\n[[feeds]]\nurl = \"https://e.example/rss\"\n",
            Some(Path::new("/tmp/n/config.toml")),
        )
        .unwrap();
        let urls: Vec<&str> = c.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            ["/srv/a.xml", "/tmp/n/b.xml", "https://e.example/rss"]
        );
        assert_eq!(c.feeds[1].tags, ["X"]);
        assert!(Config::from_text("[import]\ntimeout = 0\n", Some(Path::new("c.toml"))).is_err());
    }

    #[test]
    fn views_are_read_and_a_bad_query_is_located() {
        let c = Config::from_text(
            "[[views]]\nname = \"Water\"\nquery = \"water talks\"\nkey = \"ctrl-w\"\n",
            Some(Path::new("c.toml")),
        )
        .unwrap();
        assert_eq!(c.views.len(), 1);
        assert_eq!(c.views[0].key.as_deref(), Some("ctrl-w"));
        let e = Config::from_text(
            "mouse = true\n[[views]]\nname = \"Bad\"\nquery = \"auther:x\"\n",
            Some(Path::new("c.toml")),
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("c.toml:4:9: view \"Bad\": query, column 1"),
            "{text}"
        );
        assert!(text.contains("author:"), "says what was meant: {text}");
        let e = Config::from_text(
            "[[views]]\nname = \"K\"\nquery = \"a\"\nkey = \"ctrl-nope\"\n",
            Some(Path::new("c.toml")),
        )
        .unwrap_err();
        assert_eq!(e.position, Some((4, 7)), "{e}");
    }

    #[test]
    fn unknown_key_is_located() {
        let e =
            Config::from_text("mouse = true\ncolour = 3\n", Some(Path::new("c.toml"))).unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2));
        assert!(
            e.to_string()
                .starts_with("c.toml:2:1: unknown field `colour`"),
            "{e}"
        );
    }
}
