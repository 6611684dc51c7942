//! Stories: BCubed on ECB+ (gold = subtopic: the two real events of each topic), and near-duplicate
//! detection on SaudiNewsNet's cross-outlet repeated titles, with the clusterer's throughput.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::time::Instant;

use rasad_ingest::{Metadata, RawDocument};
use rasad_model::{AnalyzedArticle, Lang, SourceFormat};
use rasad_pipeline::{Options, Pipeline};
use rasad_stories::{Input, Params, minhash};

use crate::EvalError;
use crate::corpora::{ecbplus_document, read};

/// BCubed precision, recall and F1.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bcubed {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// BCubed of `predicted` against `gold` labels (same length, one label per item).
#[must_use]
pub fn bcubed(gold: &[&str], predicted: &[String]) -> Bcubed {
    let n = gold.len().min(predicted.len());
    if n == 0 {
        return Bcubed::default();
    }
    let mut by_gold: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_pred: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..n {
        by_gold
            .entry(gold.get(i).copied().unwrap_or(""))
            .or_default()
            .push(i);
        by_pred
            .entry(predicted.get(i).map_or("", String::as_str))
            .or_default()
            .push(i);
    }
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let g = gold.get(i).copied().unwrap_or("");
        let c = predicted.get(i).map_or("", String::as_str);
        let cluster = by_pred.get(c).map_or(&[][..], Vec::as_slice);
        let truth = by_gold.get(g).map_or(&[][..], Vec::as_slice);
        let both = cluster
            .iter()
            .filter(|&&j| gold.get(j).copied() == Some(g))
            .count() as f64;
        p += both / cluster.len().max(1) as f64;
        r += both / truth.len().max(1) as f64;
    }
    let (precision, recall) = (p / n as f64, r / n as f64);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Bcubed {
        precision,
        recall,
        f1,
    }
}

/// The ECB+ report.
#[derive(Debug, Clone)]
pub struct StoryReport {
    pub documents: usize,
    pub gold_clusters: usize,
    /// The threshold chosen on the odd-numbered topics.
    pub chosen: f32,
    pub dev: Bcubed,
    pub test: Bcubed,
    pub all: Bcubed,
    /// All topics at the shipped default threshold.
    pub default_all: Bcubed,
    pub default_threshold: f32,
    pub predicted_clusters: usize,
    pub sweep: Vec<(f32, f64)>,
    /// Alternate documents in a second pseudo-language.
    pub split: Split,
}

/// The stream with alternate documents presented as if in another language (see `cluster_split`).
#[derive(Debug, Clone, Default)]
pub struct Split {
    /// The cross-language threshold chosen on the odd topics.
    pub chosen: f32,
    pub dev: Bcubed,
    pub test: Bcubed,
    /// All topics at the shipped thresholds.
    pub shipped: Bcubed,
    pub shipped_threshold: f32,
    pub sweep: Vec<(f32, f64)>,
}

impl fmt::Display for StoryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = |b: &Bcubed| format!("P {:.3}  R {:.3}  F1 {:.3}", b.precision, b.recall, b.f1);
        writeln!(
            f,
            "ECB+ story clustering: {} documents, {} gold subtopics, one stream in file order",
            self.documents, self.gold_clusters
        )?;
        writeln!(f, "threshold chosen on odd topics: {:.2}", self.chosen)?;
        writeln!(f, "  dev  (odd topics):  {}", row(&self.dev))?;
        writeln!(f, "  test (even topics): {}", row(&self.test))?;
        writeln!(
            f,
            "  all topics:         {}  ({} stories)",
            row(&self.all),
            self.predicted_clusters
        )?;
        writeln!(
            f,
            "shipped default threshold {:.2}, all topics: {}",
            self.default_threshold,
            row(&self.default_all)
        )?;
        let sweep: Vec<String> = self
            .sweep
            .iter()
            .map(|(t, f1)| format!("{t:.2}:{f1:.3}"))
            .collect();
        writeln!(f, "dev sweep (threshold:F1): {}", sweep.join(" "))?;
        let s = &self.split;
        writeln!(
            f,
            "two pseudo-languages (alternate documents' words cannot meet, as across scripts):"
        )?;
        writeln!(
            f,
            "  cross-language threshold chosen on odd topics: {:.2}",
            s.chosen
        )?;
        writeln!(f, "  dev  (odd topics):  {}", row(&s.dev))?;
        writeln!(f, "  test (even topics): {}", row(&s.test))?;
        writeln!(
            f,
            "  shipped cross-language threshold {:.2}, all topics: {}",
            s.shipped_threshold,
            row(&s.shipped)
        )?;
        let sweep: Vec<String> = s.sweep.iter().map(|(t, f1)| format!("{t:.2}:{f1:.3}")).collect();
        writeln!(f, "  dev sweep (cross threshold:F1): {}", sweep.join(" "))
    }
}

