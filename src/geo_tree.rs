//! The automatic hierarchy of the Regions pane: World → continent →
//! subregion → country, built from the archive's tags with the gazetteer.
//!
//! Pure data in, tree out. Every node holds the union of its articles' ids,
//! so an article tagged both `Kazakhstan` and `Kyrgyzstan` counts once in
//! Central Asia. Tags the gazetteer does not know sit under "Other tags".
//! Config rules: a `[regions]` group named like a region of the gazetteer
//! ("Eastern Europe") pins its members there; any other group ("South
//! Caucasus") becomes a node of its own at the lowest level holding all its
//! members, with the members inside it. `[aliases]` are applied before, by
//! [`TagIndex`], so an alias target is what the gazetteer sees.
//!
//! Building the tree (from tags, groups and the gazetteer) is in [`build`].

use std::collections::HashMap;

use serde::Serialize;

use crate::gazetteer::{Continent, Place, Subregion};
use crate::regions::{PlaceEntry, RegionSort, Selector, TagIndex};

mod build;

pub use build::{build_tree, tree_of_index};

/// One tag of the archive: its folded key, the name shown, its articles.
#[derive(Debug, Clone, Copy)]
pub struct TagInput<'a> {
    /// The folded key ([`crate::regions::tag_key`]).
    pub key: &'a str,
    /// The spelling shown.
    pub name: &'a str,
    /// Ids of the articles carrying it, ascending.
    pub articles: &'a [u32],
}

/// One `[regions]` group of the config.
#[derive(Debug, Clone, Copy)]
pub struct GroupInput<'a> {
    /// The folded key of its name.
    pub key: &'a str,
    /// Its name as configured.
    pub name: &'a str,
    /// Keys of its member tags.
    pub members: &'a [String],
}

/// What a node of the tree stands for; unique within one tree, so it also
/// names the node (for expanded/collapsed state and selection).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum NodeKind {
    /// The root: every tagged article.
    World,
    /// A UN region.
    Continent(Continent),
    /// A UN subregion.
    Subregion(Subregion),
    /// A country, by code (`KZ`, `SUHH`).
    Country(String),
    /// A config group of its own, by key.
    Group(String),
    /// A tag the gazetteer does not know, by key.
    Tag(String),
    /// The parent of every unknown tag.
    OtherTags,
    /// Articles with no location tag.
    NoLocation,
}

/// A node: its own tags, the union of its articles, its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoNode {
    /// What it stands for.
    pub kind: NodeKind,
    /// The name shown (in the display language for places).
    pub name: String,
    /// Keys of the tags that name this node itself (`kyrgyzstan`,
    /// `кыргызстан`; `central asia` on the subregion).
    pub tags: Vec<String>,
    /// Ids of every article in the subtree, ascending, once each (shared
    /// with the index's entry for the place: a million ids at the root
    /// and as many again at each level are not held twice).
    pub articles: std::sync::Arc<[u32]>,
    /// Child nodes in display order.
    pub children: Vec<GeoNode>,
}

/// How the tree is built.
#[derive(Debug, Clone, Copy)]
pub struct TreeOptions<'a> {
    /// The language names are shown in (ISO 639-1, `en` by default).
    pub language: &'a str,
    /// Child order.
    pub sort: RegionSort,
}

impl Default for TreeOptions<'_> {
    fn default() -> Self {
        TreeOptions {
            language: "en",
            sort: RegionSort::Count,
        }
    }
}

impl NodeKind {
    /// The id of a place node as [`Selector::Place`] names it: the country
    /// code, `continent:asia`, `subregion:central_asia`, `group:KEY`,
    /// `other`; `None` for the root, a plain tag and `No location`.
    pub fn place_id(&self) -> Option<String> {
        match self {
            NodeKind::World | NodeKind::Tag(_) | NodeKind::NoLocation => None,
            NodeKind::Continent(c) => Some(Place::Continent(*c).code()),
            NodeKind::Subregion(s) => Some(Place::Subregion(*s).code()),
            NodeKind::Country(code) => Some(code.clone()),
            NodeKind::Group(key) => Some(format!("group:{key}")),
            NodeKind::OtherTags => Some("other".to_owned()),
        }
    }

    /// What selecting this node puts in the region filter (`None` for the
    /// root, which is `All articles`).
    pub fn selector(&self) -> Option<Selector> {
        match self {
            NodeKind::World => None,
            NodeKind::Tag(key) => Some(Selector::Tag(key.clone())),
            NodeKind::NoLocation => Some(Selector::NoLocation),
            other => other.place_id().map(Selector::Place),
        }
    }
}

