//! The Archive: every article, its id, the archive order, the tag index and
//! the marks. It is the only place articles are added, replaced or dropped, so
//! ids, order, index and marks always agree. Its searchable text (prepared words,
//! articles read later, the full-text index) is in `text`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::article::Article;
use crate::geo_tree::{GeoNode, TreeOptions, set_places, tree_of_index};
use crate::index::{IndexWorker, Indexed, TextIndex};
use crate::library::{Problem, sort_problems};
use crate::query::eval::{ArticleWords, Meta};
use crate::regions::{RegionRules, TagBatch, TagIndex};
use crate::sort::{SortKeys, SortOrder};
use crate::state::{Marks, Position, State, article_key};

mod in_place;
mod order;
mod text;

pub use text::Prepared;

/// The articles of one folder with everything derived from them.
///
/// An article's id is its index in arrival order. Articles arrive in batches
/// while loading; a batch is *staged* (it has an id, marks and problems) and
/// joins the archive order when [`Archive::merge_staged`] runs. Merging waits
/// until the staged articles are as many as the merged ones, so loading N
/// articles merges O(log N) times and costs O(N log N) in all.
#[derive(Debug)]
pub struct Archive {
    root: PathBuf,
    articles: Vec<Article>,
    marks: Vec<Marks>,
    /// Ids of the merged articles in archive order: newest first, then by path.
    order: Vec<u32>,
    /// Ids below this are merged (in `order` and the tag index).
    merged: usize,
    index: TagIndex,
    /// The place hierarchy of the merged articles (geography on and some
    /// article merged), rebuilt with the index.
    tree: Option<GeoNode>,
    rules: RegionRules,
    /// Marks of articles not in the archive now, kept as the state file had them.
    stored: State,
    problems: Vec<Problem>,
    /// Each merged article's facts for the query engine, built on the first
    /// query and kept (they go with their article across a reload).
    meta: Vec<Meta>,
    /// Each merged article's words, likewise.
    words: Vec<ArticleWords>,
    /// Every article's path hash and id (see [`crate::index::paths`]), a
    /// sorted run per staged batch: made as batches come (the loop waits
    /// for the next meanwhile), so the first searcher only merges runs.
    path_hashes: Vec<(u64, u32)>,
    /// The lengths of the sorted runs `path_hashes` is made of, in order
    /// (empty when not known: it is sorted whole when needed). Merged as
    /// batches come (a run as long as the one before joins it) and, what
    /// is left, two at a time while idle.
    path_runs: Vec<usize>,
    /// The staged batches made ready for their merge as each came (the
    /// loop would wait for the next meanwhile), so that a merge of many,
    /// a snapshot's million at once, only joins them: each batch sorted
    /// newest first, one run after another (see [`SortKeys::newest_run`]),
    /// and its tags gathered. Used only while they cover every staged id.
    staged_runs: Vec<(u64, u32)>,
    staged_tags: Vec<TagBatch>,
    /// How many staged ids `staged_tags` covers.
    staged_tagged: usize,
    /// Archive positions written by merges, for the cost test.
    merge_work: usize,
    /// Every article's sort keys by id (staged ones too), made as it
    /// arrives: merges and sorts compare these, not the articles.
    keys: SortKeys,
    /// Each merged article's place under a sort order (indexed by id), made
    /// on the first use of the order and dropped when articles change: a
    /// change of sort then sorts the visible ids by one integer each.
    ranks: std::collections::HashMap<SortOrder, Vec<u32>>,
    /// By id: the article came without its text (from the snapshot); its
    /// file is read when it is shown.
    shallow: Vec<bool>,
    /// By id, beside `words`: those words lack the text (title and authors
    /// only) until the file is read for them.
    words_shallow: Vec<bool>,
    /// How many entries of `words_shallow` are true.
    shallow_words: usize,
    /// Bumped whenever ids change, so words read for old ids are not
    /// put on new ones.
    generation: u64,
    /// The full-text index, once the background work has it complete.
    text_index: Option<Arc<TextIndex>>,
    /// Its searcher for the ids as they are now: made on the first query
    /// after the index or the ids changed.
    indexed: Option<Indexed>,
    /// The searcher before the index last changed, with the generation of
    /// the ids it was made for: its maps of unchanged segments are reused.
    earlier_indexed: Option<(u64, Indexed)>,
    /// Where the folder's changes go to keep the index up to date.
    index_worker: Option<IndexWorker>,
    /// Changes were handed to the index and it has not said it is ready
    /// since: the scan answers meanwhile, so a changed file is found as it is now.
    index_behind: bool,
    /// Bumped whenever a read mark may have changed (for the unread count
    /// kept by the list).
    marks_version: u64,
}