fn analyse_text(pipeline: &Pipeline, source: &str, text: String, meta: Metadata) -> AnalyzedArticle {
    pipeline.analyze(RawDocument {
        source: source.to_string(),
        format: SourceFormat::Text,
        original: text.as_bytes().to_vec(),
        body: text,
        meta,
    })
}

fn cluster_all(articles: &[AnalyzedArticle], params: Params) -> Vec<String> {
    rasad_stories::cluster(params, articles)
        .into_iter()
        .map(|a| a.story)
        .collect()
}

/// The clusterer with every other document of a topic presented as if in another language: their
/// words can no longer meet, and only the terms all languages share (entities, events, numbers,
/// dates) can tie them, as between an Arabic and an English report. A proxy, on real gold, for the
/// multilingual streams the shared terms are there for.
fn cluster_split(articles: &[AnalyzedArticle], params: Params) -> Vec<String> {
    let inputs = articles.iter().enumerate().map(|(i, a)| Input {
        lang: if i % 2 == 0 { Lang::En } else { Lang::Ar },
        ..rasad_stories::input_of(a)
    });
    rasad_stories::cluster_inputs(params, inputs)
        .into_iter()
        .map(|a| a.story)
        .collect()
}

/// A sweep of one setting on the dev topics.
struct Sweep {
    /// (value, dev F1) for each value tried.
    scores: Vec<(f32, f64)>,
    /// The best value, its dev score and its clustering.
    chosen: f32,
    dev: Bcubed,
    predicted: Vec<String>,
}

/// Clusters at each value and keeps the one with the best dev score.
fn sweep_dev(
    values: impl Iterator<Item = f32>,
    cluster: impl Fn(f32) -> Vec<String>,
    dev: impl Fn(&[String]) -> Bcubed,
) -> Sweep {
    let mut sweep = Sweep {
        scores: Vec::new(),
        chosen: 0.0,
        dev: Bcubed::default(),
        predicted: Vec::new(),
    };
    for value in values {
        let predicted = cluster(value);
        let score = dev(&predicted);
        sweep.scores.push((value, score.f1));
        if score.f1 > sweep.dev.f1 {
            (sweep.chosen, sweep.dev, sweep.predicted) = (value, score, predicted);
        }
    }
    sweep
}

/// Each document's (topic, subtopic).
type Gold = Vec<(u32, String)>;

