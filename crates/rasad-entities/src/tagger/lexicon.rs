//! What a first tagger said of each word across a large unlabelled corpus: a word the tagger calls
//! a person in most of the thousands of sentences that name it ("صدام", "عرفات") is likely a person
//! in the one sentence at hand that gives no other sign. Self-training through a lexicon, not
//! through the examples: the corpus's evidence is pooled per word, so one sentence's mistake does
//! not become a training label.
//!
//! The lexicon file lists `word<TAB>occurrences<TAB>as person<TAB>as place<TAB>as organisation`
//! counts for folded words seen at least [`MIN_COUNT`] times that were tagged inside a name at
//! least [`MIN_SHARE`] of the time, with a `#` header saying which model tagged which corpus. The
//! tagger reads each share as a bucket ([`Lexicon::get`]).

use std::collections::HashMap;

use crate::EntityError;

/// Words seen fewer times than this are left out: their shares say little.
pub const MIN_COUNT: u32 = 3;

/// Words tagged inside a name less often than this share of their occurrences are left out.
pub const MIN_SHARE: f64 = 0.05;

/// Per word, the share of its occurrences the tagger put inside a person's, a place's and an
/// organisation's name, each as a bucket 0–3 (below 0.1, below 0.4, below 0.7, above).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    buckets: rustc_hash::FxHashMap<String, [u8; 3]>,
}

/// Counts gathered while tagging a corpus: per word, occurrences and how many fell inside a
/// person's, a place's and an organisation's name.
#[derive(Debug, Clone, Default)]
pub struct LexiconCounts {
    counts: HashMap<String, [u32; 4]>,
}

impl LexiconCounts {
    /// Counts one occurrence of `word`, inside a name of `class` or of none.
    pub fn add(&mut self, word: &str, class: Option<super::NameClass>) {
        let row = match self.counts.get_mut(word) {
            Some(row) => row,
            None => self.counts.entry(word.to_string()).or_default(),
        };
        row[0] = row[0].saturating_add(1);
        if let Some(slot) = class.and_then(|c| row.get_mut(1 + c as usize)) {
            *slot = slot.saturating_add(1);
        }
    }

    /// Adds another part's counts (a corpus tagged in pieces).
    pub fn merge(&mut self, other: Self) {
        for (word, row) in other.counts {
            let mine = self.counts.entry(word).or_default();
            for (a, b) in mine.iter_mut().zip(row) {
                *a = a.saturating_add(b);
            }
        }
    }

    /// The lexicon file's text, its lines sorted by word, under `header` (each header line becomes
    /// a `#` comment).
    #[must_use]
    pub fn to_file(&self, header: &str) -> String {
        let mut rows: Vec<(&String, &[u32; 4])> = self.counts.iter().filter(|(_, r)| kept(r)).collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        for (word, [n, p, l, o]) in rows {
            out.push_str(&format!("{word}\t{n}\t{p}\t{l}\t{o}\n"));
        }
        out
    }

    /// The lexicon these counts make (what [`Lexicon::parse`] of [`Self::to_file`] gives).
    #[must_use]
    pub fn lexicon(&self) -> Lexicon {
        Lexicon {
            buckets: self
                .counts
                .iter()
                .filter(|(_, r)| kept(r))
                .map(|(w, r)| (w.clone(), buckets(r)))
                .collect(),
        }
    }
}

/// Whether a word's counts go into the lexicon.
fn kept(row: &[u32; 4]) -> bool {
    let [n, p, l, o] = *row;
    n >= MIN_COUNT && f64::from(p.saturating_add(l).saturating_add(o)) >= MIN_SHARE * f64::from(n)
}

/// The bucket of each class's share.
fn buckets(row: &[u32; 4]) -> [u8; 3] {
    let n = f64::from(row[0].max(1));
    let bucket = |c: u32| {
        let share = f64::from(c) / n;
        if share < 0.1 {
            0
        } else if share < 0.4 {
            1
        } else if share < 0.7 {
            2
        } else {
            3
        }
    };
    [bucket(row[1]), bucket(row[2]), bucket(row[3])]
}

impl Lexicon {
    /// Reads a lexicon file.
    ///
    /// # Errors
    /// A line without four counts, or a count that is not a number.
    pub fn parse(text: &str) -> Result<Self, EntityError> {
        let mut out = rustc_hash::FxHashMap::default();
        for (at, line) in super::data_lines(text, "tagger lexicon") {
            let mut fields = line.split('\t');
            let word = fields.next().unwrap_or_default();
            let mut row = [0u32; 4];
            for slot in &mut row {
                let field = fields.next().ok_or_else(|| at.error("fewer than four counts"))?;
                *slot = field.parse().map_err(|_| at.error("count is not a number"))?;
            }
            if fields.next().is_some() {
                return Err(at.error("more than four counts"));
            }
            out.insert(word.to_string(), buckets(&row));
        }
        Ok(Self { buckets: out })
    }

    /// The buckets of a word (its folded key) when the corpus often had it inside a name.
    #[must_use]
    pub fn get(&self, word: &str) -> Option<[u8; 3]> {
        self.buckets.get(word).copied()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::NameClass;
    use super::*;

    #[test]
    fn counts_become_buckets_and_the_file_reads_back() {
        let mut counts = LexiconCounts::default();
        for _ in 0..8 {
            counts.add("صدام", Some(NameClass::Person));
        }
        counts.add("صدام", None);
        counts.add("صدام", Some(NameClass::Location));
        for _ in 0..50 {
            counts.add("قال", None);
        }
        counts.add("نادر", Some(NameClass::Person));
        let lexicon = counts.lexicon();
        assert_eq!(lexicon.get("صدام"), Some([3, 1, 0]));
        assert_eq!(lexicon.get("قال"), None, "never a name");
        assert_eq!(lexicon.get("نادر"), None, "seen once");
        let file = counts.to_file("test\nlexicon");
        assert!(file.starts_with("# test\n# lexicon\n"));
        let read = Lexicon::parse(&file).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read.get("صدام"), Some([3, 1, 0]));
    }

    #[test]
    fn malformed_lines_are_errors() {
        assert!(Lexicon::parse("a\t1\t2\t3").is_err());
        assert!(Lexicon::parse("a\t1\t2\t3\tx").is_err());
        assert!(Lexicon::parse("a\t1\t2\t3\t4\t5").is_err());
        assert!(Lexicon::parse("# only a header\n").unwrap().is_empty());
    }
}
