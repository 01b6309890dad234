//! Where and when: the world map (`M`) and the timeline strip (`T`), their
//! state, and the keys they take while shown. Both follow the filter: the
//! map marks the countries with articles under the other filters (as the
//! Regions pane counts), the timeline counts the articles in view.
//!
//! Only one of them takes keys at a time (opening one closes the other);
//! keys they do not use go on to the panes, so `j`/`k` still move the list
//! under the timeline and `/` still searches.

use std::collections::HashSet;

use ratatui::layout::{Position, Rect};

use super::App;
use crate::gazetteer::{Continent, Gazetteer};
use crate::geo_tree::GeoNode;
use crate::layout::{self, Mode, Panes};
use crate::map_geometry::{
    Direction, MapCountry, cell_to_lat_lon, map_countries, nearest_in_direction, nearest_to_point,
};
use crate::message::Message;
use crate::regions::Selector;
use crate::timeline::{RangeSelection, Timeline, timeline};

/// The map's state while shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapPane {
    /// The countries with articles (of the zoomed continent when zoomed).
    countries: Vec<MapCountry>,
    /// The cursor country, by code (kept across filter changes).
    cursor: Option<String>,
    /// The continent zoomed to.
    zoom: Option<Continent>,
}

impl MapPane {
    /// The countries on the map, each with its count and whether selected.
    pub fn countries(&self) -> &[MapCountry] {
        &self.countries
    }

    /// The index of the cursor country in [`MapPane::countries`].
    pub fn cursor(&self) -> Option<usize> {
        let code = self.cursor.as_deref()?;
        self.countries.iter().position(|c| c.code == code)
    }

    /// The code of the cursor country.
    pub fn cursor_code(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// The continent zoomed to; the world when `None`.
    pub fn zoom(&self) -> Option<Continent> {
        self.zoom
    }
}

/// The timeline strip's state while shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelinePane {
    timeline: Option<Timeline>,
    selection: RangeSelection,
}

impl TimelinePane {
    /// The counts per bucket of the articles in view.
    pub fn timeline(&self) -> Option<&Timeline> {
        self.timeline.as_ref()
    }

    /// The cursor and the marked range.
    pub fn selection(&self) -> &RangeSelection {
        &self.selection
    }
}

/// Which of the two is shown (and takes keys).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) enum Geo {
    /// Neither.
    #[default]
    Hidden,
    /// The world map.
    Map(MapPane),
    /// The timeline strip.
    Timeline(TimelinePane),
}

/// The narrowest reading pane the map takes alone (narrower, it takes the
/// list's place too, so the legend fits beside the map).
const MAP_MIN_WIDTH: u16 = 70;

/// Rows the timeline strip takes with its border (two rows of bars, the labels).
const TIMELINE_HEIGHT: u16 = 5;

/// The codes of the countries the region filter picks: a country is picked
/// when its node, a place or group above it, or one of its tags is selected.
fn selected_codes(tree: &GeoNode, selected: &[Selector]) -> HashSet<String> {
    fn go(n: &GeoNode, above: bool, selected: &[Selector], out: &mut HashSet<String>) {
        let own = n.kind.selector().is_some_and(|s| selected.contains(&s))
            || n.tags
                .iter()
                .any(|t| selected.contains(&Selector::Tag(t.clone())));
        let picked = above || own;
        if let crate::geo_tree::NodeKind::Country(code) = &n.kind
            && picked
        {
            out.insert(code.clone());
        }
        for c in &n.children {
            go(c, picked, selected, out);
        }
    }
    let mut out = HashSet::new();
    go(tree, false, selected, &mut out);
    out
}