/// ECB+'s documents, analysed, in file order, with their (topic, subtopic).
fn ecbplus(corpora: &Path) -> Result<(Vec<AnalyzedArticle>, Gold), EvalError> {
    let dir = corpora.join("ecbplus");
    let gold_path = dir.join("gold_doc_clusters.tsv");
    let gold_tsv = read(&gold_path)?;
    let pipeline = Pipeline::standard(Options::default());
    let mut articles = Vec::new();
    let mut gold: Gold = Vec::new();
    for line in gold_tsv.lines().skip(1) {
        let mut f = line.split('\t');
        let (Some(file), Some(topic), Some(subtopic)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let topic: u32 = topic.parse().map_err(|_| EvalError::Format {
            path: gold_path.clone(),
            message: format!("topic {topic:?} is not a number"),
        })?;
        let text = ecbplus_document(&read(&dir.join(file))?).join("\n");
        articles.push(analyse_text(&pipeline, file, text, Metadata::default()));
        gold.push((topic, subtopic.to_string()));
    }
    Ok((articles, gold))
}

/// BCubed of the clusterer on ECB+ under `corpora/ecbplus`.
///
/// # Errors
/// When the corpus cannot be read.
pub fn evaluate_stories(corpora: &Path) -> Result<StoryReport, EvalError> {
    let (articles, gold) = ecbplus(corpora)?;
    let labels: Vec<&str> = gold.iter().map(|(_, s)| s.as_str()).collect();
    let part = |odd: bool, predicted: &[String]| {
        let (g, p): (Vec<&str>, Vec<String>) = gold
            .iter()
            .zip(predicted)
            .filter(|((topic, _), _)| (topic % 2 == 1) == odd)
            .map(|((_, s), p)| (s.as_str(), p.clone()))
            .unzip();
        bcubed(&g, &p)
    };
    // Each threshold is the best of a sweep on the odd topics; the even ones report it.
    let dev_of = |predicted: &[String]| part(true, predicted);
    let Sweep {
        scores: sweep,
        chosen,
        dev,
        predicted,
    } = sweep_dev(
        (0..=25).map(|step| 0.10 + 0.02 * step as f32),
        |threshold| {
            cluster_all(
                &articles,
                Params {
                    threshold,
                    ..Params::default()
                },
            )
        },
        dev_of,
    );
    // The cross-language threshold, chosen the same way on the two-pseudo-language stream.
    let split_best = sweep_dev(
        (0..=10).map(|step| 0.10 + 0.03 * step as f32),
        |cross_threshold| {
            cluster_split(
                &articles,
                Params {
                    cross_threshold,
                    ..Params::default()
                },
            )
        },
        dev_of,
    );
    let split_defaults = cluster_split(&articles, Params::default());
    let defaults = cluster_all(&articles, Params::default());
    let mut stories: Vec<&String> = predicted.iter().collect();
    stories.sort();
    stories.dedup();
    let mut subtopics = labels.clone();
    subtopics.sort_unstable();
    subtopics.dedup();
    Ok(StoryReport {
        documents: articles.len(),
        gold_clusters: subtopics.len(),
        chosen,
        dev,
        test: part(false, &predicted),
        all: bcubed(&labels, &predicted),
        default_all: bcubed(&labels, &defaults),
        default_threshold: Params::default().threshold,
        predicted_clusters: stories.len(),
        sweep,
        split: Split {
            chosen: split_best.chosen,
            dev: split_best.dev,
            test: part(false, &split_best.predicted),
            shipped: bcubed(&labels, &split_defaults),
            shipped_threshold: Params::default().cross_threshold,
            sweep: split_best.scores,
        },
    })
}

/// Near-duplicates on SaudiNewsNet, and the clusterer's speed over the whole of it.
#[derive(Debug, Clone, Default)]
pub struct DuplicateReport {
    pub articles: usize,
    /// Cross-outlet pairs whose titles are the same.
    pub same_title_pairs: usize,
    /// Cross-outlet pairs found as copies (within a day of each other).
    pub found_pairs: usize,
    /// Found pairs whose titles are the same.
    pub found_with_same_title: usize,
    /// Same-title pairs that were found.
    pub same_title_found: usize,
    /// Same-title pairs placed in one story (copies or not).
    pub same_title_same_story: usize,
    pub stories: usize,
    pub copies: usize,
    pub analyse_seconds: f64,
    pub cluster_seconds: f64,
    pub peak_rss_mb: Option<f64>,
}

impl fmt::Display for DuplicateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        writeln!(f, "SaudiNewsNet: {} articles", self.articles)?;
        writeln!(
            f,
            "  copies across outlets: {} pairs found; {} share their title (precision against titles {:.3})",
            self.found_pairs,
            self.found_with_same_title,
            ratio(self.found_with_same_title, self.found_pairs)
        )?;
        writeln!(
            f,
            "  cross-outlet pairs with the same title: {}; found as copies: {} (recall {:.3})",
            self.same_title_pairs,
            self.same_title_found,
            ratio(self.same_title_found, self.same_title_pairs)
        )?;
        writeln!(
            f,
            "  of those, in one story: {} (story recall on same-title pairs {:.3})",
            self.same_title_same_story,
            ratio(self.same_title_same_story, self.same_title_pairs)
        )?;
        writeln!(
            f,
            "  stories: {}; copies: {}; analysis {:.1} s; dedupe + clustering {:.2} s ({:.0} articles/s)",
            self.stories,
            self.copies,
            self.analyse_seconds,
            self.cluster_seconds,
            self.articles as f64 / self.cluster_seconds.max(1e-9)
        )?;
        if let Some(mb) = self.peak_rss_mb {
            writeln!(f, "  peak resident memory of the process: {mb:.0} MB")?;
        }
        Ok(())
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs the pipeline and the clusterer over SaudiNewsNet (`limit` articles at most, in date order).
///
/// # Errors
/// When the corpus cannot be read or parsed.
pub fn evaluate_duplicates(corpora: &Path, limit: usize) -> Result<DuplicateReport, EvalError> {
    let pipeline = Pipeline::standard(Options::default());
    let started = Instant::now();
    let mut articles: Vec<AnalyzedArticle> = crate::corpora::saudinewsnet(corpora, limit)?
        .into_iter()
        .map(|raw| pipeline.analyze(raw))
        .collect();
    let analyse_seconds = started.elapsed().as_secs_f64();
    articles.sort_by_key(|a| (rasad_stories::article_day(a), a.article.id.as_str().to_string()));
    let started = Instant::now();
    let placed = rasad_stories::cluster(Params::default(), &articles);
    let cluster_seconds = started.elapsed().as_secs_f64();

    // Pairs: every copy with its original, across outlets.
    let by_id: HashMap<&str, &AnalyzedArticle> =
        articles.iter().map(|a| (a.article.id.as_str(), a)).collect();
    let outlet = |a: &AnalyzedArticle| a.article.outlet.clone().unwrap_or_default();
    let title = |a: &AnalyzedArticle| {
        a.article
            .title
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };
    let mut found = 0;
    let mut found_same = 0;
    let mut copies = 0;
    for (a, p) in articles.iter().zip(&placed) {
        let Some(original) = p.copy_of.as_deref().and_then(|o| by_id.get(o)) else {
            continue;
        };
        copies += 1;
        if outlet(a) != outlet(original) {
            found += 1;
            if !title(a).is_empty() && title(a) == title(original) {
                found_same += 1;
            }
        }
    }
    // Gold: cross-outlet pairs with the same title, and whether the clusterer tied them as copies
    // (same original).
    let root = |i: usize| -> String {
        let p = placed.get(i);
        p.and_then(|p| p.copy_of.clone()).unwrap_or_else(|| {
            articles
                .get(i)
                .map(|a| a.article.id.as_str().to_string())
                .unwrap_or_default()
        })
    };
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        let t = title(a);
        if t.chars().count() >= 15 {
            by_title.entry(t).or_default().push(i);
        }
    }
    let (mut pairs, mut pairs_found, mut pairs_same_story) = (0, 0, 0);
    for group in by_title.values() {
        for (k, &i) in group.iter().enumerate() {
            for &j in group.iter().skip(k + 1) {
                let (Some(a), Some(b)) = (articles.get(i), articles.get(j)) else {
                    continue;
                };
                if outlet(a) == outlet(b) || minhash::signature(&a.article.text).is_none() {
                    continue;
                }
                pairs += 1;
                if root(i) == root(j) {
                    pairs_found += 1;
                }
                if placed.get(i).map(|p| &p.story) == placed.get(j).map(|p| &p.story) {
                    pairs_same_story += 1;
                }
            }
        }
    }
    let mut stories: Vec<&String> = placed.iter().map(|p| &p.story).collect();
    stories.sort();
    stories.dedup();
    Ok(DuplicateReport {
        articles: articles.len(),
        same_title_pairs: pairs,
        found_pairs: found,
        found_with_same_title: found_same,
        same_title_found: pairs_found,
        same_title_same_story: pairs_same_story,
        stories: stories.len(),
        copies,
        analyse_seconds,
        cluster_seconds,
        peak_rss_mb: peak_rss_mb(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecbplus_stories_stay_above_their_floors() {
        let Some(corpora) = crate::find_corpora(None) else {
            eprintln!("skipped: ../shared/corpora not found");
            return;
        };
        let (articles, gold) = ecbplus(&corpora).unwrap();
        let labels: Vec<&str> = gold.iter().map(|(_, s)| s.as_str()).collect();
        let one = bcubed(&labels, &cluster_all(&articles, Params::default()));
        let two = bcubed(&labels, &cluster_split(&articles, Params::default()));
        println!(
            "ECB+ BCubed F1 at the shipped thresholds: {:.3}; two pseudo-languages {:.3}",
            one.f1, two.f1
        );
        // Floors below the scores recorded in docs/evaluation.md (0.900 and 0.861).
        assert!(one.f1 >= 0.88, "{one:?}");
        assert!(two.f1 >= 0.83, "{two:?}");
    }

    #[test]
    fn bcubed_of_perfect_and_lumped_clusterings() {
        let gold = ["a", "a", "b", "b"];
        let same: Vec<String> = ["x", "x", "y", "y"].iter().map(|s| s.to_string()).collect();
        let b = bcubed(&gold, &same);
        assert!((b.f1 - 1.0).abs() < 1e-9);
        let lumped: Vec<String> = ["x"; 4].iter().map(|s| s.to_string()).collect();
        let b = bcubed(&gold, &lumped);
        assert!((b.precision - 0.5).abs() < 1e-9 && (b.recall - 1.0).abs() < 1e-9);
    }
}
