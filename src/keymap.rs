//! Keys → messages, per focused pane, built from `[keys.*]` in config. Every
//! binding carries its action's description, so help is generated from here.

use std::collections::{BTreeMap, HashMap};

use ratatui::crossterm::event::KeyEvent;

use crate::config::{Config, ConfigError, KeyTables, line_col};
use crate::key::KEY_NAME_CHOICES;
pub use crate::key::Key;
use crate::message::Message;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere, unless the focused pane binds the key.
    Global,
    /// The Articles pane.
    List,
    /// The reading pane.
    Reader,
    /// The Regions pane.
    Regions,
    /// The world map, while shown.
    Map,
    /// The timeline strip, while shown.
    Timeline,
}

impl Context {
    /// The config table name (`[keys.NAME]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Reader => "reader",
            Context::Regions => "regions",
            Context::Map => "map",
            Context::Timeline => "timeline",
        }
    }

    const ALL: [Context; 6] = [
        Context::Global,
        Context::List,
        Context::Reader,
        Context::Regions,
        Context::Map,
        Context::Timeline,
    ];
}

/// One line of help: where, which keys, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    /// Where the keys work.
    pub context: Context,
    /// The keys, as shown.
    pub keys: Vec<String>,
    /// The action.
    pub action: Message,
}

/// The effective key bindings.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: HashMap<(Context, Key), Message>,
}

/// The closest valid name, when one is close.
pub fn did_you_mean<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    choices
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Where `key` is written inside `[keys.CONTEXT]` of a config text: its line,
/// the key's column and the value's column.
fn locate(text: &str, context: &str, key: &str) -> Option<(usize, usize, usize)> {
    let header = format!("[keys.{context}]");
    let mut in_section = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed.replace(' ', "") == header;
        } else if in_section {
            let k = trimmed
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .trim_matches('\'');
            if k == key && trimmed.contains('=') {
                let value_at = line.find('=').map_or(0, |i| {
                    i + 1 + (line[i + 1..].len() - line[i + 1..].trim_start().len())
                });
                let key_at = line.len() - line.trim_start().len();
                let (n, value_col) = line_col(text, offset + value_at);
                return Some((n, line_col(text, offset + key_at).1, value_col));
            }
        }
        offset += line.len();
    }
    None
}

impl Keymap {
    /// Builds the keymap: the default tables, then the user's over them (a
    /// user's key replaces the default binding of that key, however spelled).
    /// The first mistake is an error naming the file, line and column.
    pub fn from_config(config: &Config) -> Result<Keymap, ConfigError> {
        let mut map = Keymap::default();
        map.apply(
            &config.keys,
            "built-in config.toml",
            crate::config::DEFAULT_CONFIG,
        )?;
        let source = config
            .source
            .as_ref()
            .map_or("built-in defaults".to_owned(), |p| p.display().to_string());
        map.apply(&config.user_keys, &source, &config.source_text)?;
        map.bind_views(&config.views);
        Ok(map)
    }

