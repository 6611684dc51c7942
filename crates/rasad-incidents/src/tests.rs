//! Incidents on the seeds (the Albania affair in ar/fa/en plus an Iranian envoy's speech), on the
//! stories' composed fixtures (three attacks on Iran in 2021: fuel stations, steel plants,
//! railways, three languages each) and on short constructed reports of one malware's waves years
//! apart: the incidents kept incrementally are the same in any order and equal a rebuild.

use proptest::prelude::*;
use rasad_ingest::{Metadata, RawDocument};
use rasad_model::{AnalyzedArticle, SourceFormat};
use rasad_pipeline::{Options, Pipeline};
use rasad_store::Store;

use super::*;

fn analyse(name: &str, body: String, published: Option<&str>) -> AnalyzedArticle {
    Pipeline::standard(Options::default()).analyze(RawDocument {
        source: name.into(),
        format: SourceFormat::Text,
        original: body.as_bytes().to_vec(),
        body,
        meta: Metadata {
            published: published.map(Into::into),
            ..Metadata::default()
        },
    })
}

fn file(path: &str, published: Option<&str>) -> AnalyzedArticle {
    let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read_to_string(&full).unwrap();
    analyse(path, body, published)
}

/// The seeds and the composed fixtures (fuel 2021-10-26, steel 2022-06-27, rail 2021-07-09).
fn corpus() -> Vec<AnalyzedArticle> {
    let mut out = vec![
        file("examples/004_7e47baae7ec09d11.txt", Some("2022-09-07")),
        file("examples/000_d2c4ce68fa1361f3.txt", Some("2022-09-09")),
        file("examples/002_69fb2a966d6a8770.txt", Some("2022-09-08")),
    ];
    for (incident, day) in [
        ("fuel", "2021-10-27"),
        ("steel", "2022-06-28"),
        ("rail", "2021-07-10"),
    ] {
        for lang in ["ar", "fa", "en"] {
            out.push(file(
                &format!("crates/rasad-stories/tests/fixtures/{incident}_{lang}.txt"),
                Some(day),
            ));
        }
    }
    out
}

fn stored(articles: &[&AnalyzedArticle]) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for a in articles {
        store.insert_batch(&[(*a).clone()]).unwrap();
        index::add(&mut store, &[a]).unwrap();
    }
    store
}

fn assignment(store: &Store) -> Vec<(String, Option<String>)> {
    store.incident_assignments().unwrap()
}

#[test]
fn incremental_incidents_do_not_depend_on_the_order_and_equal_a_rebuild() {
    let corpus = corpus();
    let forward: Vec<&AnalyzedArticle> = corpus.iter().collect();
    let backward: Vec<&AnalyzedArticle> = corpus.iter().rev().collect();
    let mut interleaved: Vec<&AnalyzedArticle> = corpus.iter().step_by(2).collect();
    interleaved.extend(corpus.iter().skip(1).step_by(2));
    let a = stored(&forward);
    let expected = assignment(&a);
    assert!(expected.iter().any(|(_, i)| i.is_some()), "{expected:?}");
    assert_eq!(assignment(&stored(&backward)), expected);
    assert_eq!(assignment(&stored(&interleaved)), expected);
    // From scratch: the same incidents, nothing changed.
    let sigs: Vec<Signature> = corpus.iter().map(Signature::of).collect();
    let scratch = group(&Rules::default(), &sigs);
    for (sig, id) in sigs.iter().zip(scratch) {
        let kept = expected
            .iter()
            .find(|(a, _)| *a == sig.article)
            .map(|(_, i)| i.clone());
        assert_eq!(kept, Some(id), "{}", sig.article);
    }
    let mut store = stored(&backward);
    let report = index::rebuild(&mut store).unwrap();
    assert_eq!(report.articles, corpus.len());
    assert_eq!(report.changed, 0, "{report:?}");
    assert_eq!(assignment(&store), expected);
}

