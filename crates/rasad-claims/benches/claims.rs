//! Throughput (MB/s) of the claims stage on the seed articles, entities given: quotes, and events
//! with incident records.
//!
//! Run with `cargo bench -p rasad-claims --bench claims`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasad_model::Lang;

fn seed(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(path).expect("seed article")
}

fn claims(c: &mut Criterion) {
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
    for (name, lang, text) in samples {
        let entities = rasad_entities::extract(&text, lang);
        let _ = rasad_claims::quotes(&text, lang, &entities);
        let mut group = c.benchmark_group(format!("claims_{name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("extract", |b| {
            b.iter(|| rasad_claims::quotes(black_box(&text), lang, black_box(&entities)));
        });
        let quotes = rasad_claims::quotes(&text, lang, &entities);
        group.bench_function("events_and_incidents", |b| {
            b.iter(|| {
                rasad_claims::events_and_incidents(black_box(&text), lang, &entities, &quotes, &[], None)
            });
        });
        group.finish();
    }
}

criterion_group!(benches, claims);
criterion_main!(benches);
