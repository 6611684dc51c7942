//! Throughput (MB/s) of each text stage and of the whole pipeline on fixed samples per language:
//! the Persian and Arabic seed articles in `examples/`, and a fixed English sample.
//!
//! Run with `cargo bench -p rasad-pipeline`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rasad_clean::clean_text;
use rasad_ingest::{Metadata, RawDocument};
use rasad_langid::{Identifier, Lingua, ScriptProfile};
use rasad_model::SourceFormat;
use rasad_normalize::{search_key, tokenize};
use rasad_pipeline::{Options, Pipeline};

const ENGLISH: &str = "NATO allies condemned the cyberattack on Albania\n\
Albania cut diplomatic ties with Iran on Wednesday and gave its diplomats 24 hours to leave, after Prime \
Minister Edi Rama blamed Tehran for a July cyberattack that he said threatened to paralyse public services.\n\
The United States also blamed Iran and promised further action to hold it accountable. Iran's foreign \
ministry rejected the accusation as baseless and said Albania's decision was ill-considered.\n\
Mandiant said the attackers' timing, the channel used to claim the attack and similarities in the code \
pointed to actors working on behalf of the Iranian government.\n";

fn samples() -> Vec<(&'static str, String)> {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let read = |name: &str| std::fs::read_to_string(examples.join(name)).expect("seed article");
    vec![
        ("fa", read("000_d2c4ce68fa1361f3.txt")),
        (
            "ar",
            format!(
                "{}\n{}",
                read("002_69fb2a966d6a8770.txt"),
                read("004_7e47baae7ec09d11.txt")
            ),
        ),
        ("en", ENGLISH.repeat(4)),
    ]
}

fn stages(c: &mut Criterion) {
    let pipeline = Pipeline::standard(Options::default());
    let lingua = Lingua::default();
    for (lang, text) in samples() {
        let mut group = c.benchmark_group(lang);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("clean_text", |b| b.iter(|| clean_text(black_box(&text), true)));
        group.bench_function("langid_lingua", |b| b.iter(|| lingua.identify(black_box(&text))));
        group.bench_function("langid_script_profile", |b| {
            b.iter(|| ScriptProfile.identify(black_box(&text)))
        });
        group.bench_function("search_key", |b| b.iter(|| search_key(black_box(&text))));
        group.bench_function("tokenize", |b| b.iter(|| tokenize(black_box(&text))));
        group.bench_function("pipeline", |b| {
            b.iter(|| {
                let raw = RawDocument {
                    source: "bench".into(),
                    format: SourceFormat::Text,
                    original: text.as_bytes().to_vec(),
                    body: text.clone(),
                    meta: Metadata::default(),
                };
                pipeline.analyze(black_box(raw))
            });
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
