//! The seeds: 000 (Persian, the Iranian embassy answers NATO) and 002 (Arabic, Albania breaks with
//! Iran) are one story; 004 (Arabic, Iran's envoy at the UN cyber working group) is another.

use rasad_ingest::{Metadata, RawDocument};
use rasad_model::{AnalyzedArticle, SourceFormat};
use rasad_pipeline::{Options, Pipeline};

use super::*;

fn analysed(name: &str, published: &str) -> AnalyzedArticle {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    read(&path, name, Some(published))
}

fn read(path: &str, name: &str, published: Option<&str>) -> AnalyzedArticle {
    let body = std::fs::read_to_string(path).unwrap();
    let pipeline = Pipeline::standard(Options::default());
    pipeline.analyze(RawDocument {
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

/// The composed fixtures (see `tests/fixtures/README.md`): three incidents, three languages each.
fn fixtures() -> Vec<AnalyzedArticle> {
    let mut out = Vec::new();
    for incident in ["fuel", "steel", "rail"] {
        for lang in ["ar", "fa", "en"] {
            let name = format!("{incident}_{lang}.txt");
            let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
            out.push(read(&path, &name, None));
        }
    }
    out
}

fn seeds() -> Vec<AnalyzedArticle> {
    vec![
        analysed("004_7e47baae7ec09d11.txt", "2022-09-07"),
        analysed("000_d2c4ce68fa1361f3.txt", "2022-09-09"),
        analysed("002_69fb2a966d6a8770.txt", "2022-09-08"),
    ]
}

fn cluster(articles: &mut [AnalyzedArticle]) -> Vec<(String, Assignment)> {
    articles.sort_by_key(|a| (article_day(a), a.article.id.as_str().to_string()));
    let placed = super::cluster(Params::default(), articles.iter());
    articles
        .iter()
        .map(|a| a.article.source.clone())
        .zip(placed)
        .collect()
}

#[test]
fn seeds_000_and_002_are_one_story_004_another() {
    let mut articles = seeds();
    let placed = cluster(&mut articles);
    let story_of = |name: &str| {
        placed
            .iter()
            .find(|(s, _)| s.starts_with(name))
            .map(|(_, a)| a.story.clone())
            .unwrap()
    };
    assert_eq!(story_of("000"), story_of("002"), "{placed:#?}");
    assert_ne!(story_of("000"), story_of("004"), "{placed:#?}");
}

#[test]
fn ids_do_not_depend_on_the_order_of_ingestion() {
    let mut a = seeds();
    let mut b = seeds();
    b.reverse();
    assert_eq!(cluster(&mut a), cluster(&mut b));
}

#[test]
fn a_copy_is_marked_and_counted_once() {
    let mut articles = seeds();
    let mut copy = articles[2].clone();
    copy.article.id = rasad_model::ArticleId::derive(Some("copy.example"), None, &copy.article.text);
    copy.article.outlet = Some("copy.example".into());
    copy.article.source = "copy".into();
    articles.push(copy);
    let placed = cluster(&mut articles);
    let copy = placed.iter().find(|(s, _)| s == "copy").unwrap();
    let original = placed.iter().find(|(s, _)| s.starts_with("002")).unwrap();
    assert!(copy.1.copy_of.is_some());
    assert_eq!(copy.1.story, original.1.story);

    let members: Vec<(&AnalyzedArticle, &Assignment)> = articles
        .iter()
        .zip(placed.iter().map(|(_, a)| a))
        .filter(|(_, a)| a.story == original.1.story)
        .collect();
    let story = build(&original.1.story, &members);
    assert_eq!(story.summary.articles.len(), 3);
    assert_eq!(
        story.summary.independent_sources, 2,
        "{:?}",
        story.summary.outlets
    );
    assert_eq!(story.summary.languages.len(), 2);
    // The Persian outlet calls the MEK منافقین, pejoratively; the Arabic one منظمة مجاهدي خلق.
    let names: Vec<&String> = story
        .framing
        .iter()
        .filter_map(|f| f.names.get("group:mek"))
        .flatten()
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("منافقین") && n.contains("pejorative")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.contains("مجاهدي خلق")), "{names:?}");
    assert!(
        story
            .events
            .iter()
            .any(|e| e.event_type == "SANCTION" && e.articles.len() >= 2),
        "{:#?}",
        story.events
    );
}

#[test]
fn copies_follow_their_original_when_it_moves() {
    let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let at = |story: &str, copy_of: Option<&str>| Assignment {
        story: story.into(),
        copy_of: copy_of.map(Into::into),
    };
    let mut placed = vec![at("s1", None), at("s1", Some("a")), at("s2", None)];
    settle(
        &ids,
        &mut placed,
        vec![("a".into(), "s3".into()), ("a".into(), "s2".into())],
    );
    let stories: Vec<&str> = placed.iter().map(|p| p.story.as_str()).collect();
    assert_eq!(stories, ["s2", "s2", "s2"]);
    assert_eq!(placed[1].copy_of.as_deref(), Some("a"));
}

#[test]
fn three_incidents_of_one_actor_against_one_state_stay_apart_across_languages() {
    let mut articles = fixtures();
    let placed = cluster(&mut articles);
    let mut stories: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (source, a) in &placed {
        stories.entry(a.story.clone()).or_default().push(source.clone());
    }
    let mut groups: Vec<Vec<String>> = stories
        .into_values()
        .map(|mut members| {
            members.sort();
            members
        })
        .collect();
    groups.sort();
    let expected: Vec<Vec<String>> = ["fuel", "rail", "steel"]
        .iter()
        .map(|i| {
            ["ar", "en", "fa"]
                .iter()
                .map(|l| format!("{i}_{l}.txt"))
                .collect()
        })
        .collect();
    assert_eq!(groups, expected);
}

mod properties {
    use proptest::prelude::*;
    use rasad_model::{Analysis, Lang};
    use rasad_normalize::tokenize;

    use crate::concepts::Concepts;
    use crate::{Input, Params, cluster_inputs};

    /// Words from the three scripts and the concept file, so that texts meet and concepts match.
    fn text() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "هجوم",
            "إلكتروني",
            "الوقود",
            "إيران",
            "ألبانيا",
            "حمله",
            "سایبری",
            "سوخت",
            "فولاد",
            "ایران",
            "cyberattack",
            "steel",
            "fuel",
            "Iran",
            "Albania",
            "sanctions",
            "2022",
            "۱۴۰۱",
            "\u{200c}",
            "،",
            ".",
            "«",
            "ـ",
        ]);
        prop::collection::vec(words, 0..40).prop_map(|w| w.join(" "))
    }

    fn lang() -> impl Strategy<Value = Lang> {
        prop::sample::select(vec![Lang::Ar, Lang::Fa, Lang::En, Lang::Und])
    }

    proptest! {
        /// Matching is total: any text in any language, no panic (the ids are checked by the
        /// golden tests in `concepts.rs`).
        #[test]
        fn concept_matching_never_panics(s in "\\PC{0,80}", l in lang()) {
            let table = Concepts::builtin();
            for id in table.find(&s, &tokenize(&s), l) {
                prop_assert!(!id.is_empty());
            }
        }

        /// Any stream: every article gets a story, a story's id is that of one of its articles'
        /// founders, and the same stream gives the same stories.
        #[test]
        fn clustering_is_total_and_deterministic(
            docs in prop::collection::vec((text(), lang(), prop::option::of(0_i64..90)), 1..25),
        ) {
            let mut docs = docs;
            docs.sort_by_key(|(_, _, day)| *day);
            let analysis = Analysis::default();
            let ids: Vec<String> = (0..docs.len()).map(|i| format!("{i:012}x")).collect();
            let run = || {
                let inputs = docs.iter().zip(&ids).map(|((text, lang, day), id)| Input {
                    id,
                    lang: *lang,
                    title: None,
                    text,
                    day: *day,
                    analysis: &analysis,
                });
                cluster_inputs(Params::default(), inputs)
            };
            let first = run();
            prop_assert_eq!(first.len(), docs.len());
            for p in &first {
                prop_assert!(ids.iter().any(|id| p.story == format!("s{}", &id[..12])), "{}", p.story);
            }
            prop_assert_eq!(first, run());
        }
    }
}