/// Hands a tree's place nodes to the index it was built from, so the index
/// selects, counts, names and resolves them ([`Selector::Place`]).
pub fn set_places(index: &mut TagIndex, tree: &GeoNode) {
    let mut places = HashMap::new();
    let mut own_tags: Vec<(String, String)> = Vec::new();
    tree.walk(&mut |n, _| {
        if let Some(id) = n.kind.place_id() {
            for t in &n.tags {
                own_tags.push((t.clone(), id.clone()));
            }
            places.insert(
                id,
                PlaceEntry {
                    name: n.name.clone(),
                    tags: n.all_tags(),
                    articles: n.articles.clone(),
                },
            );
        }
    });
    index.set_places(places);
    for (tag, id) in own_tags {
        index.set_tag_place(&tag, &id);
    }
}

impl GeoNode {
    /// The number of articles in the subtree (each once).
    pub fn count(&self) -> usize {
        self.articles.len()
    }

    /// The number of the subtree's articles that pass `allowed` (all when `None`).
    pub fn count_in(&self, allowed: Option<&[bool]>) -> usize {
        match allowed {
            None => self.articles.len(),
            Some(mask) => self
                .articles
                .iter()
                .filter(|&&i| mask.get(i as usize).copied().unwrap_or(false))
                .count(),
        }
    }

    /// Every tag key in the subtree: what selecting this node filters on.
    pub fn all_tags(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |n, _| out.extend(n.tags.iter().cloned()));
        out.sort();
        out.dedup();
        out
    }

    /// The node of this kind in the subtree.
    pub fn find(&self, kind: &NodeKind) -> Option<&GeoNode> {
        if self.kind == *kind {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(kind))
    }

    /// Visits every node, depth first, with its depth below this one.
    pub fn walk(&self, visit: &mut dyn FnMut(&GeoNode, usize)) {
        fn go(n: &GeoNode, depth: usize, visit: &mut dyn FnMut(&GeoNode, usize)) {
            visit(n, depth);
            for c in &n.children {
                go(c, depth + 1, visit);
            }
        }
        go(self, 0, visit);
    }

    /// The rows shown when the nodes `expanded` says are open: depth and node,
    /// the root's children at depth 0.
    pub fn visible_rows<'a>(
        &'a self,
        expanded: &dyn Fn(&NodeKind) -> bool,
    ) -> Vec<(usize, &'a GeoNode)> {
        fn go<'a>(
            n: &'a GeoNode,
            depth: usize,
            expanded: &dyn Fn(&NodeKind) -> bool,
            out: &mut Vec<(usize, &'a GeoNode)>,
        ) {
            for c in &n.children {
                out.push((depth, c));
                if !c.children.is_empty() && expanded(&c.kind) {
                    go(c, depth + 1, expanded, out);
                }
            }
        }
        let mut out = Vec::new();
        go(self, 0, expanded, &mut out);
        out
    }

    /// The tree as indented text, one node a line with its count (for
    /// `newsdesk regions`).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.walk(&mut |n, depth| {
            out.push_str(&"  ".repeat(depth));
            out.push_str(&format!("{} {}\n", n.name, n.count()));
        });
        out
    }

    /// The tree as JSON: name, kind, code (for places), count, tags, children
    /// (for `newsdesk regions --json`).
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_in(None)
    }

    /// As [`GeoNode::to_json`], counting only the articles that pass
    /// `allowed` (`regions --query`); below the root, nodes with none of
    /// them are left out.
    pub fn to_json_in(&self, allowed: Option<&[bool]>) -> serde_json::Value {
        let code = match &self.kind {
            NodeKind::Country(c) => Some(c.clone()),
            NodeKind::Continent(c) => Some(Place::Continent(*c).code()),
            NodeKind::Subregion(s) => Some(Place::Subregion(*s).code()),
            _ => None,
        };
        let children: Vec<serde_json::Value> = (self.children.iter())
            .filter(|c| allowed.is_none() || c.count_in(allowed) > 0)
            .map(|c| c.to_json_in(allowed))
            .collect();
        serde_json::json!({
            "name": self.name,
            "node": self.kind,
            "code": code,
            "count": self.count_in(allowed),
            "tags": self.tags,
            "children": children,
        })
    }
}
