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
}