#[test]
fn an_article_names_the_wire_it_credits() {
    let mut articles = seeds();
    let placed = cluster(&mut articles);
    let members: Vec<(&AnalyzedArticle, &Assignment)> =
        articles.iter().zip(placed.iter().map(|(_, a)| a)).collect();
    let story = build("s", &members);
    let credited = |name: &str| {
        story
            .summary
            .articles
            .iter()
            .find(|a| a.source.starts_with(name))
            .map(|a| a.credited.clone())
            .unwrap()
    };
    // "وأفادت وكالة مهر للأنباء" in the Arabic UN seed, "به گزارش جام جم آنلاین" in the Persian one.
    assert!(
        credited("004").contains(&"outlet:mehr".to_string()),
        "{:?}",
        credited("004")
    );
    assert!(
        credited("000").contains(&"outlet:jamejam".to_string()),
        "{:?}",
        credited("000")
    );
    assert_eq!(
        story.labels.get("outlet:mehr").map(String::as_str),
        Some("Mehr News Agency")
    );
}

#[test]
fn live_stories_placed_one_by_one_equal_the_whole_store_table() {
    let mut articles = fixtures();
    articles.extend(seeds());
    let mut store = rasad_store::Store::open_in_memory().unwrap();
    store.insert_batch(&articles).unwrap();
    let whole = StoryTable::from_store(&store).unwrap();
    articles.sort_by_key(|a| (article_day(a), a.article.id.as_str().to_string()));
    let mut live = LiveStories::new();
    let mut tables = Vec::new();
    for a in &articles {
        assert!(live.add(a), "in (day, id) order");
        tables.push(live.table());
    }
    let rows = |t: &StoryTable| -> Vec<(String, Vec<String>)> {
        t.summaries()
            .iter()
            .map(|s| (s.id.clone(), s.articles.iter().map(|a| a.id.clone()).collect()))
            .collect()
    };
    assert_eq!(rows(tables.last().unwrap()), rows(&whole));
    assert_eq!(live.len(), articles.len());
    // Placing an article again changes nothing; an older one is placed and reported out of order.
    assert!(live.add(articles.last().unwrap()));
    assert_eq!(live.len(), articles.len());
    let mut late = LiveStories::new();
    assert!(late.add(articles.last().unwrap()));
    assert!(!late.add(articles.first().unwrap()));
    assert!(late.table().story_of(articles[0].article.id.as_str()).is_some());
}
