//! Word clusters learnt from unlabelled news: words that stand before the same words share a
//! class, so a name the training corpus never saw (بنفيكا، فينغر) still looks like the clubs and
//! people it did see.
//!
//! The classes come from the predictive exchange algorithm (Uszkoreit & Brants 2008, after Kneser
//! & Ney 1993): each word belongs to one class, the model is P(w | class of the word before), and
//! words move one at a time to the class that raises the corpus likelihood most, for a fixed
//! number of passes. It runs twice, on the text and on the text reversed, so each word has a class
//! by the words after it and one by the words before it. The cluster file lists
//! `word<TAB>class after<TAB>class before` lines with a `#` header saying what it was learnt from;
//! the tagger uses the classes as features of a word and of its neighbours.

use std::collections::HashMap;

use crate::EntityError;

/// The most class columns a cluster file may hold: three clusterings (coarse to fine), each by the
/// words after and by the words before.
pub const MAX_COLUMNS: usize = 6;

/// The most clusterings a cluster file may hold (a pair of columns each).
pub const MAX_CLUSTERINGS: usize = MAX_COLUMNS / 2;

/// One word's classes: per clustering, its class by the words after it and by the words before it,
/// in the file's column order; `len` of the slots are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterRow {
    classes: [u32; MAX_COLUMNS],
    len: u8,
}

impl ClusterRow {
    /// The classes, column by column.
    #[must_use]
    pub fn classes(&self) -> &[u32] {
        self.classes.get(..usize::from(self.len)).unwrap_or_default()
    }
}

/// A word-to-class table.
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    /// Per word, its classes ([`ClusterRow`]).
    classes: rustc_hash::FxHashMap<String, ClusterRow>,
}

impl Clusters {
    /// Reads a cluster file: `word<TAB>class after<TAB>class before` lines, with as many more
    /// after/before pairs as the file has clusterings (the same number on every line, at most
    /// [`MAX_COLUMNS`] classes), `#` comments.
    ///
    /// # Errors
    /// A line without a pair of tab-separated classes, an odd or changing number of them, or a
    /// class that is not a number.
    pub fn parse(text: &str) -> Result<Self, EntityError> {
        let mut classes = rustc_hash::FxHashMap::default();
        let mut width = None;
        for (at, line) in super::data_lines(text, "word clusters") {
            let bad = |reason: &str| at.error(reason);
            let mut fields = line.split('\t');
            let word = fields.next().unwrap_or_default();
            let mut row = ClusterRow {
                classes: [0; MAX_COLUMNS],
                len: 0,
            };
            for field in fields {
                let slot = row
                    .classes
                    .get_mut(usize::from(row.len))
                    .ok_or_else(|| bad(&format!("more than {MAX_COLUMNS} classes")))?;
                *slot = field.parse().map_err(|_| bad("class is not a number"))?;
                row.len += 1;
            }
            if row.len < 2 {
                return Err(bad("fewer than two classes"));
            }
            if !row.len.is_multiple_of(2) {
                return Err(bad("an odd number of classes (they come in after/before pairs)"));
            }
            if *width.get_or_insert(row.len) != row.len {
                return Err(bad("a different number of classes from the lines before"));
            }
            classes.insert(word.to_string(), row);
        }
        Ok(Self { classes })
    }

    /// The classes of a word (its folded key), when it was frequent enough to be clustered: per
    /// clustering, by the words that follow it and by the words before it.
    #[must_use]
    pub fn get(&self, word: &str) -> Option<ClusterRow> {
        self.classes.get(word).copied()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }
}

/// `x ln x` for the small counts most cells hold, looked up instead of computed.
struct XLogX {
    small: Vec<f64>,
}

impl XLogX {
    fn new() -> Self {
        Self {
            small: (0..1u32 << 16).map(xlogx).collect(),
        }
    }

    fn get(&self, x: u32) -> f64 {
        usize::try_from(x)
            .ok()
            .and_then(|i| self.small.get(i))
            .copied()
            .unwrap_or_else(|| xlogx(x))
    }
}

/// `x ln x`, with 0 for 0.
fn xlogx(x: u32) -> f64 {
    if x == 0 {
        0.0
    } else {
        let x = f64::from(x);
        x * x.ln()
    }
}

/// How [`learn`] clusters: the number of classes of each clustering (one pair of columns each, at
/// most three), the least count a word needs to get a class, and the most passes over the
/// vocabulary.
#[derive(Debug, Clone)]
pub struct ClusterSettings {
    pub classes: Vec<usize>,
    pub min_count: u32,
    pub passes: usize,
}

impl ClusterSettings {
    /// Checks the settings before any text is read: one to [`MAX_CLUSTERINGS`] clusterings of at
    /// least two classes each.
    ///
    /// # Errors
    /// No clustering, more than [`MAX_CLUSTERINGS`], or one of fewer than two classes.
    pub fn check(&self) -> Result<(), EntityError> {
        let reason = if self.classes.is_empty() {
            "no class count given".to_string()
        } else if self.classes.len() > MAX_CLUSTERINGS {
            format!(
                "{} clusterings asked for; a cluster file holds at most {MAX_CLUSTERINGS}",
                self.classes.len()
            )
        } else if let Some(k) = self.classes.iter().find(|k| **k < 2) {
            format!("{k} classes: a clustering needs at least two")
        } else {
            return Ok(());
        };
        Err(EntityError::Settings(reason))
    }
}

