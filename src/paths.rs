//! Where things are: the XDG base folders (config, state, cache) and whether a
//! location names a web address or a file. Low in the layers, so config, state
//! and import share one copy.

use std::path::PathBuf;

/// How the environment is read: a variable's value, if set (given, for tests).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// `$VAR` when set and not empty (the XDG rule: empty means unset), else
/// `$HOME/fallback`; `None` when neither is known.
fn base_dir(env: Env, var: &str, fallback: &str) -> Option<PathBuf> {
    env(var)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(fallback)))
}

/// `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn config_home(env: Env) -> Option<PathBuf> {
    base_dir(env, "XDG_CONFIG_HOME", ".config")
}

/// `$XDG_STATE_HOME`, else `~/.local/state`.
pub fn state_home(env: Env) -> Option<PathBuf> {
    base_dir(env, "XDG_STATE_HOME", ".local/state")
}

/// `$XDG_CACHE_HOME`, else `~/.cache`.
pub fn cache_home(env: Env) -> Option<PathBuf> {
    base_dir(env, "XDG_CACHE_HOME", ".cache")
}

/// Whether a location is a web address (`http://` or `https://`, any case);
/// anything else is a file path.
pub fn is_url(location: &str) -> bool {
    let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_variables_win_over_home_unless_empty() {
        let env = |k: &str| match k {
            "XDG_CONFIG_HOME" => Some("/xdg/config".to_owned()),
            "XDG_STATE_HOME" => Some(String::new()),
            "HOME" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(config_home(&env), Some(PathBuf::from("/xdg/config")));
        assert_eq!(
            state_home(&env),
            Some(PathBuf::from("/home/u/.local/state"))
        );
        assert_eq!(cache_home(&env), Some(PathBuf::from("/home/u/.cache")));
        assert_eq!(cache_home(&|_| None), None);
    }

    #[test]
    fn web_addresses_are_told_from_paths() {
        assert!(is_url("https://e.example/rss"));
        assert!(is_url("HTTP://E.EXAMPLE"));
        assert!(!is_url("feeds/http.xml"));
        assert!(!is_url("file:///srv/a.xml"));
        assert!(!is_url("ht"));
    }
}
