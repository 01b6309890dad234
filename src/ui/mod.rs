//! Drawing: `render(&App, &mut Frame)` reads state and never changes it.

mod geo;
mod list;
pub mod map;
pub mod overlay;
mod reader;
mod regions;
pub mod status;
pub mod timeline;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::App;
use crate::layout::Focus;

/// Draws the whole screen for the current state.
pub fn render(app: &App, frame: &mut Frame) {
    crate::fault::maybe_panic("render");
    let area = frame.area();
    let panes = app.panes();
    if panes.too_small {
        let text = Paragraph::new("terminal too small")
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center);
        frame.render_widget(text, area);
        return;
    }
    if let Some(r) = panes.list {
        list::render_list(app, frame, r);
    }
    if let Some(r) = panes.reader {
        reader::render_reader(app, frame, r);
    }
    if let Some(r) = panes.regions {
        if panes.regions_overlay {
            frame.render_widget(ratatui::widgets::Clear, r);
        }
        regions::render_regions(app, frame, r);
    }
    if let Some(r) = panes.timeline {
        geo::render_timeline_pane(app, frame, r);
    }
    if let Some(r) = panes.map {
        geo::render_map_pane(app, frame, r);
    }
    status::render_status(app, frame, panes.status);
    if let Some(overlay) = app.overlay() {
        overlay::render_overlay(app, overlay, frame, area);
    }
}

/// A pane's bordered block, highlighted when focused.
fn pane_block<'a>(app: &App, title: &'a str, focused: bool) -> Block<'a> {
    let style = if focused {
        app.theme().focused_border
    } else {
        app.theme().border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(ratatui::text::Span::styled(format!(" {title} "), style))
}

fn focused(app: &App, pane: Focus) -> bool {
    app.focus() == pane && app.overlay().is_none()
}

/// A rectangle centred in `area`, at most `w` × `h`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
