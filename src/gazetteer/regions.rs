//! The UN geoscheme's regions and subregions, with their names in the
//! languages archives come in. keshvar knows which country sits where but has
//! no names for the regions themselves, so this small table is ours.

use serde::Serialize;

/// A UN geoscheme region (the "continent" level of the Regions tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Continent {
    /// Africa.
    Africa,
    /// North, Central and South America with the Caribbean.
    Americas,
    /// Antarctica.
    Antarctica,
    /// Asia, including Western Asia (the Middle East and the Caucasus).
    Asia,
    /// Europe, including all of Russia.
    Europe,
    /// Australia, New Zealand and the Pacific islands.
    Oceania,
}

/// A UN geoscheme subregion, e.g. Central Asia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // the variant names are the subregions' own names
pub enum Subregion {
    AustraliaAndNewZealand,
    Caribbean,
    CentralAmerica,
    CentralAsia,
    EasternAfrica,
    EasternAsia,
    EasternEurope,
    Melanesia,
    Micronesia,
    MiddleAfrica,
    NorthernAfrica,
    NorthernAmerica,
    NorthernEurope,
    Polynesia,
    SouthAmerica,
    SouthEasternAsia,
    SouthernAfrica,
    SouthernAsia,
    SouthernEurope,
    WesternAfrica,
    WesternAsia,
    WesternEurope,
}

/// Every continent, in the order the tree shows them when counts tie.
pub const CONTINENTS: [Continent; 6] = [
    Continent::Africa,
    Continent::Americas,
    Continent::Antarctica,
    Continent::Asia,
    Continent::Europe,
    Continent::Oceania,
];

/// Every subregion.
pub const SUBREGIONS: [Subregion; 22] = [
    Subregion::AustraliaAndNewZealand,
    Subregion::Caribbean,
    Subregion::CentralAmerica,
    Subregion::CentralAsia,
    Subregion::EasternAfrica,
    Subregion::EasternAsia,
    Subregion::EasternEurope,
    Subregion::Melanesia,
    Subregion::Micronesia,
    Subregion::MiddleAfrica,
    Subregion::NorthernAfrica,
    Subregion::NorthernAmerica,
    Subregion::NorthernEurope,
    Subregion::Polynesia,
    Subregion::SouthAmerica,
    Subregion::SouthEasternAsia,
    Subregion::SouthernAfrica,
    Subregion::SouthernAsia,
    Subregion::SouthernEurope,
    Subregion::WesternAfrica,
    Subregion::WesternAsia,
    Subregion::WesternEurope,
];

/// Names by language: the first name of a language is the one shown, the
/// others are only recognised. Languages are ISO 639-1 codes.
type NameTable = &'static [(&'static str, &'static [&'static str])];

impl Continent {
    /// The continent keshvar's region stands for.
    pub(crate) fn from_keshvar(region: keshvar::Region) -> Continent {
        match region {
            keshvar::Region::Africa => Continent::Africa,
            keshvar::Region::Americas => Continent::Americas,
            keshvar::Region::Antarctica => Continent::Antarctica,
            keshvar::Region::Asia => Continent::Asia,
            keshvar::Region::Europe => Continent::Europe,
            keshvar::Region::Oceania => Continent::Oceania,
        }
    }