/// Learns word classes from sentences of folded words, for each class count of `settings` twice
/// (the first [`MAX_CLUSTERINGS`] of them; [`ClusterSettings::check`] refuses more):
/// once by the words that follow each word, once by the words before it (on two threads). Returns
/// the cluster file's text with `header` as its comment. The same input always gives the same file.
#[must_use]
pub fn learn<'a, I>(sentences: I, settings: ClusterSettings, header: &str) -> String
where
    I: IntoIterator<Item = Vec<&'a str>>,
{
    let sentences: Vec<Vec<&str>> = sentences.into_iter().collect();
    // Vocabulary: words at or above the least count, most frequent first (ties by the word).
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for s in &sentences {
        for w in s {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    let mut vocab: Vec<(&str, u32)> = counts
        .iter()
        .filter(|(_, c)| **c >= settings.min_count)
        .map(|(w, c)| (*w, *c))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let index: HashMap<&str, usize> = vocab.iter().enumerate().map(|(i, (w, _))| (*w, i)).collect();
    let v = vocab.len();
    // Index `v` stands for every rarer word (and `v + 1` for the sentence boundary).
    let other = v;
    let id = |w: &str| index.get(w).copied().unwrap_or(other);
    let forward: Vec<Vec<usize>> = sentences
        .iter()
        .map(|s| s.iter().map(|w| id(w)).collect())
        .collect();
    let backward: Vec<Vec<usize>> = forward
        .iter()
        .map(|s| s.iter().rev().copied().collect())
        .collect();
    // The successor counts of each direction serve every clustering.
    let (forward, backward) = std::thread::scope(|scope| {
        let after = scope.spawn(|| Successors::count(&forward, v));
        let before = Successors::count(&backward, v);
        (after.join().unwrap_or_default(), before)
    });
    let columns: Vec<Vec<usize>> = settings
        .classes
        .iter()
        .take(MAX_CLUSTERINGS)
        .flat_map(|&k| {
            let (after, before) = std::thread::scope(|scope| {
                let after = scope.spawn(|| exchange(&forward, v, k, settings.passes));
                let before = exchange(&backward, v, k, settings.passes);
                (after.join().unwrap_or_default(), before)
            });
            [after, before]
        })
        .collect();

    let mut out = String::with_capacity(v * 8 * (columns.len() + 1));
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    let mut rows: Vec<(&str, usize)> = vocab.iter().enumerate().map(|(i, (w, _))| (*w, i)).collect();
    rows.sort_unstable();
    for (w, i) in rows {
        out.push_str(w);
        for column in &columns {
            out.push('\t');
            out.push_str(&column.get(i).copied().unwrap_or(0).to_string());
        }
        out.push('\n');
    }
    out
}

/// What the exchange algorithm reads of a text, worked out once for all its clusterings: per
/// clustered word, the words that follow it with their counts (sorted), and its total.
#[derive(Default)]
struct Successors {
    next: Vec<Vec<(usize, u32)>>,
    totals: Vec<u32>,
}

impl Successors {
    /// Counts over sentences of word ids (`0..v` clustered, `v` any rarer word, `v + 1` the
    /// sentence's end).
    fn count(sentences: &[Vec<usize>], v: usize) -> Self {
        let boundary = v + 1;
        let mut next: Vec<HashMap<usize, u32>> = vec![HashMap::new(); v];
        for ids in sentences {
            for (k, &a) in ids.iter().enumerate() {
                if a >= v {
                    continue;
                }
                let b = ids.get(k + 1).copied().unwrap_or(boundary);
                if let Some(m) = next.get_mut(a) {
                    *m.entry(b).or_insert(0) += 1;
                }
            }
        }
        let next: Vec<Vec<(usize, u32)>> = next
            .into_iter()
            .map(|m| {
                let mut pairs: Vec<(usize, u32)> = m.into_iter().collect();
                pairs.sort_unstable();
                pairs
            })
            .collect();
        let totals = next.iter().map(|p| p.iter().map(|(_, c)| c).sum()).collect();
        Self { next, totals }
    }
}

/// The exchange algorithm over the successor counts of `v` clustered words: each word's class,
/// chosen by the words that follow it.
fn exchange(successors: &Successors, v: usize, classes: usize, passes: usize) -> Vec<usize> {
    let width = v + 2;
    let Successors { next, totals } = successors;
    let k = classes.max(2);
    // Initial classes by frequency rank, round robin.
    let mut class: Vec<usize> = (0..v).map(|i| i % k).collect();
    // N(c, w): how often w follows a word of class c; N(c): all words after class c.
    let mut table = vec![0u32; k * width];
    let mut class_totals = vec![0u32; k];
    for (word, pairs) in next.iter().enumerate() {
        let c = class.get(word).copied().unwrap_or(0);
        for &(w, n) in pairs {
            if let Some(cell) = table.get_mut(c * width + w) {
                *cell += n;
            }
        }
        if let (Some(t), Some(n)) = (class_totals.get_mut(c), totals.get(word)) {
            *t += n;
        }
    }

    let f = XLogX::new();
    let mut gains = vec![0f64; k];
    for _ in 0..passes {
        let mut moved = 0usize;
        for word in 0..v {
            let (Some(pairs), Some(&n_word), Some(&from)) =
                (next.get(word), totals.get(word), class.get(word))
            else {
                continue;
            };
            if n_word == 0 {
                continue;
            }
            // Take the word out of its class.
            for &(w, n) in pairs {
                if let Some(cell) = table.get_mut(from * width + w) {
                    *cell -= n;
                }
            }
            if let Some(t) = class_totals.get_mut(from) {
                *t -= n_word;
            }
            // The likelihood gained by putting it in each class.
            for (c, gain) in gains.iter_mut().enumerate() {
                let row = c * width;
                let mut g = 0.0;
                for &(w, n) in pairs {
                    let have = table.get(row + w).copied().unwrap_or(0);
                    g += f.get(have + n) - f.get(have);
                }
                let total = class_totals.get(c).copied().unwrap_or(0);
                g -= f.get(total + n_word) - f.get(total);
                *gain = g;
            }
            let mut best = from;
            let mut best_gain = gains.get(from).copied().unwrap_or(f64::NEG_INFINITY);
            for (c, &g) in gains.iter().enumerate() {
                if g > best_gain + 1e-9 {
                    best = c;
                    best_gain = g;
                }
            }
            for &(w, n) in pairs {
                if let Some(cell) = table.get_mut(best * width + w) {
                    *cell += n;
                }
            }
            if let Some(t) = class_totals.get_mut(best) {
                *t += n_word;
            }
            if best != from {
                moved += 1;
                if let Some(slot) = class.get_mut(word) {
                    *slot = best;
                }
            }
        }
        if moved == 0 {
            break;
        }
    }
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_places_share_a_class() {
        let mut text = Vec::new();
        for _ in 0..20 {
            for name in ["غوتيريش", "بايدن", "ماكرون"] {
                text.push(vec!["قال", name, "إن", "الوضع"]);
            }
            for place in ["بيروت", "دمشق", "طهران"] {
                text.push(vec!["في", place, "اليوم", "الوضع"]);
            }
        }
        let settings = ClusterSettings {
            classes: vec![4, 8],
            min_count: 2,
            passes: 10,
        };
        let file = learn(text, settings, "test");
        let clusters = Clusters::parse(&file).unwrap_or_default();
        let class = |w: &str| clusters.get(w).map(|r| r.classes()[..2].to_vec());
        assert_eq!(clusters.get("غوتيريش").map(|r| r.classes().len()), Some(4));
        assert!(class("غوتيريش").is_some());
        assert_eq!(class("غوتيريش"), class("بايدن"));
        assert_eq!(class("بايدن"), class("ماكرون"));
        assert_eq!(class("بيروت"), class("دمشق"));
        assert_ne!(class("غوتيريش"), class("بيروت"));
        assert!(file.starts_with("# test\n"));
    }

    #[test]
    fn cluster_lines_are_checked() {
        assert_eq!(
            Clusters::parse("# h\nكلمة\t3\t7\n")
                .ok()
                .and_then(|c| c.get("كلمة"))
                .map(|r| r.classes().to_vec()),
            Some(vec![3, 7])
        );
        assert_eq!(
            Clusters::parse("كلمة\t3\t7\t30\t70\n")
                .ok()
                .and_then(|c| c.get("كلمة"))
                .map(|r| r.classes().to_vec()),
            Some(vec![3, 7, 30, 70])
        );
        assert!(Clusters::parse("كلمة\t3\n").is_err());
        assert!(Clusters::parse("كلمة\t3\t4\t5\n").is_err());
        assert!(Clusters::parse("كلمة\t3\t4\nاخرى\t1\t2\t3\t4\n").is_err());
        assert!(Clusters::parse("كلمة\t1\t2\t3\t4\t5\t6\t7\t8\n").is_err());
        assert!(Clusters::parse("كلمة\tx\t1\n").is_err());
        let message = Clusters::parse("كلمة\t1\t2\t3\t4\t5\t6\t7\t8\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("more than 6 classes"), "{message}");
    }

    #[test]
    fn settings_are_checked_before_learning() {
        let settings = |classes: Vec<usize>| ClusterSettings {
            classes,
            min_count: 2,
            passes: 1,
        };
        assert!(settings(vec![256, 64, 16]).check().is_ok());
        let refused = |classes: Vec<usize>| settings(classes).check().err().map(|e| e.to_string());
        assert!(refused(vec![256, 64, 16, 4]).is_some_and(|m| m.contains("at most 3")));
        assert!(refused(Vec::new()).is_some_and(|m| m.contains("no class count")));
        assert!(refused(vec![64, 1]).is_some_and(|m| m.contains("at least two")));
    }
}
