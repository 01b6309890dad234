//! Location tags: folding spellings together (case, spaces, aliases), grouping
//! countries into regions, counting, and selecting articles by tag. The reader's
//! Regions pane and the `list`/`regions` commands share this one code path.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::article::{Article, Name};

/// How the tag rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionSort {
    /// Most articles first, then name.
    #[default]
    Count,
    /// By name.
    Name,
}

/// Region settings from config: groups of tags and alternative spellings.
///
/// `RegionRules::default()` has the gazetteer off (the flat tag list), as a
/// test's bare rules expect; the shipped config turns it on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionRules {
    /// Group name → member tags, e.g. "Central Asia" → ["Kazakhstan", ...].
    pub groups: BTreeMap<String, Vec<String>>,
    /// Spelling → the tag it means, e.g. "Kazakstan" → "Kazakhstan".
    pub aliases: BTreeMap<String, String>,
    /// Row order.
    pub sort: RegionSort,
    /// Whether tags are placed in the automatic World → continent →
    /// subregion → country hierarchy (config `geography`).
    pub geography: bool,
    /// The language place names are shown in (config `display_language`);
    /// empty means English.
    pub language: String,
}

/// The folded form of a tag: lower case, surrounding and repeated spaces removed.
pub fn tag_key(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for word in tag.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A tag's key and the spelling it is counted under (an alias's target
/// when it has one); `None` for a tag of nothing but spaces.
fn key_of(aliases: &HashMap<String, String>, tag: &str) -> Option<(String, String)> {
    let raw_key = tag_key(tag);
    if raw_key.is_empty() {
        return None;
    }
    Some(match aliases.get(&raw_key) {
        Some(target) => (tag_key(target), target.clone()),
        None => (raw_key, tag.trim().to_owned()),
    })
}

/// What a region row or a `--region` argument selects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    /// A group: its own tag and all its members.
    Group(String),
    /// One tag (by key).
    Tag(String),
    /// Articles with no location tag.
    NoLocation,
    /// A node of the place hierarchy: a country (`KZ`), a region
    /// (`continent:asia`, `subregion:central_asia`), a config group placed
    /// in it (`group:south caucasus`) or `other` (every unknown tag). It
    /// picks every article under the node, whatever spelling tagged it.
    Place(String),
}

/// A node of the place hierarchy as the index knows it (see
/// [`TagIndex::set_places`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceEntry {
    /// The name shown (in the display language).
    pub name: String,
    /// Every tag key in the subtree: what selecting the node filters on.
    pub tags: Vec<String>,
    /// Ids of the articles in the subtree, ascending, once each.
    pub articles: std::sync::Arc<[u32]>,
}

/// One tag found in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagEntry {
    /// The folded key.
    pub key: String,
    /// The spelling shown: the alias target, else the most common spelling.
    pub name: String,
    /// Indices of the articles carrying it, ascending, once each.
    pub articles: Vec<u32>,
}

/// A group of tags from config, as found in the archive.
#[derive(Debug, Clone)]
pub struct GroupEntry {
    /// The folded key of the group's name.
    pub key: String,
    /// The group's name as configured.
    pub name: String,
    /// Keys of member tags present in the archive, in config order.
    pub members: Vec<String>,
    /// Indices of articles tagged with the group or any member, once each.
    pub articles: Vec<u32>,
}

/// Tag → articles, built once per set of articles.
#[derive(Debug, Clone, Default)]
pub struct TagIndex {
    /// Every tag, by key.
    pub tags: BTreeMap<String, TagEntry>,
    /// Every configured group that has at least one article.
    pub groups: Vec<GroupEntry>,
    /// Articles with no location tag.
    pub untagged: Vec<u32>,
    aliases: HashMap<String, String>,
    group_keys: HashMap<String, usize>,
    group_rules: Vec<(String, Vec<String>)>,
    /// Spellings seen per key, with counts (few per key, so a list).
    spellings: HashMap<String, Vec<(String, usize)>>,
    /// The place hierarchy's nodes by id; empty when geography is off.
    places: HashMap<String, PlaceEntry>,
    /// Tag key → the place node it names itself (`кыргызстан` → `KG`).
    tag_places: HashMap<String, String>,
    /// Folded node name → node id (`asia` → `continent:asia`).
    place_names: HashMap<String, String>,
}

