//! A structured averaged perceptron (Collins 2002): a sentence's labels are the best-scoring
//! well-formed BILOU sequence (Viterbi over first-order label pairs), and training moves the weights
//! from the predicted sequence's features toward the gold sequence's whenever they differ, averaging
//! every weight over all steps.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::{self, Sink, Word};
use super::{LABELS, NameClass, Part, data_lines, part_of};
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
    /// Whether the model was trained with a first pass's view of the whole text ([`DocView`]
    /// features): it then tags in two passes.
    ///
    /// [`DocView`]: features::DocView
    documents: bool,
}

/// Whether `label` may follow `prev` in BILOU: inside a name (after B or I) only I or L of its
/// class; outside one (after O, L or U) only O, B or U.
pub(crate) fn allowed(prev: u8, label: usize) -> bool {
    let next = u8::try_from(label).ok().and_then(part_of);
    match part_of(prev) {
        Some((class, Part::Begin | Part::Inside)) => {
            matches!(next, Some((k, Part::Inside | Part::Last)) if k == class)
        }
        _ => !matches!(next, Some((_, Part::Inside | Part::Last))),
    }
}

/// [`allowed`] for every (previous label, label) pair, worked out once: Viterbi asks it N × N
/// times per word.
fn transitions() -> &'static [[bool; N]; N] {
    static TABLE: std::sync::OnceLock<[[bool; N]; N]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|prev| {
            std::array::from_fn(|label| allowed(u8::try_from(prev).unwrap_or(0), label))
        })
    })
}

/// Whether a sentence may end on `label`: not inside an open name.
fn may_end(label: usize) -> bool {
    u8::try_from(label)
        .ok()
        .and_then(part_of)
        .is_none_or(|(_, part)| matches!(part, Part::Last | Part::Unit))
}

impl Model {
    /// Reads a model file: `feature<TAB>w0 w1 … w12` lines (a weight per label of [`LABELS`]), `#`
    /// comments; the header names the labels.
    ///
    /// # Errors
    /// A line that is not a feature and a weight per label.
    pub fn parse(text: &str) -> Result<Self, EntityError> {
        let mut weights = Weights::default();
        let mut documents = false;
        for (at, line) in data_lines(text, "tagger model") {
            let bad = |reason: &str| at.error(reason);
            let (name, values) = line.rsplit_once('\t').ok_or_else(|| bad("no tab"))?;
            let mut row = [0f32; N];
            let mut count = 0;
            for (slot, v) in row.iter_mut().zip(values.split(' ')) {
                *slot = v.parse().map_err(|_| bad("weight is not a number"))?;
                count += 1;
            }
            if count != N || values.split(' ').count() != N {
                return Err(bad("not a weight per label"));
            }
            documents |= name.starts_with("dl=");
            weights.insert(features::hash(name), row);
        }
        Ok(Self { weights, documents })
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

    /// Whether the model learnt the word itself (its `w=` feature) as more often outside names
    /// than a person's: "ارتش", "بود", "سینمایی". Words it never saw are not.
    #[must_use]
    pub fn word_is_common(&self, key: &str) -> bool {
        let mut name = String::with_capacity(key.len() + 2);
        name.push_str("w=");
        name.push_str(key);
        self.weights.get(&features::hash(&name)).is_some_and(|row| {
            let persons = usize::from(NameClass::Person.label(Part::Begin))
                ..=usize::from(NameClass::Person.label(Part::Unit));
            let person = row
                .get(persons)
                .unwrap_or_default()
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max);
            row.first().copied().unwrap_or(0.0) > person
        })
    }

    /// Whether the model reads a first pass's labels of the whole text.
    #[must_use]
    pub fn reads_documents(&self) -> bool {
        self.documents
    }

    /// The best well-formed labels of an example's words (with whatever document view it holds).
    #[must_use]
    pub fn predict(&self, example: &Example) -> Vec<u8> {
        self.decode(&example.words)
    }

    /// The best well-formed labels of a text's words.
    pub(crate) fn decode(&self, words: &[Word]) -> Vec<u8> {
        viterbi(&lattice(words, &self.weights, &mut Sink::new(None)))
    }

