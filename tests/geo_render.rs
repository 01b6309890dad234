//! The map and the timeline drawn on ratatui's TestBackend.

use newsdesk::article::{Article, Date, Name};
use newsdesk::gazetteer::{Continent, Gazetteer};
use newsdesk::geo_tree::{TreeOptions, tree_of_index};
use newsdesk::regions::{RegionRules, TagIndex};
use newsdesk::timeline::{RangeSelection, timeline};
use newsdesk::ui::map::{MapStyle, MapView, map_countries, render_map};
use newsdesk::ui::timeline::{TimelineStyle, render_timeline};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::widgets::canvas::MapResolution;

fn art(tags: &[&str]) -> Article {
    Article {
        locations: tags.iter().map(|t| Name::new(t)).collect(),
        ..Article::default()
    }
}

fn view(zoom: Option<Continent>) -> MapView {
    let mut arts = Vec::new();
    for (tag, n) in [
        ("Kazakhstan", 6),
        ("Кыргызстан", 3),
        ("USSR", 4),
        ("Brazil", 2),
        ("Kenya", 1),
        ("Germany", 5),
    ] {
        for _ in 0..n {
            arts.push(art(&[tag]));
        }
    }
    let rules = RegionRules::default();
    let tree = tree_of_index(
        &TagIndex::build(&arts, &rules),
        &rules,
        TreeOptions::default(),
    );
    let countries = map_countries(&tree, None, &|code| code == "DE", Gazetteer::get());
    let cursor = countries.iter().position(|c| c.code == "KZ");
    MapView {
        countries,
        cursor,
        zoom,
        resolution: MapResolution::High,
    }
}

fn draw_map(view: &MapView, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| render_map(view, &MapStyle::default(), f.area(), f.buffer_mut()))
        .unwrap();
    terminal
}

#[test]
fn the_world_map_with_markers_and_legend() {
    let v = view(None);
    assert_eq!(v.countries.len(), 6);
    let t = draw_map(&v, 100, 30);
    insta::assert_snapshot!(t.backend());
    // The legend's cursor row is in the cursor colour.
    let buf = t.backend().buffer();
    let row = (0..30)
        .find(|&y| buf[(74, y)].symbol() == "▶")
        .expect("cursor row");
    assert_eq!(buf[(76, row)].fg, Color::LightRed);
}

#[test]
fn zoomed_to_europe() {
    insta::assert_snapshot!(draw_map(&view(Some(Continent::Europe)), 80, 24).backend());
}

#[test]
fn tiny_areas_do_not_panic() {
    for (w, h) in [(0, 0), (1, 1), (5, 2), (59, 3), (61, 1)] {
        draw_map(&view(None), w, h);
    }
}

fn strip() -> newsdesk::timeline::Timeline {
    let mut dates = Vec::new();
    for (month, n) in [
        (1u8, 3),
        (2, 5),
        (3, 0),
        (4, 8),
        (5, 2),
        (6, 1),
        (9, 4),
        (12, 6),
    ] {
        for i in 0..n {
            dates.push(Date::new(2003, month, 1 + i as u8));
        }
    }
    dates.push(Date::new(2004, 2, 10));
    dates.push(None);
    timeline(dates, None)
}

fn draw_strip(sel: &RangeSelection, w: u16, h: u16) -> Terminal<TestBackend> {
    let t = strip();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| render_timeline(&t, sel, &TimelineStyle::default(), f.area(), f.buffer_mut()))
        .unwrap();
    terminal
}

#[test]
fn the_timeline_strip_with_a_range() {
    let t = strip();
    let mut sel = RangeSelection::default();
    sel.move_by(1, t.buckets.len());
    sel.mark();
    sel.move_by(3, t.buckets.len());
    assert_eq!(sel.query(&t).as_deref(), Some("date:2003-02..2003-05"));
    let term = draw_strip(&sel, 40, 4);
    insta::assert_snapshot!(term.backend());
    let buf = term.backend().buffer();
    // Two columns a bar: 14 months in 40 columns.
    assert_eq!(buf[(8, 2)].fg, Color::LightRed, "cursor bar");
    assert_eq!(buf[(9, 2)].fg, Color::LightRed, "cursor bar, both columns");
    assert_eq!(buf[(2, 2)].fg, Color::Yellow, "range bar");
    for (w, h) in [(0, 0), (1, 1), (3, 1), (10, 2)] {
        draw_strip(&sel, w, h);
    }
}
