//! Named-entity recognition against ANERcorp's test split (Arabic), PEYMA (Persian) and ECB+'s proper
//! names (English, recall only): precision, recall and F1 per class, exact token spans as in CoNLL,
//! and overlapping spans for reference.
//!
//! Three systems are scored on the same text: the catalog and title rules alone, the name tagger
//! alone (the catalog's findings only as its hints), and both together, which is what the pipeline
//! gives.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use rasad_entities::Matcher;
use rasad_entities::tagger::{NameClass, NameTagger};
use rasad_model::{Entity, EntityKind, Lang, Mention, NameUse};
use rasad_normalize::tokenize;

use crate::dates::gold_spans;
use crate::{EvalError, Prf, anercorp_tagged, peyma_split, top};

/// The three classes scored.
pub const CLASSES: [&str; 3] = ["PER", "LOC", "ORG"];

/// Scores on one corpus.
#[derive(Debug, Clone, Default)]
pub struct NerReport {
    pub corpus: String,
    pub sentences: usize,
    /// Exact spans per class, in [`CLASSES`] order.
    pub exact: [Prf; 3],
    /// Overlapping spans per class.
    pub overlap: [Prf; 3],
    /// Predictions with the right span but another class, per predicted class.
    pub wrong_class: [usize; 3],
    pub false_positives: HashMap<String, usize>,
    pub missed: HashMap<String, usize>,
    /// Predictions of the right class that overlap a gold name without matching it, as
    /// "gold → predicted".
    pub boundaries: HashMap<String, usize>,
    /// Mentions left out of the scores because they describe their entity rather than name it
    /// ("الخارجية الأميركية", "رهبر انقلاب"): name annotation does not tag such words.
    pub nominal: HashMap<String, usize>,
}

impl NerReport {
    /// Adds another report's counts to this one (cross-validation folds pooled).
    pub fn add(&mut self, other: &NerReport) {
        self.sentences += other.sentences;
        for (mine, theirs) in [
            (&mut self.exact, &other.exact),
            (&mut self.overlap, &other.overlap),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.true_positives += b.true_positives;
                a.predicted += b.predicted;
                a.gold += b.gold;
            }
        }
        for (a, b) in self.wrong_class.iter_mut().zip(&other.wrong_class) {
            *a += b;
        }
        for (mine, theirs) in [
            (&mut self.false_positives, &other.false_positives),
            (&mut self.missed, &other.missed),
            (&mut self.boundaries, &other.boundaries),
            (&mut self.nominal, &other.nominal),
        ] {
            for (k, v) in theirs {
                *mine.entry(k.clone()).or_default() += v;
            }
        }
    }

    /// Micro-averaged exact scores over the three classes.
    #[must_use]
    pub fn micro(&self) -> Prf {
        let mut all = Prf::default();
        for p in &self.exact {
            all.true_positives += p.true_positives;
            all.predicted += p.predicted;
            all.gold += p.gold;
        }
        all
    }
}

/// The class an entity kind is scored as; threat actors are groups (ORG), malware is not scored.
fn class_of(kind: EntityKind) -> Option<usize> {
    match kind {
        EntityKind::Person => Some(0),
        EntityKind::Country | EntityKind::City | EntityKind::Region => Some(1),
        EntityKind::Malware => None,
        _ => Some(2),
    }
}

/// The gold label a corpus uses for a class.
fn gold_label(corpus: &str, class: usize) -> &'static str {
    match (corpus.starts_with("anercorp"), class) {
        (true, 0) => "PERS",
        (_, 0) => "PER",
        (_, 1) => "LOC",
        _ => "ORG",
    }
}

