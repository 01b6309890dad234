//! The map pane and the gazetteer: `cargo bench --bench map`.
//!
//! Targets: drawing the map at 200×60 ≤ 5 ms a frame; building the
//! gazetteer's lookup small enough not to be felt at start.

use divan::Bencher;
use newsdesk::gazetteer::{Continent, Gazetteer};
use newsdesk::ui::map::{MapCountry, MapStyle, MapView, render_map};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::canvas::MapResolution;

fn main() {
    divan::main();
}

/// Every country of the gazetteer with a count, as on a large archive.
fn view(resolution: MapResolution, zoom: Option<Continent>) -> MapView {
    let countries: Vec<MapCountry> = Gazetteer::get()
        .countries()
        .iter()
        .enumerate()
        .map(|(i, c)| MapCountry {
            code: c.code.clone(),
            name: c.name("en").to_owned(),
            lat: c.lat,
            lon: c.lon,
            count: 1 + (i * 37) % 500,
            selected: i % 11 == 0,
        })
        .collect();
    MapView {
        cursor: Some(3),
        countries,
        zoom,
        resolution,
    }
}

#[divan::bench(args = [MapResolution::Low, MapResolution::High])]
fn draw_world_200x60(b: Bencher, resolution: MapResolution) {
    let v = view(resolution, None);
    let area = Rect::new(0, 0, 200, 60);
    let mut buf = Buffer::empty(area);
    b.bench_local(|| {
        buf.reset();
        render_map(&v, &MapStyle::default(), area, &mut buf);
    });
}

#[divan::bench]
fn draw_europe_200x60_high(b: Bencher) {
    let v = view(MapResolution::High, Some(Continent::Europe));
    let area = Rect::new(0, 0, 200, 60);
    let mut buf = Buffer::empty(area);
    b.bench_local(|| {
        buf.reset();
        render_map(&v, &MapStyle::default(), area, &mut buf);
    });
}

#[divan::bench(sample_count = 20)]
fn gazetteer_build(b: Bencher) {
    // The country data is built once; this is the name lookup on top.
    let _ = Gazetteer::get();
    b.bench(Gazetteer::build_uncached);
}
