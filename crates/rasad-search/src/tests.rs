//! Search over the seeds and a few small articles, in memory and on disk.

use rasad_ingest::{Metadata, RawDocument};
use rasad_model::{AnalyzedArticle, SourceFormat};
use rasad_pipeline::{Options, Pipeline};

use super::*;

fn analysed(source: &str, body: &str, published: &str) -> AnalyzedArticle {
    Pipeline::standard(Options::default()).analyze(RawDocument {
        source: source.into(),
        format: SourceFormat::Text,
        original: body.as_bytes().to_vec(),
        body: body.into(),
        meta: Metadata {
            published: Some(published.into()),
            ..Metadata::default()
        },
    })
}

fn seed(name: &str, published: &str) -> AnalyzedArticle {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read_to_string(path).unwrap();
    analysed(name, &body, published)
}

fn corpus() -> Vec<AnalyzedArticle> {
    vec![
        seed("000_d2c4ce68fa1361f3.txt", "2022-09-09"),
        seed("002_69fb2a966d6a8770.txt", "2022-09-08"),
        seed("004_7e47baae7ec09d11.txt", "2022-09-07"),
        analysed(
            "mofa.txt",
            "أعلنت وزارة الخارجية الإيرانية اليوم أن الاتهامات الموجهة إلى طهران لا أساس لها من الصحة.",
            "2022-09-10",
        ),
        analysed(
            "wire.txt",
            "Albania said on Wednesday it was cutting diplomatic ties with Iran after a cyber attack \
             in July that it blamed on Tehran. The attackers destroyed data on government servers.",
            "2022-09-07",
        ),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.add(&corpus()).unwrap();
    index
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        ..SearchQuery::default()
    }
}

fn sources(index: &SearchIndex, q: &SearchQuery) -> Vec<String> {
    let corpus = corpus();
    index
        .search(q)
        .unwrap()
        .hits
        .iter()
        .map(|h| {
            corpus
                .iter()
                .find(|a| a.article.id.as_str() == h.id)
                .map(|a| a.article.source.clone())
                .unwrap()
        })
        .collect()
}

#[test]
fn all_articles_are_indexed() {
    assert_eq!(index().len(), 5);
}

#[test]
fn a_query_with_arabic_kaf_and_yeh_finds_persian_spellings() {
    let index = index();
    // "منافقين" with Arabic yeh; the Persian seed writes منافقین with farsi yeh.
    let found = sources(&index, &query("منافقين"));
    assert_eq!(found, vec!["000_d2c4ce68fa1361f3.txt"]);
    // "سازمان پیمان آتلانتیک" typed with Arabic kaf.
    let found = sources(&index, &query("آتلانتيك"));
    assert!(
        found.contains(&"000_d2c4ce68fa1361f3.txt".to_string()),
        "{found:?}"
    );
}

#[test]
fn shadda_and_tashkeel_do_not_matter() {
    let index = index();
    let found = sources(&index, &query("الخارجيّة"));
    assert_eq!(found, vec!["mofa.txt"]);
    let found = sources(&index, &query("الخَارِجِيَّة"));
    assert_eq!(found, vec!["mofa.txt"]);
}

#[test]
fn stems_match_inflected_forms() {
    let index = index();
    // "attacks" and "cutting" are not in the text; "attack" and "cut" are, through the stem.
    assert_eq!(sources(&index, &query("attacks")), vec!["wire.txt"]);
    assert_eq!(sources(&index, &query("destroy")), vec!["wire.txt"]);
}

#[test]
fn every_word_must_match_and_phrases_keep_order() {
    let index = index();
    assert_eq!(sources(&index, &query("Albania Tehran")), vec!["wire.txt"]);
    assert!(sources(&index, &query("Albania Mandiant")).is_empty());
    assert_eq!(sources(&index, &query("\"diplomatic ties\"")), vec!["wire.txt"]);
    assert!(sources(&index, &query("\"ties diplomatic\"")).is_empty());
}

