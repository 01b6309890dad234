//! The article parser, both forms, on arbitrary bytes; then layout at a
//! width taken from the input: no line is wider than the page (two columns
//! at least, for a wide character), and emphasis stays inside its line on
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::article::{Article, Form};
use newsdesk::page::{Page, display_width};

/// Lines a layout may have per input byte's worth of width: the narrowest
/// width an input is laid out at is its length over this. Wrapping a large
/// input one column wide costs a line (and an allocation) per character and
/// dominated the runs (46,282, later 254,000 in ten minutes); narrow widths
/// find their bugs on small inputs just as well, so a 100-byte input still
/// gets width 1 and a 64 KiB one gets 256 or more.
const LINES_PER_LAYOUT: usize = 256;

// Inputs are capped at 8 KiB by the run (`-max_len=8192`, BENCHMARKS.md):
// a long article only repeats what a short one reaches, and each doubling
// of the input halves the runs.

/// The widest page tried besides 80.
const WIDEST: usize = 120;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the width (so the fuzzer can steer it), never
    // below what keeps a layout to about LINES_PER_LAYOUT lines.
    let chosen = 1 + usize::from(data.first().copied().unwrap_or(0)) % WIDEST;
    let narrowest = data.len() / LINES_PER_LAYOUT + 1;
    let widths = [chosen.max(narrowest), 80];
    for form in [Form::Plain, Form::Markdown] {
        let Ok(article) = Article::parse(data, form) else {
            continue;
        };
        for width in widths {
            let page = Page::build(&article, width);
            for line in &page.lines {
                assert!(
                    display_width(&line.text) <= width.max(2),
                    "{:?} at {width}",
                    line.text
                );
                for (range, _) in &line.emphasis {
                    assert!(
                        range.start <= range.end && line.text.get(range.clone()).is_some(),
                        "emphasis {range:?} outside {:?}",
                        line.text
                    );
                }
            }
        }
        let _ = newsdesk::search::haystack(&article);
    }
});