impl App {
    /// The map, when shown.
    pub fn map(&self) -> Option<&MapPane> {
        match &self.geo {
            Geo::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The timeline strip, when shown.
    pub fn timeline(&self) -> Option<&TimelinePane> {
        match &self.geo {
            Geo::Timeline(t) => Some(t),
            _ => None,
        }
    }

    /// Places the map and the timeline strip in a frame's panes: the map in
    /// the reader's place (the whole window below 100 columns), the strip
    /// at the top of the list (or of the pane shown, in one-pane mode).
    pub(super) fn place_geo(&self, panes: &mut Panes) {
        if panes.too_small {
            return;
        }
        match &self.geo {
            Geo::Hidden => {}
            Geo::Map(_) => {
                panes.map = match (layout::mode_for(self.size.0), panes.list, panes.reader) {
                    (Mode::Three, _, Some(reader)) if reader.width >= MAP_MIN_WIDTH => Some(reader),
                    // A reader too narrow for the legend: the list's place too.
                    (Mode::Three, Some(list), Some(reader)) => Some(Rect {
                        width: reader.x + reader.width - list.x,
                        ..list
                    }),
                    _ => Some(Rect::new(0, 0, self.size.0, self.size.1.saturating_sub(1))),
                };
            }
            Geo::Timeline(_) => {
                let target = if panes.list.is_some() {
                    &mut panes.list
                } else if panes.reader.is_some() {
                    &mut panes.reader
                } else {
                    &mut panes.regions
                };
                if let Some(r) = target
                    && r.height >= TIMELINE_HEIGHT + 3
                {
                    panes.timeline = Some(Rect {
                        height: TIMELINE_HEIGHT,
                        ..*r
                    });
                    r.y += TIMELINE_HEIGHT;
                    r.height -= TIMELINE_HEIGHT;
                }
            }
        }
    }

    /// Recomputes what the map or the strip shows after the filter or the
    /// articles changed (nothing when neither is shown).
    pub(super) fn refresh_geo(&mut self) {
        match std::mem::take(&mut self.geo) {
            Geo::Hidden => {}
            Geo::Map(mut map) => {
                map.countries = self.map_countries_now(map.zoom);
                if map.cursor().is_none() {
                    map.cursor = top_country(&map.countries);
                }
                self.geo = Geo::Map(map);
            }
            Geo::Timeline(mut strip) => {
                let new = self.timeline_now();
                let len = new.buckets.len();
                // The cursor stays on its bucket when the strip still has it.
                let label = strip
                    .timeline
                    .as_ref()
                    .and_then(|t| t.buckets.get(strip.selection.cursor))
                    .map(|b| b.label.clone());
                let same_scale = strip
                    .timeline
                    .as_ref()
                    .is_some_and(|t| t.granularity == new.granularity);
                let at = label
                    .filter(|_| same_scale)
                    .and_then(|l| new.buckets.iter().position(|b| b.label == l));
                match at {
                    Some(i) => strip.selection.move_to(i, len),
                    None => {
                        strip.selection.clear();
                        strip.selection.move_to(len.saturating_sub(1), len);
                    }
                }
                strip.timeline = Some(new);
                self.geo = Geo::Timeline(strip);
            }
        }
    }

    fn map_countries_now(&self, zoom: Option<Continent>) -> Vec<MapCountry> {
        let Some(tree) = self.archive.tree() else {
            return Vec::new();
        };
        let gazetteer = Gazetteer::get();
        let picked = selected_codes(tree, &self.filter.regions);
        let mut countries = map_countries(
            tree,
            self.allowed.as_deref(),
            &|c| picked.contains(c),
            gazetteer,
        );
        if let Some(z) = zoom {
            countries.retain(|c| gazetteer.country(&c.code).and_then(|k| k.continent) == Some(z));
        }
        countries
    }

    fn timeline_now(&self) -> Timeline {
        let articles = self.archive.articles();
        timeline(self.list.visible().iter().map(|&i| articles[i].date), None)
    }

    /// Takes a message for the map or the strip; false when it is not
    /// theirs, for the panes to handle.
    pub(super) fn update_geo(&mut self, message: Message) -> bool {
        match message {
            Message::ToggleMap => {
                self.geo = match self.geo {
                    Geo::Map(_) => Geo::Hidden,
                    _ => {
                        if self.archive.tree().is_none() {
                            self.notice = Some(if self.archive.rules().geography {
                                "no places yet: the map shows once articles are read".into()
                            } else {
                                "the map needs geography = true in config.toml".into()
                            });
                            return true;
                        }
                        Geo::Map(MapPane::default())
                    }
                };
                self.refresh_geo();
                return true;
            }
            Message::ToggleTimeline => {
                self.geo = match self.geo {
                    Geo::Timeline(_) => Geo::Hidden,
                    _ => Geo::Timeline(TimelinePane::default()),
                };
                self.refresh_geo();
                return true;
            }
            _ => {}
        }
        match &self.geo {
            Geo::Hidden => false,
            Geo::Map(_) => self.update_map(message),
            Geo::Timeline(_) => self.update_timeline(message),
        }
    }

    fn update_map(&mut self, message: Message) -> bool {
        let Geo::Map(map) = &mut self.geo else {
            return false;
        };
        let dir = match message {
            Message::MoveWest => Some(Direction::Left),
            Message::MoveEast => Some(Direction::Right),
            Message::MoveNorth => Some(Direction::Up),
            Message::MoveSouth => Some(Direction::Down),
            _ => None,
        };
        if let Some(dir) = dir {
            match map.cursor() {
                Some(from) => {
                    if let Some(to) = nearest_in_direction(&map.countries, from, dir) {
                        map.cursor = Some(map.countries[to].code.clone());
                    }
                }
                None => map.cursor = top_country(&map.countries),
            }
            return true;
        }
        match message {
            Message::ToggleRegion | Message::OpenSelected => {
                if let Some(code) = map.cursor.clone() {
                    self.toggle_selector(Selector::Place(code));
                }
            }
            Message::ZoomIn => {
                let continent = map
                    .cursor
                    .as_deref()
                    .and_then(|c| Gazetteer::get().country(c))
                    .and_then(|c| c.continent);
                if continent.is_some() && continent != map.zoom {
                    map.zoom = continent;
                    self.refresh_geo();
                }
            }
            Message::ZoomOut => {
                if map.zoom.take().is_some() {
                    self.refresh_geo();
                }
            }
            Message::Back | Message::Quit => self.geo = Geo::Hidden,
            Message::Click(x, y) => {
                let zoom = map.zoom;
                let Some(area) = self.panes().map.map(layout::inner) else {
                    return false;
                };
                if !area.contains(Position::new(x, y)) {
                    // A click on another pane puts the map away and does what it does there.
                    self.geo = Geo::Hidden;
                    return false;
                }
                let Geo::Map(map) = &mut self.geo else {
                    return false;
                };
                let picked = cell_to_lat_lon(area, zoom, x, y)
                    .and_then(|(lat, lon)| nearest_to_point(&map.countries, lat, lon));
                if let Some(i) = picked {
                    let code = map.countries[i].code.clone();
                    map.cursor = Some(code.clone());
                    self.toggle_selector(Selector::Place(code));
                }
            }
            _ => return false,
        }
        true
    }

    fn update_timeline(&mut self, message: Message) -> bool {
        let Geo::Timeline(strip) = &mut self.geo else {
            return false;
        };
        let len = strip.timeline.as_ref().map_or(0, |t| t.buckets.len());
        match message {
            Message::MoveWest => strip.selection.move_by(-1, len),
            Message::MoveEast => strip.selection.move_by(1, len),
            Message::MarkRange => {
                // Marking again starts a new range at the cursor.
                strip.selection.clear();
                strip.selection.mark();
            }
            Message::ApplyRange => {
                let term = strip
                    .timeline
                    .as_ref()
                    .and_then(|t| strip.selection.query(t));
                strip.selection.clear();
                match term {
                    Some(term) => {
                        let search = with_date_term(&self.filter.search, &term);
                        self.notice = Some(format!("filtered by {term}"));
                        self.set_search(&search);
                    }
                    None => self.notice = Some("no dated articles in view".into()),
                }
            }
            Message::Back | Message::Quit => self.geo = Geo::Hidden,
            _ => return false,
        }
        true
    }

    /// Adds a selector to the region filter, or takes it out.
    fn toggle_selector(&mut self, selector: Selector) {
        if let Some(i) = self.filter.regions.iter().position(|s| *s == selector) {
            self.filter.regions.remove(i);
        } else {
            self.filter.regions.push(selector);
        }
        self.refilter();
    }
}

/// The country with the most articles (the map's first cursor).
fn top_country(countries: &[MapCountry]) -> Option<String> {
    countries
        .iter()
        .max_by(|a, b| a.count.cmp(&b.count).then_with(|| b.name.cmp(&a.name)))
        .map(|c| c.code.clone())
}

/// The search text with its `date:` term replaced by `term` (one date range
/// at a time: a second range narrows the view anew rather than to nothing).
pub fn with_date_term(search: &str, term: &str) -> String {
    let mut words: Vec<&str> = search
        .split_whitespace()
        .filter(|w| !w.starts_with("date:"))
        .collect();
    words.push(term);
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_term_replaces_the_one_before() {
        assert_eq!(with_date_term("", "date:2003"), "date:2003");
        assert_eq!(
            with_date_term("grain  date:1987..1988 tag:Asia", "date:2003-01..2003-02"),
            "grain tag:Asia date:2003-01..2003-02"
        );
    }
}
