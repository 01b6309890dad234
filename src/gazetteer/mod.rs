//! A built-in world gazetteer: every ISO 3166 country and territory, the
//! states that no longer exist, and the UN regions and subregions, recognised
//! from their names in English and the languages archives come in.
//!
//! Country data (names in ~150 languages, UN region and subregion, centre and
//! bounding box) comes from the keshvar crate; `extra` holds what it lacks.
//! The lookup is built once, on first use, and then shared.

mod extra;
pub mod kept;
mod regions;

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

pub use regions::{CONTINENTS, Continent, SUBREGIONS, Subregion};

use crate::search::fold;

/// The folded form of a place name: [`fold`]ed case, surrounding and repeated
/// spaces removed, as [`crate::regions::tag_key`] does for tags (plus the full
/// folds, so `GROẞBRITANNIEN` is `Großbritannien`).
pub fn name_key(name: &str) -> String {
    spaced_once(&fold(name))
}

/// Words of `folded` joined by one space (folding never makes or takes
/// away a space, so this of a folded name is its [`name_key`]).
fn spaced_once(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A looser form of [`name_key`] for a second try: hyphens, underscores and
/// slashes become spaces, dots, commas, brackets and apostrophes go, `&` is
/// `and`, `st` is `saint` and a leading `the` is dropped. So Reuters'
/// `west-germany`, `U.S.` and `The Gambia` find their countries.
pub fn loose_key(name: &str) -> String {
    loose_of_folded(&fold(name))
}

/// [`loose_key`] of a name already [`fold`]ed.
fn loose_of_folded(folded: &str) -> String {
    let mut spaced = String::with_capacity(folded.len());
    for c in folded.chars() {
        match c {
            '-' | '_' | '/' | '–' => spaced.push(' '),
            '.' | ',' | '(' | ')' | '\'' | '’' | '`' => {}
            '&' => spaced.push_str(" and "),
            c => spaced.push(c),
        }
    }
    let mut out = String::with_capacity(spaced.len());
    for (i, word) in spaced.split_whitespace().enumerate() {
        if i == 0 && word == "the" {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(if word == "st" { "saint" } else { word });
    }
    out
}

/// A country or territory: ISO 3166-1, or a state that no longer exists.
#[derive(Debug)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`KZ`), or for a former state its ISO 3166-3
    /// code (`SUHH`) or an `X...` code of ours where its code passed to a
    /// successor (`XWDE`, West Germany).
    pub code: String,
    /// Whether the state no longer exists.
    pub historical: bool,
    /// The UN region it is (or was) in; none for a few uninhabited territories.
    pub continent: Option<Continent>,
    /// The UN subregion it is in, when the data has one.
    pub subregion: Option<Subregion>,
    /// Latitude of its centre, degrees north.
    pub lat: f64,
    /// Longitude of its centre, degrees east.
    pub lon: f64,
    english: &'static str,
    /// ISO short and long names and keshvar's informal ones.
    iso_names: Vec<&'static str>,
    names: Names,
}

#[derive(Debug)]
enum Names {
    /// keshvar's translations, by locale (`ru`, `zh_CN`, ...).
    Translations(std::collections::HashMap<&'static str, &'static str>),
    /// A table of ours.
    Table(&'static [(&'static str, &'static [&'static str])]),
}

impl Country {
    /// The name to show in `lang` (an ISO 639-1 code, optionally with a
    /// region: `pt_BR`), else in English.
    pub fn name(&self, lang: &str) -> &'static str {
        let base = lang.split(['_', '-']).next().unwrap_or(lang);
        if base == "en" {
            return self.english;
        }
        let found = match &self.names {
            Names::Translations(t) => t
                .get(lang)
                .or_else(|| t.get(base))
                // Chinese comes only with a region; simplified is the default.
                .or_else(|| (base == "zh").then(|| t.get("zh_CN")).flatten())
                .copied(),
            Names::Table(table) => table
                .iter()
                .find(|(l, _)| *l == lang || *l == base)
                .and_then(|(_, names)| names.first().copied()),
        };
        found.unwrap_or(self.english)
    }
}

/// What a name resolves to: a level of the UN geoscheme.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// A continent (UN region), e.g. Asia.
    Continent(Continent),
    /// A UN subregion, e.g. Central Asia.
    Subregion(Subregion),
    /// A country or territory.
    Country(&'static Country),
}

