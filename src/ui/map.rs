//! The world map: ratatui's canvas map with a marker per country scaled by
//! its count, the selected countries highlighted, a cursor country, and a
//! legend of the top countries. Pure render from a [`MapView`]; the
//! navigation helpers (nearest country in a direction, nearest to a click)
//! are pure too, so `update` uses them without a terminal.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Circle, Map, MapResolution, Points};
use ratatui::widgets::{Paragraph, Widget};

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

/// Everything the map draws.
#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    /// The countries with articles, in any order.
    pub countries: Vec<MapCountry>,
    /// Index into `countries` of the cursor country.
    pub cursor: Option<usize>,
    /// The continent zoomed to; the whole world when `None`.
    pub zoom: Option<Continent>,
    /// Coastline detail: `Low` is about 1,000 points, `High` 5,000.
    pub resolution: MapResolution,
}

/// Colours of the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapStyle {
    /// The coastlines.
    pub land: Color,
    /// A country's marker.
    pub marker: Color,
    /// A selected country's marker and legend row.
    pub selected: Color,
    /// The cursor country's marker and label.
    pub cursor: Color,
    /// Counts in the legend.
    pub dimmed: Style,
}

impl Default for MapStyle {
    fn default() -> Self {
        MapStyle {
            land: Color::DarkGray,
            marker: Color::Cyan,
            selected: Color::Yellow,
            cursor: Color::LightRed,
            dimmed: Style::new().fg(Color::DarkGray),
        }
    }
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

/// The legend's rows: countries by count, then name.
fn legend_order(countries: &[MapCountry]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..countries.len()).collect();
    order.sort_by(|&a, &b| {
        countries[b]
            .count
            .cmp(&countries[a].count)
            .then_with(|| countries[a].name.cmp(&countries[b].name))
    });
    order
}

/// Draws the map and its legend into `area`.
pub fn render_map(view: &MapView, style: &MapStyle, area: Rect, buf: &mut Buffer) {
    let map = map_area(area);
    let (min_lat, min_lon, max_lat, max_lon) = view_bounds(view.zoom);
    let max_count = view
        .countries
        .iter()
        .map(|c| c.count)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    // The largest marker is a thirtieth of the view across.
    let top_radius = (max_lon - min_lon) / 30.0;
    let canvas = Canvas::default()
        .x_bounds([min_lon, max_lon])
        .y_bounds([min_lat, max_lat])
        .paint(|ctx| {
            ctx.draw(&Map {
                resolution: view.resolution,
                color: style.land,
            });
            ctx.layer();
            for (i, c) in view.countries.iter().enumerate() {
                let color = if Some(i) == view.cursor {
                    style.cursor
                } else if c.selected {
                    style.selected
                } else {
                    style.marker
                };
                let radius = top_radius * (c.count as f64 / max_count).sqrt();
                ctx.draw(&Points {
                    coords: &[(c.lon, c.lat)],
                    color,
                });
                if radius > top_radius / 6.0 {
                    ctx.draw(&Circle::new(c.lon, c.lat, radius, color));
                }
            }
            if let Some(c) = view.cursor.and_then(|i| view.countries.get(i)) {
                ctx.print(
                    c.lon,
                    c.lat,
                    Line::styled(
                        format!(" {}", c.name),
                        Style::new().fg(style.cursor).add_modifier(Modifier::BOLD),
                    ),
                );
            }
        });
    canvas.render(map, buf);

    let legend = Rect {
        x: map.x + map.width,
        width: area.width - map.width,
        ..area
    };
    if legend.width < 4 {
        return;
    }
    let width = usize::from(legend.width);
    let mut lines = vec![Line::styled(
        match view.zoom {
            Some(c) => format!(" {}", c.name("en")),
            None => " World".to_owned(),
        },
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for i in legend_order(&view.countries)
        .into_iter()
        .take(usize::from(legend.height).saturating_sub(1))
    {
        let c = &view.countries[i];
        let count = c.count.to_string();
        let mark = if Some(i) == view.cursor {
            "▶"
        } else if c.selected {
            "●"
        } else {
            " "
        };
        let name_w = width.saturating_sub(count.len() + 3);
        let name = crate::page::truncate(&c.name, name_w);
        let gap = width.saturating_sub(crate::page::display_width(&name) + count.len() + 3);
        let row_style = if Some(i) == view.cursor {
            Style::new().fg(style.cursor)
        } else if c.selected {
            Style::new().fg(style.selected)
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} {name}{} ", " ".repeat(gap)), row_style),
            Span::styled(count, style.dimmed),
        ]));
    }
    Paragraph::new(lines).render(legend, buf);
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