impl Archive {
    /// An empty archive of `root` with region rules from config.
    pub fn new(root: PathBuf, rules: &RegionRules) -> Archive {
        Archive {
            root,
            articles: Vec::new(),
            marks: Vec::new(),
            order: Vec::new(),
            merged: 0,
            index: TagIndex::new(rules),
            tree: None,
            rules: rules.clone(),
            stored: State::default(),
            problems: Vec::new(),
            meta: Vec::new(),
            words: Vec::new(),
            path_hashes: Vec::new(),
            path_runs: Vec::new(),
            staged_runs: Vec::new(),
            staged_tags: Vec::new(),
            staged_tagged: 0,
            merge_work: 0,
            keys: SortKeys::default(),
            ranks: std::collections::HashMap::new(),
            shallow: Vec::new(),
            words_shallow: Vec::new(),
            shallow_words: 0,
            generation: 0,
            text_index: None,
            indexed: None,
            earlier_indexed: None,
            marks_version: 0,
            index_worker: None,
            index_behind: false,
        }
    }

    /// An archive holding `articles` and `problems`, merged (for the commands).
    pub fn from_loaded(
        root: PathBuf,
        rules: &RegionRules,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    ) -> Archive {
        let mut archive = Archive::new(root, rules);
        archive.stage(articles, problems);
        archive.merge_staged();
        archive
    }

    /// The folder read.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every article by id (merged and staged).
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article with id `i`.
    pub fn article(&self, i: usize) -> &Article {
        &self.articles[i]
    }

    /// Number of articles, staged ones included.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether there is no article at all.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The merged ids in archive order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// The tag index over the merged articles.
    pub fn index(&self) -> &TagIndex {
        &self.index
    }

    /// The place hierarchy (World → continent → subregion → country), when
    /// geography is on and articles are merged.
    pub fn tree(&self) -> Option<&GeoNode> {
        self.tree.as_ref()
    }

    /// Rebuilds the place hierarchy from the index and hands its nodes to
    /// the index. Nothing is built before the first article (the gazetteer
    /// it needs takes a moment, so an empty first frame never waits for it).
    fn refresh_places(&mut self) {
        if !self.rules.geography || self.merged == 0 {
            self.tree = None;
            return;
        }
        let options = TreeOptions {
            language: if self.rules.language.is_empty() {
                "en"
            } else {
                &self.rules.language
            },
            sort: self.rules.sort,
        };
        let tree = tree_of_index(&self.index, &self.rules, options);
        set_places(&mut self.index, &tree);
        self.tree = Some(tree);
    }

    /// The region rules from config.
    pub fn rules(&self) -> &RegionRules {
        &self.rules
    }

    /// The marks of every article, by id.
    pub fn all_marks(&self) -> &[Marks] {
        &self.marks
    }

    /// The marks of article `i`.
    pub fn marks(&self, i: usize) -> Marks {
        self.marks.get(i).copied().unwrap_or_default()
    }

    /// The problems found, in path order once loading is over.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Articles staged and not yet merged.
    pub fn staged(&self) -> usize {
        self.articles.len() - self.merged
    }

    /// Archive positions written by merges so far (grows as O(N log N) over a load).
    pub fn merge_work(&self) -> usize {
        self.merge_work
    }

    /// The id of the article read from `path`.
    pub fn id_of(&self, path: &Path) -> Option<usize> {
        self.articles
            .iter()
            .position(|a| crate::paths::same_path(&a.path, path))
    }

    /// Changes whenever a read mark may have changed.
    pub fn marks_version(&self) -> u64 {
        self.marks_version
    }

    /// Sets read; true when it changed.
    pub fn set_read(&mut self, i: usize, read: bool) -> bool {
        match self.marks.get_mut(i) {
            Some(m) if m.read != read => {
                m.read = read;
                self.marks_version += 1;
                true
            }
            _ => false,
        }
    }