#[test]
fn three_attacks_on_iran_stay_three_incidents_each_across_three_languages() {
    let corpus = corpus();
    let refs: Vec<&AnalyzedArticle> = corpus.iter().collect();
    let store = stored(&refs);
    let stories = rasad_stories::StoryTable::from_store(&store).unwrap();
    let table = IncidentTable::from_store(&store, Some(&stories)).unwrap();
    let incident_of = |source: &str| {
        let a = corpus
            .iter()
            .find(|a| a.article.source.ends_with(source))
            .unwrap();
        table.incident_of(a.article.id.as_str()).map(str::to_string)
    };
    for name in ["fuel", "steel", "rail"] {
        let en = incident_of(&format!("{name}_en.txt"));
        assert!(en.is_some(), "{name} has an incident");
        for lang in ["ar", "fa"] {
            assert_eq!(incident_of(&format!("{name}_{lang}.txt")), en, "{name} {lang}");
        }
    }
    let fuel = incident_of("fuel_en.txt");
    assert_ne!(fuel, incident_of("steel_en.txt"));
    assert_ne!(fuel, incident_of("rail_en.txt"));
    assert_ne!(incident_of("rail_en.txt"), incident_of("steel_en.txt"));
    // The Albania affair: its Arabic, Persian and English reports are one incident, with Albania
    // as receiver, Iran accused, and the Iranian denials contesting the attribution.
    let albania = incident_of("002_69fb2a966d6a8770.txt").unwrap();
    assert_eq!(
        incident_of("000_d2c4ce68fa1361f3.txt").as_deref(),
        Some(albania.as_str())
    );
    let record = table.incident(&store, Some(&stories), &albania).unwrap().unwrap();
    assert!(record.summary.receiver_countries.iter().any(|c| c == "ALB"));
    let blamed = record
        .attributions
        .iter()
        .find(|a| a.accused_actor.as_deref() == Some("country:IRN"))
        .unwrap();
    assert!(!blamed.contested_by.is_empty(), "{:?}", record.attributions);
    assert!(blamed.first_reported.is_some());
    assert!(!record.denials.is_empty());
    assert!(record.article_list.len() >= 2);
    // Filters.
    let query = IncidentQuery {
        country: Some("alb".into()),
        ..IncidentQuery::default()
    };
    assert!(table.select(&query).iter().any(|s| s.id == albania));
    let query = IncidentQuery {
        country: Some("country:IRN".into()),
        year: Some(2021),
        ..IncidentQuery::default()
    };
    let ids: Vec<&str> = table.select(&query).iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(&fuel.as_deref().unwrap()), "{ids:?}");
    assert!(!ids.contains(&albania.as_str()));
}

fn sig(article: &str, ops: &[&str], victims: &[&str], published: &str, stated: Option<&str>) -> Signature {
    let day = rasad_stories::day_number(published);
    Signature {
        article: article.into(),
        operations: ops.iter().map(|s| (*s).to_string()).collect(),
        victims: victims.iter().map(|s| (*s).to_string()).collect(),
        states: Vec::new(),
        types: Vec::new(),
        accused: Vec::new(),
        groups: Vec::new(),
        when: stated
            .and_then(signature::period)
            .map(|(day, days)| When::Stated { day, days })
            .or(day.map(|day| When::Reported { day })),
        published: day,
        story: None,
        record: true,
        countries: Vec::new(),
        lang: "en".into(),
        labels: std::collections::BTreeMap::new(),
    }
}

#[test]
fn waves_of_one_malware_years_apart_are_different_incidents() {
    let rules = Rules::default();
    let shamoon_2012 = sig(
        "a",
        &["malware:shamoon"],
        &["company:aramco"],
        "2012-08-20",
        Some("2012-08-15"),
    );
    let shamoon_2016 = sig("b", &["malware:shamoon"], &[], "2016-12-01", None);
    let look_back = sig(
        "c",
        &["malware:shamoon"],
        &["company:aramco"],
        "2019-05-01",
        Some("2012"),
    );
    assert!(!rules.links(&shamoon_2012, &shamoon_2016));
    // An article years later that dates the operation links back to it.
    assert_eq!(rules.why(&shamoon_2012, &look_back), Some("operation"));
    // Two differently named operations never link through their victim.
    let other = sig(
        "d",
        &["malware:wannacry"],
        &["company:aramco"],
        "2012-08-22",
        None,
    );
    assert!(!rules.links(&shamoon_2012, &other));
    // Nor two different named victims in the same week.
    let a = sig("e", &[], &["company:sepah"], "2025-06-17", None);
    let b = sig("f", &[], &["company:nobitex"], "2025-06-18", None);
    assert!(!rules.links(&a, &b));
    // The same victim within days is one incident.
    let c = sig("g", &[], &["company:sepah"], "2025-06-19", None);
    assert_eq!(rules.why(&a, &c), Some("victim"));
}