/// A batch's tags, gathered ([`TagIndex::gather`]) and not yet added.
#[derive(Debug, Default)]
pub struct TagBatch {
    gathered: Vec<Gathered>,
    untagged: Vec<u32>,
}

/// One tag as written in a batch: its key, its spelling, how often it
/// occurs and the ids that carry it.
#[derive(Debug)]
struct Gathered {
    key: String,
    spelling: String,
    count: usize,
    ids: Vec<u32>,
}

fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl TagIndex {
    /// Indexes the location tags of `articles` under `rules`.
    pub fn build(articles: &[Article], rules: &RegionRules) -> TagIndex {
        let mut index = TagIndex::new(rules);
        index.add(articles, 0);
        index
    }

    /// An empty index under `rules`, to [`add`](TagIndex::add) articles to.
    pub fn new(rules: &RegionRules) -> TagIndex {
        TagIndex {
            aliases: rules
                .aliases
                .iter()
                .map(|(from, to)| (tag_key(from), to.trim().to_owned()))
                .collect(),
            group_rules: rules
                .groups
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            ..TagIndex::default()
        }
    }

    /// Adds articles whose ids start at `first_id` (ids only grow, so each
    /// tag's list stays sorted), then refreshes names and groups.
    pub fn add(&mut self, articles: &[Article], first_id: usize) {
        let batch = self.gather(articles, first_id);
        self.add_gathered(vec![batch]);
    }

    /// The first half of [`TagIndex::add`], which changes nothing: each
    /// distinct tag as written is keyed once per call and its articles
    /// gathered (a million articles carry millions of tags, and folding
    /// and looking each up was most of merging them). The reader gathers a
    /// batch as it is staged, while the batch is fresh in memory and the
    /// loop would wait for the next.
    pub fn gather(&self, articles: &[Article], first_id: usize) -> TagBatch {
        // By the name's id: hashing one integer, not the text.
        let mut slot_of: rustc_hash::FxHashMap<usize, Option<usize>> =
            rustc_hash::FxHashMap::default();
        let mut batch = TagBatch::default();
        for (n, article) in articles.iter().enumerate() {
            let i = (first_id + n) as u32;
            let mut any = false;
            for tag in &article.locations {
                let slot = *slot_of.entry(tag.id()).or_insert_with(|| {
                    key_of(&self.aliases, tag).map(|(key, spelling)| {
                        batch.gathered.push(Gathered {
                            key,
                            spelling,
                            count: 0,
                            ids: Vec::new(),
                        });
                        batch.gathered.len() - 1
                    })
                });
                let Some(slot) = slot else {
                    continue;
                };
                any = true;
                let g = &mut batch.gathered[slot];
                g.count += 1;
                if g.ids.last() != Some(&i) {
                    g.ids.push(i);
                }
            }
            if !any {
                batch.untagged.push(i);
            }
        }
        batch
    }

    /// The second half of [`TagIndex::add`]: the tables updated once per
    /// tag of each batch, the batches in the order of their ids (each after
    /// every id already here), then names and groups refreshed once.
    pub fn add_gathered(&mut self, batches: Vec<TagBatch>) {
        let mut touched = Vec::new();
        for batch in batches {
            self.untagged.extend_from_slice(&batch.untagged);
            for g in batch.gathered {
                let counts = self.spellings.entry(g.key.clone()).or_default();
                match counts.iter_mut().find(|(s, _)| *s == g.spelling) {
                    Some((_, c)) => *c += g.count,
                    None => counts.push((g.spelling, g.count)),
                }
                let entry = self.tags.entry(g.key.clone()).or_insert_with(|| TagEntry {
                    key: g.key.clone(),
                    name: String::new(),
                    articles: Vec::new(),
                });
                // Two spellings of one key can share an article: merged once.
                if entry
                    .articles
                    .last()
                    .is_none_or(|&l| g.ids.first().is_some_and(|&f| f > l))
                {
                    entry.articles.extend_from_slice(&g.ids);
                } else {
                    entry.articles = merge_sorted(&entry.articles, &g.ids);
                }
                touched.push(g.key);
            }
        }
        self.rename(touched);
        self.rebuild_groups();
    }

    /// The alias target for a key, else its most common spelling.
    fn preferred_name(&self, key: &str) -> String {
        if let Some(t) = self.aliases.values().find(|t| tag_key(t) == key) {
            return t.clone();
        }
        self.spellings
            .get(key)
            .and_then(|s| {
                s.iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(n, _)| n.clone())
            })
            .unwrap_or_else(|| key.to_owned())
    }

    /// Moves article `id` from the tags of `old` to those of `new` (its file
    /// edited in place: the id stays), then refreshes names and groups.
    pub fn replace_one(&mut self, id: usize, old: &[Name], new: &[Name]) {
        let i = id as u32;
        let mut touched = Vec::new();
        let mut had_any = false;
        for tag in old {
            let Some((key, spelling)) = key_of(&self.aliases, tag) else {
                continue;
            };
            had_any = true;
            if let Some(counts) = self.spellings.get_mut(&key) {
                if let Some(pos) = counts.iter().position(|(s, _)| *s == spelling) {
                    counts[pos].1 -= 1;
                    if counts[pos].1 == 0 {
                        counts.remove(pos);
                    }
                }
                if counts.is_empty() {
                    self.spellings.remove(&key);
                }
            }
            if let Some(entry) = self.tags.get_mut(&key) {
                if let Ok(pos) = entry.articles.binary_search(&i) {
                    entry.articles.remove(pos);
                }
                if entry.articles.is_empty() {
                    self.tags.remove(&key);
                }
            }
            touched.push(key);
        }
        if !had_any && let Ok(pos) = self.untagged.binary_search(&i) {
            self.untagged.remove(pos);
        }
        let mut any = false;
        for tag in new {
            let Some((key, spelling)) = key_of(&self.aliases, tag) else {
                continue;
            };
            any = true;
            self.count_in(&key, &spelling, i);
            touched.push(key);
        }
        if !any && let Err(pos) = self.untagged.binary_search(&i) {
            self.untagged.insert(pos, i);
        }
        self.rename(touched);
        self.rebuild_groups();
    }

    /// Counts `spelling` under `key` and puts article `i` in its list (kept
    /// sorted; `i` is most often the last).
    fn count_in(&mut self, key: &str, spelling: &str, i: u32) {
        if !self.spellings.contains_key(key) {
            self.spellings.insert(key.to_owned(), Vec::new());
        }
        if let Some(counts) = self.spellings.get_mut(key) {
            match counts.iter_mut().find(|(s, _)| s == spelling) {
                Some((_, c)) => *c += 1,
                None => counts.push((spelling.to_owned(), 1)),
            }
        }
        if !self.tags.contains_key(key) {
            self.tags.insert(
                key.to_owned(),
                TagEntry {
                    key: key.to_owned(),
                    name: String::new(),
                    articles: Vec::new(),
                },
            );
        }
        if let Some(entry) = self.tags.get_mut(key) {
            match entry.articles.last() {
                None => entry.articles.push(i),
                Some(&last) if last < i => entry.articles.push(i),
                Some(_) => {
                    if let Err(pos) = entry.articles.binary_search(&i) {
                        entry.articles.insert(pos, i);
                    }
                }
            }
        }
    }

    /// Gives each of these tags its preferred name again.
    fn rename(&mut self, mut touched: Vec<String>) {
        touched.sort();
        touched.dedup();
        for key in touched {
            let name = self.preferred_name(&key);
            if let Some(entry) = self.tags.get_mut(&key) {
                entry.name = name;
            }
        }
    }

    fn rebuild_groups(&mut self) {
        self.groups.clear();
        self.group_keys.clear();
        for (name, members) in &self.group_rules {
            let key = tag_key(name);
            let mut articles = self
                .tags
                .get(&key)
                .map(|t| t.articles.clone())
                .unwrap_or_default();
            let mut present = Vec::new();
            for member in members {
                let raw = tag_key(member);
                let member_key = self.aliases.get(&raw).map(|t| tag_key(t)).unwrap_or(raw);
                if let Some(t) = self.tags.get(&member_key)
                    && !present.contains(&member_key)
                {
                    articles = merge_sorted(&articles, &t.articles);
                    present.push(member_key);
                }
            }
            if !articles.is_empty() {
                self.group_keys.insert(key.clone(), self.groups.len());
                self.groups.push(GroupEntry {
                    key,
                    name: name.trim().to_owned(),
                    members: present,
                    articles,
                });
            }
        }
    }

    /// The group with this key, if any.
    pub fn group(&self, key: &str) -> Option<&GroupEntry> {
        self.group_keys.get(key).map(|&i| &self.groups[i])
    }

    /// Whether a tag key belongs to some group (as its name or a member).
    pub fn is_grouped(&self, key: &str) -> bool {
        self.group_keys.contains_key(key)
            || self
                .groups
                .iter()
                .any(|g| g.members.iter().any(|m| m == key))
    }

    /// Resolves a name typed by a person (any case, spacing or alias) to what
    /// it selects. With the place hierarchy set, a place wins: `Kyrgyzstan`,
    /// `Кыргызстан` and `Киргизия` all select the country node (every
    /// spelling), `Asia` the continent.
    pub fn resolve(&self, name: &str) -> Option<Selector> {
        self.resolve_place(name)
            .map(Selector::Place)
            .or_else(|| self.resolve_tag(name))
    }

    /// The id of the place node a name means (see [`TagIndex::resolve`]), if
    /// the hierarchy is set and the node has articles.
    pub fn resolve_place(&self, name: &str) -> Option<String> {
        if self.places.is_empty() {
            return None;
        }
        let raw = tag_key(name);
        let key = self.aliases.get(&raw).map(|t| tag_key(t)).unwrap_or(raw);
        if let Some(id) = self.tag_places.get(&key) {
            return Some(id.clone());
        }
        if let Some(id) = self.place_names.get(&key) {
            return Some(id.clone());
        }
        // A name no article uses but the gazetteer knows (`Киргизия`).
        if self.tags.contains_key(&key) {
            return None;
        }
        let code = crate::gazetteer::Gazetteer::get().resolve(name)?.code();
        self.places.contains_key(&code).then_some(code)
    }

    /// The tag keys a place name stands for: every tag under its node (the
    /// query language's `tag:Asia`); `None` when it names no place here.
    pub fn tags_of_place(&self, name: &str) -> Option<&[String]> {
        let id = self.resolve_place(name)?;
        self.places.get(&id).map(|p| p.tags.as_slice())
    }

    /// The place node with this id, if set.
    pub fn place(&self, id: &str) -> Option<&PlaceEntry> {
        self.places.get(id)
    }

    /// Sets the place hierarchy's nodes (id → entry), built from this index
    /// by [`crate::geo_tree`]; an empty map turns places off.
    pub fn set_places(&mut self, places: HashMap<String, PlaceEntry>) {
        self.tag_places.clear();
        self.place_names.clear();
        for (id, place) in &places {
            self.place_names.insert(tag_key(&place.name), id.clone());
        }
        self.places = places;
    }

    /// Records that tag `key` names place node `id` itself.
    pub fn set_tag_place(&mut self, key: &str, id: &str) {
        self.tag_places.insert(key.to_owned(), id.to_owned());
    }

    /// Resolves a name to a tag or group only (the places aside), as the
    /// flat list does.
    pub fn resolve_tag(&self, name: &str) -> Option<Selector> {
        let raw = tag_key(name);
        if raw == "no location" {
            return Some(Selector::NoLocation);
        }
        let key = self.aliases.get(&raw).map(|t| tag_key(t)).unwrap_or(raw);
        if self.group_keys.contains_key(&key) {
            Some(Selector::Group(key))
        } else if self.tags.contains_key(&key) {
            Some(Selector::Tag(key))
        } else {
            None
        }
    }

    /// How a tag as written in an article is shown: its alias target or most
    /// common spelling.
    pub fn display_name(&self, tag: &str) -> String {
        let raw = tag_key(tag);
        let key = self.aliases.get(&raw).map(|t| tag_key(t)).unwrap_or(raw);
        self.tags
            .get(&key)
            .map_or_else(|| tag.trim().to_owned(), |t| t.name.clone())
    }

    /// The articles a selector picks, ascending.
    pub fn articles_of(&self, selector: &Selector) -> &[u32] {
        match selector {
            Selector::Group(key) => self.group(key).map_or(&[], |g| &g.articles),
            Selector::Tag(key) => self.tags.get(key).map_or(&[], |t| &t.articles),
            Selector::NoLocation => &self.untagged,
            Selector::Place(id) => self.places.get(id).map_or(&[], |p| &p.articles),
        }
    }

    /// The name shown for a selector.
    pub fn name_of(&self, selector: &Selector) -> String {
        match selector {
            Selector::Group(key) => self.group(key).map_or(key.clone(), |g| g.name.clone()),
            Selector::Tag(key) => self.tags.get(key).map_or(key.clone(), |t| t.name.clone()),
            Selector::NoLocation => "No location".to_owned(),
            Selector::Place(id) => self.places.get(id).map_or(id.clone(), |p| p.name.clone()),
        }
    }

    /// A membership mask over `len` articles: those any selector picks.
    pub fn mask(&self, selectors: &[Selector], len: usize) -> Vec<bool> {
        let mut mask = vec![false; len];
        for s in selectors {
            for &i in self.articles_of(s) {
                if let Some(m) = mask.get_mut(i as usize) {
                    *m = true;
                }
            }
        }
        mask
    }

    /// Counts the articles of a selector that pass `allowed` (all when `None`).
    pub fn count(&self, selector: &Selector, allowed: Option<&[bool]>) -> usize {
        let ids = self.articles_of(selector);
        match allowed {
            None => ids.len(),
            Some(mask) => ids
                .iter()
                .filter(|&&i| mask.get(i as usize).copied().unwrap_or(false))
                .count(),
        }
    }

    /// The top-level rows in display order: groups and ungrouped tags, then
    /// `No location` last. Counts are under `allowed`.
    pub fn top_level(&self, sort: RegionSort, allowed: Option<&[bool]>) -> Vec<(Selector, usize)> {
        let mut rows: Vec<(Selector, usize, String)> = Vec::new();
        for g in &self.groups {
            let s = Selector::Group(g.key.clone());
            rows.push((s.clone(), self.count(&s, allowed), g.name.clone()));
        }
        for (key, t) in &self.tags {
            if !self.is_grouped(key) {
                let s = Selector::Tag(key.clone());
                rows.push((s.clone(), self.count(&s, allowed), t.name.clone()));
            }
        }
        sort_rows(&mut rows, sort);
        let mut out: Vec<(Selector, usize)> = rows.into_iter().map(|(s, c, _)| (s, c)).collect();
        if !self.untagged.is_empty() {
            out.push((
                Selector::NoLocation,
                self.count(&Selector::NoLocation, allowed),
            ));
        }
        out
    }

    /// The member rows of a group, in display order, counts under `allowed`.
    pub fn members(
        &self,
        group_key: &str,
        sort: RegionSort,
        allowed: Option<&[bool]>,
    ) -> Vec<(Selector, usize)> {
        let Some(g) = self.group(group_key) else {
            return Vec::new();
        };
        let mut rows: Vec<(Selector, usize, String)> = g
            .members
            .iter()
            .map(|m| {
                let s = Selector::Tag(m.clone());
                let n = self.count(&s, allowed);
                (s, n, self.name_of(&Selector::Tag(m.clone())))
            })
            .collect();
        sort_rows(&mut rows, sort);
        rows.into_iter().map(|(s, c, _)| (s, c)).collect()
    }
}

