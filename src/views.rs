//! Saved views: a named query (`[[views]]` in config.toml), listed at the top
//! of the Regions pane like a smart folder, applied by choosing it, by its
//! own key or by `newsdesk list --view NAME`; and saving the current query as
//! one into the person's own config file, keeping its comments and layout.

use std::io::Write;
use std::path::{Path, PathBuf};

/// One saved view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The name shown in the Regions pane and given to `--view`.
    pub name: String,
    /// The query (the query language), checked when the config is read.
    pub query: String,
    /// A key that applies the view from anywhere (a key name, as in `[keys.*]`).
    pub key: Option<String>,
}

/// The view called `name` (case and surrounding spaces never matter).
pub fn find<'a>(views: &'a [View], name: &str) -> Option<&'a View> {
    let wanted = crate::search::fold(name.trim());
    views
        .iter()
        .find(|v| crate::search::fold(v.name.trim()) == wanted)
}

/// Why a view could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The config file could not be read or written.
    #[error("{path}: {source}; check that the file and its folder can be written")]
    Io {
        /// The config file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The config file is not TOML any more (changed since it was loaded).
    #[error("{path}: cannot be read as TOML ({message}); fix it, then save the view again")]
    Toml {
        /// The config file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// `views` in the file is something else than `[[views]]` tables.
    #[error("{path}: `views` is not a list of [[views]] tables; fix it, then save the view again")]
    NotViews {
        /// The config file.
        path: PathBuf,
    },
}

/// The `[[views]]` lines for a view, as they would be added to a config file:
/// what the notice shows where there is no config file of the person's own.
pub fn lines_to_add(name: &str, query: &str) -> String {
    let mut doc = toml_edit::DocumentMut::new();
    append(&mut doc, name, query);
    doc.to_string()
}

/// Adds a `[[views]]` table at the end of `doc` (or replaces the query of the
/// view of that name, so saving twice never leaves two of one name). False
/// when `views` is not an array of tables.
fn append(doc: &mut toml_edit::DocumentMut, name: &str, query: &str) -> bool {
    let views = doc
        .as_table_mut()
        .entry("views")
        .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    let Some(views) = views.as_array_of_tables_mut() else {
        return false;
    };
    let wanted = crate::search::fold(name.trim());
    let same = views.iter_mut().find(|t| {
        t.get("name")
            .and_then(toml_edit::Item::as_str)
            .is_some_and(|n| crate::search::fold(n.trim()) == wanted)
    });
    match same {
        Some(table) => table["query"] = toml_edit::value(query),
        None => {
            let mut table = toml_edit::Table::new();
            table["name"] = toml_edit::value(name);
            table["query"] = toml_edit::value(query);
            views.push(table);
        }
    }
    true
}

/// The text of config file `text` with view (`name`, `query`) added, every
/// comment and blank line of it kept.
pub fn with_view(text: &str, name: &str, query: &str, path: &Path) -> Result<String, SaveError> {
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| SaveError::Toml {
                path: path.to_path_buf(),
                message: e.message().trim().to_owned(),
            })?;
    if !append(&mut doc, name, query) {
        return Err(SaveError::NotViews {
            path: path.to_path_buf(),
        });
    }
    Ok(doc.to_string())
}

/// Saves view (`name`, `query`) into config file `path`: read, add, and write
/// to a hidden file in the same folder renamed over it, so the file is
/// always whole, the old one or the new one.
pub fn save(path: &Path, name: &str, query: &str) -> Result<(), SaveError> {
    let io = |source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(io)?;
    let new = with_view(&text, name, query, path)?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".config.toml.")
        .tempfile_in(folder)
        .map_err(io)?;
    file.write_all(new.as_bytes()).map_err(io)?;
    file.as_file().sync_all().map_err(io)?;
    // Keep the person's permissions on their file (tempfile makes it 0600).
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(file.path(), meta.permissions());
    }
    file.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str =
        "# my settings\nmouse = false # no mouse\n\n[layout]\n# narrower\nregions_width = 30\n";

    #[test]
    fn adding_a_view_keeps_comments_and_layout() {
        let new = with_view(USER, "Water", "water talks", Path::new("c.toml")).unwrap();
        assert!(
            new.starts_with(USER),
            "the old text is kept as it was:\n{new}"
        );
        assert!(
            new.ends_with("[[views]]\nname = \"Water\"\nquery = \"water talks\"\n"),
            "{new}"
        );
        let again = with_view(&new, "water", "tag:Georgia", Path::new("c.toml")).unwrap();
        assert_eq!(again.matches("[[views]]").count(), 1, "same name: replaced");
        assert!(again.contains("query = \"tag:Georgia\""), "{again}");
        let config = crate::config::Config::from_text(&again, Some(Path::new("c.toml"))).unwrap();
        assert_eq!(config.views.len(), 1);
        assert_eq!(config.views[0].query, "tag:Georgia");
    }

    #[test]
    fn queries_with_quotes_are_written_as_toml() {
        let lines = lines_to_add("CA", "tag:\"Central Asia\" -russia");
        assert_eq!(
            lines,
            "[[views]]\nname = \"CA\"\nquery = 'tag:\"Central Asia\" -russia'\n"
        );
        let doc: toml::Table = toml::from_str(&lines).unwrap();
        assert_eq!(
            doc["views"][0]["query"].as_str(),
            Some("tag:\"Central Asia\" -russia")
        );
    }

    #[test]
    fn views_that_is_not_tables_is_refused() {
        let e = with_view("views = 3\n", "A", "a", Path::new("c.toml")).unwrap_err();
        assert!(matches!(e, SaveError::NotViews { .. }), "{e}");
        let e = with_view("views = [\n", "A", "a", Path::new("c.toml")).unwrap_err();
        assert!(
            e.to_string().starts_with("c.toml: cannot be read as TOML"),
            "{e}"
        );
    }

    #[test]
    fn saving_writes_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, USER).unwrap();
        save(&path, "Mine", "is:unread").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(USER));
        assert!(text.contains("query = \"is:unread\""));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        let e = save(&dir.path().join("missing.toml"), "A", "a").unwrap_err();
        assert!(matches!(e, SaveError::Io { .. }));
    }

    #[test]
    fn find_ignores_case() {
        let views = [View {
            name: "Central Asia news".into(),
            query: "tag:x".into(),
            key: None,
        }];
        assert_eq!(
            find(&views, " central asia NEWS").map(|v| v.query.as_str()),
            Some("tag:x")
        );
        assert!(find(&views, "other").is_none());
    }
}
