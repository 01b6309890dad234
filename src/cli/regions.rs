//! `newsdesk regions`: the place tree with counts, as text or JSON.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::EXIT_OK;
use crate::config::Config;
use crate::geo_tree::GeoNode;
use crate::regions::Selector;

#[derive(Serialize)]
struct RegionJson<'a> {
    tag: &'a str,
    count: usize,
    /// A group's members by name (as before "children").
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<String>>,
    /// A group's members with their own counts, as the tree nests them.
    #[serde(skip_serializing_if = "Option::is_none")]
    children: Option<Vec<MemberJson>>,
}

#[derive(Serialize)]
struct MemberJson {
    tag: String,
    count: usize,
}

/// `newsdesk regions [--query Q] [--view NAME]`: with a query or a view,
/// every count is of the articles it matches (as the Regions pane counts
/// under the search), and rows with none are left out.
pub(super) fn regions(
    path: Option<PathBuf>,
    json: bool,
    [query, view]: [Option<String>; 2],
    config: &Config,
) -> io::Result<i32> {
    let queried = query.is_some() || view.is_some();
    let (archive, _, matching) =
        match super::load_filtered(path, &[], vec![query], view.as_deref(), config) {
            Ok(loaded) => loaded,
            Err(code) => return Ok(code),
        };
    let allowed = queried.then(|| {
        let mut mask = vec![false; archive.len()];
        for &i in &matching {
            mask[i] = true;
        }
        mask
    });
    let allowed = allowed.as_deref();
    let mut out = io::BufWriter::new(io::stdout().lock());
    if config.regions.geography {
        if let Some(tree) = archive.tree() {
            if json {
                serde_json::to_writer(&mut out, &tree.to_json_in(allowed))?;
                writeln!(out)?;
            } else {
                write!(out, "{}", tree_text_in(tree, allowed))?;
            }
        } else if json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"name": "World", "node": {"kind": "world"}, "code": null, "count": 0, "tags": [], "children": []})
            )?;
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let index = archive.index();
    let sort = config.regions.sort;
    for (selector, count) in index.top_level(sort, allowed) {
        if queried && count == 0 {
            continue;
        }
        let name = index.name_of(&selector);
        let members = match &selector {
            Selector::Group(key) => Some(
                (index.members(key, sort, allowed).into_iter())
                    .filter(|&(_, n)| !queried || n > 0)
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        };
        if json {
            let row = RegionJson {
                tag: &name,
                count,
                members: members
                    .as_ref()
                    .map(|m| m.iter().map(|(s, _)| index.name_of(s)).collect()),
                children: members.as_ref().map(|m| {
                    m.iter()
                        .map(|(s, n)| MemberJson {
                            tag: index.name_of(s),
                            count: *n,
                        })
                        .collect()
                }),
            };
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{count:>7}  {name}")?;
            for (member, n) in members.unwrap_or_default() {
                writeln!(out, "{n:>7}    {}", index.name_of(&member))?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The place tree as `newsdesk regions` prints it: the count in a column,
/// then the name, two columns in per level.
pub fn tree_text(tree: &GeoNode) -> String {
    tree_text_in(tree, None)
}

/// As [`tree_text`], counting only the articles that pass `allowed`; below
/// the root, nodes with none of them are left out.
pub fn tree_text_in(tree: &GeoNode, allowed: Option<&[bool]>) -> String {
    fn go(n: &GeoNode, depth: usize, allowed: Option<&[bool]>, out: &mut String) {
        let count = n.count_in(allowed);
        if depth > 0 && allowed.is_some() && count == 0 {
            return;
        }
        out.push_str(&format!("{count:>7}  {}{}\n", "  ".repeat(depth), n.name));
        for c in &n.children {
            go(c, depth + 1, allowed, out);
        }
    }
    let mut out = String::new();
    go(tree, 0, allowed, &mut out);
    out
}
