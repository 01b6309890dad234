//! A change of a few files applied where the articles are: an edited file's
//! article swapped at its id (its place in the order, the tag index and
//! the sort keys moved), new files added as a load adds them. Ids do not
//! change, so nothing derived from every article is made again: at a
//! million articles a saved edit costs what the one article costs.

use std::collections::HashMap;
use std::path::Path;

use super::Archive;
use crate::article::Article;
use crate::library::{Problem, sort_problems};
use crate::query::eval::{ArticleWords, Meta};
use crate::state::article_key;

/// More changed articles than this are applied by a whole
/// [`Archive::replace`] (one pass over everything is then the cheaper).
const MOST_IN_PLACE: usize = 256;

impl Archive {
    /// Applies a change as [`Archive::replace`] does, in place, when every
    /// dropped article comes back at its own path (files edited) and the
    /// rest are new files. Gives the articles and problems back, untouched,
    /// when it cannot (a file or folder removed, or a change too big):
    /// then [`Archive::replace`] applies it.
    pub fn replace_in_place(
        &mut self,
        drop_article: &dyn Fn(&Path) -> bool,
        drop_problem: &dyn Fn(&Problem) -> bool,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    ) -> Result<(), (Vec<Article>, Vec<Problem>)> {
        if articles.len() > MOST_IN_PLACE {
            return Err((articles, problems));
        }
        self.merge_staged();
        let dropped: Vec<usize> = (0..self.articles.len())
            .filter(|&i| drop_article(&self.articles[i].path))
            .collect();
        let incoming: HashMap<&Path, usize> = articles
            .iter()
            .enumerate()
            .map(|(n, a)| (a.path.as_path(), n))
            .collect();
        // Every dropped article must come back at its path, once.
        let mut back = Vec::with_capacity(dropped.len());
        for &id in &dropped {
            match incoming.get(self.articles[id].path.as_path()) {
                Some(&n) => back.push((id, n)),
                None => return Err((articles, problems)),
            }
        }
        if incoming.len() != articles.len() {
            // Two articles at one path: only a whole replace sorts that out.
            return Err((articles, problems));
        }
        drop(incoming);
        // Marks of articles keyed anew (their address changed) go to the
        // state under the old key first, all of them, before any new key
        // is looked up: two edited files may trade addresses.
        for &(id, n) in &back {
            let old_key = article_key(&self.articles[id]);
            if old_key != article_key(&articles[n]) {
                self.stored
                    .set_marks(&old_key, self.marks[id], crate::state::now());
            }
        }
        // Swapped in without text (a reload), words are to be read again:
        // words being read now, for these ids as they were, must not land
        // on them, nor their end settle them.
        if back.iter().any(|&(_, n)| articles[n].lacks_text()) {
            self.generation += 1;
        }
        let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
        let mut retagged = false;
        for (id, n) in back {
            if let Some(article) = slots[n].take() {
                retagged |= self.swap_in(id, article);
            }
        }
        self.problems.retain(|p| !drop_problem(p));
        self.problems.extend(problems);
        sort_problems(&mut self.problems);
        let new: Vec<Article> = slots.into_iter().flatten().collect();
        if new.is_empty() {
            // The place tree is made again only when some tag changed (a
            // quarter of a second at a million articles).
            if retagged {
                self.refresh_places();
            }
        } else {
            // New files join as a load's batch does (new ids at the end).
            self.stage(new, Vec::new());
            self.merge_staged();
        }
        Ok(())
    }

