//! English: possessives and the Snowball (Porter 2) stem.

/// The forms an English search key may reach: itself, without a possessive, and its Snowball stem.
#[must_use]
pub fn candidates(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    let base = key
        .strip_suffix("'s")
        .or_else(|| key.strip_suffix("\u{2019}s"))
        .unwrap_or(key);
    if base != key {
        out.push(base.to_string());
    }
    let stem = frostem::Stemmer::new(frostem::Algorithm::English)
        .stem(base)
        .into_owned();
    if !out.contains(&stem) {
        out.push(stem);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessive_and_stem() {
        assert_eq!(candidates("iran's"), ["iran's", "iran"]);
        assert!(candidates("attacks").contains(&"attack".to_string()));
    }
}
