//! Exports of the seeds (the Albania affair in ar/fa/en, an Iranian envoy's speech) and of the
//! stories' composed fixtures (three attacks on Iran, three languages each): every table's rows
//! match the analysis, the Parquet files read back, and the STIX bundle is whole (every reference
//! resolves), deterministic, and carries attributions, denials and evidence.

use std::collections::{BTreeMap, HashMap, HashSet};

use rasad_ingest::{Metadata, RawDocument};
use rasad_model::{AnalyzedArticle, SourceFormat};
use rasad_pipeline::{Options, Pipeline};
use rasad_store::{ArticleFilter, Store};
use serde_json::Value as Json;

use super::*;
use crate::csv::CsvSink;

fn analyse(path: &str, published: &str) -> AnalyzedArticle {
    let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    let original = std::fs::read(&full).unwrap();
    let html = path.ends_with(".html");
    Pipeline::standard(Options::default()).analyze(RawDocument {
        source: path.into(),
        format: if html {
            SourceFormat::Html
        } else {
            SourceFormat::Text
        },
        body: String::from_utf8_lossy(&original).into_owned(),
        original,
        meta: Metadata {
            published: Some(published.into()),
            outlet: Some(format!("outlet-{}", path.len() % 3)),
            url: Some(format!("https://news.example/{}", path.replace('/', "-"))),
            ..Metadata::default()
        },
    })
}

fn store() -> (Store, Vec<AnalyzedArticle>) {
    let mut articles = vec![
        analyse("examples/004_7e47baae7ec09d11.txt", "2022-09-07"),
        analyse("examples/000_d2c4ce68fa1361f3.txt", "2022-09-09"),
        analyse("examples/002_69fb2a966d6a8770.txt", "2022-09-08"),
        analyse("examples/006_albania_iran_en.html", "2022-09-08"),
    ];
    for (incident, day) in [
        ("fuel", "2021-10-27"),
        ("steel", "2022-06-28"),
        ("rail", "2021-07-10"),
    ] {
        for lang in ["ar", "fa", "en"] {
            articles.push(analyse(
                &format!("crates/rasad-stories/tests/fixtures/{incident}_{lang}.txt"),
                day,
            ));
        }
    }
    let mut store = Store::open_in_memory().unwrap();
    for a in &articles {
        store.insert_batch(std::slice::from_ref(a)).unwrap();
        rasad_incidents::index::add(&mut store, &[a]).unwrap();
    }
    (store, articles)
}

/// Collects rows per table.
#[derive(Default)]
struct Rows(BTreeMap<Table, Vec<Vec<Value>>>);

impl RowSink for Rows {
    fn row(&mut self, table: Table, values: Vec<Value>) -> Result<()> {
        assert_eq!(values.len(), table.columns().len(), "{table:?}");
        for (v, c) in values.iter().zip(table.columns()) {
            assert!(
                !(c.required && *v == Value::Null),
                "{table:?}.{} is required",
                c.name
            );
        }
        self.0.entry(table).or_default().push(values);
        Ok(())
    }
}

impl Rows {
    fn count(&self, t: Table) -> usize {
        self.0.get(&t).map_or(0, Vec::len)
    }
}

#[test]
fn every_table_has_a_row_per_fact_with_its_evidence() {
    let (store, articles) = store();
    let joins = Joins::from_store(&store, true).unwrap();
    let mut rows = Rows::default();
    let seen = write_tables(&store, &joins, &ExportQuery::default(), &mut rows).unwrap();
    assert_eq!(seen.articles, articles.len());
    assert_eq!(rows.count(Table::Articles), articles.len());
    let sum = |f: &dyn Fn(&AnalyzedArticle) -> usize| articles.iter().map(f).sum::<usize>();
    assert_eq!(
        rows.count(Table::Mentions),
        sum(&|a| a.analysis.entities.iter().map(|e| e.mentions.len()).sum())
    );
    assert_eq!(rows.count(Table::Quotes), sum(&|a| a.analysis.quotes.len()));
    assert_eq!(rows.count(Table::Events), sum(&|a| a.analysis.events.len()));
    let attributions = sum(&|a| a.analysis.incidents.iter().map(|i| i.attributions.len()).sum());
    assert!(attributions > 0);
    assert_eq!(rows.count(Table::Attributions), attributions);
    assert_eq!(
        rows.count(Table::Denials),
        sum(&|a| a.analysis.incidents.iter().map(|i| i.denials.len()).sum())
    );
    assert!(rows.count(Table::Denials) > 0, "Iran's denial in the seeds");
    assert_eq!(rows.count(Table::Incidents), seen.incidents.len());
    assert!(seen.incidents.len() >= 4, "{:?}", seen.incidents);
    assert_eq!(rows.count(Table::Stories), seen.stories.len());
    // Evidence columns hold the text of their spans.
    let text: HashMap<&str, &str> = articles
        .iter()
        .map(|a| (a.article.id.as_str(), a.article.text.as_str()))
        .collect();
    for row in rows.0.get(&Table::Attributions).unwrap() {
        let (Some(Value::Str(article)), Some(Value::Str(ev)), Some(Value::Int(s)), Some(Value::Int(e))) =
            (row.get(1), row.get(12), row.get(13), row.get(14))
        else {
            panic!("{row:?}");
        };
        let span = usize::try_from(*s).unwrap()..usize::try_from(*e).unwrap();
        assert_eq!(text.get(article.as_str()).unwrap().get(span), Some(ev.as_str()));
    }
    // Every attribution's incident is an exported incident.
    for row in rows.0.get(&Table::Attributions).unwrap() {
        if let Some(Value::Str(inc)) = row.get(2) {
            assert!(seen.incidents.contains(inc));
        }
    }
}

