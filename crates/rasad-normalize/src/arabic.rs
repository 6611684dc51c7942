//! Arabic: clitic analysis (و ف, then ب ل ك س, then ال or لل, then suffixes) over search keys.

use crate::affixes::{self, push, strip_suffixes};

/// The stems an Arabic search key may reach, the whole key first, then with proclitics set aside
/// (وألبانيا → البانيا, بألبانيا → البانيا, للأمم → امم), then with suffixes (الألبانية → الباني).
#[must_use]
pub fn candidates(key: &str) -> Vec<String> {
    let table = affixes::arabic();
    let mut out = vec![key.to_string()];
    let mut bases: Vec<&str> = vec![key];
    for conj in &table.conj {
        if let Some(rest) = key.strip_prefix(conj.as_str()) {
            bases.push(rest);
        }
    }
    let mut with_prep = bases.clone();
    for base in &bases {
        for prep in &table.prep {
            if let Some(rest) = base.strip_prefix(prep.as_str()) {
                with_prep.push(rest);
            }
        }
    }
    let mut stems: Vec<&str> = Vec::new();
    for base in &with_prep {
        stems.push(base);
        for article in &table.article {
            if let Some(rest) = base.strip_prefix(article.as_str()) {
                stems.push(rest);
            }
        }
    }
    for stem in &stems {
        push(&mut out, stem, table.min_stem);
    }
    for stem in stems {
        strip_suffixes(&mut out, stem, table);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_key;

    fn reaches(word: &str, stem: &str) -> bool {
        candidates(&search_key(word).text).contains(&search_key(stem).text)
    }

    #[test]
    fn clitics_reach_the_name() {
        for word in [
            "ألبانيا",
            "وألبانيا",
            "بألبانيا",
            "وبألبانيا",
            "لألبانيا",
            "فألبانيا",
        ] {
            assert!(reaches(word, "ألبانيا"), "{word}");
        }
        assert!(reaches("الألبانية", "ألباني"));
        assert!(reaches("والإيرانيون", "إيراني"));
        assert!(reaches("للأمم", "أمم"));
        assert!(reaches("وطهران", "طهران"));
        assert!(reaches("الناتو", "ناتو"));
    }

    #[test]
    fn the_whole_word_comes_first() {
        let key = search_key("وزير").text;
        assert_eq!(candidates(&key).first(), Some(&key));
        assert!(
            !candidates(&search_key("ولد").text).contains(&"لد".to_string()),
            "too short to offer"
        );
    }
}
