//! The given-names list (`data/entities/given-names.tsv`): a hint to the tagger that a word may begin
//! a person's name, or that the word before it did.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::data_lines;

/// The folded keys of the shipped given names.
pub(crate) fn given_names() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| parse(include_str!("../../../../data/entities/given-names.tsv")))
}

/// The folded names of a given-names file; rows without a name are skipped (the file's test
/// checks there are none).
fn parse(text: &str) -> HashSet<String> {
    data_lines(text, "given-names.tsv")
        .filter_map(|(_, line)| line.split('\t').nth(1))
        .map(|name| rasad_normalize::search_key(name.trim()).text)
        .filter(|key| !key.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rows_are_well_formed_and_unique() {
        let text = include_str!("../../../../data/entities/given-names.tsv");
        let mut seen = HashSet::new();
        for (line, row) in data_lines(text, "given-names.tsv") {
            let fields: Vec<&str> = row.split('\t').collect();
            let script = fields.first().copied().unwrap_or_default();
            assert!(
                matches!(script, "ar" | "fa" | "intl"),
                "{}: script {script:?}",
                line.number
            );
            let name = fields.get(1).copied().unwrap_or_default().trim();
            assert!(!name.is_empty(), "{}: no name", line.number);
            assert!(seen.insert(name.to_string()), "{}: {name} twice", line.number);
        }
        assert!(given_names().len() > 300);
    }

    #[test]
    fn names_are_found_by_their_folded_forms() {
        let names = given_names();
        for name in ["محمد", "علی", "علي", "أحمد", "احمد", "فلاديمير", "کریم"] {
            assert!(names.contains(&rasad_normalize::search_key(name).text), "{name}");
        }
        assert!(!names.contains(&rasad_normalize::search_key("وزير").text));
    }
}
