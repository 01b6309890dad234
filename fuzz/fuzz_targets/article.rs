//! The article parser, both forms, on arbitrary bytes; then layout at a few widths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::article::{Article, Form};
use newsdesk::page::Page;

fuzz_target!(|data: &[u8]| {
    for form in [Form::Plain, Form::Markdown] {
        if let Ok(article) = Article::parse(data, form) {
            for width in [1, 7, 80] {
                let _ = Page::build(&article, width);
            }
            let _ = newsdesk::search::haystack(&article);
        }
    }
});
