//! The languages people read the service in (L1–L3): English, Italian, German, French and
//! Spanish. Every text lives in `shared/messages/<language>/*.ftl` (see [`ftl`] for the syntax);
//! the pages are built per language from them at compile time (`build.rs`), the emails take
//! theirs here. Dates and times are written as each language writes them ([`dates`]), the
//! zone always named.
//!
//! Whose language: a guest's is chosen on the page, else read from `Accept-Language`, else the
//! tenant's default, and kept with their meetings; an agent's is a setting of the agent.

pub mod dates;
pub mod ftl;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A language the service speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    It,
    De,
    Fr,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::It, Lang::De, Lang::Fr, Lang::Es];

    /// The BCP 47 tag, as `lang` attributes and `Content-Language` write it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// A language named by its tag (`it`, `it-CH`, `IT`): its primary subtag decides.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The best of ours for an `Accept-Language` header (RFC 9110 §12.5.4): the highest `q`
    /// first, the earlier on a tie; `*` and languages we do not speak are passed over. The
    /// header is the client's: at most the first 20 entries are read.
    pub fn negotiate(header: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for entry in header.split(',').take(20) {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else { continue };
            let q = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1000), |q| {
                q.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q)).map(|q| (q * 1000.0) as u16)
            });
            let Some(q) = q.filter(|q| *q > 0) else { continue };
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The message files, as the binary carries them.
const FILES: [[&str; 3]; 5] = [
    [
        include_str!("../../messages/en/pages.ftl"),
        include_str!("../../messages/en/mail.ftl"),
        include_str!("../../messages/en/dates.ftl"),
    ],
    [
        include_str!("../../messages/it/pages.ftl"),
        include_str!("../../messages/it/mail.ftl"),
        include_str!("../../messages/it/dates.ftl"),
    ],
    [
        include_str!("../../messages/de/pages.ftl"),
        include_str!("../../messages/de/mail.ftl"),
        include_str!("../../messages/de/dates.ftl"),
    ],
    [
        include_str!("../../messages/fr/pages.ftl"),
        include_str!("../../messages/fr/mail.ftl"),
        include_str!("../../messages/fr/dates.ftl"),
    ],
    [
        include_str!("../../messages/es/pages.ftl"),
        include_str!("../../messages/es/mail.ftl"),
        include_str!("../../messages/es/dates.ftl"),
    ],
];

type Table = HashMap<&'static str, &'static str>;

/// Each language's messages, read once per process. The files are checked by the tests below
/// (and the build would not have made pages from a broken one), so a line that does not parse
/// is skipped rather than taking a function down.
static TABLES: LazyLock<[Table; 5]> = LazyLock::new(|| {
    FILES.map(|files| {
        let mut table = Table::new();
        for text in files {
            for line in text.lines() {
                if let Some((key, value)) = line.split_once(" = ").filter(|_| !line.starts_with('#')) {
                    table.insert(key.trim(), value.trim());
                }
            }
        }
        table
    })
});

/// A message in a language; the English one where that language lacks it (a test makes sure
/// none does), and the key itself where even English lacks it, so a mistake shows.
pub fn text(lang: Lang, key: &'static str) -> &'static str {
    let tables = &*TABLES;
    tables[lang.index()].get(key).or_else(|| tables[Lang::En.index()].get(key)).copied().unwrap_or(key)
}

/// A message with its variables filled in.
pub fn format(lang: Lang, key: &'static str, args: &[(&str, &str)]) -> String {
    ftl::format(text(lang, key), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(lang: Lang) -> Vec<(String, String)> {
        FILES[lang.index()]
            .iter()
            .flat_map(|text| ftl::parse(text).unwrap_or_else(|e| panic!("{}: {e}", lang.code())))
            .collect()
    }

    /// L3: every language has every English message, with the same variables, and nothing else.
    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let english = parsed(Lang::En);
        assert!(english.len() > 100, "the files are read: {}", english.len());
        for lang in Lang::ALL {
            let theirs: HashMap<String, String> = parsed(lang).into_iter().collect();
            for (key, value) in &english {
                let translated = theirs.get(key).unwrap_or_else(|| panic!("{} lacks `{key}`", lang.code()));
                assert_eq!(ftl::variables(translated), ftl::variables(value), "{}: `{key}`'s variables", lang.code());
                assert!(!translated.is_empty(), "{}: `{key}` is empty", lang.code());
            }
            for key in theirs.keys() {
                assert!(english.iter().any(|(k, _)| k == key), "{} has `{key}`, which English lacks", lang.code());
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_we_speak() {
        assert_eq!(Lang::negotiate("it-IT,it;q=0.9,en;q=0.8"), Some(Lang::It));
        assert_eq!(Lang::negotiate("ja, de;q=0.5, fr;q=0.7"), Some(Lang::Fr));
        assert_eq!(Lang::negotiate("es-419"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("de;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::negotiate("ja, *"), None);
        assert_eq!(Lang::negotiate("fr;q=2, it;q=abc"), None, "a q out of range is not a preference");
        assert_eq!(Lang::negotiate(""), None);
        assert_eq!(Lang::negotiate(&"xx,".repeat(10_000)), None);
    }

    #[test]
    fn a_message_is_formatted_with_its_variables_and_a_missing_one_shows() {
        assert_eq!(ftl::format("Hello { $name },", &[("name", "Ada")]), "Hello Ada,");
        assert_eq!(ftl::format("{ $a } and { $b }", &[("a", "1")]), "1 and { $b }");
        assert_eq!(ftl::pseudo("Pick { $n } times"), "[Ƥīƈķ { $n } ŧīḿḗş]");
        assert!(ftl::parse("a = { x }").is_err() && ftl::parse("1a = x").is_err() && ftl::parse("a = {").is_err());
        assert!(ftl::parse("a = x\na = y").is_err(), "a key twice");
    }
}
