//! The map's geometry, apart from its drawing: the countries with their
//! positions and counts, the box a zoom shows, which terminal cell is which
//! latitude and longitude, and the nearest country in a direction or to a
//! click. `app` moves the map's cursor with these and `ui::map` draws with
//! them, so the state never depends on the rendering.

use ratatui::layout::Rect;

use crate::gazetteer::{Continent, Gazetteer};
use crate::geo_tree::{GeoNode, NodeKind};

/// One country on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCountry {
    /// Its code (`KZ`, `SUHH`), as the tree's `NodeKind::Country` has it.
    pub code: String,
    /// The name shown in the legend.
    pub name: String,
    /// Latitude of its marker, degrees north.
    pub lat: f64,
    /// Longitude of its marker, degrees east.
    pub lon: f64,
    /// Articles under the current query.
    pub count: usize,
    /// Whether it is in the region filter.
    pub selected: bool,
}

/// The box shown, as (min lat, min lon, max lat, max lon).
pub fn view_bounds(zoom: Option<Continent>) -> (f64, f64, f64, f64) {
    zoom.map_or((-60.0, -180.0, 85.0, 180.0), Continent::bounds)
}

/// The legend's width at the right of the map (none when the area is narrow).
fn legend_width(area: Rect) -> u16 {
    if area.width >= 60 { 26 } else { 0 }
}

/// The part of `area` the canvas takes (the legend takes the rest); mouse
/// clicks are converted against this.
pub fn map_area(area: Rect) -> Rect {
    Rect {
        width: area.width.saturating_sub(legend_width(area)),
        ..area
    }
}

/// The latitude and longitude under a terminal cell of the map area, or
/// `None` when the cell is outside it.
pub fn cell_to_lat_lon(
    area: Rect,
    zoom: Option<Continent>,
    column: u16,
    row: u16,
) -> Option<(f64, f64)> {
    let map = map_area(area);
    if map.width == 0
        || map.height == 0
        || column < map.x
        || row < map.y
        || column >= map.x + map.width
        || row >= map.y + map.height
    {
        return None;
    }
    let (min_lat, min_lon, max_lat, max_lon) = view_bounds(zoom);
    let fx = (f64::from(column - map.x) + 0.5) / f64::from(map.width);
    let fy = (f64::from(row - map.y) + 0.5) / f64::from(map.height);
    Some((
        max_lat - fy * (max_lat - min_lat),
        min_lon + fx * (max_lon - min_lon),
    ))
}

/// A direction to move the cursor in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// West.
    Left,
    /// East.
    Right,
    /// North.
    Up,
    /// South.
    Down,
}

/// The country with articles nearest to `from` in `dir`: ahead in that
/// direction, preferring those close to the straight line (a sideways
/// degree costs two forward ones). `None` when nothing lies that way.
pub fn nearest_in_direction(
    countries: &[MapCountry],
    from: usize,
    dir: Direction,
) -> Option<usize> {
    let origin = countries.get(from)?;
    countries
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != from && c.count > 0)
        .filter_map(|(i, c)| {
            let (dx, dy) = (c.lon - origin.lon, c.lat - origin.lat);
            let (ahead, side) = match dir {
                Direction::Left => (-dx, dy),
                Direction::Right => (dx, dy),
                Direction::Up => (dy, dx),
                Direction::Down => (-dy, dx),
            };
            (ahead > 0.0).then_some((i, ahead + 2.0 * side.abs()))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The country with articles nearest to a point (for a mouse click).
pub fn nearest_to_point(countries: &[MapCountry], lat: f64, lon: f64) -> Option<usize> {
    countries
        .iter()
        .enumerate()
        .filter(|(_, c)| c.count > 0)
        .map(|(i, c)| (i, (c.lat - lat).powi(2) + (c.lon - lon).powi(2)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// The countries of a tree with their counts under `allowed` (all when
/// `None`); `selected` says which codes are in the filter.
pub fn map_countries(
    tree: &GeoNode,
    allowed: Option<&[bool]>,
    selected: &dyn Fn(&str) -> bool,
    gazetteer: &Gazetteer,
) -> Vec<MapCountry> {
    let mut out = Vec::new();
    tree.walk(&mut |n, _| {
        if let NodeKind::Country(code) = &n.kind
            && let Some(c) = gazetteer.country(code)
        {
            let count = n.count_in(allowed);
            if count > 0 {
                out.push(MapCountry {
                    code: code.clone(),
                    name: n.name.clone(),
                    lat: c.lat,
                    lon: c.lon,
                    count,
                    selected: selected(code),
                });
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(code: &str, lat: f64, lon: f64, count: usize) -> MapCountry {
        MapCountry {
            code: code.into(),
            name: code.into(),
            lat,
            lon,
            count,
            selected: false,
        }
    }

    fn sample() -> Vec<MapCountry> {
        vec![
            country("KZ", 48.0, 67.0, 5),
            country("KG", 41.0, 75.0, 3),
            country("RU", 61.0, 100.0, 2),
            country("DE", 51.0, 10.0, 4),
            country("IR", 32.0, 53.0, 1),
            country("XX", 45.0, 70.0, 0),
        ]
    }

    #[test]
    fn moves_go_to_the_nearest_country_that_way() {
        let c = sample();
        assert_eq!(nearest_in_direction(&c, 0, Direction::Right), Some(1));
        assert_eq!(nearest_in_direction(&c, 0, Direction::Left), Some(4));
        assert_eq!(nearest_in_direction(&c, 4, Direction::Left), Some(3));
        assert_eq!(nearest_in_direction(&c, 0, Direction::Up), Some(2));
        assert_eq!(nearest_in_direction(&c, 0, Direction::Down), Some(1));
        assert_eq!(nearest_in_direction(&c, 3, Direction::Left), None);
        // A country without articles is never a stop.
        assert_ne!(nearest_in_direction(&c, 1, Direction::Left), Some(5));
        assert_eq!(nearest_in_direction(&c, 99, Direction::Left), None);
    }

    #[test]
    fn a_click_picks_the_nearest_country() {
        let c = sample();
        let area = Rect::new(0, 0, 100, 30);
        let (lat, lon) = cell_to_lat_lon(area, None, 38, 6).expect("inside");
        assert!((lon - (-180.0 + 38.5 / 74.0 * 360.0)).abs() < 1e-9);
        assert!(lat < 85.0 && lat > 40.0);
        assert_eq!(nearest_to_point(&c, 50.0, 12.0), Some(3));
        assert_eq!(nearest_to_point(&c, 45.0, 70.0), Some(0));
        assert_eq!(
            cell_to_lat_lon(area, None, 80, 6),
            None,
            "the legend is no map"
        );
        assert_eq!(nearest_to_point(&[], 0.0, 0.0), None);
    }
}
