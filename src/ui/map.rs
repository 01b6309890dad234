//! The world map: ratatui's canvas map with a marker per country scaled by
//! its count, the selected countries highlighted, a cursor country, and a
//! legend of the top countries. Pure render from a [`MapView`]; the geometry
//! (positions, projection, nearest country) lives in [`crate::map_geometry`]
//! and is re-exported here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Circle, Map, MapResolution, Points};
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
