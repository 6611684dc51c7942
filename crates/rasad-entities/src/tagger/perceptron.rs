//! A greedy averaged perceptron (Collins 2002; the left-to-right tagger of Honnibal's "A good POS
//! tagger in about 200 lines"): each word's label is the best-scoring one that keeps BIO well formed,
//! given the labels before it; training updates toward the gold label whenever the prediction differs
//! and averages every weight over all updates.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::LABELS;
use super::features::{self, Sink, Word};
use crate::EntityError;

/// Number of labels.
pub(crate) const N: usize = LABELS.len();

/// Feature hashes are already uniform: the map uses them as they are.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Weights<T> = HashMap<u64, [T; N], BuildHasherDefault<Identity>>;

/// A trained model: a weight per feature and label.
#[derive(Debug, Clone, Default)]
pub struct Model {
    weights: Weights<f32>,
}

/// Whether `label` may follow `prev` in BIO: an inside label continues its own class only.
pub(crate) fn allowed(prev: u8, label: usize) -> bool {
    let is_inside = label.is_multiple_of(2) && label > 0;
    if !is_inside {
        return true;
    }
    let p = usize::from(prev);
    p == label || p + 1 == label
}

impl Model {
    /// Reads a model file: `feature<TAB>w0 w1 … w6` lines, `#` comments; the header names the labels.
    ///
    /// # Errors
    /// A line that is not a feature and seven numbers.
    pub fn parse(text: &str) -> Result<Self, EntityError> {
        let mut weights = Weights::default();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: &str| EntityError::Catalog {
                file: "tagger model".to_string(),
                line: n + 1,
                reason: reason.to_string(),
            };
            let (name, values) = line.rsplit_once('\t').ok_or_else(|| bad("no tab"))?;
            let mut row = [0f32; N];
            let mut count = 0;
            for (slot, v) in row.iter_mut().zip(values.split(' ')) {
                *slot = v.parse().map_err(|_| bad("weight is not a number"))?;
                count += 1;
            }
            if count != N || values.split(' ').count() != N {
                return Err(bad("not seven weights"));
            }
            weights.insert(features::hash(name), row);
        }
        Ok(Self { weights })
    }

    /// Number of features with weights.
    #[must_use]
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    fn scores(&self, hashes: &[u64]) -> [f32; N] {
        scores(&self.weights, hashes)
    }

    /// The labels of a text's words, left to right.
    pub(crate) fn decode(&self, words: &[Word]) -> Vec<u8> {
        let mut labels = Vec::with_capacity(words.len());
        let mut sink = Sink::new(None);
        let (mut p1, mut p2) = (0u8, 0u8);
        for i in 0..words.len() {
            features::extract(words, i, p1, p2, &mut sink);
            let best = best_allowed(&self.scores(&sink.hashes), p1);
            labels.push(best);
            p2 = p1;
            p1 = best;
        }
        labels
    }
}

/// The summed weights of `hashes` per label.
fn scores(weights: &Weights<f32>, hashes: &[u64]) -> [f32; N] {
    let mut out = [0f32; N];
    for h in hashes {
        if let Some(row) = weights.get(h) {
            for (o, w) in out.iter_mut().zip(row) {
                *o += w;
            }
        }
    }
    out
}

fn best_allowed(scores: &[f32; N], prev: u8) -> u8 {
    let mut best = 0usize;
    let mut best_score = f32::NEG_INFINITY;
    for (label, &s) in scores.iter().enumerate() {
        if allowed(prev, label) && s > best_score {
            best = label;
            best_score = s;
        }
    }
    u8::try_from(best).unwrap_or(0)
}

/// One training sentence: its words and gold labels (indices into [`LABELS`]).
#[derive(Debug, Clone)]
pub struct Example {
    pub(crate) words: Vec<Word>,
    pub(crate) labels: Vec<u8>,
}

impl Example {
    /// The gold label of each word.
    #[must_use]
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }
}

/// Training state: current weights, their running sums, and when each was last changed.
#[derive(Default)]
struct Trainer {
    weights: Weights<f32>,
    totals: Weights<f64>,
    stamps: Weights<u32>,
    names: HashMap<u64, String>,
    step: u32,
}

impl Trainer {
    fn update(&mut self, hashes: &[u64], label: usize, delta: f32) {
        for &h in hashes {
            let w = self.weights.entry(h).or_insert([0.0; N]);
            let total = self.totals.entry(h).or_insert([0.0; N]);
            let stamp = self.stamps.entry(h).or_insert([0; N]);
            if let (Some(w), Some(total), Some(stamp)) =
                (w.get_mut(label), total.get_mut(label), stamp.get_mut(label))
            {
                *total += f64::from(self.step - *stamp) * f64::from(*w);
                *stamp = self.step;
                *w += delta;
            }
        }
    }