#[test]
fn iso_days_round_trip() {
    for iso in [
        "1970-01-01",
        "2000-02-29",
        "2022-09-07",
        "1999-12-31",
        "2100-03-01",
    ] {
        assert_eq!(iso_day(rasad_stories::day_number(iso).unwrap()), iso);
    }
}

proptest! {
    /// Incidents are the connected components of the links: the ids do not depend on the order
    /// the signatures come in.
    #[test]
    fn grouping_does_not_depend_on_order(
        specs in prop::collection::vec((0usize..3, 0usize..3, 0i64..800, prop::bool::ANY), 1..24),
        seed in 0usize..1000,
    ) {
        let ops = ["malware:a", "malware:b", ""];
        let victims = ["org:x", "org:y", ""];
        let sigs: Vec<Signature> = specs
            .iter()
            .enumerate()
            .map(|(i, (o, v, d, stated))| {
                let mut s = sig(&format!("{i:03}"), &[], &[], "2020-01-01", None);
                if let Some(op) = ops.get(*o).filter(|x| !x.is_empty()) {
                    s.operations.push((*op).to_string());
                }
                if let Some(victim) = victims.get(*v).filter(|x| !x.is_empty()) {
                    s.victims.push((*victim).to_string());
                }
                s.published = s.published.map(|p| p + d);
                s.when = s.published.map(|day| if *stated { When::Stated { day, days: 31 } } else { When::Reported { day } });
                s
            })
            .collect();
        let ids = group(&Rules::default(), &sigs);
        let mut order: Vec<usize> = (0..sigs.len()).collect();
        order.rotate_left(seed % sigs.len());
        order.reverse();
        let shuffled: Vec<Signature> = order.iter().map(|&i| sigs[i].clone()).collect();
        let again = group(&Rules::default(), &shuffled);
        for (k, &i) in order.iter().enumerate() {
            prop_assert_eq!(&again[k], &ids[i]);
        }
    }
}

/// A report that opens with the state ("Iran was hit") and then names the bank takes the bank as
/// its victim, so a group's next operation (an exchange, a day later) stays a separate incident.
#[test]
fn a_state_first_report_takes_the_named_victim_that_follows() {
    let sepah = analyse(
        "sepah.txt",
        "Iran was hit by a massive cyberattack on Tuesday that disrupted banking services across \
         the country.\nThe pro-Israel hacking group Predatory Sparrow said it hacked Bank Sepah and \
         destroyed its data. Bank Sepah, which is close to the Revolutionary Guards."
            .into(),
        Some("2025-06-17"),
    );
    let nobitex = analyse(
        "nobitex.txt",
        "The pro-Israel hacking group Predatory Sparrow claimed a cyberattack on Nobitex, Iran's \
         largest cryptocurrency exchange, and said it burned $90 million."
            .into(),
        Some("2025-06-18"),
    );
    let (s, n) = (Signature::of(&sepah), Signature::of(&nobitex));
    assert_eq!(
        sepah.analysis.incidents.first().map(|i| i.receivers.clone()),
        Some(vec!["country:IRN".to_string()])
    );
    assert!(s.victims.contains(&"company:bank-sepah".to_string()), "{s:?}");
    assert!(n.victims.contains(&"company:nobitex".to_string()), "{n:?}");
    assert_eq!(Rules::default().why(&s, &n), None, "{s:?}\n{n:?}");
}
