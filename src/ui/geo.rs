//! The world map pane and the timeline strip, drawn from the app's
//! [`MapPane`](crate::app::MapPane) and [`TimelinePane`](crate::app::TimelinePane)
//! with the widgets of `map` and `timeline`, in the theme's colours.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Clear;
use ratatui::widgets::canvas::MapResolution;

use super::map::{MapStyle, MapView, render_map};
use super::pane_block;
use super::timeline::{TimelineStyle, render_timeline};
use crate::app::App;
use crate::layout::inner;

/// The map's colours from the theme (none at all in mono).
fn map_style(app: &App) -> MapStyle {
    let t = app.theme();
    let fg = |s: Style| s.fg.unwrap_or(Color::Reset);
    MapStyle {
        land: fg(t.border),
        marker: fg(t.focused_border),
        selected: fg(t.tag),
        cursor: fg(t.alert),
        dimmed: t.dimmed,
    }
}

/// Draws the world map with its legend in `area` (over what was there).
pub fn render_map_pane(app: &App, frame: &mut Frame, area: Rect) {
    let Some(map) = app.map() else {
        return;
    };
    frame.render_widget(Clear, area);
    let title = match map.zoom() {
        Some(c) => format!("Map: {}", c.name("en")),
        None => "Map".to_owned(),
    };
    frame.render_widget(pane_block(app, &title, true), area);
    let view = MapView {
        countries: map.countries().to_vec(),
        cursor: map.cursor(),
        zoom: map.zoom(),
        resolution: MapResolution::High,
    };
    render_map(&view, &map_style(app), inner(area), frame.buffer_mut());
}

/// Draws the timeline strip in `area`.
pub fn render_timeline_pane(app: &App, frame: &mut Frame, area: Rect) {
    let Some(strip) = app.timeline() else {
        return;
    };
    let t = app.theme();
    let title = match strip.timeline() {
        Some(tl) => format!("Timeline by {:?}", tl.granularity).to_lowercase(),
        None => "timeline".to_owned(),
    };
    let title = format!("{}{}", title[..1].to_uppercase(), &title[1..]);
    frame.render_widget(pane_block(app, &title, true), area);
    let style = TimelineStyle {
        bar: Style::new().fg(t.focused_border.fg.unwrap_or(Color::Reset)),
        selected: t.tag,
        cursor: t.selection,
        label: t.dimmed,
    };
    if let Some(tl) = strip.timeline() {
        render_timeline(
            tl,
            strip.selection(),
            &style,
            inner(area),
            frame.buffer_mut(),
        );
    }
}
