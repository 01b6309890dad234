//! The world map: ratatui's canvas map with a marker per country scaled by
//! its count, the selected countries highlighted, a cursor country, and a
//! legend of the top countries. Pure render from a [`MapView`]; the geometry
//! (positions, projection, nearest country) lives in [`crate::map_geometry`]
//! and is re-exported here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use std::sync::Mutex;

use ratatui::widgets::canvas::{Canvas, Map, MapResolution, Painter, Points, Shape};
use ratatui::widgets::{Paragraph, Widget};

use crate::gazetteer::Continent;
pub use crate::map_geometry::{
    Direction, MapCountry, cell_to_lat_lon, map_area, map_countries, nearest_in_direction,
    nearest_to_point, view_bounds,
};

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

/// The coastlines drawn for one map size, view and detail: the cells with a
/// dot in them, relative to the map's corner. Drawing thousands of coastline
/// points every frame was most of a frame's cost; they only change with the
/// size or the zoom.
#[derive(Debug, Clone, PartialEq)]
struct Land {
    key: LandKey,
    cells: Vec<(u16, u16, char)>,
}

/// What the coastline cells depend on.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LandKey {
    width: u16,
    height: u16,
    bounds: (f64, f64, f64, f64),
    resolution: MapResolution,
}

/// The last few coastline layers drawn (the world and a zoom or two, at the
/// sizes in use): rendering stays a function of its inputs, this only keeps
/// it from drawing the same coastlines again.
static LANDS: Mutex<Vec<Land>> = Mutex::new(Vec::new());

/// At most this many coastline layers are kept.
const LANDS_KEPT: usize = 4;

/// The coastline cells for `key`, drawn now or taken from [`LANDS`].
fn land_cells(key: LandKey) -> Vec<(u16, u16, char)> {
    // A poisoned lock only means another draw panicked mid-way: the list
    // itself is whole (entries are pushed complete).
    let mut lands = LANDS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(land) = lands.iter().find(|l| l.key == key) {
        return land.cells.clone();
    }
    let area = Rect::new(0, 0, key.width, key.height);
    let mut scratch = Buffer::empty(area);
    let (min_lat, min_lon, max_lat, max_lon) = key.bounds;
    Canvas::default()
        .x_bounds([min_lon, max_lon])
        .y_bounds([min_lat, max_lat])
        .paint(|ctx| {
            ctx.draw(&Map {
                resolution: key.resolution,
                color: Color::Reset,
            });
        })
        .render(area, &mut scratch);
    let mut cells = Vec::new();
    for y in 0..key.height {
        for x in 0..key.width {
            let symbol = scratch[(x, y)].symbol();
            let mut chars = symbol.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && c != ' '
                && c != '\u{2800}'
            {
                cells.push((x, y, c));
            }
        }
    }
    if lands.len() >= LANDS_KEPT {
        lands.remove(0);
    }
    lands.push(Land {
        key,
        cells: cells.clone(),
    });
    cells
}

/// A circle drawn with as many points as it has dots around (ratatui's
/// `Circle` always takes 360, which for a few hundred markers cost more than
/// the rest of the frame).
struct Ring {
    x: f64,
    y: f64,
    radius: f64,
    /// Points around: about two per dot of its circumference.
    steps: u32,
    color: Color,
}

impl Shape for Ring {
    fn draw(&self, painter: &mut Painter<'_, '_>) {
        for step in 0..self.steps {
            let angle = f64::from(step) * std::f64::consts::TAU / f64::from(self.steps);
            let (sin, cos) = angle.sin_cos();
            if let Some((x, y)) = painter.get_point(
                self.radius.mul_add(cos, self.x),
                self.radius.mul_add(sin, self.y),
            ) {
                painter.paint(x, y, self.color);
            }
        }
    }
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
    // Braille dots per degree, across and down: two and four a cell.
    let dots_x = f64::from(map.width) * 2.0 / (max_lon - min_lon);
    let dots_y = f64::from(map.height) * 4.0 / (max_lat - min_lat);
    let dots_per_degree = dots_x.max(dots_y);
    if !map.is_empty() {
        let key = LandKey {
            width: map.width,
            height: map.height,
            bounds: (min_lat, min_lon, max_lat, max_lon),
            resolution: view.resolution,
        };
        for (x, y, c) in land_cells(key) {
            buf[(map.x + x, map.y + y)].set_char(c).set_fg(style.land);
        }
    }
    let canvas = Canvas::default()
        .x_bounds([min_lon, max_lon])
        .y_bounds([min_lat, max_lat])
        .paint(|ctx| {
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
                    let around = std::f64::consts::TAU * radius * dots_per_degree;
                    ctx.draw(&Ring {
                        x: c.lon,
                        y: c.lat,
                        radius,
                        // Whole numbers of a few dozen at most: the cast is exact.
                        steps: (around * 2.0).clamp(8.0, 360.0).ceil() as u32,
                        color,
                    });
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

    fn view(zoom: Option<Continent>) -> MapView {
        MapView {
            countries: vec![MapCountry {
                code: "DE".into(),
                name: "Germany".into(),
                lat: 51.0,
                lon: 10.0,
                count: 5,
                selected: true,
            }],
            cursor: Some(0),
            zoom,
            resolution: MapResolution::High,
        }
    }

    fn draw(v: &MapView, w: u16, h: u16) -> Buffer {
        let area = Rect::new(0, 0, w, h);
        let mut buf = Buffer::empty(area);
        render_map(v, &MapStyle::default(), area, &mut buf);
        buf
    }

    #[test]
    fn kept_coastlines_draw_the_same_frame_as_fresh_ones() {
        let world = view(None);
        let first = draw(&world, 90, 30);
        // Other sizes and a zoom push the first layer out of the few kept.
        for (w, h) in [(91, 30), (92, 30), (93, 30), (94, 30)] {
            draw(&world, w, h);
        }
        draw(&view(Some(Continent::Europe)), 90, 30);
        assert_eq!(draw(&world, 90, 30), first, "drawn afresh");
        assert_eq!(draw(&world, 90, 30), first, "taken from the kept layers");
        let land = first
            .content()
            .iter()
            .filter(|c| c.fg == MapStyle::default().land && c.symbol() != " ")
            .count();
        assert!(land > 200, "the coastlines are drawn: {land} cells");
    }
}