    /// Flips the star of article `i`.
    pub fn toggle_star(&mut self, i: usize) {
        if let Some(m) = self.marks.get_mut(i) {
            m.starred = !m.starred;
        }
    }

    /// Sets the star of article `i`.
    pub fn set_starred(&mut self, i: usize, starred: bool) {
        if let Some(m) = self.marks.get_mut(i) {
            m.starred = starred;
        }
    }

    /// Sets where reading stopped; true when it changed.
    pub fn set_position(&mut self, i: usize, position: Option<Position>) -> bool {
        match self.marks.get_mut(i) {
            Some(m) if m.position != position => {
                m.position = position;
                true
            }
            _ => false,
        }
    }

    /// Adds a batch: ids are given, marks looked up in the stored state, and
    /// the articles wait for [`Archive::merge_staged`] to join the order.
    pub fn stage(&mut self, batch: Vec<Article>, problems: Vec<Problem>) {
        let marks = batch.iter().map(|a| self.stored_marks(a)).collect();
        // One without any text came without it: read when shown.
        let shallow = batch.iter().map(Article::lacks_text).collect();
        self.stage_marked(batch, marks, shallow, problems);
    }

    /// [`Archive::stage`] for articles without their text (from the
    /// snapshot): their files are read when shown, or for a search.
    pub fn stage_shallow(&mut self, batch: Vec<Article>, problems: Vec<Problem>) {
        let marks = batch.iter().map(|a| self.stored_marks(a)).collect();
        let shallow = vec![true; batch.len()];
        self.stage_marked(batch, marks, shallow, problems);
    }

    fn stage_marked(
        &mut self,
        batch: Vec<Article>,
        marks: Vec<Marks>,
        shallow: Vec<bool>,
        problems: Vec<Problem>,
    ) {
        self.marks_version += 1;
        if self.articles.is_empty() {
            // Room for as many as the first piece has (a snapshot's has
            // room for every article): no list doubling past its need.
            let room = batch.capacity();
            self.keys.reserve(room);
            self.shallow.reserve_exact(room);
            self.marks.reserve_exact(room);
            self.meta.reserve_exact(room);
            self.path_hashes.reserve_exact(room);
        }
        self.keys.extend(&batch);
        let first = self.articles.len();
        if self.staged_runs.len() == self.staged() {
            self.keys
                .newest_run(first..first + batch.len(), &mut self.staged_runs);
        }
        if self.staged_tagged == self.staged() {
            self.staged_tags.push(self.index.gather(&batch, first));
            self.staged_tagged += batch.len();
        }
        // The query facts and path hashes as batches come, while the loop
        // would wait for the next: the first query does not make them for
        // a million at once. (Only while complete: else the first query
        // makes the missing ones, in order.)
        if self.meta.len() == self.articles.len() {
            self.meta.extend(Meta::many(&batch));
        }
        if self.path_hashes.len() == self.articles.len() {
            let first = self.articles.len();
            let hashed =
                crate::index::paths::hashed_from(first, batch.iter().map(|a| a.path.as_path()));
            let known = self.path_runs.iter().sum::<usize>() == self.path_hashes.len();
            self.path_hashes.extend(hashed);
            if known {
                self.path_runs.push(self.path_hashes.len() - first);
                // As a binary counter: a run as long as the one before is
                // merged with it (a million in pieces end as one run, the
                // work spread over the pieces), so the searcher opened as
                // a person types need not sort them.
                while let [.., a, b] = self.path_runs[..]
                    && b >= a
                {
                    self.merge_path_runs_at(self.path_runs.len() - 2);
                }
            }
        }
        self.shallow.extend(shallow);
        self.marks.extend(marks);
        if self.articles.is_empty() {
            // The whole snapshot in one piece (a small archive): taken as
            // it is, not copied beside itself.
            self.articles = batch;
        } else {
            self.articles.extend(batch);
        }
        self.problems.extend(problems);
    }

