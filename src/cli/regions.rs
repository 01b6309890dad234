//! `newsdesk regions`: the place tree with counts, as text or JSON.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{EXIT_OK, load_or_report};
use crate::app::Archive;
use crate::config::Config;
use crate::regions::{Selector, TagIndex};

#[derive(Serialize)]
struct RegionJson<'a> {
    tag: &'a str,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<String>>,
}

pub(super) fn regions(path: &Path, json: bool, config: &Config) -> io::Result<i32> {
    let lib = match load_or_report(path, config) {
        Ok(lib) => lib,
        Err(code) => return Ok(code),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    if config.regions.geography {
        let archive = Archive::from_loaded(lib.root, &config.regions, lib.articles, lib.problems);
        if let Some(tree) = archive.tree() {
            if json {
                serde_json::to_writer(&mut out, &tree.to_json())?;
                writeln!(out)?;
            } else {
                write!(out, "{}", tree_text(tree))?;
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
    let index = TagIndex::build(&lib.articles, &config.regions);
    for (selector, count) in index.top_level(config.regions.sort, None) {
        let name = index.name_of(&selector);
        let members = match &selector {
            Selector::Group(key) => Some(index.members(key, config.regions.sort, None)),
            _ => None,
        };
        if json {
            let row = RegionJson {
                tag: &name,
                count,
                members: members
                    .as_ref()
                    .map(|m| m.iter().map(|(s, _)| index.name_of(s)).collect()),
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
pub fn tree_text(tree: &crate::geo_tree::GeoNode) -> String {
    let mut out = String::new();
    tree.walk(&mut |n, depth| {
        out.push_str(&format!(
            "{:>7}  {}{}\n",
            n.count(),
            "  ".repeat(depth),
            n.name
        ));
    });
    out
}