    /// Puts `article` (read again from the same path) at `id`; whether its
    /// tags changed.
    fn swap_in(&mut self, id: usize, article: Article) -> bool {
        let old = std::mem::replace(&mut self.articles[id], article);
        let new = &self.articles[id];
        if article_key(&old) != article_key(new) {
            // Keyed anew (its address changed): its old marks are in the
            // state already (see above), and the new key's are looked up.
            self.marks[id] = self.stored.marks_of(new);
            self.marks_version += 1;
        }
        let retagged = old.locations != new.locations;
        if retagged {
            self.index.replace_one(id, &old.locations, &new.locations);
        }
        self.keys.set(id, new);
        self.ranks.clear();
        if let Some(pos) = self.order.iter().position(|&o| o as usize == id) {
            self.order.remove(pos);
        }
        let keys = &self.keys;
        // After any it ties with, as a whole replace would put it (the
        // kept articles are staged first, and that sort is stable).
        let at = self
            .order
            .partition_point(|&o| !keys.newest_first(o as usize, id).is_gt());
        self.order.insert(at, id as u32);
        // Read without its text (a reload drops it): read again when shown.
        let shallow = new.lacks_text();
        self.shallow[id] = shallow;
        if id < self.meta.len() {
            self.meta[id] = Meta::new(new);
        }
        if id < self.words.len() {
            self.words[id] = ArticleWords::new(new);
            match (
                std::mem::replace(&mut self.words_shallow[id], shallow),
                shallow,
            ) {
                (true, false) => self.shallow_words -= 1,
                (false, true) => self.shallow_words += 1,
                _ => {}
            }
        }
        retagged
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::Archive;
    use crate::article::{Article, Form};
    use crate::regions::RegionRules;

    fn article(path: &str, date: Option<&str>, tags: &[&str]) -> Article {
        let date = date.map_or(String::new(), |d| format!("Date: {d}\n"));
        let tags: Vec<String> = tags.iter().map(|t| format!("[{t}](#)")).collect();
        let location = if tags.is_empty() {
            String::new()
        } else {
            format!("\nLocation: {}\n", tags.join(", "))
        };
        let text = format!("{path} title\n\n{date}\nBody of {path}.\n{location}");
        let mut a = Article::parse(text.as_bytes(), Form::Plain).expect("parses");
        a.path = path.into();
        a
    }

    fn loaded(articles: Vec<Article>) -> Archive {
        let mut a = Archive::new(PathBuf::from("/a"), &RegionRules::default());
        a.stage(articles, vec![]);
        a.merge_staged();
        a
    }

    fn start() -> Vec<Article> {
        vec![
            article("a", Some("2024-01-03"), &["Kazakhstan", "Russia"]),
            article("b", Some("2024-01-02"), &["Russia"]),
            article("c", None, &[]),
            article("d", Some("2024-01-01"), &["Kazakhstan"]),
        ]
    }

    type Seen = (
        Vec<String>,
        Vec<(String, String, Vec<String>)>,
        Vec<String>,
        Vec<(String, bool)>,
    );

    /// What a person can see of an archive: the order, each tag's articles
    /// and name, the untagged ones, and the marks, all by path.
    fn seen(a: &Archive) -> Seen {
        let path = |i: u32| a.article(i as usize).path.display().to_string();
        let order = a.order().iter().map(|&i| path(i)).collect();
        let tags = a
            .index()
            .tags
            .values()
            .map(|t| {
                let mut paths: Vec<String> = t.articles.iter().map(|&i| path(i)).collect();
                paths.sort();
                (t.key.clone(), t.name.clone(), paths)
            })
            .collect();
        let mut untagged: Vec<String> = a.index().untagged.iter().map(|&i| path(i)).collect();
        untagged.sort();
        let mut marks: Vec<(String, bool)> = (0..a.len())
            .map(|i| (path(i as u32), a.marks(i).starred))
            .collect();
        marks.sort();
        (order, tags, untagged, marks)
    }

    /// The change applied in place and by a whole replace: the same archive.
    fn same_as_replace(drop: &[&str], incoming: Vec<Article>) -> Archive {
        same_as_replace_from(start(), drop, incoming)
    }

    fn same_as_replace_from(first: Vec<Article>, drop: &[&str], incoming: Vec<Article>) -> Archive {
        let dropped = |p: &Path| drop.iter().any(|d| p == Path::new(d));
        let mut whole = loaded(first.clone());
        let mut in_place = loaded(first);
        whole.toggle_star(1);
        in_place.toggle_star(1);
        whole.replace(&dropped, &|_| false, incoming.clone(), vec![]);
        let ids_before: Vec<PathBuf> = in_place
            .articles()
            .iter()
            .map(|a| a.path.to_path_buf())
            .collect();
        assert!(
            in_place
                .replace_in_place(&dropped, &|_| false, incoming, vec![])
                .is_ok(),
            "applied in place"
        );
        assert_eq!(seen(&in_place), seen(&whole));
        // Ids kept: the old articles are where they were.
        for (i, p) in ids_before.iter().enumerate() {
            assert_eq!(&in_place.article(i).path, p, "id {i} kept");
        }
        in_place
    }

    #[test]
    fn an_edited_date_moves_the_article_in_the_order() {
        let a = same_as_replace(
            &["d"],
            vec![article("d", Some("2025-01-01"), &["Kazakhstan"])],
        );
        assert_eq!(seen(&a).0, ["d", "a", "b", "c"]);
    }

    #[test]
    fn edited_tags_move_the_article_between_tags() {
        same_as_replace(
            &["b"],
            vec![article("b", Some("2024-01-02"), &["Kyrgyzstan"])],
        );
        same_as_replace(&["a"], vec![article("a", Some("2024-01-03"), &[])]);
        same_as_replace(&["c"], vec![article("c", None, &["Russia", "Russia"])]);
        let a = same_as_replace(
            &["d"],
            vec![article("d", Some("2024-01-01"), &["KAZAKHSTAN"])],
        );
        let kz = a.index().tags.get("kazakhstan").expect("tag");
        assert_eq!(kz.articles, [0, 3]);
    }

    #[test]
    fn the_star_stays_with_an_edited_article_and_new_files_join() {
        let a = same_as_replace(
            &["b", "e"],
            vec![
                article("b", Some("2023-12-31"), &["Russia"]),
                article("e", Some("2024-02-01"), &["Georgia"]),
            ],
        );
        assert!(a.marks(1).starred, "b kept its star and its id");
        assert_eq!(
            a.article(4).path,
            Path::new("e"),
            "a new id for the new file"
        );
        assert_eq!(seen(&a).0, ["e", "a", "d", "b", "c"]);
    }

    #[test]
    fn paths_differing_in_case_keep_their_order_when_edited() {
        // The natural order folds ASCII case first, then compares exactly.
        let first = vec![
            article("Report", None, &[]),
            article("report", None, &[]),
            article("zeta", None, &[]),
        ];
        same_as_replace_from(
            first.clone(),
            &["Report"],
            vec![article("Report", None, &["Chad"])],
        );
        same_as_replace_from(first, &["report"], vec![article("report", None, &[])]);
    }

    #[test]
    fn two_edited_articles_that_trade_addresses_trade_their_marks() {
        let with_url = |path: &str, url: &str| Article {
            source_url: Some(url.into()),
            ..article(path, Some("2024-01-01"), &[])
        };
        // Article 1 is starred (see `same_as_replace_from`): "b" at u2.
        let first = vec![
            with_url("a", "https://e.org/u1"),
            with_url("b", "https://e.org/u2"),
        ];
        let a = same_as_replace_from(
            first,
            &["a", "b"],
            vec![
                with_url("a", "https://e.org/u2"),
                with_url("b", "https://e.org/u1"),
            ],
        );
        assert!(a.marks(0).starred, "a took u2 and the star kept under it");
        assert!(!a.marks(1).starred);
    }

    #[test]
    fn a_removed_file_or_a_big_change_is_left_to_a_whole_replace() {
        let mut a = loaded(start());
        let back = a.replace_in_place(&|p| p == Path::new("b"), &|_| false, vec![], vec![]);
        assert!(back.is_err(), "b is gone: ids must change");
        assert_eq!(a.len(), 4, "nothing was applied");
        let many: Vec<Article> = (0..=super::MOST_IN_PLACE)
            .map(|n| article(&format!("n{n}"), None, &[]))
            .collect();
        let back = a.replace_in_place(&|_| false, &|_| false, many, vec![]);
        assert_eq!(
            back.map_err(|(a, _)| a.len()),
            Err(super::MOST_IN_PLACE + 1)
        );
    }
}