    /// Applies one file's key tables; `path` and `text` locate its mistakes.
    pub fn apply(&mut self, tables: &KeyTables, path: &str, text: &str) -> Result<(), ConfigError> {
        for context in Context::ALL {
            let empty = BTreeMap::new();
            let table = tables.get(context.name()).unwrap_or(&empty);
            let mut seen: HashMap<Key, &str> = HashMap::new();
            for (name, action_name) in table {
                // Found only for a mistake: every key of a long file looked
                // up each start was a measurable part of starting.
                let at = || locate(text, context.name(), name);
                let error = |message: String| ConfigError {
                    path: path.to_owned(),
                    position: at().map(|(line, _, value)| (line, value)),
                    message,
                };
                let key = Key::parse(name).map_err(|_| ConfigError {
                    path: path.to_owned(),
                    position: at().map(|(line, key, _)| (line, key)),
                    message: format!(
                        "unknown key name \"{name}\" in [keys.{}]; {KEY_NAME_CHOICES}",
                        context.name()
                    ),
                })?;
                let Some(action) = Message::from_name(action_name) else {
                    let names = Message::actions().map(Message::name);
                    let hint = match did_you_mean(action_name, names) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!(
                            "valid actions: {}",
                            Message::actions()
                                .map(Message::name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    return Err(error(format!(
                        "unknown action \"{action_name}\" in [keys.{}]; {hint}",
                        context.name()
                    )));
                };
                if let Some(other) = seen.insert(key, name) {
                    return Err(error(format!(
                        "key \"{name}\" is bound twice in [keys.{}] (also as \"{other}\"); keep one",
                        context.name()
                    )));
                }
                self.bindings.insert((context, key), action);
            }
        }
        Ok(())
    }

    /// Binds each view's `key` everywhere (over what that key did in
    /// `[keys.global]`: the person gave it to the view). Keys were checked
    /// when the config was read; one that still does not parse is skipped.
    pub fn bind_views(&mut self, views: &[crate::views::View]) {
        for (i, view) in views.iter().enumerate() {
            let (Some(name), Ok(n)) = (&view.key, u16::try_from(i)) else {
                continue;
            };
            if let Ok(key) = Key::parse(name) {
                self.bindings
                    .insert((Context::Global, key), Message::ApplyView(n));
            }
        }
    }

    /// The message for a key in the focused context (falling back to global).
    pub fn lookup(&self, context: Context, event: KeyEvent) -> Option<Message> {
        let key = Key::from_event(event);
        let found = self
            .bindings
            .get(&(context, key))
            .or_else(|| self.bindings.get(&(Context::Global, key)))
            .copied();
        found.filter(|m| *m != Message::None)
    }

    /// Help lines: per context, each action with all its keys.
    pub fn help(&self) -> Vec<HelpEntry> {
        let mut out = Vec::new();
        for context in Context::ALL {
            for action in Message::actions() {
                if action == Message::None {
                    continue;
                }
                let mut keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|((c, _), a)| *c == context && **a == action)
                    .map(|((_, k), _)| k.label())
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                keys.sort_by_key(|k| (k.chars().count() > 1, k.clone()));
                out.push(HelpEntry {
                    context,
                    keys,
                    action,
                });
            }
        }
        out
    }

    /// The first key (by label) bound to an action anywhere, for hints.
    pub fn key_for(&self, action: Message) -> Option<String> {
        let mut keys: Vec<String> = self
            .bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|((_, k), _)| k.label())
            .collect();
        keys.sort_by_key(|k| (k.chars().count(), k.clone()));
        keys.into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn shifted_letters_match_their_binding() {
        let map = Keymap::from_config(&Config::defaults()).unwrap();
        assert_eq!(
            map.lookup(Context::List, ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Message::Bottom)
        );
        assert_eq!(
            map.lookup(Context::List, ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Message::FocusPrev)
        );
        assert_eq!(
            map.lookup(Context::Reader, ev(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Message::PageDownOrNextUnread)
        );
        assert_eq!(
            map.lookup(Context::Regions, ev(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Message::ToggleRegion)
        );
        assert_eq!(
            map.lookup(Context::List, ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Message::ForceQuit)
        );
    }

    #[test]
    fn remap_unbind_and_errors() {
        let text = "[keys.global]\n\"x\" = \"quit\"\n\"j\" = \"none\"\n";
        let c = Config::from_text(text, Some(std::path::Path::new("u.toml"))).unwrap();
        let map = Keymap::from_config(&c).unwrap();
        assert_eq!(
            map.lookup(Context::List, ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Message::Quit)
        );
        assert_eq!(
            map.lookup(Context::List, ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            None
        );
        assert!(
            map.help()
                .iter()
                .any(|h| h.action == Message::Quit && h.keys.contains(&"x".to_owned()))
        );

        let text = "mouse = true\n\n[keys.global]\n\"q\" = \"quitt\"\n";
        let c = Config::from_text(text, Some(std::path::Path::new("u.toml"))).unwrap();
        let e = Keymap::from_config(&c).unwrap_err();
        assert_eq!(
            e.to_string(),
            "u.toml:4:7: unknown action \"quitt\" in [keys.global]; did you mean \"quit\"?"
        );

        let text = "[keys.list]\n\"ctrl-x\" = \"quit\"\n\"CTRL-x\" = \"top\"\n";
        let c = Config::from_text(text, Some(std::path::Path::new("u.toml"))).unwrap();
        let e = Keymap::from_config(&c).unwrap_err();
        assert!(e.to_string().contains("bound twice"), "{e}");

        let text = "[keys.list]\n\"hyper-x\" = \"quit\"\n";
        let c = Config::from_text(text, Some(std::path::Path::new("u.toml"))).unwrap();
        assert!(
            Keymap::from_config(&c)
                .unwrap_err()
                .to_string()
                .starts_with("u.toml:2:")
        );
    }
}
