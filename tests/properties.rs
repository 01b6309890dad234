//! Property tests: the parser never panics, and what it writes it reads back.

use newsdesk::article::{Article, Block, BlockKind, Date, Form, Name, Text};
use newsdesk::page::{Page, display_width};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,10}",
        "[A-Z][a-z]{1,8}",
        "[а-я]{2,8}",
        "[一-龥]{1,4}",
        Just("😀".to_owned()),
    ]
}

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), min..max).prop_map(|w| w.join(" "))
}

fn name() -> impl Strategy<Value = String> {
    // Names and tags: capitalised words, never the joining word "and".
    prop::collection::vec("[A-Z][a-z]{2,8}", 1..3).prop_map(|w| w.join(" "))
}

prop_compose! {
    fn article()(
        title in words(1, 8),
        authors in prop::collection::vec(name(), 0..3),
        date in prop::option::of((1990i32..2030, 1u8..13, 1u8..29)),
        standfirst in words(3, 30),
        body in prop::collection::vec(words(5, 60), 0..6),
        locations in prop::collection::vec(name(), 0..5),
        url in prop::option::of("[a-z]{3,10}"),
    ) -> Article {
        Article {
            title: title.into(),
            authors: authors.iter().map(|a| Name::new(a)).collect(),
            date: date.and_then(|(y, m, d)| Date::new(y, m, d)),
            text: Text::boxed(standfirst, body.into_iter().map(|text| Block { kind: BlockKind::Paragraph, text, emphasis: Vec::new() }).collect()),
            locations: locations.iter().map(|l| Name::new(l)).collect(),
            source_url: url.map(|u| format!("https://example.org/{u}").into()),
            ..Article::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        for form in [Form::Plain, Form::Markdown] {
            if let Ok(a) = Article::parse(&bytes, form) {
                prop_assert!(!a.title.is_empty());
                let _ = Page::build(&a, 17);
            }
        }
    }

    #[test]
    fn parser_never_panics_on_article_like_text(
        lines in prop::collection::vec(prop_oneof![
            Just(String::new()),
            Just("+++".to_owned()),
            Just("Location: [A](#)".to_owned()),
            Just("[B](#)".to_owned()),
            Just("Author: x and y".to_owned()),
            Just("Date: 2003-02-30".to_owned()),
            Just("Source URL: <u>".to_owned()),
            Just("title = \"t\"".to_owned()),
            Just("Photos: P".to_owned()),
            "[ -~]{0,40}",
        ], 0..30)
    ) {
        let text = lines.join("\n");
        for form in [Form::Plain, Form::Markdown] {
            let _ = Article::parse(text.as_bytes(), form);
            let crlf = text.replace('\n', "\r\n");
            let _ = Article::parse(crlf.as_bytes(), form);
        }
    }

    #[test]
    fn export_form_round_trips(a in article()) {
        let text = a.to_export();
        let back = Article::parse(text.as_bytes(), Form::Plain).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back.title, &a.title);
        prop_assert_eq!(&back.authors, &a.authors);
        prop_assert_eq!(back.date, a.date);
        prop_assert_eq!(&back.standfirst(), &a.standfirst());
        let body: Vec<&str> = back.body().iter().map(|b| b.text.as_str()).collect();
        let want: Vec<&str> = a.body().iter().map(|b| b.text.as_str()).collect();
        prop_assert_eq!(body, want, "{}", text);
        prop_assert_eq!(&back.locations, &a.locations);
        prop_assert_eq!(&back.source_url, &a.source_url);
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width(a in article(), width in 1usize..120) {
        for line in Page::build(&a, width).lines {
            prop_assert!(display_width(&line.text) <= width.max(2), "{:?} at {}", line.text, width);
        }
    }
}