impl PartialEq for Place {
    fn eq(&self, other: &Place) -> bool {
        match (self, other) {
            (Place::Continent(a), Place::Continent(b)) => a == b,
            (Place::Subregion(a), Place::Subregion(b)) => a == b,
            (Place::Country(a), Place::Country(b)) => a.code == b.code,
            _ => false,
        }
    }
}

impl Eq for Place {}

impl Place {
    /// The continent the place is in (itself for a continent).
    pub fn continent(&self) -> Option<Continent> {
        match self {
            Place::Continent(c) => Some(*c),
            Place::Subregion(s) => Some(s.continent()),
            Place::Country(c) => c.continent,
        }
    }

    /// The subregion the place is in (itself for a subregion; none for a continent).
    pub fn subregion(&self) -> Option<Subregion> {
        match self {
            Place::Continent(_) => None,
            Place::Subregion(s) => Some(*s),
            Place::Country(c) => c.subregion,
        }
    }

    /// The country, when the place is one.
    pub fn country(&self) -> Option<&'static Country> {
        match self {
            Place::Country(c) => Some(c),
            _ => None,
        }
    }

    /// The name to show in `lang`, else in English.
    pub fn name(&self, lang: &str) -> &'static str {
        match self {
            Place::Continent(c) => c.name(lang),
            Place::Subregion(s) => s.name(lang),
            Place::Country(c) => c.name(lang),
        }
    }

    /// A stable code: the country's code, or `continent:asia`,
    /// `subregion:central_asia` (for JSON output and state files).
    pub fn code(&self) -> String {
        match self {
            Place::Continent(c) => format!("continent:{}", snake(&format!("{c:?}"))),
            Place::Subregion(s) => format!("subregion:{}", snake(&format!("{s:?}"))),
            Place::Country(c) => c.code.clone(),
        }
    }
}

fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// How sure a name is: a lower number wins when two places claim one key.
/// Within one rank, a key two places claim means neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// Our own tables: former states, informal names, region names.
    Ours,
    /// ISO English short and long names, and keshvar's informal names.
    Iso,
    /// Names in the languages archives mostly come in.
    MainLanguage,
    /// Names in every other language keshvar has.
    OtherLanguage,
}

/// The languages whose names outrank the rest when two countries share one.
const MAIN_LANGUAGES: &[&str] = &[
    "en", "ru", "uk", "fr", "es", "pt", "de", "ar", "fa", "tr", "zh", "it", "kk", "ky", "uz", "tg",
    "tk", "az", "hy", "ka", "be", "pl",
];

/// Name → place, for every country, former state, continent and subregion.
pub struct Gazetteer {
    /// Only unambiguous names are kept (each with a place).
    index: NameTable,
    countries: Vec<&'static Country>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("names", &self.index.len())
            .field("countries", &self.countries.len())
            .finish()
    }
}

static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
static COUNTRIES: OnceLock<Vec<Country>> = OnceLock::new();

