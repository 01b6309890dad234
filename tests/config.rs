//! Config files: every valid fixture loads, every invalid one fails with its
//! expected message and a file:line:column; lookup order; merging; paths.

use std::fs;
use std::path::{Path, PathBuf};

use newsdesk::config::{Align, Config};
use newsdesk::keymap::Keymap;
use newsdesk::regions::RegionSort;

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn load(path: &Path) -> Result<Config, newsdesk::config::ConfigError> {
    Config::from_file(path).and_then(|c| Keymap::from_config(&c).map(|_| c))
}

#[test]
fn valid_configs_load() {
    for path in fixtures("valid") {
        if let Err(e) = load(&path) {
            panic!("{}: {e}", path.display());
        }
    }
}

#[test]
fn invalid_configs_fail_with_their_message() {
    for path in fixtures("invalid") {
        let text = fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("first line names the expected message");
        let err = match load(&path) {
            Ok(_) => panic!("{} should fail", path.display()),
            Err(e) => e.to_string(),
        };
        assert!(
            err.starts_with(&path.display().to_string()),
            "names the file: {err}"
        );
        assert!(
            err.contains(expect),
            "{}: expected {expect:?} in {err:?}",
            path.display()
        );
    }
}

#[test]
fn settings_take_effect_and_merge_over_defaults() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/valid");
    let c = load(&dir.join("mono_layout.toml")).unwrap();
    assert_eq!(c.articles, PathBuf::from("/srv/news"));
    assert_eq!(c.regions.sort, RegionSort::Name);
    assert!(!c.mouse);
    assert_eq!(c.layout.reader_align, Align::Left);
    assert_eq!(c.layout.reader_max_width, 72);
    assert_eq!(
        c.regions.groups.keys().collect::<Vec<_>>(),
        ["Balkans"],
        "a [regions] table replaces the default groups"
    );
    assert_eq!(
        c.regions.aliases.get("Kazakstan").map(String::as_str),
        Some("Kazakhstan"),
        "aliases merge"
    );
    let c = load(&dir.join("empty.toml")).unwrap();
    assert_eq!(
        c.articles,
        dir.join("articles"),
        "relative to the config file"
    );
    assert_eq!(c.max_file_size, 8 * 1024 * 1024);
    assert!(c.keys["global"].contains_key("q"));
}

#[test]
fn lookup_order() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path().join("cwd");
    let xdg = tmp.path().join("xdg");
    fs::create_dir_all(&cwd).unwrap();
    fs::create_dir_all(xdg.join("newsdesk")).unwrap();
    let xdg_file = xdg.join("newsdesk/config.toml");
    let env_file = tmp.path().join("env.toml");
    let explicit = tmp.path().join("explicit.toml");
    let vars = |with_env: bool| {
        let xdg = xdg.clone();
        let env_file = env_file.clone();
        move |k: &str| match k {
            "NEWSDESK_CONFIG" if with_env => Some(env_file.display().to_string()),
            "XDG_CONFIG_HOME" => Some(xdg.display().to_string()),
            "HOME" => Some("/nonexistent-home".into()),
            _ => None,
        }
    };
    // Nothing anywhere: built-in defaults.
    assert_eq!(Config::locate(None, &vars(false), &cwd), None);
    fs::write(&xdg_file, "").unwrap();
    assert_eq!(
        Config::locate(None, &vars(false), &cwd),
        Some(xdg_file.clone())
    );
    fs::write(cwd.join("config.toml"), "").unwrap();
    assert_eq!(
        Config::locate(None, &vars(false), &cwd),
        Some(PathBuf::from("config.toml"))
    );
    assert_eq!(
        Config::locate(None, &vars(true), &cwd),
        Some(env_file.clone())
    );
    assert_eq!(
        Config::locate(Some(&explicit), &vars(true), &cwd),
        Some(explicit.clone())
    );
    // Without XDG_CONFIG_HOME: ~/.config.
    let home = tmp.path().join("home");
    fs::create_dir_all(home.join(".config/newsdesk")).unwrap();
    fs::write(home.join(".config/newsdesk/config.toml"), "").unwrap();
    let h = home.display().to_string();
    let found = Config::locate(None, &|k| (k == "HOME").then(|| h.clone()), &xdg);
    assert_eq!(found, Some(home.join(".config/newsdesk/config.toml")));
}

#[test]
fn shipped_file_is_the_default_and_documents_every_key() {
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml")).unwrap();
    assert_eq!(shipped, newsdesk::config::DEFAULT_CONFIG);
    // Each top-level key and table is preceded by a comment line.
    let lines: Vec<&str> = shipped.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let is_setting = !line.starts_with('#')
            && !line.is_empty()
            && !line.starts_with('"')
            && !line.starts_with("[keys.");
        if is_setting {
            let mut j = i;
            while j > 0 && !lines[j - 1].is_empty() && !lines[j - 1].starts_with('#') {
                j -= 1;
            }
            let documented = j > 0 && lines[j - 1].starts_with('#')
                || lines[..i]
                    .iter()
                    .rev()
                    .take_while(|l| !l.is_empty())
                    .any(|l| l.starts_with('#'));
            assert!(
                documented,
                "config.toml line {}: {line} has no comment",
                i + 1
            );
        }
    }
}