fn sort_rows(rows: &mut [(Selector, usize, String)], sort: RegionSort) {
    match sort {
        RegionSort::Count => rows.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| a.2.to_lowercase().cmp(&b.2.to_lowercase()))
        }),
        RegionSort::Name => rows.sort_by_key(|r| r.2.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(tags: &[&str]) -> Article {
        Article {
            locations: tags.iter().map(|t| Name::new(t)).collect(),
            ..Article::default()
        }
    }

    fn rules() -> RegionRules {
        let mut r = RegionRules::default();
        r.groups.insert(
            "Central Asia".into(),
            vec![
                "Kazakhstan".into(),
                "Kyrgyzstan".into(),
                "Tajikistan".into(),
            ],
        );
        r.aliases.insert("Kazakstan".into(), "Kazakhstan".into());
        r
    }

    #[test]
    fn batches_give_the_index_one_article_at_a_time_gives() {
        let articles = vec![
            art(&["Kazakhstan", "KAZAKHSTAN"]),
            art(&["Kazakstan", "Russia"]),
            art(&[]),
            art(&["russia", "Russia", "  "]),
            art(&["Kazakhstan"]),
            art(&["kazakhstan", "Kyrgyzstan"]),
        ];
        let whole = TagIndex::build(&articles, &rules());
        let mut pieces = TagIndex::new(&rules());
        pieces.add(&articles[..2], 0);
        pieces.add(&articles[2..3], 2);
        pieces.add(&articles[3..], 3);
        let mut one_by_one = TagIndex::new(&rules());
        for (i, a) in articles.iter().enumerate() {
            one_by_one.add(std::slice::from_ref(a), i);
        }
        // Gathered as staged, added at once (what a snapshot's pieces do).
        let mut gathered = TagIndex::new(&rules());
        let batches = vec![
            gathered.gather(&articles[..3], 0),
            gathered.gather(&articles[3..4], 3),
            gathered.gather(&articles[4..], 4),
        ];
        assert!(gathered.tags.is_empty(), "gathering changes nothing");
        gathered.add_gathered(batches);
        for index in [&pieces, &one_by_one, &gathered] {
            assert_eq!(index.tags, whole.tags);
            assert_eq!(index.untagged, whole.untagged);
            assert_eq!(index.spellings, whole.spellings);
            assert_eq!(index.groups[0].articles, whole.groups[0].articles);
        }
        let kz = &whole.tags["kazakhstan"];
        assert_eq!(kz.articles, [0, 1, 4, 5], "once each, the alias too");
        assert_eq!(kz.name, "Kazakhstan");
        assert_eq!(whole.tags["russia"].articles, [1, 3]);
        assert_eq!(whole.untagged, [2]);
        assert_eq!(whole.groups[0].articles, [0, 1, 4, 5]);
    }

    #[test]
    fn folding_ignores_case_and_spaces() {
        assert_eq!(tag_key("  central   Asia "), "central asia");
        assert_eq!(tag_key("КЫРГЫЗСТАН"), "кыргызстан");
    }

    #[test]
    fn group_counts_each_article_once() {
        let arts = vec![
            art(&["Central Asia", "Kyrgyzstan"]),
            art(&["Kyrgyzstan"]),
            art(&["Georgia"]),
            art(&[]),
        ];
        let idx = TagIndex::build(&arts, &rules());
        let g = Selector::Group("central asia".into());
        assert_eq!(idx.count(&g, None), 2);
        assert_eq!(idx.untagged, vec![3]);
        let top = idx.top_level(RegionSort::Count, None);
        assert_eq!(top[0], (g, 2));
        assert_eq!(top.last(), Some(&(Selector::NoLocation, 1)));
        assert!(
            !top.iter()
                .any(|(s, _)| *s == Selector::Tag("kyrgyzstan".into()))
        );
    }

    #[test]
    fn aliases_merge_before_counting() {
        let arts = vec![
            art(&["Kazakstan"]),
            art(&["kazakhstan"]),
            art(&["Kazakhstan"]),
        ];
        let idx = TagIndex::build(&arts, &rules());
        assert!(!idx.tags.contains_key("kazakstan"));
        let t = &idx.tags["kazakhstan"];
        assert_eq!(t.name, "Kazakhstan");
        assert_eq!(t.articles, vec![0, 1, 2]);
        assert_eq!(
            idx.resolve("KAZAKSTAN"),
            Some(Selector::Tag("kazakhstan".into()))
        );
        assert_eq!(
            idx.resolve("central  asia "),
            Some(Selector::Group("central asia".into()))
        );
    }

    #[test]
    fn adding_in_batches_equals_building_at_once() {
        let arts = vec![
            art(&["Central Asia", "Kyrgyzstan"]),
            art(&["Kazakstan"]),
            art(&[]),
            art(&["Georgia"]),
            art(&["kyrgyzstan"]),
        ];
        let whole = TagIndex::build(&arts, &rules());
        let mut parts = TagIndex::new(&rules());
        parts.add(&arts[..2], 0);
        parts.add(&arts[2..], 2);
        assert_eq!(
            parts.top_level(RegionSort::Count, None),
            whole.top_level(RegionSort::Count, None)
        );
        assert_eq!(parts.untagged, whole.untagged);
        assert_eq!(parts.tags["kyrgyzstan"].articles, vec![0, 4]);
        assert_eq!(
            parts.group("central asia").map(|g| g.articles.clone()),
            Some(vec![0, 1, 4])
        );
    }

    #[test]
    fn most_common_spelling_is_shown() {
        let arts = vec![art(&["GEORGIA"]), art(&["Georgia"]), art(&["Georgia"])];
        let idx = TagIndex::build(&arts, &RegionRules::default());
        assert_eq!(idx.tags["georgia"].name, "Georgia");
    }

    #[test]
    fn counts_respect_other_filters() {
        let arts = vec![art(&["Georgia"]), art(&["Georgia"])];
        let idx = TagIndex::build(&arts, &RegionRules::default());
        let s = Selector::Tag("georgia".into());
        assert_eq!(idx.count(&s, Some(&[true, false])), 1);
    }
}