#[test]
fn filters_and_an_incident_select_their_articles() {
    let (store, articles) = store();
    let joins = Joins::from_store(&store, true).unwrap();
    let count = |q: ExportQuery| {
        let mut rows = Rows::default();
        write_tables(&store, &joins, &q, &mut rows).unwrap().articles
    };
    let fa = articles.iter().filter(|a| a.article.lang.code() == "fa").count();
    let lang = ExportQuery {
        filter: ArticleFilter {
            lang: Some("fa".into()),
            ..ArticleFilter::default()
        },
        ..ExportQuery::default()
    };
    assert_eq!(count(lang), fa);
    let days = ExportQuery {
        filter: ArticleFilter {
            from: Some("2022-09-01".into()),
            to: Some("2022-09-08".into()),
            ..ArticleFilter::default()
        },
        ..ExportQuery::default()
    };
    assert_eq!(count(days), 3);
    let alb = ExportQuery {
        filter: ArticleFilter {
            entity: Some("country:ALB".into()),
            ..ArticleFilter::default()
        },
        ..ExportQuery::default()
    };
    let albania = articles
        .iter()
        .filter(|a| a.analysis.entities.iter().any(|e| e.id == "country:ALB"))
        .count();
    assert!(albania >= 3);
    assert_eq!(count(alb), albania);
    let inc = joins.incidents.summaries().first().unwrap().id.clone();
    let members = joins.incidents.members(&inc).unwrap().len();
    let one = ExportQuery {
        incident: Some(inc),
        ..ExportQuery::default()
    };
    assert_eq!(count(one), members);
    let missing = ExportQuery {
        incident: Some("inc-000000000000".into()),
        ..ExportQuery::default()
    };
    let mut rows = Rows::default();
    assert!(matches!(
        write_tables(&store, &joins, &missing, &mut rows),
        Err(ExportError::NoIncident(_))
    ));
}