    /// The best labels in two passes when the model reads a document view: the first pass's
    /// labels give each word its view ([`features::set_document`]), and the second pass adds the
    /// view's feature scores to the first pass's lattice instead of scoring every feature again
    /// (what [`Self::decode`] of the viewed words gives, at little more than one pass's cost).
    pub(crate) fn decode_document(&self, words: &mut [Word]) -> Vec<u8> {
        let mut sink = Sink::new(None);
        let mut cells = lattice(words, &self.weights, &mut sink);
        let first = viterbi(&cells);
        if !self.documents {
            return first;
        }
        features::set_document(words.iter_mut().zip(first.iter().copied()));
        for (i, cell) in cells.iter_mut().enumerate() {
            sink.hashes.clear();
            features::document(words, i, &mut sink);
            if sink.hashes.is_empty() {
                continue;
            }
            let extra = scores(&self.weights, &sink.hashes);
            for row in cell.iter_mut() {
                for (slot, e) in row.iter_mut().zip(extra) {
                    *slot += e;
                }
            }
        }
        viterbi(&cells)
    }
}

/// Per word, the score of each (previous label, label) pair, summed as each word's features are
/// extracted: the features themselves are not kept.
fn lattice(words: &[Word], weights: &Weights<f32>, sink: &mut Sink<'_>) -> Vec<[[f32; N]; N]> {
    (0..words.len())
        .map(|i| {
            features::emission(words, i, sink);
            let own = scores(weights, &sink.hashes);
            let mut cell = [[0f32; N]; N];
            for (prev, row) in cell.iter_mut().enumerate() {
                // The first word follows an O, as at a sentence start; its other rows are never read.
                if i == 0 && prev > 0 {
                    continue;
                }
                features::transition(words, i, u8::try_from(prev).unwrap_or(0), sink);
                let pair = scores(weights, &sink.hashes);
                for ((slot, a), b) in row.iter_mut().zip(own).zip(pair) {
                    *slot = a + b;
                }
            }
            cell
        })
        .collect()
}

/// The best path through a lattice, keeping BILOU well formed: the first word follows an O, and the
/// last closes any name.
fn viterbi(lattice: &[[[f32; N]; N]]) -> Vec<u8> {
    let n = lattice.len();
    if n == 0 {
        return Vec::new();
    }
    let transitions = transitions();
    let mut best = vec![[f32::NEG_INFINITY; N]; n];
    let mut back = vec![[0u8; N]; n];
    for (i, cell) in lattice.iter().enumerate() {
        for label in 0..N {
            let mut top = f32::NEG_INFINITY;
            let mut from = 0u8;
            for prev in 0..N {
                let before = if i == 0 {
                    if prev == 0 { 0.0 } else { f32::NEG_INFINITY }
                } else {
                    best.get(i - 1)
                        .and_then(|b| b.get(prev))
                        .copied()
                        .unwrap_or(f32::NEG_INFINITY)
                };
                let allowed = transitions.get(prev).and_then(|row| row.get(label)).copied();
                if before == f32::NEG_INFINITY || allowed != Some(true) {
                    continue;
                }
                let score = before + cell.get(prev).and_then(|r| r.get(label)).copied().unwrap_or(0.0);
                if score > top {
                    top = score;
                    from = u8::try_from(prev).unwrap_or(0);
                }
            }
            if let (Some(b), Some(k)) = (
                best.get_mut(i).and_then(|b| b.get_mut(label)),
                back.get_mut(i).and_then(|k| k.get_mut(label)),
            ) {
                *b = top;
                *k = from;
            }
        }
    }
    let last = best.last().copied().unwrap_or([0.0; N]);
    let mut label = (0..N)
        .filter(|&l| may_end(l))
        .max_by(|&a, &b| {
            last.get(a)
                .copied()
                .unwrap_or(f32::NEG_INFINITY)
                .total_cmp(&last.get(b).copied().unwrap_or(f32::NEG_INFINITY))
        })
        .unwrap_or(0);
    let mut path = vec![0u8; n];
    for i in (0..n).rev() {
        if let Some(slot) = path.get_mut(i) {
            *slot = u8::try_from(label).unwrap_or(0);
        }
        label = usize::from(back.get(i).and_then(|k| k.get(label)).copied().unwrap_or(0));
    }
    path
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

    /// The averaged weights of every feature with a name, by hash.
    fn finish(self) -> HashMap<u64, (String, [f64; N])> {
        let step = f64::from(self.step.max(1));
        let mut rows = HashMap::with_capacity(self.weights.len());
        for (h, w) in &self.weights {
            let (Some(total), Some(stamp), Some(name)) =
                (self.totals.get(h), self.stamps.get(h), self.names.get(h))
            else {
                continue;
            };
            let mut row = [0f64; N];
            for (k, slot) in row.iter_mut().enumerate() {
                let (w, t, s) = (
                    f64::from(w.get(k).copied().unwrap_or(0.0)),
                    total.get(k).copied().unwrap_or(0.0),
                    stamp.get(k).copied().unwrap_or(0),
                );
                *slot = (t + f64::from(self.step - s) * w) / step;
            }
            rows.insert(*h, (name.clone(), row));
        }
        rows
    }
}

