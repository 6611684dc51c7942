//! Throughput (MB/s) of entity recognition on the seed articles per language, the name tagger's
//! speed in tokens per second (target: 50k tokens/s per core), and the one-time cost of building the
//! catalog's phrase index.
//!
//! Run with `cargo bench -p rasad-entities`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasad_entities::{Catalog, Matcher, extract};
use rasad_model::Lang;
use rasad_normalize::tokenize;

fn seed(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(path).expect("seed article")
}

fn recognize(c: &mut Criterion) {
    let samples = [
        ("fa", Lang::Fa, seed("000_d2c4ce68fa1361f3.txt")),
        (
            "ar",
            Lang::Ar,
            format!(
                "{}\n{}",
                seed("002_69fb2a966d6a8770.txt"),
                seed("004_7e47baae7ec09d11.txt")
            ),
        ),
    ];
    // The English seed is a page: its text without tags is enough to time the tagger on.
    let mut samples = samples.to_vec();
    samples.push(("en", Lang::En, without_tags(&seed("006_albania_iran_en.html"))));
    // Build the matcher once before measuring.
    let _ = extract("", Lang::Ar);
    for (name, lang, text) in samples {
        let mut group = c.benchmark_group(format!("entities_{name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("extract", |b| b.iter(|| extract(black_box(&text), lang)));
        group.bench_function("extract_catalog_only", |b| {
            b.iter(|| Matcher::builtin().extract_catalog_only(black_box(&text), lang));
        });
        group.finish();
        if let Some(tagger) = rasad_entities::tagger::builtin(lang) {
            let tokens = tokenize(&text);
            let hints = Matcher::builtin().hints(&text, &tokens, lang);
            let mut group = c.benchmark_group(format!("tagger_{name}"));
            group.throughput(Throughput::Elements(tokens.len() as u64));
            group.bench_function("tag", |b| {
                b.iter(|| tagger.tag(black_box(&text), &tokens, &hints))
            });
            group.finish();
        }
    }
    c.bench_function("build_matcher", |b| {
        b.iter(|| Matcher::new(black_box(Catalog::builtin().clone())));
    });
}

/// Text between tags, one space for each tag.
fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => {
                inside = false;
                out.push(' ');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

criterion_group!(benches, recognize);
criterion_main!(benches);