#[test]
fn filters_narrow_the_hits() {
    let index = index();
    let mut q = query("");
    q.lang = Some("ar".into());
    let found = sources(&index, &q);
    assert_eq!(found.len(), 3, "{found:?}");
    // Latest first when no words are given.
    assert_eq!(found.first().map(String::as_str), Some("mofa.txt"));
    q.lang = None;
    q.event = Some("SANCTION".into());
    let found = sources(&index, &q);
    assert!(
        found.contains(&"002_69fb2a966d6a8770.txt".to_string()),
        "{found:?}"
    );
    assert!(
        !found.contains(&"004_7e47baae7ec09d11.txt".to_string()),
        "{found:?}"
    );
    q.event = None;
    q.entity = Some("group:mek".into());
    // منافقین in the Persian seed, مجاهدي خلق in the Arabic one.
    assert_eq!(sources(&index, &q).len(), 2, "{:?}", sources(&index, &q));
    assert!(!sources(&index, &q).contains(&"004_7e47baae7ec09d11.txt".to_string()));
    q.entity = None;
    q.from_day = rasad_stories::day_number("2022-09-09");
    let found = sources(&index, &q);
    assert_eq!(found, vec!["mofa.txt", "000_d2c4ce68fa1361f3.txt"]);
}

#[test]
fn snippets_mark_the_matched_words_in_the_original_text() {
    let index = index();
    let results = index.search(&query("الخارجية")).unwrap();
    let hit = results.hits.first().unwrap();
    let snippet = hit.snippet.as_ref().unwrap();
    assert_eq!(snippet.highlights.len(), 1, "{snippet:?}");
    for [from, to] in &snippet.highlights {
        assert_eq!(snippet.text.get(*from..*to), Some("الخارجية"));
    }
    assert_eq!(results.total, 1);
}

#[test]
fn pages_and_totals() {
    let index = index();
    let mut q = query("");
    q.limit = 2;
    let first = index.search(&q).unwrap();
    assert_eq!((first.total, first.hits.len()), (5, 2));
    q.offset = 4;
    assert_eq!(index.search(&q).unwrap().hits.len(), 1);
}

#[test]
fn the_index_persists_and_a_broken_one_is_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let index = SearchIndex::open(&path).unwrap();
        index.add(&corpus()).unwrap();
    }
    assert_eq!(SearchIndex::open(&path).unwrap().len(), 5);
    std::fs::write(path.join("meta.json"), b"{ not json").unwrap();
    let index = SearchIndex::open(&path).unwrap();
    assert!(index.is_empty());
    index.clear().unwrap();
}

#[test]
fn hostile_queries_are_plain_words() {
    let index = index();
    for q in [
        "\"",
        "\"\"\"",
        "*",
        "AND OR NOT",
        "title:x",
        "<script>",
        "",
        "   ",
    ] {
        index.search(&query(q)).unwrap();
    }
    let long = "کلمه ".repeat(100);
    assert!(index.search(&query(&long)).is_err());
}

#[test]
fn staged_articles_are_searched_once_committed_or_finished() {
    let index = SearchIndex::in_memory().unwrap();
    let corpus = corpus();
    let (first, rest) = corpus.split_at(2);
    assert_eq!(index.stage(first).unwrap(), 2);
    assert_eq!(index.staged(), 2);
    assert_eq!(index.len(), 0, "not searched before the commit");
    index.commit().unwrap();
    assert_eq!((index.len(), index.staged()), (2, 0));
    index.commit().unwrap();
    assert_eq!(index.len(), 2, "a commit with nothing staged changes nothing");
    index.stage(rest).unwrap();
    index.finish().unwrap();
    assert_eq!((index.len(), index.staged()), (5, 0));
    assert_eq!(sources(&index, &query("الخارجيّة")), vec!["mofa.txt"]);
}