/// Trains a model over `examples` for `epochs` passes, visiting sentences in an order shuffled by
/// a fixed seed so that the same data always gives the same file; `runs` models, each with its own
/// order, are averaged into one (a perceptron's weights depend on the order it reads; averaging
/// runs steadies them). Features whose averaged weights all stay below `prune` in magnitude are
/// left out of the file. Returns the model file's text.
#[must_use]
pub fn train(examples: &[Example], epochs: usize, runs: usize, prune: f32, header: &str) -> String {
    let runs = runs.max(1);
    let mut sum: HashMap<u64, (String, [f64; N])> = HashMap::new();
    for run in 0..runs {
        let seed = 0x9e37_79b9_7f4a_7c15_u64.wrapping_add(0x2545_f491_4f6c_dd1d_u64.wrapping_mul(run as u64));
        for (h, (name, row)) in train_once(examples, epochs, seed) {
            let slot = sum.entry(h).or_insert_with(|| (name, [0.0; N]));
            for (a, b) in slot.1.iter_mut().zip(row) {
                *a += b;
            }
        }
    }
    let mut rows: Vec<(String, [f32; N])> = sum
        .into_values()
        .filter_map(|(name, row)| {
            let mut out = [0f32; N];
            for (slot, v) in out.iter_mut().zip(row) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
                let rounded = ((v / runs as f64 * 1000.0).round() / 1000.0) as f32;
                *slot = rounded;
            }
            out.iter()
                .any(|v| *v != 0.0 && v.abs() >= prune)
                .then_some((name, out))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
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

/// One training run from the shuffling `seed`: the averaged weights by feature.
fn train_once(examples: &[Example], epochs: usize, mut seed: u64) -> HashMap<u64, (String, [f64; N])> {
    let mut trainer = Trainer::default();
    // The names of the features that get weights, for the model file.
    let mut names = HashMap::new();
    let mut named = Sink::new(Some(&mut names));
    let mut plain = Sink::new(None);
    let mut order: Vec<usize> = (0..examples.len()).collect();
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
            let guess = viterbi(&lattice(&example.words, &trainer.weights, &mut plain));
            // Gold sequences are well formed: `from_bio` made them.
            let gold = &example.labels;
            trainer.step += u32::try_from(gold.len()).unwrap_or(u32::MAX);
            if guess == *gold {
                continue;
            }
            for i in 0..gold.len() {
                let (Some(&g), Some(&p)) = (gold.get(i), guess.get(i)) else {
                    continue;
                };
                let (gp, pp) = if i == 0 {
                    (0, 0)
                } else {
                    (
                        gold.get(i - 1).copied().unwrap_or(0),
                        guess.get(i - 1).copied().unwrap_or(0),
                    )
                };
                // Features are extracted again, with their names, only where the weights change.
                if g != p {
                    features::emission(&example.words, i, &mut named);
                    trainer.update(&named.hashes, usize::from(g), 1.0);
                    trainer.update(&named.hashes, usize::from(p), -1.0);
                }
                if (gp, g) != (pp, p) {
                    features::transition(&example.words, i, gp, &mut named);
                    trainer.update(&named.hashes, usize::from(g), 1.0);
                    features::transition(&example.words, i, pp, &mut named);
                    trainer.update(&named.hashes, usize::from(p), -1.0);
                }
            }
        }
    }
    drop(named);
    trainer.names = names;
    trainer.finish()
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
        // O, then B I L U of PER (1-4), LOC (5-8), ORG (9-12).
        assert!(allowed(1, 2) && allowed(1, 3) && allowed(2, 2) && allowed(2, 3));
        assert!(!allowed(1, 0) && !allowed(1, 1) && !allowed(1, 4) && !allowed(1, 6));
        assert!(!allowed(0, 2) && !allowed(0, 3) && !allowed(4, 2) && !allowed(3, 7));
        assert!(allowed(0, 1) && allowed(0, 4) && allowed(3, 5) && allowed(4, 0) && allowed(8, 8));
        assert!(may_end(0) && may_end(3) && may_end(4));
        assert!(!may_end(1) && !may_end(2));
    }

    #[test]
    fn viterbi_finds_the_best_well_formed_path() {
        // Word 0 prefers L-PER (3), which may not follow the start's O; the best well-formed path
        // starts the name with B-PER and ends it.
        let mut first = [[0f32; N]; N];
        let mut second = [[0f32; N]; N];
        for row in &mut first {
            row[3] = 5.0;
            row[1] = 3.0;
        }
        for (prev, row) in second.iter_mut().enumerate() {
            row[3] = if prev == 1 { 4.0 } else { 1.0 };
            row[0] = 2.0;
        }
        assert_eq!(viterbi(&[first, second]), vec![1, 3]);
        assert!(viterbi(&[]).is_empty());
        // A lone inside label everywhere still decodes to a well-formed sequence that closes its
        // names; so does a begin label everywhere.
        for favoured in [6, 5] {
            let mut only = [[0f32; N]; N];
            for row in &mut only {
                row[favoured] = 9.0;
            }
            let path = viterbi(&[only, only, only]);
            let mut prev = 0u8;
            for label in &path {
                assert!(allowed(prev, usize::from(*label)));
                prev = *label;
            }
            assert!(may_end(usize::from(prev)), "{path:?}");
        }
    }

    #[test]
    fn the_second_pass_adds_the_document_view_to_the_first() {
        // "روسف" after "گفت" is a person; after "شهر" the model alone says O, but a first pass
        // that found the person elsewhere in the text turns it into one.
        let model = Model::parse(
            "bias\t1 0 0 0 0 0 0 0 0 0 0 0 0\n\
             w-1|w=گفت|روسف\t0 0 0 0 3 0 0 0 0 0 0 0 0\n\
             dl=U-PER\t0 0 0 0 2 0 0 0 0 0 0 0 0\n\
             dl=O\t0.5 0 0 0 0 0 0 0 0 0 0 0 0\n",
        )
        .unwrap();
        assert!(model.reads_documents());
        let text = "گفت روسف شهر روسف";
        let tokens = rasad_normalize::tokenize(text);
        let hints = vec![super::super::Hint::None; tokens.len()];
        let mut words = features::words(text, &tokens, &hints, rasad_model::Lang::Fa, &|_| None);
        let first = model.decode(&words);
        assert_eq!(first, vec![0, 4, 0, 0]);
        let two = model.decode_document(&mut words);
        assert_eq!(two, vec![0, 4, 0, 4]);
        // The same as scoring every feature of the viewed words again.
        assert_eq!(model.decode(&words), two);
        // A model without document features stops after one pass.
        let plain = Model::parse("bias\t1 0 0 0 0 0 0 0 0 0 0 0 0\n").unwrap();
        assert!(!plain.reads_documents());
        assert_eq!(plain.decode_document(&mut words), vec![0; 4]);
    }

    #[test]
    fn model_lines_are_checked() {
        assert!(Model::parse("w=x\t1 0 0 0 0 0 0 0 0 0 0 0 0\n").is_ok());
        assert!(Model::parse("w=x\t1 0 0\n").is_err());
        assert!(Model::parse("w=x\t1 0 0 0 0 0 0 0 0 0 0 0 0 0\n").is_err());
        assert!(Model::parse("w=x 1 0 0 0 0 0 0 0 0 0 0 0 0\n").is_err());
        assert_eq!(format_weight(-0.25), "-0.25");
        assert_eq!(format_weight(2.0), "2");
    }
}
