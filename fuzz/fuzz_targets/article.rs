//! The article parser, both forms, on arbitrary bytes; then layout at a few widths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::article::{Article, Form};
use newsdesk::page::Page;

/// Inputs up to this size are also laid out at the narrowest widths. Wrapping
/// a large input one column wide costs a line per character and dominated the
/// run (46,282 runs in 10 minutes); narrow widths find their bugs on small
/// inputs just as well.
const NARROW_UP_TO: usize = 256;

fuzz_target!(|data: &[u8]| {
    let widths: &[usize] = if data.len() <= NARROW_UP_TO {
        &[1, 7, 80]
    } else {
        &[80]
    };
    for form in [Form::Plain, Form::Markdown] {
        if let Ok(article) = Article::parse(data, form) {
            for &width in widths {
                let _ = Page::build(&article, width);
            }
            let _ = newsdesk::search::haystack(&article);
        }
    }
});