impl Gazetteer {
    /// The gazetteer, built on first use (a few milliseconds) and then shared.
    pub fn get() -> &'static Gazetteer {
        GAZETTEER.get_or_init(Gazetteer::build)
    }

    /// Builds a fresh lookup, not the shared one: for measuring how long
    /// [`get`](Gazetteer::get) takes the first time (the country data itself
    /// is built once either way).
    #[doc(hidden)]
    pub fn build_uncached() -> Gazetteer {
        Gazetteer::build()
    }

    /// What `tag` names, in any case and spacing, in English, a common
    /// alternative, a former name, or another language; `None` when the tag
    /// is no place we know (a topic, a city).
    pub fn resolve(&self, tag: &str) -> Option<Place> {
        let key = name_key(tag);
        if key.is_empty() {
            return None;
        }
        let place = |k: &str| self.index.get(k);
        place(&key).or_else(|| place(&loose_key(tag)))
    }

    /// The country with this code (`KZ`, `SUHH`), any case.
    pub fn country(&self, code: &str) -> Option<&'static Country> {
        self.countries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
            .copied()
    }

    /// Every country and former state, current ones in ISO order first.
    pub fn countries(&self) -> &[&'static Country] {
        &self.countries
    }

    /// How many names the gazetteer recognises.
    pub fn name_count(&self) -> usize {
        self.index.len()
    }

    fn build() -> Gazetteer {
        let countries: Vec<&'static Country> =
            COUNTRIES.get_or_init(all_countries).iter().collect();
        let file = kept::file();
        if let Some(index) = file.as_deref().and_then(|f| kept::load(f, &countries)) {
            return Gazetteer { index, countries };
        }
        let index = Gazetteer::name_table(&countries);
        if let Some(file) = &file {
            kept::save(file, &index, &countries);
        }
        Gazetteer { index, countries }
    }

    /// Every name of `countries` and the regions, folded, with its place.
    fn name_table(countries: &[&'static Country]) -> NameTable {
        let mut claims = Claims {
            // About 20,000 keys today (names folded two ways, the same
            // name in many languages once): room for them without growing,
            // a quarter of the 2^16 it had (6.4 MB of buckets).
            by_key: HashMap::with_capacity_and_hasher(28_000, Default::default()),
        };
        for &country in countries {
            let place = Place::Country(country);
            match &country.names {
                Names::Table(table) => {
                    for (_, names) in table.iter() {
                        for name in names.iter() {
                            claims.add(name, Rank::Ours, place);
                        }
                    }
                }
                Names::Translations(t) => {
                    for (lang, name) in t {
                        let base = lang.split('_').next().unwrap_or(lang);
                        let rank = if MAIN_LANGUAGES.contains(&base) {
                            Rank::MainLanguage
                        } else {
                            Rank::OtherLanguage
                        };
                        claims.add(name, rank, place);
                    }
                }
            }
        }
        for &country in countries {
            let place = Place::Country(country);
            claims.add(country.english, Rank::Iso, place);
            for name in &country.iso_names {
                claims.add(name, Rank::Iso, place);
            }
        }
        for (name, code) in extra::ALIASES {
            if let Some(country) = countries.iter().find(|c| c.code == *code).copied() {
                claims.add(name, Rank::Ours, Place::Country(country));
            }
        }
        for c in CONTINENTS {
            for (_, names) in c.names() {
                for name in names.iter() {
                    claims.add(name, Rank::Ours, Place::Continent(c));
                }
            }
        }
        for s in SUBREGIONS {
            for (_, names) in s.names() {
                for name in names.iter() {
                    claims.add(name, Rank::Ours, Place::Subregion(s));
                }
            }
        }
        claims.finish()
    }
}

/// Every keshvar country, then our former states.
fn all_countries() -> Vec<Country> {
    let mut countries = Vec::with_capacity(260);
    for k in keshvar::CountryIterator::new() {
        let geo = k.geo();
        let translations = k.translations().clone();
        // keshvar's ISO short names carry qualifiers ("Korea (Republic
        // of)"); its English translation is the name people use.
        let code = k.alpha2().to_string();
        let english = extra::ENGLISH_DISPLAY
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, name)| *name)
            .or_else(|| translations.get("en").copied())
            .unwrap_or_else(|| k.iso_short_name());
        countries.push(Country {
            historical: false,
            // keshvar gives Antarctica itself no region.
            continent: k
                .maybe_region()
                .map(Continent::from_keshvar)
                .or((code == "AQ").then_some(Continent::Antarctica)),
            subregion: k.maybe_subregion().map(Subregion::from_keshvar),
            lat: geo.latitude(),
            lon: geo.longitude(),
            english,
            iso_names: [k.iso_short_name(), k.iso_long_name()]
                .into_iter()
                .chain(k.unofficial_name_list().iter().copied())
                .collect(),
            names: Names::Translations(translations),
            code,
        });
    }
    for h in extra::HISTORICAL {
        let english = h
            .names
            .first()
            .and_then(|(_, names)| names.first().copied())
            .unwrap_or(h.code);
        countries.push(Country {
            code: h.code.to_owned(),
            historical: true,
            continent: Some(h.subregion.continent()),
            subregion: Some(h.subregion),
            lat: h.point.0,
            lon: h.point.1,
            english,
            iso_names: Vec::new(),
            names: Names::Table(h.names),
        });
    }
    countries
}

/// Names claimed by places, before ambiguities are dropped.
struct Claims {
    by_key: HashMap<String, (Rank, Option<Place>)>,
}