    /// Drops the staged articles (a snapshot that failed after some of its
    /// pieces came): the merged ones stay as they are.
    pub fn discard_staged(&mut self) {
        let merged = self.merged;
        self.marks_version += 1;
        self.articles.truncate(merged);
        self.clear_staged_work();
        self.meta.truncate(merged);
        self.path_hashes.retain(|&(_, id)| (id as usize) < merged);
        self.path_runs.clear();
        self.marks.truncate(merged);
        self.shallow.truncate(merged);
        self.keys.truncate(merged);
    }

    /// Drops what was made ready for the staged articles' merge.
    fn clear_staged_work(&mut self) {
        self.staged_runs = Vec::new();
        self.staged_tags.clear();
        self.staged_tagged = 0;
    }

    /// Whether the staged articles should be merged now: the first ones at
    /// once (the first rows show with the first batch), then when they are as
    /// many as the merged ones.
    pub fn merge_due(&self) -> bool {
        let staged = self.staged();
        staged > 0 && (self.merged == 0 || staged >= self.merged)
    }

    /// Puts the problems in path order (once loading is over).
    pub fn sort_problems(&mut self) {
        sort_problems(&mut self.problems);
    }

    /// The marks the state file holds for an article (none: default).
    fn stored_marks(&self, article: &Article) -> Marks {
        self.stored.marks_of(article)
    }

    /// Applies remembered marks (from the state file) to the articles here and
    /// keeps the rest for articles that arrive later.
    pub fn restore(&mut self, state: State) {
        self.marks_version += 1;
        for (article, marks) in self.articles.iter().zip(&mut self.marks) {
            *marks = state.marks(&article_key(article));
        }
        self.stored = state;
    }

    /// Every mark to save: the articles here and those kept from the state
    /// file. A mark that changed since the state was read is stamped now (so
    /// merging with another reader's file keeps the latest change per mark).
    pub fn state(&mut self) -> State {
        let now = crate::state::now();
        for (article, marks) in self.articles.iter().zip(&self.marks) {
            self.stored.set_marks(&article_key(article), *marks, now);
        }
        self.stored.clone()
    }

    /// Replaces the failed-feed problems: drops those `drop` names and adds `new`.
    pub fn retain_problems(&mut self, keep: impl Fn(&Problem) -> bool) {
        self.problems.retain(keep);
    }

    /// Adds problems (a failed feed, say).
    pub fn add_problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// Drops the articles and problems the predicates name and adds
    /// `articles` and `problems`: ids are given anew. Kept articles keep their
    /// marks, their order and their folded text (no re-sorting, no state
    /// lookups); dropped ones leave their marks in the stored state, for when
    /// they come back. Everything is merged afterwards.
    pub fn replace(
        &mut self,
        drop_article: &dyn Fn(&Path) -> bool,
        drop_problem: &dyn Fn(&Problem) -> bool,
        articles: Vec<Article>,
        problems: Vec<Problem>,
    ) {
        self.merge_staged();
        self.generation += 1;
        self.indexed = None;
        let mut slots: Vec<Option<(Article, (Marks, bool))>> = std::mem::take(&mut self.articles)
            .into_iter()
            .zip(
                std::mem::take(&mut self.marks)
                    .into_iter()
                    .zip(std::mem::take(&mut self.shallow)),
            )
            .map(Some)
            .collect();
        // Each prepared table goes with its articles when it is complete
        // (words are not made while the full-text index answers, so they
        // may be missing while the facts are there).
        let n = slots.len();
        let mut meta = complete(std::mem::take(&mut self.meta), n);
        let words: Vec<(ArticleWords, bool)> = std::mem::take(&mut self.words)
            .into_iter()
            .zip(std::mem::take(&mut self.words_shallow))
            .collect();
        let mut words = complete(words, n);
        let mut kept = Vec::with_capacity(slots.len() + articles.len());
        let mut kept_marks = Vec::with_capacity(slots.len() + articles.len());
        let mut kept_shallow = Vec::with_capacity(slots.len() + articles.len());
        let mut kept_meta = Vec::with_capacity(meta.len());
        let mut kept_words = Vec::with_capacity(words.len());
        for &i in &self.order {
            let i = i as usize;
            let Some((article, (marks, shallow))) = slots.get_mut(i).and_then(Option::take) else {
                continue;
            };
            if drop_article(&article.path) {
                self.stored
                    .set_marks(&article_key(&article), marks, crate::state::now());
            } else {
                kept.push(article);
                kept_marks.push(marks);
                kept_shallow.push(shallow);
                kept_meta.extend(meta.get_mut(i).and_then(Option::take));
                kept_words.extend(words.get_mut(i).and_then(Option::take));
            }
        }
        let old_kept = kept.len();
        kept_marks.extend(articles.iter().map(|a| self.stored_marks(a)));
        // An article without any text came without it (a reload drops it,
        // as the first load does): its file is read when it is shown. One
        // whose file has no text is read again for nothing, harmlessly.
        kept_shallow.extend(articles.iter().map(Article::lacks_text));
        kept.extend(articles);
        let mut problems: Vec<Problem> = std::mem::take(&mut self.problems)
            .into_iter()
            .filter(|p| !drop_problem(p))
            .chain(problems)
            .collect();
        sort_problems(&mut problems);
        self.order.clear();
        self.merged = 0;
        // Complete for the kept articles, or empty; new ones are prepared on the next query.
        if kept_meta.len() == old_kept {
            self.meta = kept_meta;
        }
        if kept_words.len() == old_kept {
            (self.words, self.words_shallow) = kept_words.into_iter().unzip();
        }
        self.shallow_words = self.words_shallow.iter().filter(|s| **s).count();
        // Ids are given anew: the keys and hashes are made again with them.
        self.keys.clear();
        self.path_hashes.clear();
        self.path_runs.clear();
        self.index = TagIndex::new(&self.rules);
        self.tree = None;
        self.stage_marked(kept, kept_marks, kept_shallow, problems);
        self.merge_staged();
    }
}

