//! Golden tests on the seed articles and on sentences written for each rule.

use super::*;

/// (id, mention text, alias framing) triples of an extraction, in text order.
fn mentions(text: &str, lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(usize, String, String)> = extract(text, lang)
        .into_iter()
        .flat_map(|e| {
            e.mentions
                .into_iter()
                .map(move |m| (m.span.start, e.id.clone(), m.text))
        })
        .collect();
    out.sort();
    out.into_iter().map(|(_, id, t)| (id, t)).collect()
}

fn seed(name: &str) -> String {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(path).unwrap();
    rasad_clean::clean_text(&raw, true).text
}

#[test]
fn dump_seeds() {
    for (name, lang) in [
        ("000_d2c4ce68fa1361f3.txt", Lang::Fa),
        ("002_69fb2a966d6a8770.txt", Lang::Ar),
        ("004_7e47baae7ec09d11.txt", Lang::Ar),
    ] {
        for e in extract(&seed(name), lang) {
            let ms: Vec<String> = e.mentions.iter().map(|m| format!("{}{}", m.text, if m.framing.is_some() { "*" } else { "" })).collect();
            println!("{name} {} [{:?}] {:?} {}", e.id, e.kind, e.role, ms.join(" / "));
        }
    }
}