    pub(crate) fn names(self) -> NameTable {
        match self {
            Continent::Africa => &[
                ("en", &["Africa"]),
                ("ru", &["Африка"]),
                ("uk", &["Африка"]),
                ("fr", &["Afrique"]),
                ("es", &["África", "Africa"]),
                ("pt", &["África"]),
                ("de", &["Afrika"]),
                ("tr", &["Afrika"]),
                ("ar", &["أفريقيا", "إفريقيا"]),
                ("fa", &["آفریقا"]),
                ("zh", &["非洲"]),
            ],
            // "North America" and "Latin America" span several subregions
            // (Mexico is Central America), so the lowest level holding them is
            // the continent.
            Continent::Americas => &[
                (
                    "en",
                    &["Americas", "America", "North America", "Latin America"],
                ),
                ("ru", &["Америка", "Северная Америка", "Латинская Америка"]),
                ("uk", &["Америка", "Північна Америка", "Латинська Америка"]),
                (
                    "fr",
                    &[
                        "Amériques",
                        "Amérique",
                        "Amérique du Nord",
                        "Amérique latine",
                    ],
                ),
                (
                    "es",
                    &[
                        "Américas",
                        "América",
                        "América del Norte",
                        "Norteamérica",
                        "América Latina",
                        "Latinoamérica",
                    ],
                ),
                (
                    "pt",
                    &["Américas", "América", "América do Norte", "América Latina"],
                ),
                ("de", &["Amerika", "Nordamerika", "Lateinamerika"]),
                ("tr", &["Amerika", "Kuzey Amerika", "Latin Amerika"]),
                ("ar", &["الأمريكتان"]),
                ("zh", &["美洲", "北美洲", "拉丁美洲"]),
            ],
            Continent::Antarctica => &[
                ("en", &["Antarctica", "Antarctic"]),
                ("ru", &["Антарктида", "Антарктика"]),
                ("uk", &["Антарктида", "Антарктика"]),
                ("fr", &["Antarctique"]),
                ("es", &["Antártida"]),
                ("pt", &["Antártida", "Antártica"]),
                ("de", &["Antarktis"]),
                ("tr", &["Antarktika"]),
                ("zh", &["南极洲"]),
            ],
            Continent::Asia => &[
                ("en", &["Asia"]),
                ("ru", &["Азия"]),
                ("uk", &["Азія"]),
                ("fr", &["Asie"]),
                ("es", &["Asia"]),
                ("pt", &["Ásia"]),
                ("de", &["Asien"]),
                ("tr", &["Asya"]),
                ("ar", &["آسيا"]),
                ("fa", &["آسیا"]),
                ("zh", &["亚洲"]),
            ],
            Continent::Europe => &[
                ("en", &["Europe"]),
                ("ru", &["Европа"]),
                ("uk", &["Європа"]),
                ("fr", &["Europe"]),
                ("es", &["Europa"]),
                ("pt", &["Europa"]),
                ("de", &["Europa"]),
                ("tr", &["Avrupa"]),
                ("ar", &["أوروبا"]),
                ("fa", &["اروپا"]),
                ("zh", &["欧洲"]),
            ],
            Continent::Oceania => &[
                ("en", &["Oceania"]),
                ("ru", &["Океания"]),
                ("uk", &["Океанія"]),
                ("fr", &["Océanie"]),
                ("es", &["Oceanía"]),
                ("pt", &["Oceania"]),
                ("de", &["Ozeanien"]),
                ("tr", &["Okyanusya"]),
                ("ar", &["أوقيانوسيا"]),
                ("zh", &["大洋洲"]),
            ],
        }
    }

    /// The continent's name in `lang` (an ISO 639-1 code), else in English.
    pub fn name(self, lang: &str) -> &'static str {
        pick(self.names(), lang)
    }

    /// The box the map zooms to: (min lat, min lon, max lat, max lon).
    pub fn bounds(self) -> (f64, f64, f64, f64) {
        match self {
            Continent::Africa => (-36.0, -26.0, 38.0, 56.0),
            Continent::Americas => (-56.0, -170.0, 75.0, -30.0),
            Continent::Antarctica => (-90.0, -180.0, -60.0, 180.0),
            Continent::Asia => (-11.0, 25.0, 56.0, 150.0),
            Continent::Europe => (34.0, -25.0, 72.0, 60.0),
            Continent::Oceania => (-48.0, 110.0, 20.0, 180.0),
        }
    }
}

impl Subregion {
    /// The subregion keshvar's value stands for.
    pub(crate) fn from_keshvar(sub: keshvar::SubRegion) -> Subregion {
        use keshvar::SubRegion as K;
        match sub {
            K::AustraliaAndNewZealand => Subregion::AustraliaAndNewZealand,
            K::Caribbean => Subregion::Caribbean,
            K::CentralAmerica => Subregion::CentralAmerica,
            K::CentralAsia => Subregion::CentralAsia,
            K::EasternAfrica => Subregion::EasternAfrica,
            K::EasternAsia => Subregion::EasternAsia,
            K::EasternEurope => Subregion::EasternEurope,
            K::Melanesia => Subregion::Melanesia,
            K::Micronesia => Subregion::Micronesia,
            K::MiddleAfrica => Subregion::MiddleAfrica,
            K::NorthernAfrica => Subregion::NorthernAfrica,
            K::NorthernAmerica => Subregion::NorthernAmerica,
            K::NorthernEurope => Subregion::NorthernEurope,
            K::Polynesia => Subregion::Polynesia,
            K::SouthAmerica => Subregion::SouthAmerica,
            K::SouthEasternAsia => Subregion::SouthEasternAsia,
            K::SouthernAfrica => Subregion::SouthernAfrica,
            K::SouthernAsia => Subregion::SouthernAsia,
            K::SouthernEurope => Subregion::SouthernEurope,
            K::WesternAfrica => Subregion::WesternAfrica,
            K::WesternAsia => Subregion::WesternAsia,
            K::WesternEurope => Subregion::WesternEurope,
        }
    }

