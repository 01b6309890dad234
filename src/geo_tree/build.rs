//! Building the place tree: tags placed by the gazetteer, config groups
//! pinned or given a node of their own, each node's articles gathered once.

use std::collections::HashMap;

use super::{GeoNode, GroupInput, NodeKind, TagInput, TreeOptions};
use crate::gazetteer::{Gazetteer, Place};
use crate::regions::{RegionRules, RegionSort, TagIndex};

/// Where a config group puts its members.
enum GroupPlace {
    /// Named like a gazetteer place: members are pinned under it.
    Pinned(Vec<NodeKind>),
    /// A node of its own at this path (the group node is the last step).
    Own(Vec<NodeKind>),
}

/// The path from the root (exclusive) to the node a place is.
fn place_path(place: &Place) -> Vec<NodeKind> {
    let mut path = Vec::with_capacity(3);
    if let Some(c) = place.continent() {
        path.push(NodeKind::Continent(c));
    }
    match place {
        Place::Continent(_) => {}
        Place::Subregion(s) => path.push(NodeKind::Subregion(*s)),
        Place::Country(c) => {
            if let Some(s) = c.subregion {
                path.push(NodeKind::Subregion(s));
            }
            path.push(NodeKind::Country(c.code.clone()));
        }
    }
    path
}

fn common_prefix(a: &[NodeKind], b: &[NodeKind]) -> Vec<NodeKind> {
    a.iter()
        .zip(b)
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.clone())
        .collect()
}

/// Builds the tree from the archive's tags, the config's groups and the
/// untagged articles.
pub fn build_tree(
    tags: &[TagInput],
    groups: &[GroupInput],
    untagged: &[u32],
    gazetteer: &Gazetteer,
    options: TreeOptions,
) -> GeoNode {
    let resolved: Vec<Option<Place>> = tags.iter().map(|t| gazetteer.resolve(t.name)).collect();
    let resolve_key = |key: &str| -> Option<Place> {
        tags.iter()
            .position(|t| t.key == key)
            .and_then(|i| resolved[i])
            .or_else(|| gazetteer.resolve(key))
    };

    // Which group takes each country and each unknown tag (first group wins).
    let mut group_places: Vec<(GroupPlace, &GroupInput)> = Vec::new();
    let mut country_group: HashMap<String, usize> = HashMap::new();
    let mut tag_group: HashMap<&str, usize> = HashMap::new();
    for g in groups {
        let n = group_places.len();
        let mut member_paths: Vec<Vec<NodeKind>> = Vec::new();
        for m in g.members {
            match resolve_key(m).and_then(|p| p.country()) {
                Some(c) => {
                    country_group.entry(c.code.clone()).or_insert(n);
                    if let Some(p) = resolve_key(m) {
                        let mut path = place_path(&p);
                        path.pop();
                        member_paths.push(path);
                    }
                }
                None => {
                    tag_group.entry(m.as_str()).or_insert(n);
                }
            }
        }
        tag_group.entry(g.key).or_insert(n);
        let place = match gazetteer.resolve(g.name) {
            Some(p) => GroupPlace::Pinned(place_path(&p)),
            None => {
                let mut at = member_paths
                    .split_first()
                    .map(|(first, rest)| {
                        rest.iter()
                            .fold(first.clone(), |acc, p| common_prefix(&acc, p))
                    })
                    .unwrap_or_default();
                if member_paths.is_empty() {
                    at.push(NodeKind::OtherTags);
                }
                at.push(NodeKind::Group(g.key.to_owned()));
                GroupPlace::Own(at)
            }
        };
        group_places.push((place, g));
    }

    let mut root = Builder::new(NodeKind::World);
    let mut names: HashMap<NodeKind, String> = HashMap::new();
    for (t, place) in tags.iter().zip(&resolved) {
        let group = match place.and_then(|p| p.country()) {
            Some(c) => country_group.get(&c.code),
            None => tag_group.get(t.key),
        };
        let path = match (group.map(|&i| &group_places[i]), place) {
            (Some((GroupPlace::Own(at), g)), _) if t.key == g.key => at.clone(),
            (Some((GroupPlace::Own(at), _)), Some(p)) if p.country().is_some() => {
                let mut path = at.clone();
                path.extend(place_path(p).pop());
                path
            }
            (Some((GroupPlace::Own(at), _)), _) => {
                let mut path = at.clone();
                path.push(NodeKind::Tag(t.key.to_owned()));
                path
            }
            (Some((GroupPlace::Pinned(at), g)), _) if t.key == g.key => at.clone(),
            (Some((GroupPlace::Pinned(at), _)), Some(p)) => {
                let mut path = at.clone();
                if let (Some(c), false) =
                    (p.country(), matches!(at.last(), Some(NodeKind::Country(_))))
                {
                    path.push(NodeKind::Country(c.code.clone()));
                }
                path
            }
            (Some((GroupPlace::Pinned(at), _)), None) => {
                let mut path = at.clone();
                path.push(NodeKind::Tag(t.key.to_owned()));
                path
            }
            (None, Some(p)) => place_path(p),
            (None, None) => vec![NodeKind::OtherTags, NodeKind::Tag(t.key.to_owned())],
        };
        for step in &path {
            names.entry(step.clone()).or_insert_with(|| match step {
                NodeKind::Tag(key) if key == t.key => t.name.to_owned(),
                _ => String::new(),
            });
        }
        root.insert(&path, t.key, t.articles);
    }
    if !untagged.is_empty() {
        let mut node = Builder::new(NodeKind::NoLocation);
        node.articles.extend_from_slice(untagged);
        root.children.push(node);
    }
    let group_names: HashMap<&str, &str> = groups.iter().map(|g| (g.key, g.name)).collect();
    root.finish(
        &|kind: &NodeKind| match kind {
            NodeKind::World => "World".to_owned(),
            NodeKind::Continent(c) => c.name(options.language).to_owned(),
            NodeKind::Subregion(s) => s.name(options.language).to_owned(),
            NodeKind::Country(code) => gazetteer
                .country(code)
                .map_or_else(|| code.clone(), |c| c.name(options.language).to_owned()),
            NodeKind::Group(key) => group_names
                .get(key.as_str())
                .map_or(key.clone(), |n| n.trim().to_owned()),
            NodeKind::Tag(key) => names
                .get(kind)
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| key.clone()),
            NodeKind::OtherTags => "Other tags".to_owned(),
            NodeKind::NoLocation => "No location".to_owned(),
        },
        options.sort,
    )
}

