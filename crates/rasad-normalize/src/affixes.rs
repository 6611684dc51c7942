//! The affix table of `data/normalize/affixes.tsv`, compiled in and parsed once.

use std::sync::OnceLock;

const DATA: &str = include_str!("../../../data/normalize/affixes.tsv");

/// The affixes of one language, each list longest first.
#[derive(Debug, Default)]
pub(crate) struct Affixes {
    pub conj: Vec<String>,
    pub prep: Vec<String>,
    pub article: Vec<String>,
    pub suffix: Vec<String>,
    pub min_stem: usize,
}

pub(crate) fn arabic() -> &'static Affixes {
    static TABLE: OnceLock<Affixes> = OnceLock::new();
    TABLE.get_or_init(|| load("ar"))
}

pub(crate) fn persian() -> &'static Affixes {
    static TABLE: OnceLock<Affixes> = OnceLock::new();
    TABLE.get_or_init(|| load("fa"))
}

fn load(lang: &str) -> Affixes {
    let mut table = Affixes {
        min_stem: 3,
        ..Affixes::default()
    };
    for line in DATA
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(l), Some(kind), Some(form)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if l != lang {
            continue;
        }
        let form = form.trim().to_string();
        match kind {
            "conj" => table.conj.push(form),
            "prep" => table.prep.push(form),
            "article" => table.article.push(form),
            "suffix" => table.suffix.push(form),
            "min_stem" => table.min_stem = form.parse().unwrap_or(3),
            _ => {}
        }
    }
    for list in [
        &mut table.conj,
        &mut table.prep,
        &mut table.article,
        &mut table.suffix,
    ] {
        list.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
    }
    table
}

/// Pushes `form` unless it is too short or already there.
pub(crate) fn push(out: &mut Vec<String>, form: &str, min_stem: usize) {
    if form.chars().count() >= min_stem && !out.iter().any(|o| o == form) {
        out.push(form.to_string());
    }
}

/// Every form reached by stripping one suffix, then one more, from `stem`.
pub(crate) fn strip_suffixes(out: &mut Vec<String>, stem: &str, table: &Affixes) {
    for suffix in &table.suffix {
        if let Some(rest) = stem.strip_suffix(suffix.as_str()) {
            push(out, rest, table.min_stem);
            for second in &table.suffix {
                if let Some(rest2) = rest.strip_suffix(second.as_str()) {
                    push(out, rest2, table.min_stem);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_data_file_parses_for_both_languages() {
        let ar = super::arabic();
        assert!(ar.conj.contains(&"و".to_string()));
        assert!(!ar.article.is_empty());
        assert_eq!(ar.min_stem, 3);
        assert!(super::persian().suffix.iter().any(|s| s == "ها"));
    }
}