    /// The continent this subregion is part of.
    pub fn continent(self) -> Continent {
        use Subregion as S;
        match self {
            S::EasternAfrica
            | S::MiddleAfrica
            | S::NorthernAfrica
            | S::SouthernAfrica
            | S::WesternAfrica => Continent::Africa,
            S::Caribbean | S::CentralAmerica | S::NorthernAmerica | S::SouthAmerica => {
                Continent::Americas
            }
            S::CentralAsia
            | S::EasternAsia
            | S::SouthEasternAsia
            | S::SouthernAsia
            | S::WesternAsia => Continent::Asia,
            S::EasternEurope | S::NorthernEurope | S::SouthernEurope | S::WesternEurope => {
                Continent::Europe
            }
            S::AustraliaAndNewZealand | S::Melanesia | S::Micronesia | S::Polynesia => {
                Continent::Oceania
            }
        }
    }

    pub(crate) fn names(self) -> NameTable {
        use Subregion as S;
        match self {
            S::AustraliaAndNewZealand => &[
                ("en", &["Australia and New Zealand"]),
                ("ru", &["Австралия и Новая Зеландия"]),
                ("uk", &["Австралія і Нова Зеландія"]),
                ("fr", &["Australie et Nouvelle-Zélande"]),
                ("es", &["Australia y Nueva Zelanda"]),
                ("pt", &["Austrália e Nova Zelândia"]),
                ("de", &["Australien und Neuseeland"]),
            ],
            S::Caribbean => &[
                ("en", &["Caribbean", "The Caribbean"]),
                ("ru", &["Карибский бассейн", "Карибы"]),
                ("uk", &["Карибський басейн"]),
                ("fr", &["Caraïbes", "Antilles"]),
                ("es", &["Caribe"]),
                ("pt", &["Caribe", "Caraíbas"]),
                ("de", &["Karibik"]),
                ("tr", &["Karayipler"]),
                ("zh", &["加勒比"]),
            ],
            S::CentralAmerica => &[
                ("en", &["Central America"]),
                ("ru", &["Центральная Америка"]),
                ("uk", &["Центральна Америка"]),
                ("fr", &["Amérique centrale"]),
                ("es", &["América Central", "Centroamérica"]),
                ("pt", &["América Central"]),
                ("de", &["Mittelamerika", "Zentralamerika"]),
                ("tr", &["Orta Amerika"]),
                ("zh", &["中美洲"]),
            ],
            S::CentralAsia => &[
                ("en", &["Central Asia"]),
                ("ru", &["Центральная Азия", "Средняя Азия"]),
                ("uk", &["Центральна Азія", "Середня Азія"]),
                ("fr", &["Asie centrale"]),
                ("es", &["Asia Central"]),
                ("pt", &["Ásia Central"]),
                ("de", &["Zentralasien", "Mittelasien"]),
                ("tr", &["Orta Asya"]),
                ("ar", &["آسيا الوسطى"]),
                ("fa", &["آسیای میانه"]),
                ("zh", &["中亚"]),
            ],
            S::EasternAfrica => &[
                ("en", &["Eastern Africa", "East Africa"]),
                ("ru", &["Восточная Африка"]),
                ("uk", &["Східна Африка"]),
                ("fr", &["Afrique de l'Est", "Afrique orientale"]),
                ("es", &["África Oriental"]),
                ("pt", &["África Oriental"]),
                ("de", &["Ostafrika"]),
                ("tr", &["Doğu Afrika"]),
                ("zh", &["东非"]),
            ],
            S::EasternAsia => &[
                ("en", &["Eastern Asia", "East Asia"]),
                ("ru", &["Восточная Азия"]),
                ("uk", &["Східна Азія"]),
                ("fr", &["Asie de l'Est", "Asie orientale"]),
                ("es", &["Asia Oriental", "Asia del Este"]),
                ("pt", &["Ásia Oriental"]),
                ("de", &["Ostasien"]),
                ("tr", &["Doğu Asya"]),
                ("zh", &["东亚"]),
            ],
            S::EasternEurope => &[
                ("en", &["Eastern Europe", "East Europe"]),
                ("ru", &["Восточная Европа"]),
                ("uk", &["Східна Європа"]),
                ("fr", &["Europe de l'Est", "Europe orientale"]),
                ("es", &["Europa Oriental", "Europa del Este"]),
                ("pt", &["Europa Oriental", "Leste Europeu"]),
                ("de", &["Osteuropa"]),
                ("tr", &["Doğu Avrupa"]),
                ("zh", &["东欧"]),
            ],
            S::Melanesia => &[
                ("en", &["Melanesia"]),
                ("ru", &["Меланезия"]),
                ("uk", &["Меланезія"]),
                ("fr", &["Mélanésie"]),
                ("es", &["Melanesia"]),
                ("pt", &["Melanésia"]),
                ("de", &["Melanesien"]),
            ],
            // "Micronesia" alone is the country (the Federated States); the
            // subregion answers to its longer names.
            S::Micronesia => &[
                ("en", &["Micronesia (region)", "Micronesian islands"]),
                ("ru", &["Микронезия (регион)"]),
                ("de", &["Mikronesien (Region)"]),
            ],
            S::MiddleAfrica => &[
                ("en", &["Middle Africa", "Central Africa"]),
                ("ru", &["Центральная Африка"]),
                ("uk", &["Центральна Африка"]),
                ("fr", &["Afrique centrale"]),
                ("es", &["África Central"]),
                ("pt", &["África Central"]),
                ("de", &["Zentralafrika"]),
                ("tr", &["Orta Afrika"]),
                ("zh", &["中非"]),
            ],
            S::NorthernAfrica => &[
                ("en", &["Northern Africa", "North Africa"]),
                ("ru", &["Северная Африка"]),
                ("uk", &["Північна Африка"]),
                ("fr", &["Afrique du Nord"]),
                ("es", &["África del Norte", "Norte de África"]),
                ("pt", &["África do Norte", "Norte da África"]),
                ("de", &["Nordafrika"]),
                ("tr", &["Kuzey Afrika"]),
                ("ar", &["شمال أفريقيا"]),
                ("zh", &["北非"]),
            ],
            S::NorthernAmerica => &[
                ("en", &["Northern America"]),
                ("fr", &["Amérique septentrionale"]),
                ("es", &["América septentrional"]),
                ("pt", &["América Setentrional"]),
            ],
            S::NorthernEurope => &[
                ("en", &["Northern Europe", "North Europe"]),
                ("ru", &["Северная Европа"]),
                ("uk", &["Північна Європа"]),
                ("fr", &["Europe du Nord", "Europe septentrionale"]),
                ("es", &["Europa del Norte", "Europa septentrional"]),
                ("pt", &["Europa do Norte", "Europa Setentrional"]),
                ("de", &["Nordeuropa"]),
                ("tr", &["Kuzey Avrupa"]),
                ("zh", &["北欧"]),
            ],
            S::Polynesia => &[
                ("en", &["Polynesia"]),
                ("ru", &["Полинезия"]),
                ("uk", &["Полінезія"]),
                ("fr", &["Polynésie"]),
                ("es", &["Polinesia"]),
                ("pt", &["Polinésia"]),
                ("de", &["Polynesien"]),
            ],
            S::SouthAmerica => &[
                ("en", &["South America"]),
                ("ru", &["Южная Америка"]),
                ("uk", &["Південна Америка"]),
                ("fr", &["Amérique du Sud"]),
                ("es", &["América del Sur", "Sudamérica", "Suramérica"]),
                ("pt", &["América do Sul"]),
                ("de", &["Südamerika"]),
                ("tr", &["Güney Amerika"]),
                ("zh", &["南美洲"]),
            ],
            S::SouthEasternAsia => &[
                (
                    "en",
                    &[
                        "South-Eastern Asia",
                        "South-East Asia",
                        "Southeast Asia",
                        "South East Asia",
                    ],
                ),
                ("ru", &["Юго-Восточная Азия"]),
                ("uk", &["Південно-Східна Азія"]),
                ("fr", &["Asie du Sud-Est"]),
                (
                    "es",
                    &["Sudeste Asiático", "Asia Sudoriental", "Sureste Asiático"],
                ),
                ("pt", &["Sudeste Asiático"]),
                ("de", &["Südostasien"]),
                ("tr", &["Güneydoğu Asya"]),
                ("zh", &["东南亚"]),
            ],
            S::SouthernAfrica => &[
                ("en", &["Southern Africa"]),
                ("ru", &["Южная Африка"]),
                ("uk", &["Південна Африка"]),
                ("fr", &["Afrique australe"]),
                ("es", &["África austral"]),
                ("pt", &["África Austral"]),
                ("de", &["Südliches Afrika"]),
                ("zh", &["南部非洲"]),
            ],
            S::SouthernAsia => &[
                ("en", &["Southern Asia", "South Asia"]),
                ("ru", &["Южная Азия"]),
                ("uk", &["Південна Азія"]),
                ("fr", &["Asie du Sud", "Asie méridionale"]),
                ("es", &["Asia del Sur", "Asia Meridional"]),
                ("pt", &["Ásia Meridional", "Sul da Ásia"]),
                ("de", &["Südasien"]),
                ("tr", &["Güney Asya"]),
                ("zh", &["南亚"]),
            ],
            S::SouthernEurope => &[
                ("en", &["Southern Europe", "South Europe"]),
                ("ru", &["Южная Европа"]),
                ("uk", &["Південна Європа"]),
                ("fr", &["Europe du Sud", "Europe méridionale"]),
                ("es", &["Europa del Sur", "Europa meridional"]),
                ("pt", &["Europa Meridional", "Sul da Europa"]),
                ("de", &["Südeuropa"]),
                ("tr", &["Güney Avrupa"]),
                ("zh", &["南欧"]),
            ],
            S::WesternAfrica => &[
                ("en", &["Western Africa", "West Africa"]),
                ("ru", &["Западная Африка"]),
                ("uk", &["Західна Африка"]),
                ("fr", &["Afrique de l'Ouest", "Afrique occidentale"]),
                ("es", &["África Occidental"]),
                ("pt", &["África Ocidental"]),
                ("de", &["Westafrika"]),
                ("tr", &["Batı Afrika"]),
                ("zh", &["西非"]),
            ],
            S::WesternAsia => &[
                ("en", &["Western Asia", "West Asia"]),
                ("ru", &["Западная Азия", "Передняя Азия"]),
                ("uk", &["Західна Азія"]),
                ("fr", &["Asie de l'Ouest", "Asie occidentale"]),
                ("es", &["Asia Occidental"]),
                ("pt", &["Ásia Ocidental"]),
                ("de", &["Westasien", "Vorderasien"]),
                ("tr", &["Batı Asya"]),
                ("zh", &["西亚"]),
            ],
            S::WesternEurope => &[
                ("en", &["Western Europe", "West Europe"]),
                ("ru", &["Западная Европа"]),
                ("uk", &["Західна Європа"]),
                ("fr", &["Europe de l'Ouest", "Europe occidentale"]),
                ("es", &["Europa Occidental"]),
                ("pt", &["Europa Ocidental"]),
                ("de", &["Westeuropa"]),
                ("tr", &["Batı Avrupa"]),
                ("zh", &["西欧"]),
            ],
        }
    }

