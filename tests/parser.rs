//! Parser tests on fixtures of our own, and on the real seed export when present.

use std::path::Path;

use newsdesk::article::{Article, BlockKind, Date, Emphasis, Form};

fn parse(name: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parse")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    let form = if name.ends_with(".md") {
        Form::Markdown
    } else {
        Form::Plain
    };
    Article::parse(&bytes, form).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn body(a: &Article) -> Vec<&str> {
    a.body().iter().map(|b| b.text.as_str()).collect()
}

#[test]
fn captions_credit_note_and_location_list() {
    let a = parse("captions.txt");
    assert_eq!(a.title, "Dam Talks Resume in Naryn");
    assert_eq!(a.authors[..], ["Aida Bekova"]);
    assert_eq!(a.date, Date::new(2024, 3, 12));
    assert_eq!(
        a.standfirst(),
        "Negotiators return to the table over spring water releases."
    );
    assert_eq!(
        body(&a),
        [
            "Officials from both banks met on Tuesday in a cold hall beside the river.",
            "Note: figures in this story come from the basin authority.",
            "Farmers downstream say the spring flow arrived late last year.",
            "Sluice gates at the upper reservoir",
            "Engineers inspect the spillway\nPhotos: Timur Osmonov",
            "The next round is planned for May, weather permitting.",
            "Aida Bekova is a reporter in Naryn.",
        ]
    );
    let kinds: Vec<_> = a.body().iter().map(|b| b.kind).collect();
    assert_eq!(kinds[1], BlockKind::Paragraph, "Note: is body text");
    assert_eq!(kinds[3], BlockKind::Caption);
    assert_eq!(kinds[4], BlockKind::Caption);
    assert_eq!(kinds[5], BlockKind::Paragraph);
    assert_eq!(
        a.locations[..],
        ["Central Asia", "Kyrgyzstan", "Uzbekistan"]
    );
    assert_eq!(
        a.source_url.as_deref(),
        Some("https://example.org/naryn-dam")
    );
    assert!(a.warnings().is_empty());
}

#[test]
fn crlf_and_bom_read_the_same() {
    assert_eq!(parse("crlf_bom.txt"), parse("captions.txt"));
}

#[test]
fn missing_fields_are_fine() {
    let a = parse("minimal.txt");
    assert_eq!(a.title, "Only a Title");
    assert_eq!(
        a.standfirst(),
        "A standfirst line with no fields around it."
    );
    assert!(
        a.authors.is_empty()
            && a.locations.is_empty()
            && a.date.is_none()
            && a.source_url.is_none()
    );
    assert!(a.body().is_empty());
}

#[test]
fn plain_text_fields_any_case_and_extra_kept() {
    let a = parse("plain_fields.txt");
    assert_eq!(a.authors[..], ["Jane Doe", "John Roe"]);
    assert_eq!(a.date, Date::new(2003, 10, 24));
    assert_eq!(a.extra().len(), 1);
    assert_eq!(
        (a.extra()[0].key.as_str(), a.extra()[0].value.as_str()),
        ("Translator", "Ann Poe")
    );
    assert_eq!(a.locations[..], ["Georgia", "Armenia"]);
    assert_eq!(a.source_url.as_deref(), Some("https://example.net/vines"));
    assert_eq!(body(&a), ["Body one."]);
}

#[test]
fn front_matter_fields_and_inline_markdown() {
    let a = parse("front_matter.md");
    assert_eq!(a.title, "Kant base opens");
    assert_eq!(a.authors[..], ["Jane Doe"]);
    assert_eq!(a.date, Date::new(2003, 10, 24));
    assert_eq!(a.locations[..], ["Central Asia", "Kyrgyzstan"]);
    assert_eq!(a.source_url.as_deref(), Some("https://example.org/kant"));
    assert_eq!(a.standfirst(), "The first paragraph is the standfirst.");
    assert_eq!(
        body(&a),
        [
            "Body with strong words and a link.",
            "Second body paragraph."
        ]
    );
    let styles: Vec<_> = a.body()[0].emphasis.iter().map(|(_, e)| *e).collect();
    assert_eq!(styles, [Emphasis::Bold, Emphasis::Link]);
}

#[test]
fn front_matter_standfirst_key_wins() {
    let a = parse("front_matter_standfirst.md");
    assert_eq!(a.standfirst(), "Set in the front matter.");
    assert_eq!(body(&a), ["First body paragraph."]);
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    let a = parse("invalid_utf8.txt");
    assert!(a.standfirst().contains('\u{FFFD}'));
    assert_eq!(a.warnings().len(), 1);
    assert_eq!(a.warnings()[0].line, Some(3));
}

#[test]
fn cyrillic_text() {
    let a = parse("cyrillic.txt");
    assert_eq!(a.authors[..], ["Айгуль Токтогулова"]);
    assert_eq!(a.locations[..], ["Кыргызстан"]);
}

#[test]
fn no_title_is_an_error() {
    for bytes in [&b""[..], b"\n\n  \n", b"\r\n\r\n"] {
        let e = Article::parse(bytes, Form::Plain).unwrap_err();
        assert!(e.message.contains("no title"), "{e}");
    }
    let e = Article::parse(b"+++\ntitle = 3\n+++\n", Form::Markdown).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("invalid front matter"), "{e}");
    assert!(
        Article::parse(b"a\0b", Form::Plain)
            .unwrap_err()
            .message
            .contains("binary")
    );
}

#[test]
fn the_real_seed_export() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_5937e69cfba3e3de.txt");
    let Ok(bytes) = std::fs::read(&seed) else {
        println!(
            "skipped: {} is absent (../shared is not beside the checkout)",
            seed.display()
        );
        return;
    };
    let a = Article::parse(&bytes, Form::Plain).expect("the seed parses");
    assert_eq!(a.title, "Kyrgyzstan Sticks Close to Russia");
    assert_eq!(a.authors[..], ["Leila Saralaeva"]);
    assert_eq!(a.date, None);
    assert!(
        a.standfirst()
            .starts_with("Bishkek cements its traditional alliance")
    );
    assert_eq!(a.body().len(), 20);
    assert!(
        a.body()[0]
            .text
            .starts_with("The opening of a Russian airbase in Kant")
    );
    assert_eq!(
        a.body()[10].text,
        "Kyrgyz and Russian presidents at the opening ceremony"
    );
    assert_eq!(a.body()[10].kind, BlockKind::Caption);
    assert_eq!(
        a.body()[11].text,
        "Russian army replays old tunes\nPhotos: Vyacheslav Oseledko"
    );
    assert_eq!(a.body()[11].kind, BlockKind::Caption);
    assert_eq!(a.body()[12].kind, BlockKind::Paragraph);
    assert!(
        a.body()[19]
            .text
            .starts_with("Leila Saralaeva is an independent journalist")
    );
    assert_eq!(
        a.locations[..],
        ["Central Asia", "Uzbekistan", "Turkmenistan", "Tajikistan"]
    );
    assert_eq!(
        a.source_url.as_deref(),
        Some("https://iwpr.net/global-voices/kyrgyzstan-sticks-close-russia")
    );
    assert!(a.warnings().is_empty());
}
