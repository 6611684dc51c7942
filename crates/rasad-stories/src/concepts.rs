//! Concepts shared by all languages, from `data/stories/concepts.tsv`: the common nouns (fuel
//! stations, steel plants, wipers, sanctions) that tell one incident from another of its kind, each
//! named in English, Arabic and Persian, as EuroVoc descriptors link stories across languages in
//! Europe Media Monitor.

use std::sync::OnceLock;

use rasad_entities::phrases::PhraseIndex;
use rasad_model::Lang;
use rasad_normalize::Token;

const DATA: &str = include_str!("../../../data/stories/concepts.tsv");

/// The concept table and its phrase index.
#[derive(Debug, Default)]
pub struct Concepts {
    ids: Vec<String>,
    index: PhraseIndex,
}

/// A line of the concept file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub reason: &'static str,
}

impl Concepts {
    /// The built-in table (lines that cannot be read are left out; a test keeps the file clean).
    #[must_use]
    pub fn builtin() -> &'static Concepts {
        static TABLE: OnceLock<Concepts> = OnceLock::new();
        TABLE.get_or_init(|| Concepts::parse(DATA).0)
    }

    /// Reads a concept file: `id <TAB> en <TAB> ar <TAB> fa [<TAB> note]`, aliases split by " | ",
    /// `#` comments. A repeated id adds aliases.
    #[must_use]
    pub fn parse(text: &str) -> (Concepts, Vec<BadLine>) {
        let mut table = Concepts::default();
        let mut bad = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(id), Some(en), Some(ar), Some(fa)) =
                (fields.first(), fields.get(1), fields.get(2), fields.get(3))
            else {
                bad.push(BadLine {
                    line: n + 1,
                    reason: "expected id, en, ar and fa columns",
                });
                continue;
            };
            let id = id.trim();
            if id.is_empty() || id.contains(char::is_whitespace) {
                bad.push(BadLine {
                    line: n + 1,
                    reason: "the id is empty or has a space",
                });
                continue;
            }
            let value = match table.ids.iter().position(|i| i == id) {
                Some(v) => v,
                None => {
                    table.ids.push(id.to_string());
                    table.ids.len() - 1
                }
            };
            for (aliases, lang) in [(en, Lang::En), (ar, Lang::Ar), (fa, Lang::Fa)] {
                for alias in aliases.split('|').map(str::trim).filter(|a| !a.is_empty()) {
                    table.index.insert(alias, lang, value);
                }
            }
        }
        (table, bad)
    }

    /// The ids of the concepts named in `text` (tokens from [`rasad_normalize::tokenize`]), once
    /// per mention.
    pub fn find<'a>(&'a self, text: &str, tokens: &[Token], lang: Lang) -> impl Iterator<Item = &'a str> {
        self.index
            .find_all(text, tokens, lang)
            .into_iter()
            .flat_map(|m| m.values)
            .filter_map(|v| self.ids.get(v).map(String::as_str))
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use rasad_normalize::tokenize;

    use super::*;

    fn found(text: &str, lang: Lang) -> Vec<&'static str> {
        let mut ids: Vec<&str> = Concepts::builtin().find(text, &tokenize(text), lang).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    #[test]
    fn the_file_reads_cleanly() {
        let (table, bad) = Concepts::parse(DATA);
        assert!(bad.is_empty(), "{bad:?}");
        assert!(table.len() >= 40, "{} concepts", table.len());
    }

    #[test]
    fn one_concept_in_three_languages() {
        assert_eq!(
            found("Hackers disrupted gas stations across Iran", Lang::En),
            ["fuel"]
        );
        assert_eq!(found("تعطلت محطات الوقود في إيران", Lang::Ar), ["fuel"]);
        assert_eq!(found("اختلال در جایگاه‌های سوخت کشور", Lang::Fa), ["fuel"]);
        assert_eq!(found("کارت سوخت از کار افتاد", Lang::Fa), ["fuel"]);
    }

    #[test]
    fn clitics_and_inflections_are_handled() {
        assert_eq!(found("وبالعقوبات", Lang::Ar), ["sanctions"]);
        assert_eq!(found("The attackers wiped the disks", Lang::En), ["wiper"]);
        assert_eq!(found("تحریم‌های جدید", Lang::Fa), ["sanctions"]);
    }

    #[test]
    fn bad_lines_are_reported_not_fatal() {
        let (table, bad) = Concepts::parse("x\ten\nok\tsteel\tالصلب\tفولاد\n\ttwo words\t\t\n");
        assert_eq!(table.len(), 1);
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn a_repeated_id_adds_aliases() {
        let (table, bad) = Concepts::parse("a\tsteel\t\t\na\tiron\t\t\n");
        assert!(bad.is_empty());
        assert_eq!(table.len(), 1);
        let text = "iron and steel";
        assert_eq!(table.find(text, &tokenize(text), Lang::En).count(), 2);
    }
}
