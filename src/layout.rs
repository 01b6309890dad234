//! Where each pane goes for a terminal size: one pure function shared by
//! `update` (to know list heights and the reader's width) and rendering.

use ratatui::layout::Rect;

use crate::config::Layout;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    /// The region filter.
    Regions,
    /// The article list.
    List,
    /// The reading pane.
    Reader,
}

/// How many panes fit side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 100 columns or more: Regions | Articles | Reader.
    Three,
    /// 60 to 99 columns: Articles | Reader; Regions as an overlay.
    Two,
    /// Below 60 columns: one pane at a time.
    One,
}

/// Narrowest and lowest terminal that gets the panes; smaller shows a notice.
pub const MIN_WIDTH: u16 = 20;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 5;

/// The rectangles of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The Regions pane (beside the others, or over the list as an overlay).
    pub regions: Option<Rect>,
    /// Whether `regions` is drawn over other panes.
    pub regions_overlay: bool,
    /// The Articles pane.
    pub list: Option<Rect>,
    /// The reading pane.
    pub reader: Option<Rect>,
    /// The status bar (last row).
    pub status: Rect,
    /// The world map, when shown: over the reader, or the whole window
    /// below 100 columns (set by the app, which knows whether it is shown).
    pub map: Option<Rect>,
    /// The timeline strip, when shown: the top rows of the list's place.
    pub timeline: Option<Rect>,
    /// Too small to draw panes.
    pub too_small: bool,
}

/// The mode for a width.
pub fn mode_for(width: u16) -> Mode {
    match width {
        100.. => Mode::Three,
        60..=99 => Mode::Two,
        _ => Mode::One,
    }
}

/// Lays out a frame of `area` for the given focus and Regions visibility.
pub fn panes(area: Rect, layout: &Layout, focus: Focus, regions_shown: bool) -> Panes {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Panes {
            too_small: true,
            status: area,
            ..Panes::default()
        };
    }
    let main = Rect {
        height: area.height - 1,
        ..area
    };
    let status = Rect {
        y: area.y + area.height - 1,
        height: 1,
        ..area
    };
    let split = |r: Rect, left_width: u16| -> (Rect, Rect) {
        let left = Rect {
            width: left_width.min(r.width),
            ..r
        };
        let right = Rect {
            x: r.x + left.width,
            width: r.width - left.width,
            ..r
        };
        (left, right)
    };
    let list_and_reader = |r: Rect| -> (Rect, Rect) {
        let w = (u32::from(r.width) * u32::from(layout.list_width) / 100) as u16;
        split(
            r,
            w.clamp(20.min(r.width), r.width.saturating_sub(20).max(1)),
        )
    };
    let overlay_width = layout.regions_width.max(20).min(main.width);
    match mode_for(area.width) {
        Mode::Three => {
            if regions_shown {
                let (regions, rest) = split(main, layout.regions_width.clamp(10, main.width / 3));
                let (list, reader) = list_and_reader(rest);
                Panes {
                    regions: Some(regions),
                    list: Some(list),
                    reader: Some(reader),
                    status,
                    ..Panes::default()
                }
            } else {
                let (list, reader) = list_and_reader(main);
                Panes {
                    list: Some(list),
                    reader: Some(reader),
                    status,
                    ..Panes::default()
                }
            }
        }
        Mode::Two => {
            let (list, reader) = list_and_reader(main);
            let regions = regions_shown.then_some(Rect {
                width: overlay_width,
                ..main
            });
            Panes {
                regions,
                regions_overlay: true,
                list: Some(list),
                reader: Some(reader),
                status,
                ..Panes::default()
            }
        }
        Mode::One => match focus {
            Focus::Regions if regions_shown => Panes {
                regions: Some(main),
                status,
                ..Panes::default()
            },
            Focus::Reader => Panes {
                reader: Some(main),
                status,
                ..Panes::default()
            },
            _ => Panes {
                list: Some(main),
                status,
                ..Panes::default()
            },
        },
    }
}

/// The inside of a bordered pane.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// The reader's text column inside the reader pane: at most `max` wide, with a
/// margin of one column each side and the scrollbar on the right.
pub fn reader_text(r: Rect, max: u16, centered: bool) -> Rect {
    let inside = inner(r);
    let avail = inside.width.saturating_sub(3).max(1);
    let width = avail.min(max);
    let x = if centered {
        inside.x + 1 + (avail - width) / 2
    } else {
        inside.x + 1
    };
    Rect { x, width, ..inside }
}
