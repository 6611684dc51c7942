//! Transliteration keys: the consonant skeleton of a name across Arabic, Persian and Latin
//! spellings, from the table in `data/entities/translit.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The table: digraphs (Latin) and single letters, each to its class ("" when dropped).
#[derive(Debug, Default)]
struct Table {
    digraphs: HashMap<(char, char), String>,
    letters: HashMap<char, String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(include_str!("../../../../data/entities/translit.tsv")))
}

fn parse(text: &str) -> Table {
    let mut table = Table::default();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((letters, class)) = line.split_once('\t') else {
            continue;
        };
        let class = if class.trim() == "-" {
            String::new()
        } else {
            class.trim().to_string()
        };
        let mut chars = letters.trim().chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(a), Some(b), None) => {
                table.digraphs.insert((a, b), class);
            }
            (Some(a), None, None) => {
                table.letters.insert(a, class);
            }
            _ => {}
        }
    }
    table
}

/// The key of one word, lowercase Latin; empty when nothing of it is kept.
fn word_key(word: &str, table: &Table) -> String {
    let lower = word.to_lowercase();
    let word = ["al-", "el-", "ال"]
        .iter()
        .find_map(|a| lower.strip_prefix(a).filter(|rest| rest.chars().count() >= 2))
        .unwrap_or(&lower);
    let chars: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let digraph = chars.get(i + 1).and_then(|&d| table.digraphs.get(&(c, d)));
        let class = match digraph {
            Some(class) => {
                i += 2;
                class.as_str()
            }
            None => {
                i += 1;
                table.letters.get(&c).map_or("", String::as_str)
            }
        };
        for k in class.chars() {
            if !out.ends_with(k) {
                out.push(k);
            }
        }
    }
    out
}

/// The transliteration key of a name: each word's consonant skeleton, joined by `-`; `None` when
/// no word keeps a consonant.
#[must_use]
pub fn key(name: &str) -> Option<String> {
    let table = table();
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == '\u{200C}')
        .map(|w| word_key(w, table))
        .filter(|k| !k.is_empty())
        .collect();
    (!words.is_empty()).then(|| words.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_in_three_scripts_has_one_key() {
        assert_eq!(key("غوتيريش").as_deref(), Some("gtrs"));
        assert_eq!(key("گوترش").as_deref(), Some("gtrs"));
        assert_eq!(key("Guterres").as_deref(), Some("gtrs"));
        assert_eq!(key("جوتيريس").as_deref(), Some("gtrs"));
        assert_eq!(key("محمد جواد ظريف"), key("Mohammad Javad Zarif"));
        assert_eq!(key("Stéphane Dujarric"), key("ستيفان دوجاريك"));
    }

    #[test]
    fn nothing_kept_is_no_key() {
        assert_eq!(key("او"), None);
        assert_eq!(key(""), None);
        assert_eq!(key("--"), None);
    }
}