    fn scores(&self, hashes: &[u64]) -> [f32; N] {
        scores(&self.weights, hashes)
    }

    /// The averaged weights, rounded to three decimals, with features whose largest weight is
    /// below `prune` left out; returned as the model file's lines.
    fn finish(self, prune: f32) -> Vec<(String, [f32; N])> {
        let step = f64::from(self.step.max(1));
        let mut rows = Vec::new();
        for (h, w) in &self.weights {
            let (Some(total), Some(stamp)) = (self.totals.get(h), self.stamps.get(h)) else {
                continue;
            };
            let mut row = [0f32; N];
            for (k, slot) in row.iter_mut().enumerate() {
                let (w, t, s) = (
                    f64::from(w.get(k).copied().unwrap_or(0.0)),
                    total.get(k).copied().unwrap_or(0.0),
                    stamp.get(k).copied().unwrap_or(0),
                );
                let avg = (t + f64::from(self.step - s) * w) / step;
                #[allow(clippy::cast_possible_truncation)]
                let rounded = ((avg * 1000.0).round() / 1000.0) as f32;
                *slot = rounded;
            }
            if row.iter().any(|v| *v != 0.0 && v.abs() >= prune)
                && let Some(name) = self.names.get(h)
            {
                rows.push((name.clone(), row));
            }
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    }
}

/// Trains a model over `examples` for `epochs` passes, visiting sentences in an order shuffled by
/// a fixed seed so that the same data always gives the same file; features whose averaged weights
/// all stay below `prune` in magnitude are left out of the file. Returns the model file's text.
#[must_use]
pub fn train(examples: &[Example], epochs: usize, prune: f32, header: &str) -> String {
    let mut trainer = Trainer::default();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..epochs {
        // Fisher-Yates with a xorshift generator.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let j = usize::try_from(seed % (i as u64 + 1)).unwrap_or(0);
            order.swap(i, j);
        }
        for &e in &order {
            let Some(example) = examples.get(e) else { continue };
            let (mut p1, mut p2) = (0u8, 0u8);
            for (i, &gold) in example.labels.iter().enumerate() {
                trainer.step += 1;
                let mut sink = Sink::new(Some(&mut trainer.names));
                features::extract(&example.words, i, p1, p2, &mut sink);
                let hashes = std::mem::take(&mut sink.hashes);
                drop(sink);
                let guess = best_allowed(&trainer.scores(&hashes), p1);
                // After a missed beginning, the name's next word is where it begins: an inside
                // label the decoder may not give would only push weights without bound.
                let gold = if allowed(p1, usize::from(gold)) {
                    gold
                } else {
                    gold - 1
                };
                if guess != gold {
                    trainer.update(&hashes, usize::from(gold), 1.0);
                    trainer.update(&hashes, usize::from(guess), -1.0);
                }
                p2 = p1;
                p1 = guess;
            }
        }
    }
    let rows = trainer.finish(prune);
    let mut out = String::with_capacity(rows.len() * 48);
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("# labels: ");
    out.push_str(&LABELS.join(" "));
    out.push('\n');
    for (name, row) in rows {
        // Tabs and newlines cannot occur in features: words never hold whitespace.
        out.push_str(&name);
        out.push('\t');
        let values: Vec<String> = row.iter().map(|v| format_weight(*v)).collect();
        out.push_str(&values.join(" "));
        out.push('\n');
    }
    out
}

fn format_weight(v: f32) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_follows_its_own_class_only() {
        // O B-PER I-PER B-LOC I-LOC B-ORG I-ORG
        assert!(allowed(1, 2));
        assert!(allowed(2, 2));
        assert!(!allowed(0, 2));
        assert!(!allowed(3, 2));
        assert!(allowed(0, 1));
        assert!(allowed(4, 0));
    }

    #[test]
    fn model_lines_are_checked() {
        assert!(Model::parse("w=x\t1 0 0 0 0 0 0\n").is_ok());
        assert!(Model::parse("w=x\t1 0 0\n").is_err());
        assert!(Model::parse("w=x\t1 0 0 0 0 0 0 0\n").is_err());
        assert!(Model::parse("w=x 1 0 0 0 0 0 0\n").is_err());
        assert_eq!(format_weight(-0.25), "-0.25");
        assert_eq!(format_weight(2.0), "2");
    }
}