/// The tree of a [`TagIndex`] built under `rules`: its tags, the rules'
/// groups and its untagged articles.
pub fn tree_of_index(index: &TagIndex, rules: &RegionRules, options: TreeOptions) -> GeoNode {
    let groups: Vec<(&String, &Vec<String>)> = rules.groups.iter().collect();
    let tags: Vec<TagInput> = index
        .tags
        .values()
        .map(|t| TagInput {
            key: &t.key,
            name: &t.name,
            articles: &t.articles,
        })
        .collect();
    let keys: Vec<(String, Vec<String>)> = groups
        .iter()
        .map(|(name, members)| {
            (
                crate::regions::tag_key(name),
                members
                    .iter()
                    .map(|m| {
                        let key = crate::regions::tag_key(m);
                        index.resolve_tag(m).map_or(key.clone(), |s| match s {
                            crate::regions::Selector::Tag(k)
                            | crate::regions::Selector::Group(k) => k,
                            crate::regions::Selector::NoLocation
                            | crate::regions::Selector::Place(_) => key,
                        })
                    })
                    .collect(),
            )
        })
        .collect();
    let inputs: Vec<GroupInput> = groups
        .iter()
        .zip(&keys)
        .map(|((name, _), (key, members))| GroupInput { key, name, members })
        .collect();
    build_tree(&tags, &inputs, &index.untagged, Gazetteer::get(), options)
}

