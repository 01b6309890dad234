//! Bodies read when shown: the archive in memory holds what the list needs
//! (see [`Summary`](crate::snapshot::Summary)), and the reader asks a
//! [`BodyStore`] for the whole article when it opens one. The few opened last
//! are kept, so going back and forth reads nothing again.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::article::Article;
use crate::library::{self, Candidate, LoadOptions, Problem};

/// How many whole articles a store keeps by default.
pub const DEFAULT_CAPACITY: usize = 16;

/// Whole articles, read from their files on demand, the most recent kept.
#[derive(Debug)]
pub struct BodyStore {
    root: PathBuf,
    options: LoadOptions,
    capacity: usize,
    /// Most recently used last; a handful, so a scan beats a map.
    recent: VecDeque<(PathBuf, Arc<Article>)>,
}

impl BodyStore {
    /// A store for the archive at `root`, keeping `capacity` articles (at least one).
    pub fn new(root: PathBuf, options: LoadOptions, capacity: usize) -> BodyStore {
        BodyStore {
            root,
            options,
            capacity: capacity.max(1),
            recent: VecDeque::new(),
        }
    }

    /// The whole article at `path` (relative to the archive): from the
    /// store, else read from its file now. A file that cannot be read or
    /// parsed any more gives its problems (the list keeps its row until the
    /// watch or the check says otherwise).
    pub fn get(&mut self, path: &Path) -> Result<Arc<Article>, Vec<Problem>> {
        if let Some(i) = self.recent.iter().position(|(p, _)| p == path) {
            let hit = self.recent.remove(i);
            if let Some((p, article)) = hit {
                self.recent.push_back((p, Arc::clone(&article)));
                return Ok(article);
            }
        }
        let full = self.root.join(path);
        let candidate = Candidate {
            form: library::form_of(&full).unwrap_or(crate::article::Form::Plain),
            path: full,
            relative: path.to_path_buf(),
        };
        let (article, problems) = library::load_one_guarded(&candidate, &self.options);
        let article = Arc::new(article.ok_or(problems)?);
        if self.recent.len() == self.capacity {
            self.recent.pop_front();
        }
        self.recent
            .push_back((path.to_path_buf(), Arc::clone(&article)));
        Ok(article)
    }

    /// Whether the article at `path` is held now (no reading).
    pub fn holds(&self, path: &Path) -> bool {
        self.recent.iter().any(|(p, _)| p == path)
    }

    /// Forgets what is under `paths` (files, or folders and all in them), as
    /// live reload's [`Changes::paths`](crate::watch::Changes::paths) name them.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        self.recent
            .retain(|(p, _)| !paths.iter().any(|c| p.starts_with(c)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, title: &str) {
        std::fs::write(
            dir.join(name),
            format!("{title}\n\nStandfirst.\n\nBody text here.\n"),
        )
        .unwrap();
    }

    #[test]
    fn reads_when_asked_and_keeps_the_recent_ones() {
        let tmp = tempfile::tempdir().unwrap();
        for (name, title) in [("a.txt", "A"), ("b.txt", "B"), ("c.txt", "C")] {
            write(tmp.path(), name, title);
        }
        let mut store = BodyStore::new(tmp.path().into(), LoadOptions::default(), 2);
        assert_eq!(
            store.get(Path::new("a.txt")).unwrap().body()[0].text,
            "Body text here."
        );
        store.get(Path::new("b.txt")).unwrap();
        // A again: now the most recent, so C pushes B out, not A.
        store.get(Path::new("a.txt")).unwrap();
        store.get(Path::new("c.txt")).unwrap();
        assert!(store.holds(Path::new("a.txt")));
        assert!(!store.holds(Path::new("b.txt")));
        // A held article is not read again: its file can go.
        std::fs::remove_file(tmp.path().join("a.txt")).unwrap();
        assert_eq!(store.get(Path::new("a.txt")).unwrap().title, "A");
        store.forget(&[PathBuf::from("a.txt")]);
        assert!(store.get(Path::new("a.txt")).is_err());
    }

    #[test]
    fn a_changed_file_is_read_again_once_forgotten() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("d")).unwrap();
        write(&tmp.path().join("d"), "x.txt", "Old");
        let mut store = BodyStore::new(tmp.path().into(), LoadOptions::default(), 4);
        assert_eq!(store.get(Path::new("d/x.txt")).unwrap().title, "Old");
        write(&tmp.path().join("d"), "x.txt", "New");
        store.forget(&[PathBuf::from("d")]);
        assert_eq!(store.get(Path::new("d/x.txt")).unwrap().title, "New");
    }
}