impl Claims {
    fn add(&mut self, name: &str, rank: Rank, place: Place) {
        // Folded once for both keys: the build folds some 37,000 names.
        let folded = fold(name);
        let key = spaced_once(&folded);
        if key.chars().count() < 2 {
            return;
        }
        let loose = loose_of_folded(&folded);
        if loose != key && loose.chars().count() >= 2 {
            self.claim(loose, rank, place);
        }
        self.claim(key, rank, place);
    }

    fn claim(&mut self, key: String, rank: Rank, place: Place) {
        use std::collections::hash_map::Entry;
        match self.by_key.entry(key) {
            Entry::Vacant(v) => {
                v.insert((rank, Some(place)));
            }
            Entry::Occupied(mut o) => {
                let (held_rank, held) = *o.get();
                if rank < held_rank {
                    o.insert((rank, Some(place)));
                } else if rank == held_rank && held != Some(place) {
                    o.insert((rank, None));
                }
            }
        }
    }

    /// The unambiguous names, in a table of their own (a third of the
    /// memory of the claims: one string, no hash buckets).
    fn finish(self) -> NameTable {
        let mut names: Vec<(String, Place)> = self
            .by_key
            .into_iter()
            .filter_map(|(key, (_, place))| place.map(|p| (key, p)))
            .collect();
        names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(names.iter().map(|(k, _)| k.len()).sum());
        let mut entries = Vec::with_capacity(names.len());
        for (key, place) in names {
            let start = text.len() as u32;
            text.push_str(&key);
            entries.push((start, text.len() as u32, place));
        }
        NameTable { text, entries }
    }
}

/// The gazetteer's names, folded and sorted in one string, each with its
/// place: looked up by binary search.
struct NameTable {
    text: String,
    /// Where each name starts and ends in `text`, and its place.
    entries: Vec<(u32, u32, Place)>,
}

impl NameTable {
    fn name(&self, i: usize) -> &str {
        let (start, end, _) = self.entries[i];
        &self.text[start as usize..end as usize]
    }

    fn get(&self, key: &str) -> Option<Place> {
        let mut lo = 0;
        let mut hi = self.entries.len();
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.name(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.entries[mid].2),
            }
        }
        None
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_table_finds_every_unambiguous_claim_and_nothing_else() {
        let asia = Place::Continent(Continent::Asia);
        let europe = Place::Continent(Continent::Europe);
        let mut claims = Claims {
            by_key: HashMap::default(),
        };
        for (key, rank, place) in [
            ("usa", Rank::Iso, asia),
            ("us", Rank::Iso, europe),
            ("u s a", Rank::Ours, europe),
            ("both", Rank::Iso, asia),
            ("both", Rank::Iso, europe),
            ("outranked", Rank::OtherLanguage, asia),
            ("outranked", Rank::Ours, europe),
        ] {
            claims.claim(key.to_owned(), rank, place);
        }
        let table = claims.finish();
        assert_eq!(table.len(), 4, "the ambiguous name is left out");
        let code = |k: &str| table.get(k).map(|p| p.code());
        assert_eq!(code("usa"), Some(asia.code()));
        assert_eq!(code("us"), Some(europe.code()));
        assert_eq!(code("u s a"), Some(europe.code()));
        assert_eq!(code("outranked"), Some(europe.code()));
        for missing in ["both", "u", "usaa", "", "zzz", "a"] {
            assert_eq!(code(missing), None, "{missing:?}");
        }
    }

    #[test]
    fn keys_fold_like_tags() {
        assert_eq!(name_key("  Central   ASIA "), "central asia");
        assert_eq!(name_key("КЫРГЫЗСТАН"), "кыргызстан");
        assert_eq!(loose_key("west-germany"), "west germany");
        assert_eq!(loose_key("U.S."), "us");
        assert_eq!(loose_key("The Gambia"), "gambia");
        assert_eq!(loose_key("St. Lucia"), "saint lucia");
        assert_eq!(loose_key("Trinidad & Tobago"), "trinidad and tobago");
    }

    #[test]
    fn place_codes_are_stable() {
        assert_eq!(
            Place::Subregion(Subregion::CentralAsia).code(),
            "subregion:central_asia"
        );
        assert_eq!(Place::Continent(Continent::Asia).code(), "continent:asia");
    }
}
