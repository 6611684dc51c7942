//! Near-duplicate texts: MinHash signatures over word shingles of search keys, found through
//! locality-sensitive hashing (bands of rows), confirmed by the signatures' agreement.

use std::collections::HashMap;

use rasad_normalize::tokenize;

use crate::features::hash;

/// Hash functions per signature.
pub const HASHES: usize = 64;
/// Rows per LSH band: 16 bands of 4 rows find pairs above ~0.5 Jaccard with high probability.
const ROWS: usize = 4;
/// Words per shingle.
const SHINGLE: usize = 4;

/// A text's MinHash signature; `None` for a text too short to shingle.
#[must_use]
pub fn signature(text: &str) -> Option<[u64; HASHES]> {
    let keys: Vec<String> = tokenize(text).into_iter().map(|t| t.key).collect();
    if keys.len() < SHINGLE {
        return None;
    }
    let mut sig = [u64::MAX; HASHES];
    for window in keys.windows(SHINGLE) {
        let refs: Vec<&str> = window.iter().map(String::as_str).collect();
        let base = hash(&refs);
        for (i, slot) in sig.iter_mut().enumerate() {
            let h = mix(base ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if h < *slot {
                *slot = h;
            }
        }
    }
    Some(sig)
}

/// SplitMix64's finaliser: one cheap, well-spread hash per seed.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The share of hash functions on which two signatures agree: an estimate of Jaccard similarity.
#[must_use]
pub fn similarity(a: &[u64; HASHES], b: &[u64; HASHES]) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / HASHES as f32
}

/// An LSH index of signatures, keyed by the caller's item numbers.
#[derive(Debug, Default, Clone)]
pub struct Index {
    buckets: HashMap<(usize, u64), Vec<usize>>,
}

impl Index {
    fn bands(sig: &[u64; HASHES]) -> impl Iterator<Item = (usize, u64)> + '_ {
        sig.chunks(ROWS).enumerate().map(|(band, rows)| {
            let mut h: u64 = 0;
            for r in rows {
                h = mix(h ^ *r);
            }
            (band, h)
        })
    }

    /// Items sharing at least one band with `sig`, each once, in insertion order.
    #[must_use]
    pub fn candidates(&self, sig: &[u64; HASHES]) -> Vec<usize> {
        let mut out: Vec<usize> = Self::bands(sig)
            .filter_map(|b| self.buckets.get(&b))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn insert(&mut self, item: usize, sig: &[u64; HASHES]) {
        for b in Self::bands(sig) {
            self.buckets.entry(b).or_default().push(item);
        }
    }

    /// Forgets items for which `keep` is false (the window moved on).
    pub fn retain(&mut self, keep: impl Fn(usize) -> bool) {
        self.buckets.retain(|_, items| {
            items.retain(|&i| keep(i));
            !items.is_empty()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_agree_and_different_texts_do_not() {
        let a = "قطعت ألبانيا العلاقات الدبلوماسية مع طهران أمس الأربعاء وحمل رئيس وزرائها إيران المسؤولية عن الهجوم";
        let b = format!("{a} الإلكتروني الذي وقع في يوليو");
        let c = "مقتل 7 أشخاص في غارات روسية على شمال غربي سوريا والمنطقة تتعرض بين الحين والآخر لقصف";
        let (sa, sb, sc) = (
            signature(a).unwrap(),
            signature(&b).unwrap(),
            signature(c).unwrap(),
        );
        assert!(similarity(&sa, &sb) > 0.6, "{}", similarity(&sa, &sb));
        assert!(similarity(&sa, &sc) < 0.2);
        let mut index = Index::default();
        index.insert(0, &sa);
        index.insert(1, &sc);
        assert_eq!(index.candidates(&sb), vec![0]);
        index.retain(|i| i != 0);
        assert!(index.candidates(&sb).is_empty());
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert!(signature("ثلاث كلمات فقط").is_none());
    }
}