/// `ids` sorted, each once. A long list (the World's, a continent's: about
/// every id) is sorted through a bitmap of the ids, in one pass over it and
/// one over the map: sorting a million ids each time was a tenth of a
/// million-article start.
fn sorted_union(mut ids: Vec<u32>) -> Vec<u32> {
    let Some(&max) = ids.iter().max() else {
        return ids;
    };
    let words = max as usize / 64 + 1;
    if ids.len() < words * 2 {
        ids.sort_unstable();
        ids.dedup();
        ids.shrink_to_fit();
        return ids;
    }
    let mut bits = vec![0u64; words];
    for &i in &ids {
        bits[i as usize / 64] |= 1 << (i % 64);
    }
    drop(ids);
    let count = bits.iter().map(|w| w.count_ones() as usize).sum();
    let mut ids = Vec::with_capacity(count);
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            ids.push((w * 64) as u32 + word.trailing_zeros());
            word &= word - 1;
        }
    }
    ids
}

/// A node being built: articles gathered unsorted, sorted once at the end.
struct Builder {
    kind: NodeKind,
    tags: Vec<String>,
    articles: Vec<u32>,
    children: Vec<Builder>,
}

impl Builder {
    fn new(kind: NodeKind) -> Builder {
        Builder {
            kind,
            tags: Vec::new(),
            articles: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Puts a tag and its articles at the end of `path` (a node's articles
    /// are its children's too, gathered as it is finished).
    fn insert(&mut self, path: &[NodeKind], tag: &str, articles: &[u32]) {
        match path.split_first() {
            None => {
                self.tags.push(tag.to_owned());
                self.articles.extend_from_slice(articles);
            }
            Some((step, rest)) => {
                let i = match self.children.iter().position(|c| c.kind == *step) {
                    Some(i) => i,
                    None => {
                        self.children.push(Builder::new(step.clone()));
                        self.children.len() - 1
                    }
                };
                self.children[i].insert(rest, tag, articles);
            }
        }
    }

    fn finish(mut self, name: &dyn Fn(&NodeKind) -> String, sort: RegionSort) -> GeoNode {
        self.tags.sort();
        let mut children: Vec<GeoNode> = self
            .children
            .into_iter()
            .map(|c| c.finish(name, sort))
            .collect();
        // Its own and its children's, each child's once (not every tag's
        // list again at every level: a million ids gathered four times).
        // A node of one child and no articles of its own has the child's
        // (shared, not copied: a subregion of one country, say).
        let articles: std::sync::Arc<[u32]> = match &children[..] {
            [only] if self.articles.is_empty() => only.articles.clone(),
            _ => {
                let mut ids = std::mem::take(&mut self.articles);
                for child in &children {
                    ids.extend_from_slice(&child.articles);
                }
                sorted_union(ids).into()
            }
        };
        // Other tags and No location stay last, whatever their counts.
        let rank = |k: &NodeKind| match k {
            NodeKind::OtherTags => 1,
            NodeKind::NoLocation => 2,
            _ => 0,
        };
        children.sort_by(|a, b| {
            rank(&a.kind).cmp(&rank(&b.kind)).then_with(|| match sort {
                RegionSort::Count => b
                    .articles
                    .len()
                    .cmp(&a.articles.len())
                    .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase())),
                RegionSort::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            })
        });
        GeoNode {
            name: name(&self.kind),
            kind: self.kind,
            tags: self.tags,
            articles,
            children,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_union_is_sorted_and_each_id_once_whichever_way_it_is_made() {
        // Short against the largest id (sorted), and long (through the map).
        for ids in [
            vec![9_000, 3, 3, 70, 1],
            vec![
                5, 1, 4, 1, 3, 0, 2, 63, 64, 2, 65, 127, 128, 7, 6, 5, 8, 9, 10,
            ],
            vec![],
        ] {
            let mut expected = ids.clone();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(sorted_union(ids), expected);
        }
    }
    use crate::gazetteer::{Continent, Subregion};

    fn tree(tags: &[(&str, &[u32])], groups: &[(&str, &[&str])]) -> GeoNode {
        let owned: Vec<(String, String, Vec<u32>)> = tags
            .iter()
            .map(|(n, a)| (crate::regions::tag_key(n), n.to_string(), a.to_vec()))
            .collect();
        let inputs: Vec<TagInput> = owned
            .iter()
            .map(|(k, n, a)| TagInput {
                key: k,
                name: n,
                articles: a,
            })
            .collect();
        let gowned: Vec<(String, String, Vec<String>)> = groups
            .iter()
            .map(|(n, m)| {
                (
                    crate::regions::tag_key(n),
                    n.to_string(),
                    m.iter().map(|x| crate::regions::tag_key(x)).collect(),
                )
            })
            .collect();
        let ginputs: Vec<GroupInput> = gowned
            .iter()
            .map(|(k, n, m)| GroupInput {
                key: k,
                name: n,
                members: m,
            })
            .collect();
        build_tree(
            &inputs,
            &ginputs,
            &[],
            Gazetteer::get(),
            TreeOptions::default(),
        )
    }

    #[test]
    fn two_spellings_of_kyrgyzstan_are_one_row_of_two_under_central_asia() {
        let t = tree(&[("Кыргызстан", &[0]), ("Kyrgyzstan", &[1])], &[]);
        let ca = t
            .find(&NodeKind::Subregion(Subregion::CentralAsia))
            .map(|n| n.count());
        assert_eq!(ca, Some(2));
        let kg = t.find(&NodeKind::Country("KG".into()));
        assert_eq!(
            kg.map(|n| (n.name.as_str(), n.count())),
            Some(("Kyrgyzstan", 2))
        );
        assert_eq!(kg.map(|n| n.tags.len()), Some(2));
    }

    #[test]
    fn former_states_sit_in_europe() {
        let t = tree(
            &[("USSR", &[0]), ("West Germany", &[1, 2]), ("cocoa", &[2])],
            &[],
        );
        let europe = t.find(&NodeKind::Continent(Continent::Europe));
        assert_eq!(europe.map(|n| n.count()), Some(3));
        assert!(
            europe
                .and_then(|e| e.find(&NodeKind::Country("SUHH".into())))
                .is_some()
        );
        assert!(
            europe
                .and_then(|e| e.find(&NodeKind::Country("XWDE".into())))
                .is_some()
        );
        let other = t.find(&NodeKind::OtherTags);
        assert_eq!(other.map(|o| o.children[0].name.as_str()), Some("cocoa"));
        assert_eq!(t.count(), 3);
    }

    #[test]
    fn an_own_group_sits_where_its_members_do() {
        let t = tree(
            &[
                ("Armenia", &[0]),
                ("Georgia", &[1]),
                ("Грузия", &[2]),
                ("Iraq", &[3]),
                ("South Caucasus", &[4]),
            ],
            &[("South Caucasus", &["Armenia", "Azerbaijan", "Georgia"])],
        );
        let wa = t
            .find(&NodeKind::Subregion(Subregion::WesternAsia))
            .expect("western asia");
        let g = wa
            .children
            .iter()
            .find(|c| c.kind == NodeKind::Group("south caucasus".into()))
            .expect("group under Western Asia");
        assert_eq!(g.count(), 4);
        assert_eq!(g.tags, vec!["south caucasus".to_owned()]);
        // Both spellings of Georgia went into the group, none stayed outside.
        let ge = g.find(&NodeKind::Country("GE".into())).map(|n| n.count());
        assert_eq!(ge, Some(2));
        assert_eq!(
            wa.children
                .iter()
                .filter(|c| c.kind == NodeKind::Country("GE".into()))
                .count(),
            0
        );
        assert_eq!(wa.count(), 5);
    }

    #[test]
    fn a_group_named_like_a_region_pins_its_members_there() {
        let t = tree(
            &[("Afghanistan", &[0]), ("Kazakhstan", &[1])],
            &[("Central Asia", &["Kazakhstan", "Afghanistan"])],
        );
        let ca = t
            .find(&NodeKind::Subregion(Subregion::CentralAsia))
            .expect("central asia");
        assert_eq!(ca.count(), 2);
        assert!(ca.find(&NodeKind::Country("AF".into())).is_some());
        assert!(
            t.find(&NodeKind::Subregion(Subregion::SouthernAsia))
                .is_none()
        );
    }

    #[test]
    fn a_group_across_continents_sits_at_the_top() {
        let t = tree(
            &[("Russia", &[0]), ("Kazakhstan", &[1])],
            &[("Caspian", &["Russia", "Kazakhstan"])],
        );
        let g = t
            .children
            .iter()
            .find(|c| c.kind == NodeKind::Group("caspian".into()));
        assert_eq!(g.map(|g| g.count()), Some(2));
    }
}