/// The entries of a table prepared for every one of `n` articles, each
/// to be taken by id; none when the table is not complete.
fn complete<T>(table: Vec<T>, n: usize) -> Vec<Option<T>> {
    if table.len() == n {
        table.into_iter().map(Some).collect()
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(path: &str, date: Option<&str>) -> Article {
        let date = date.map_or(String::new(), |d| format!("Date: {d}\n"));
        let text = format!("{path}\n\n{date}\nBody.\n\nLocation: [Kazakhstan](#)\n");
        let mut a = Article::parse(text.as_bytes(), crate::article::Form::Plain).expect("parses");
        a.path = path.into();
        a
    }

    fn archive() -> Archive {
        Archive::new(PathBuf::from("/a"), &RegionRules::default())
    }

    fn order_paths(a: &Archive) -> Vec<String> {
        a.order()
            .iter()
            .map(|&i| a.article(i as usize).path.display().to_string())
            .collect()
    }

    #[test]
    fn the_path_hashes_end_as_the_one_run_a_whole_sort_makes() {
        let mut a = archive();
        let mut paths = Vec::new();
        for batch in 0..5 {
            let articles: Vec<Article> = (0..3 + batch * 2)
                .map(|n| {
                    let path = format!("f{batch}/a-{n}.txt");
                    paths.push(PathBuf::from(&path));
                    article(&path, Some("2024-01-02"))
                })
                .collect();
            a.stage_shallow(articles, vec![]);
        }
        a.merge_staged();
        // Batches of 3, 5, 7, 9 and 11: a run as long as the one before
        // is merged with it as it comes.
        assert_eq!(a.path_runs, [24, 11]);
        let mut steps = 0;
        while a.path_runs_to_merge() {
            a.prepare_some(1);
            steps += 1;
        }
        assert_eq!(steps, 1, "the rest while idle");
        assert_eq!(a.path_runs, [paths.len()]);
        let whole = crate::index::paths::hashed(paths.iter().map(PathBuf::as_path));
        assert_eq!(a.path_hashes, whole);
    }

    #[test]
    fn words_read_late_never_replace_words_of_the_text_read_since() {
        let mut a = archive();
        let whole = article("x", None);
        let shallow = Article {
            text: None,
            ..whole.clone()
        };
        a.stage_shallow(vec![shallow.clone()], vec![]);
        a.merge_staged();
        let _ = a.prepared_for_scan();
        assert_eq!(a.shallow_words(), 1);
        // The file is read for the reader (or edited) before the words come.
        a.fill_text(0, &whole);
        assert_eq!(a.shallow_words(), 0);
        let generation = a.generation();
        assert!(a.set_words(generation, vec![(0, ArticleWords::new(&shallow))]));
        assert_eq!(
            a.words[0],
            ArticleWords::new(&whole),
            "the newer words stay"
        );
    }

    #[test]
    fn idle_preparing_goes_a_piece_at_a_time_and_then_says_done() {
        let mut a = archive();
        let batch = (0..5).map(|n| article(&format!("a{n}"), None)).collect();
        a.stage(batch, vec![]);
        a.merge_staged();
        assert_eq!(
            a.meta.len(),
            5,
            "the query facts are made as a batch is staged"
        );
        // With no full-text index, the words for the scan, a piece at a time.
        assert_eq!(a.words.len(), 0);
        assert!(a.prepare_some(2) && a.prepare_some(2));
        assert_eq!(a.words.len(), 4);
        assert!(a.prepare_some(2));
        assert_eq!(a.words.len(), 5);
        // Nothing is folded for titles or authors (they fold as compared).
        assert!(!a.prepare_some(2), "nothing left (no index to open)");
        // What the first query then finds is already there.
        assert_eq!(a.prepared().meta.len(), 5);
    }

    #[test]
    fn staged_articles_join_the_order_newest_first_when_merged() {
        let mut a = archive();
        a.stage(vec![article("old", Some("2020-01-01"))], vec![]);
        assert!(a.merge_due(), "the first batch merges at once");
        a.merge_staged();
        a.stage(vec![article("new", Some("2024-01-01"))], vec![]);
        a.stage(vec![article("undated", None)], vec![]);
        assert_eq!(a.staged(), 2);
        assert_eq!(order_paths(&a), ["old"], "staged articles wait");
        a.merge_staged();
        assert_eq!(order_paths(&a), ["new", "old", "undated"]);
        assert_eq!(
            a.index()
                .articles_of(&a.index().resolve("Kazakhstan").expect("tag"))
                .len(),
            3
        );
    }

    #[test]
    fn ids_stay_and_marks_follow_their_articles_across_replace() {
        let mut a = archive();
        a.stage(
            vec![
                article("a", Some("2024-01-03")),
                article("b", Some("2024-01-02")),
            ],
            vec![],
        );
        a.merge_staged();
        let b = a.id_of(Path::new("b")).expect("b");
        a.toggle_star(b);
        a.set_read(b, true);
        // Drop a, add c: b keeps its marks under its new id.
        a.replace(
            &|p| p == Path::new("a"),
            &|_| false,
            vec![article("c", Some("2024-01-01"))],
            vec![],
        );
        assert_eq!(order_paths(&a), ["b", "c"]);
        let b = a.id_of(Path::new("b")).expect("b kept");
        assert!(a.marks(b).starred && a.marks(b).read);
        assert_eq!(a.len(), 2);
        // a comes back with the marks it left in the stored state.
        let a_id = a.id_of(Path::new("a"));
        assert!(a_id.is_none());
    }

    #[test]
    fn a_dropped_article_keeps_its_marks_for_when_it_returns() {
        let mut a = archive();
        a.stage(vec![article("x", None)], vec![]);
        a.merge_staged();
        a.toggle_star(0);
        a.replace(&|_| true, &|_| false, vec![], vec![]);
        assert!(a.is_empty());
        a.replace(&|_| false, &|_| false, vec![article("x", None)], vec![]);
        assert!(a.marks(0).starred, "the star came back with the file");
    }

    #[test]
    fn loading_in_batches_merges_n_log_n_not_n_squared() {
        let mut a = archive();
        let n = 64 * 512;
        let mut merges = 0;
        for b in 0..512 {
            let batch = (0..64)
                .map(|k| article(&format!("p{b}-{k}"), Some("2024-01-01")))
                .collect();
            a.stage(batch, vec![]);
            if a.merge_due() {
                a.merge_staged();
                merges += 1;
            }
        }
        a.merge_staged();
        assert_eq!(a.order().len(), n);
        // Doubling steps: about log2(512) merges writing about 2N positions.
        assert!(merges <= 12, "{merges} merges");
        assert!(
            a.merge_work() <= 3 * n,
            "merge work {} for {n}",
            a.merge_work()
        );
    }
}
