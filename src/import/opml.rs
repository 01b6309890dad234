//! OPML: a list of feeds, as feed readers export their subscriptions.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// One feed an OPML file lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// The feed's address (`xmlUrl`), as written.
    pub url: String,
    /// Its title (`title`, else `text`), possibly empty.
    pub title: String,
}

/// Whether `bytes` is an OPML document (its root element is `<opml>`).
pub fn is_opml(bytes: &[u8]) -> bool {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return e.local_name().into_inner().eq_ignore_ascii_case("opml");
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().into_inner().eq_ignore_ascii_case(name))
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_owned())
        })
}

/// An OPML file the XML reader gave up on, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid OPML file ({reason}) near byte {position}")]
pub struct OpmlError {
    /// What the XML reader said.
    pub reason: String,
    /// The byte offset it had reached.
    pub position: u64,
}

/// Every outline with an `xmlUrl`, in document order (nested groups included).
pub fn parse(bytes: &[u8]) -> Result<Vec<Outline>, OpmlError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut feeds = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e))
                if e.local_name().into_inner().eq_ignore_ascii_case("outline") =>
            {
                if let Some(url) = attribute(&e, "xmlUrl").filter(|u| !u.is_empty()) {
                    let title = attribute(&e, "title")
                        .filter(|t| !t.is_empty())
                        .or_else(|| attribute(&e, "text"))
                        .unwrap_or_default();
                    feeds.push(Outline { url, title });
                }
            }
            Ok(Event::Eof) => return Ok(feeds),
            Err(e) => {
                return Err(OpmlError {
                    reason: e.to_string(),
                    position: reader.buffer_position(),
                });
            }
            Ok(_) => {}
        }
    }
}