    /// The subregion's name in `lang` (an ISO 639-1 code), else in English.
    pub fn name(self, lang: &str) -> &'static str {
        match (self, lang) {
            // The recognised names carry a "(region)" to keep them apart from
            // the country; the shown name needs none.
            (Subregion::Micronesia, _) => "Micronesia",
            _ => pick(self.names(), lang),
        }
    }
}

/// The first name for `lang` (or its base language, "pt" for "pt_BR"), else
/// the English one.
fn pick(table: NameTable, lang: &str) -> &'static str {
    let base = lang.split(['_', '-']).next().unwrap_or(lang);
    table
        .iter()
        .find(|(l, _)| *l == lang)
        .or_else(|| table.iter().find(|(l, _)| *l == base))
        .or_else(|| table.first())
        .and_then(|(_, names)| names.first().copied())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subregion_sits_in_one_continent_and_has_an_english_name() {
        for s in SUBREGIONS {
            assert!(CONTINENTS.contains(&s.continent()));
            assert!(!s.name("en").is_empty(), "{s:?}");
        }
        assert_eq!(Subregion::CentralAsia.name("ru"), "Центральная Азия");
        assert_eq!(Subregion::CentralAsia.name("pt_BR"), "Ásia Central");
        assert_eq!(Subregion::CentralAsia.name("xx"), "Central Asia");
        assert_eq!(Continent::Europe.name("de"), "Europa");
    }
}
