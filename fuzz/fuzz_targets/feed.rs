//! Feed import on arbitrary bytes: whatever feed-rs accepts becomes articles
//! whose export parses back to the same title, date, tags and source URL;
//! OPML reading never panics. Feeds are read as the import reads them
//! (`parse_feed`: a panic inside feed-rs is an unreadable feed), under the
//! reader's panic hook, which stays silent for those.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdesk::article::{Article, Date, Form};
use newsdesk::import::{convert, opml};

static HOOK: std::sync::Once = std::sync::Once::new();

fuzz_target!(|data: &[u8]| {
    // Over libFuzzer's hook: any panic but feed-rs's own still aborts.
    HOOK.call_once(|| newsdesk::panics::install_hook(|| {}));
    let _ = opml::is_opml(data);
    let _ = opml::parse(data);
    let Ok(feed) = convert::parse_feed(data) else {
        return;
    };
    let today = Date::new(2026, 11, 30).unwrap();
    for entry in &feed.entries {
        let item = convert::convert(&feed, entry, &["Tag".to_owned()], today);
        let text = item.article.to_export();
        let back = Article::parse(text.as_bytes(), Form::Plain)
            .unwrap_or_else(|e| panic!("export does not parse: {e:?}\n{text}"));
        assert_eq!(back.title, item.article.title, "{text}");
        assert_eq!(back.date, item.article.date, "{text}");
        assert_eq!(back.locations, item.article.locations, "{text}");
        assert_eq!(back.source_url, item.article.source_url, "{text}");
        assert_eq!(back.authors, item.article.authors, "{text}");
        assert!(!item.slug.is_empty() && !item.slug.contains('/'));
    }
});