/// Scores an extractor on gold sentences.
pub(crate) fn score_with(
    corpus: &str,
    lang: Lang,
    sentences: Vec<Vec<(String, String)>>,
    extract: &dyn Fn(&str, Lang) -> Vec<Entity>,
) -> NerReport {
    let mut report = NerReport {
        corpus: corpus.to_string(),
        ..NerReport::default()
    };
    for sentence in sentences {
        report.sentences += 1;
        let mut text = String::new();
        let mut offsets = Vec::with_capacity(sentence.len());
        for (token, _) in &sentence {
            if !text.is_empty() {
                text.push(' ');
            }
            offsets.push((text.len(), text.len() + token.len()));
            text.push_str(token);
        }
        let tags: Vec<&str> = sentence.iter().map(|(_, tag)| tag.as_str()).collect();
        let gold: Vec<Vec<(usize, usize)>> =
            (0..3).map(|c| gold_spans(&tags, gold_label(corpus, c))).collect();
        let mut predicted: Vec<(usize, (usize, usize), String)> = Vec::new();
        for entity in extract(&text, lang) {
            let Some(kind_class) = class_of(entity.kind) else {
                continue;
            };
            // Adjectives (الأمريكية، ایرانی) name a state as an attribute, and nominal mentions
            // describe an entity ("الخارجية الأميركية"); NER gold tags names only.
            for mention in entity.mentions.into_iter().filter(|m| !m.adjective) {
                if mention.nominal {
                    *report.nominal.entry(mention.text).or_default() += 1;
                    continue;
                }
                // A mention the sentence uses as another kind of name is scored as that kind.
                let class = mention.used_as.map_or(kind_class, |u| match u {
                    NameUse::Person => 0,
                    NameUse::Place => 1,
                    NameUse::Organization => 2,
                });
                let covered: Vec<usize> = offsets
                    .iter()
                    .enumerate()
                    .filter(|(_, (s, e))| *s < mention.span.end && mention.span.start < *e)
                    .map(|(i, _)| i)
                    .collect();
                if let (Some(&first), Some(&last)) = (covered.first(), covered.last()) {
                    predicted.push((class, (first, last + 1), mention.text));
                }
            }
        }
        // Flat gold tags the outermost name: a catalogued country inside a tagged organisation's
        // name ("… معادن ایران") is part of it, not a name of its own.
        let outer: Vec<(usize, usize)> = predicted.iter().map(|(_, r, _)| *r).collect();
        predicted.retain(|(_, r, _)| !outer.iter().any(|o| o.0 <= r.0 && r.1 <= o.1 && o != r));
        let word = |(s, e): (usize, usize)| {
            sentence
                .iter()
                .skip(s)
                .take(e - s)
                .map(|(t, _)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let scores = report
            .exact
            .iter_mut()
            .zip(report.overlap.iter_mut())
            .zip(report.wrong_class.iter_mut());
        for (class, (((exact, overlap), wrong_class), (name, gold_c))) in
            scores.zip(CLASSES.iter().zip(&gold)).enumerate()
        {
            exact.gold += gold_c.len();
            overlap.gold += gold_c.len();
            let mut hit_exact = vec![false; gold_c.len()];
            let mut hit_overlap = vec![false; gold_c.len()];
            for (_, range, surface) in predicted.iter().filter(|(c, _, _)| *c == class) {
                exact.predicted += 1;
                overlap.predicted += 1;
                if let Some(i) = gold_c.iter().position(|g| g == range)
                    && let Some(slot) = hit_exact.get_mut(i)
                    && !*slot
                {
                    *slot = true;
                    exact.true_positives += 1;
                } else {
                    let elsewhere = gold
                        .iter()
                        .enumerate()
                        .any(|(c, spans)| c != class && spans.contains(range));
                    if elsewhere {
                        *wrong_class += 1;
                    }
                    *report
                        .false_positives
                        .entry(format!("{name}:{surface}"))
                        .or_default() += 1;
                    if let Some(g) = gold_c.iter().find(|g| overlaps(**g, *range)) {
                        *report
                            .boundaries
                            .entry(format!("{name}:{} → {surface}", word(*g)))
                            .or_default() += 1;
                    }
                }
                if let Some(i) = gold_c
                    .iter()
                    .enumerate()
                    .position(|(i, g)| overlaps(*g, *range) && !hit_overlap.get(i).copied().unwrap_or(true))
                    && let Some(slot) = hit_overlap.get_mut(i)
                {
                    *slot = true;
                    overlap.true_positives += 1;
                }
            }
            for (g, hit) in gold_c.iter().zip(&hit_exact) {
                if !hit {
                    *report.missed.entry(format!("{name}:{}", word(*g))).or_default() += 1;
                }
            }
        }
    }
    report
}

/// The tagger's names alone (the catalog's findings only as its hints), as entities to score.
pub(crate) fn tagger_only(matcher: &Matcher, tagger: &dyn NameTagger, text: &str, lang: Lang) -> Vec<Entity> {
    let tokens = tokenize(text);
    let hints = matcher.hints(text, &tokens, lang);
    tagger
        .tag(text, &tokens, &hints)
        .into_iter()
        .map(|t| Entity {
            id: String::new(),
            label: String::new(),
            kind: match t.class {
                NameClass::Person => EntityKind::Person,
                NameClass::Location => EntityKind::City,
                NameClass::Organization => EntityKind::Organization,
            },
            iso3: None,
            country: None,
            wikidata: None,
            role: None,
            discovered: true,
            mentions: vec![Mention {
                span: t.span,
                text: t.span.slice(text).unwrap_or_default().to_string(),
                alias: None,
                framing: None,
                adjective: false,
                nominal: false,
                used_as: None,
            }],
        })
        .collect()
}

/// Scores entity recognition on ANERcorp's test split and PEYMA's test files (every fifth file),
/// with the catalog and title rules alone, the trained tagger alone, and both (what `extract` gives).
///
/// # Errors
/// When a corpus cannot be read.
pub fn evaluate_ner(corpora: &Path) -> Result<Vec<NerReport>, EvalError> {
    let anercorp = anercorp_tagged(&corpora.join("anercorp/ANERCorp_CamelLab_test.txt"))?;
    // PEYMA's files are articles: each is scored whole, as the pipeline tags an article.
    let peyma = {
        let split = peyma_split(corpora)?;
        crate::tagger::documents(split.test, &split.test_docs)
    };
    let matcher = Matcher::builtin();
    let catalog = |text: &str, lang: Lang| matcher.extract_catalog_only(text, lang);
    let combined = |text: &str, lang: Lang| matcher.extract(text, lang);
    let alone = |text: &str, lang: Lang| match rasad_entities::tagger::builtin(lang) {
        Some(tagger) => tagger_only(matcher, tagger, text, lang),
        None => Vec::new(),
    };
    let mut reports = vec![
        score_with(
            "anercorp test, catalog only",
            Lang::Ar,
            anercorp.clone(),
            &catalog,
        ),
        score_with("anercorp test, tagger alone", Lang::Ar, anercorp.clone(), &alone),
        score_with(
            "anercorp test, catalog + tagger",
            Lang::Ar,
            anercorp.clone(),
            &combined,
        ),
        // ANERcorp marks no articles; windows of consecutive sentences stand for them, as the
        // pipeline tags whole articles (what the second pass and the surname rule read).
        score_with(
            "anercorp test in windows of ten sentences, catalog + tagger",
            Lang::Ar,
            crate::tagger::windows(anercorp, crate::tagger::ANERCORP_WINDOW),
            &combined,
        ),
        score_with("peyma test, catalog only", Lang::Fa, peyma.clone(), &catalog),
        score_with("peyma test, tagger alone", Lang::Fa, peyma.clone(), &alone),
        score_with("peyma test, catalog + tagger", Lang::Fa, peyma, &combined),
    ];
    // English: ECB+'s proper-name mentions. ECB+ marks its events' participants, not every name,
    // so only recall says something; precision counts every unmarked name as an error.
    let ecbplus = corpora.join("ecbplus/ECB+");
    if ecbplus.is_dir() {
        for (split, topics) in [("dev", ECBPLUS_DEV), ("test", ECBPLUS_TEST)] {
            let documents = crate::ecbplus_names(&ecbplus, &|t| topics.contains(&t))?;
            for (system, extract) in [
                ("catalog only", &catalog as &dyn Fn(&str, Lang) -> Vec<Entity>),
                ("tagger alone", &alone),
                ("catalog + tagger", &combined),
            ] {
                let name = format!("ecbplus {split} names (recall only), {system}");
                reports.push(score_with(&name, Lang::En, documents.clone(), extract));
            }
        }
    }
    Ok(reports)
}

/// ECB+ topics whose names the English word lists were checked against (dev), and the rest (test).
pub const ECBPLUS_DEV: std::ops::RangeInclusive<u32> = 1..=22;
pub const ECBPLUS_TEST: std::ops::RangeInclusive<u32> = 23..=45;

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.corpus.contains("windows") {
            "windows"
        } else if self.corpus.starts_with("ecbplus") || self.corpus.starts_with("peyma") {
            "documents"
        } else {
            "sentences"
        };
        writeln!(f, "{} ({} {unit})", self.corpus, self.sentences)?;
        for ((class, exact), overlap) in CLASSES.iter().zip(&self.exact).zip(&self.overlap) {
            writeln!(f, "  {class} exact   {exact}")?;
            writeln!(f, "  {class} overlap {overlap}")?;
        }
        writeln!(f, "  all exact (micro) {}", self.micro())?;
        let [per, loc, org] = self.wrong_class;
        writeln!(f, "  right span, other class: PER {per} LOC {loc} ORG {org}")?;
        writeln!(
            f,
            "  most frequent false positives: {}",
            top(&self.false_positives, 15)
        )?;
        writeln!(f, "  most frequent misses: {}", top(&self.missed, 15))?;
        if !self.nominal.is_empty() {
            writeln!(
                f,
                "  nominal mentions, not scored: {} ({})",
                self.nominal.values().sum::<usize>(),
                top(&self.nominal, 8)
            )?;
        }
        writeln!(
            f,
            "  most frequent boundary errors: {}",
            top(&self.boundaries, 15)
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn classes_follow_kinds() {
        assert_eq!(class_of(EntityKind::Person), Some(0));
        assert_eq!(class_of(EntityKind::City), Some(1));
        assert_eq!(class_of(EntityKind::NewsOutlet), Some(2));
        assert_eq!(class_of(EntityKind::Malware), None);
    }

    #[test]
    fn scoring_counts_exact_and_overlapping_spans() {
        // Gold: Albania (LOC), NATO (ORG); the matcher finds both, and Tirana, which gold leaves out.
        let sentence: Vec<(String, String)> = [
            ("ألبانيا", "B-LOC"),
            ("و", "O"),
            ("حلف", "B-ORG"),
            ("شمال", "I-ORG"),
            ("الأطلسي", "I-ORG"),
            ("في", "O"),
            ("تيرانا", "O"),
        ]
        .iter()
        .map(|(t, g)| ((*t).to_string(), (*g).to_string()))
        .collect();
        let catalog = |text: &str, lang: Lang| Matcher::builtin().extract_catalog_only(text, lang);
        let report = score_with("anercorp", Lang::Ar, vec![sentence], &catalog);
        assert_eq!(report.exact[1].true_positives, 1);
        assert_eq!(report.exact[1].predicted, 2);
        assert_eq!(report.exact[2].true_positives, 1);
        assert_eq!(report.exact[2].gold, 1);
    }

    #[test]
    fn nominal_mentions_are_counted_apart_not_scored() {
        // "الخارجية الأميركية" describes the State Department: the gold leaves it untagged, and
        // the catalog's nominal mention is neither a false positive nor a hit.
        let sentence: Vec<(String, String)> = [("قالت", "O"), ("الخارجية", "O"), ("الأميركية", "O")]
            .iter()
            .map(|(t, g)| ((*t).to_string(), (*g).to_string()))
            .collect();
        let catalog = |text: &str, lang: Lang| Matcher::builtin().extract_catalog_only(text, lang);
        let report = score_with("anercorp", Lang::Ar, vec![sentence], &catalog);
        assert_eq!(report.micro().predicted, 0, "{report}");
        assert_eq!(report.nominal.get("الخارجية الأميركية"), Some(&1), "{report}");
    }

    /// Runs on the real corpora when they are beside the project; skips otherwise.
    #[test]
    fn entity_recognition_stays_above_its_floors() {
        let Some(corpora) = crate::find_corpora(None) else {
            eprintln!("skipped: ../shared/corpora not found");
            return;
        };
        let reports = evaluate_ner(&corpora).unwrap();
        for report in &reports {
            println!("{report}");
        }
        // Floors below the scores recorded in docs/evaluation.md (exact spans, test splits).
        let [
            anercorp,
            ar_tagger,
            ar_combined,
            ar_windows,
            peyma,
            fa_tagger,
            fa_combined,
            english @ ..,
        ] = &reports[..]
        else {
            panic!("seven Arabic and Persian reports expected");
        };
        assert!(anercorp.exact[1].f1() >= 0.75, "ANERcorp LOC {anercorp}");
        assert!(anercorp.exact[2].f1() >= 0.45, "ANERcorp ORG {anercorp}");
        assert!(
            anercorp.micro().precision() >= 0.75,
            "ANERcorp precision {anercorp}"
        );
        assert!(peyma.exact[1].f1() >= 0.58, "PEYMA LOC {peyma}");
        assert!(peyma.exact[2].f1() >= 0.31, "PEYMA ORG {peyma}");
        // Scored per document (PEYMA's files) since session 11: 0.668 per sentence, 0.593 per document.
        assert!(peyma.micro().precision() >= 0.60, "PEYMA precision {peyma}");
        // The trained taggers (data/entities/tagger-*.tsv), alone and beside the catalog. Three
        // clusterings, word pairs and two-word surnames since session 17: ANERcorp tagger 0.734,
        // combined 0.738 (persons 0.683), in windows 0.755; titled names in the tagger's bounds
        // (session 22): combined 0.741 (persons 0.687), in windows 0.758.
        assert!(ar_tagger.micro().f1() >= 0.725, "ANERcorp tagger {ar_tagger}");
        assert!(
            ar_combined.micro().f1() >= 0.735,
            "ANERcorp combined {ar_combined}"
        );
        assert!(
            ar_combined.exact[0].f1() >= 0.675,
            "ANERcorp combined persons {ar_combined}"
        );
        assert!(
            ar_windows.micro().f1() >= 0.745,
            "ANERcorp in windows {ar_windows}"
        );
        // BILOU labels since session 15: tagger 0.811, combined 0.808, persons 0.801; two
        // clusterings (session 16): 0.809, 0.806, 0.812; word pairs and surnames (session 17): 0.809, 0.807, 0.803;
        // clusters and lexicon from unlabelled Persian news (session 19): 0.828, 0.825, 0.826;
        // titled names in the tagger's bounds (session 22): combined 0.828, persons 0.829.
        assert!(fa_tagger.micro().f1() >= 0.815, "PEYMA tagger {fa_tagger}");
        assert!(fa_combined.micro().f1() >= 0.82, "PEYMA combined {fa_combined}");
        assert!(
            fa_combined.exact[0].f1() >= 0.81,
            "PEYMA combined persons {fa_combined}"
        );
        // English (capitalisation and word lists), recall of ECB+'s proper names on its test topics;
        // ECB+ is in the corpora, so the six English reports are there too.
        let [_, _, _, _, _, en_combined] = english else {
            panic!("six English reports expected, got {}", english.len());
        };
        assert!(
            en_combined.micro().recall() >= 0.42,
            "ECB+ combined recall {en_combined}"
        );
        assert!(
            en_combined.exact[0].recall() >= 0.58,
            "ECB+ combined persons recall {en_combined}"
        );
    }

    #[test]
    fn ecbplus_proper_names_become_bio_tags() {
        let xml = r#"<Document doc_name="1_1ecb.xml">
<token t_id="1" sentence="0" number="0">Actress</token>
<token t_id="2" sentence="0" number="1">Tara</token>
<token t_id="3" sentence="0" number="2">Reid</token>
<token t_id="4" sentence="0" number="3">entered</token>
<token t_id="5" sentence="0" number="4">the</token>
<token t_id="6" sentence="0" number="5">Promises</token>
<token t_id="7" sentence="0" number="6">Center</token>
<token t_id="8" sentence="1" number="0">She</token>
<token t_id="9" sentence="1" number="1">left</token>
<token t_id="10" sentence="1" number="2">Malibu</token>
<Markables>
<HUMAN_PART_PER m_id="1"  >
  <token_anchor t_id="2"/>
  <token_anchor t_id="3"/>
</HUMAN_PART_PER>
<LOC_FAC m_id="2"  >
  <token_anchor t_id="5"/>
  <token_anchor t_id="6"/>
  <token_anchor t_id="7"/>
</LOC_FAC>
<HUMAN_PART_PER m_id="3"  >
  <token_anchor t_id="8"/>
</HUMAN_PART_PER>
<LOC_GEO m_id="4"  >
  <token_anchor t_id="10"/>
</LOC_GEO>
</Markables>
</Document>"#;
        let tags: Vec<String> = crate::ecbplus_named(xml).into_iter().map(|(_, t)| t).collect();
        // A facility is no class scored; a pronoun is no name.
        assert_eq!(
            tags,
            ["O", "B-PER", "I-PER", "O", "O", "O", "O", "O", "O", "B-LOC"]
        );
    }
}
