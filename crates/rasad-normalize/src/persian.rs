//! Persian (and Urdu, which shares the script's suffixing): plural, ezafe and nisba endings.

use crate::affixes::{self, strip_suffixes};

/// The stems a Persian search key may reach, the whole key first: کشورهای → کشور,
/// ایرانیان → ایران, آلبانیایی → آلبانیا.
#[must_use]
pub fn candidates(key: &str) -> Vec<String> {
    let table = affixes::persian();
    let mut out = vec![key.to_string()];
    strip_suffixes(&mut out, key, table);
    out
}

/// Whether a folded word is the folded `stem` with the nisba (relational) ending that makes an
/// adjective of a name, or the indefinite ending, rather than the ezafe that joins the name to what
/// follows: داعشی, تلگرامی (stem + ی), اروپایی (a stem in ا or و + یی), کره‌ای (a stem in ه + ای),
/// but not اروپای (ezafe: "اروپای مرکزی" names Europe). Folded keys write yeh as ي.
#[must_use]
pub fn is_nisba(word: &str, stem: &str) -> bool {
    let Some(ending) = word.strip_prefix(stem) else {
        return false;
    };
    match stem.chars().last() {
        None => false,
        Some('ا' | 'و') => matches!(ending, "يي" | "ئي"),
        Some('ه') => matches!(ending, "اي" | "ي"),
        Some('ي') => false,
        Some(_) => ending == "ي",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_key;

    fn reaches(word: &str, stem: &str) -> bool {
        candidates(&search_key(word).text).contains(&search_key(stem).text)
    }

    #[test]
    fn suffixes_reach_the_stem() {
        assert!(reaches("کشورهای", "کشور"));
        assert!(reaches("کشور\u{200C}های", "کشور"));
        assert!(reaches("ایرانیان", "ایران"));
        assert!(reaches("آلبانیایی", "آلبانیا"));
        assert!(reaches("آلبانی", "آلبانی"));
        assert!(reaches("ایرانی", "ایران"));
    }

    #[test]
    fn nisba_is_told_from_ezafe() {
        let nisba = |w: &str, s: &str| is_nisba(&search_key(w).text, &search_key(s).text);
        assert!(nisba("داعشی", "داعش"));
        assert!(nisba("تلگرامی", "تلگرام"));
        assert!(nisba("اروپایی", "اروپا"));
        assert!(nisba("کره\u{200C}ای", "کره"));
        assert!(!nisba("اروپای", "اروپا"), "ezafe after a vowel");
        assert!(!nisba("داعش", "داعش"));
        assert!(!nisba("آلبانیای", "آلبانی"));
        assert!(!nisba("تهرانی‌ها", "تهران"));
        assert!(!nisba("", ""));
    }
}