#[test]
fn csv_files_have_a_header_and_a_line_per_row() {
    let (store, articles) = store();
    let joins = Joins::from_store(&store, false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut sink = CsvSink::create_dir(dir.path()).unwrap();
    write_tables(&store, &joins, &ExportQuery::default(), &mut sink).unwrap();
    sink.finish().unwrap();
    let quotes = std::fs::read_to_string(dir.path().join("quotes.csv")).unwrap();
    assert!(quotes.starts_with("quote_id,article_id,speaker,verb,stance,"));
    let text = std::fs::read_to_string(dir.path().join("articles.csv")).unwrap();
    // Article texts hold line breaks inside quoted cells: count records by their ids instead.
    for a in &articles {
        assert!(text.contains(&format!("\n{},", a.article.id.as_str())));
    }
    assert!(
        std::fs::read_to_string(dir.path().join("stories.csv"))
            .unwrap()
            .lines()
            .count()
            == 1
    );
}

#[test]
fn parquet_tables_read_back_with_every_row() {
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    let (store, _) = store();
    let joins = Joins::from_store(&store, true).unwrap();
    let mut rows = Rows::default();
    write_tables(&store, &joins, &ExportQuery::default(), &mut rows).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut sink = parquet::ParquetSink::create_dir(dir.path()).unwrap();
    write_tables(&store, &joins, &ExportQuery::default(), &mut sink).unwrap();
    sink.finish().unwrap();
    for t in Table::ALL {
        let f = std::fs::File::open(dir.path().join(format!("{}.parquet", t.name()))).unwrap();
        let reader = SerializedFileReader::new(f).unwrap();
        let n = reader.metadata().file_metadata().num_rows();
        assert_eq!(usize::try_from(n).unwrap(), rows.count(t), "{t:?}");
    }
}

fn bundle(store: &Store, joins: &Joins) -> (Json, stix::BundleSummary) {
    let (out, summary) =
        stix::write_bundle(store, joins, &ExportQuery::default(), "test", Vec::new()).unwrap();
    (serde_json::from_slice(&out).unwrap(), summary)
}

#[test]
fn the_stix_bundle_is_whole_deterministic_and_carries_attributions_and_denials() {
    let (store, articles) = store();
    let joins = Joins::from_store(&store, true).unwrap();
    let (b, summary) = bundle(&store, &joins);
    let objects = b.get("objects").and_then(Json::as_array).unwrap();
    let ids: HashSet<&str> = objects
        .iter()
        .map(|o| o.get("id").and_then(Json::as_str).unwrap())
        .collect();
    assert_eq!(ids.len(), objects.len(), "ids are unique");
    let of_type = |t: &str| -> Vec<&Json> {
        objects
            .iter()
            .filter(|o| o.get("type").and_then(Json::as_str) == Some(t))
            .collect()
    };
    assert_eq!(of_type("report").len(), articles.len());
    assert_eq!(of_type("incident").len(), summary.seen.incidents.len());
    assert_eq!(summary.objects.values().sum::<usize>(), objects.len());
    // Every reference resolves inside the bundle.
    for o in objects {
        assert_eq!(o.get("spec_version").and_then(Json::as_str), Some("2.1"));
        for (k, v) in o.as_object().unwrap() {
            let refs: Vec<&str> = if k.ends_with("_ref") {
                v.as_str().into_iter().collect()
            } else if k.ends_with("_refs") {
                v.as_array().unwrap().iter().filter_map(Json::as_str).collect()
            } else {
                continue;
            };
            for r in refs {
                assert!(ids.contains(r), "{k} -> {r} in {o}");
            }
        }
    }
    // Albania's location carries its alpha-2 code; Iran is accused as a nation-state.
    assert!(
        of_type("location")
            .iter()
            .any(|l| l.get("country").and_then(Json::as_str) == Some("AL"))
    );
    let attributed: Vec<&Json> = of_type("relationship")
        .into_iter()
        .filter(|r| r.get("relationship_type").and_then(Json::as_str) == Some("attributed-to"))
        .collect();
    assert!(!attributed.is_empty());
    let iran = stix::stix_id("threat-actor", "country:IRN");
    assert!(
        attributed
            .iter()
            .any(|r| r.get("target_ref").and_then(Json::as_str) == Some(iran.as_str()))
    );
    // A denial is a strongly-disagree opinion on an attribution, by the denier's identity.
    let opinions = of_type("opinion");
    assert!(!opinions.is_empty());
    let rel_ids: HashSet<&str> = attributed
        .iter()
        .filter_map(|r| r.get("id").and_then(Json::as_str))
        .collect();
    assert!(opinions.iter().any(|o| {
        o.get("opinion").and_then(Json::as_str) == Some("strongly-disagree")
            && o.get("object_refs")
                .and_then(Json::as_array)
                .is_some_and(|r| r.iter().filter_map(Json::as_str).any(|r| rel_ids.contains(r)))
    }));
    // Evidence spans hold the text they point at.
    let ext = stix::evidence_extension();
    let text: HashMap<&str, &str> = articles
        .iter()
        .map(|a| (a.article.id.as_str(), a.article.text.as_str()))
        .collect();
    let mut checked = 0;
    for o in objects {
        let Some(list) = o
            .pointer(&format!("/extensions/{ext}/evidence"))
            .and_then(Json::as_array)
        else {
            continue;
        };
        for e in list {
            let article = e.get("article_id").and_then(Json::as_str).unwrap();
            let (s, t) = (
                e.get("start").and_then(Json::as_u64).unwrap(),
                e.get("end").and_then(Json::as_u64).unwrap(),
            );
            let span = usize::try_from(s).unwrap()..usize::try_from(t).unwrap();
            assert_eq!(
                text.get(article).unwrap().get(span),
                e.get("text").and_then(Json::as_str)
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
    // The same store exports the same bundle.
    let (again, _) = bundle(&store, &joins);
    assert_eq!(b, again);
}

#[test]
fn docs_schema_lists_every_table_and_column() {
    let doc =
        std::fs::read_to_string(format!("{}/../../docs/schema.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let tables = tables::markdown();
    assert!(
        doc.contains(&tables),
        "docs/schema.md must hold the export tables as tables::markdown() gives them:\n{tables}"
    );
}
