//! Incremental story clustering, single pass over articles in (day, id) order.
//!
//! Each article is first checked against the recent texts for a near-duplicate (a syndicated copy
//! joins its original's story and adds nothing to it). Otherwise it is compared with the active
//! stories that share one of its strongest terms: words within its language, and the terms all
//! languages share (entities, event signatures, receivers, numbers, Latin names). It joins the most
//! similar story above the threshold, or founds one. Stories idle for longer than the window are
//! closed and forgotten, so memory stays flat however long the stream runs. Fed the same articles in
//! the same order, it gives the same stories: ids come from the founding article's id.

use std::collections::HashMap;

use rasad_model::{Analysis, Lang};

use crate::features::{Terms, terms};
use crate::minhash::{self, HASHES};

/// What one article brings to the clusterer.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub id: &'a str,
    pub lang: Lang,
    pub title: Option<&'a str>,
    pub text: &'a str,
    /// Days since 1970-01-01 of its publication (or ingestion), when known.
    pub day: Option<i64>,
    pub analysis: &'a Analysis,
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub story: String,
    /// The article this one is a near-duplicate of (its original, or the first copy seen).
    pub copy_of: Option<String>,
}

/// The clusterer's settings. See `docs/evaluation.md` for how the defaults were chosen.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Similarity an article needs to join a story that has articles in its language.
    pub threshold: f32,
    /// Similarity an article needs to join a story only in other languages: it is measured on the
    /// shared terms alone (entities, events, numbers, names), which are fewer, so it runs lower.
    pub cross_threshold: f32,
    /// MinHash agreement above which two texts are copies.
    pub duplicate: f32,
    /// Days a story stays open after its last article.
    pub window_days: i64,
    /// Share of the word similarity in the mixed score (the rest is the shared terms').
    pub word_share: f32,
    /// Terms kept per story centroid part.
    pub max_terms: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            threshold: 0.36,
            cross_threshold: 0.25,
            duplicate: 0.7,
            window_days: 7,
            word_share: 0.6,
            max_terms: 400,
        }
    }
}

/// How many of an article's strongest terms look up candidate stories.
const PROBE_TERMS: usize = 24;

#[derive(Debug)]
struct Story {
    id: String,
    words: HashMap<u64, f32>,
    shared: HashMap<u64, f32>,
    /// The shared terms without Latin names: what another language's article is compared with.
    core: HashMap<u64, f32>,
    langs: Vec<Lang>,
    last_day: Option<i64>,
}

#[derive(Debug)]
struct Recent {
    story: usize,
    day: Option<i64>,
    sig: [u64; HASHES],
    /// The original of a copy, else itself.
    root: String,
}

/// The single-pass clusterer.
#[derive(Debug, Default)]
pub struct Clusterer {
    params: Params,
    docs: u32,
    df: HashMap<u64, u32>,
    stories: Vec<Option<Story>>,
    postings: HashMap<u64, Vec<usize>>,
    recent: HashMap<usize, Recent>,
    next_recent: usize,
    lsh: minhash::Index,
    today: Option<i64>,
}

type Vector = HashMap<u64, f32>;

fn norm(v: &Vector) -> f32 {
    v.values().map(|x| x * x).sum::<f32>().sqrt()
}

fn cosine_with(doc: &Vector, centroid: &Vector) -> f32 {
    let n = norm(centroid);
    if n == 0.0 {
        return 0.0;
    }
    doc.iter()
        .filter_map(|(k, w)| centroid.get(k).map(|c| w * c))
        .sum::<f32>()
        / n
}

fn prune(v: &mut Vector, max: usize) {
    if v.len() <= max + max / 2 {
        return;
    }
    let mut weights: Vec<f32> = v.values().copied().collect();
    weights.sort_by(|a, b| b.total_cmp(a));
    let cut = weights.get(max).copied().unwrap_or(0.0);
    v.retain(|_, w| *w > cut);
}

impl Clusterer {
    #[must_use]
    pub fn new(params: Params) -> Self {
        Self {
            params,
            ..Self::default()
        }
    }

    /// TF-IDF weights, L2-normalised, with document frequencies as seen so far.
    fn weigh(&self, counts: &HashMap<u64, f32>) -> Vector {
        // N is capped at 60,000 documents (see the issue note: document frequencies are not).
        let n = self.docs.clamp(1, 60_000) as f32;
        let mut v: Vector = counts
            .iter()
            .map(|(k, tf)| {
                let df = self.df.get(k).copied().unwrap_or(1) as f32;
                let idf = ((n + 1.0) / (df + 0.5)).ln().max(0.0);
                (*k, (1.0 + tf.ln()) * idf)
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        let len = norm(&v);
        if len > 0.0 {
            for w in v.values_mut() {
                *w /= len;
            }
        }
        v
    }

    fn close_idle(&mut self, day: i64) {
        if self.today.is_some_and(|t| t >= day) {
            return;
        }
        self.today = Some(day);
        let horizon = day - self.params.window_days;
        let mut closed = false;
        for s in self.stories.iter_mut() {
            if let Some(story) = s
                && story.last_day.is_some_and(|d| d < horizon)
            {
                *s = None;
                closed = true;
            }
        }
        if closed {
            let stories = &self.stories;
            self.postings.retain(|_, list| {
                list.retain(|&i| stories.get(i).is_some_and(Option::is_some));
                !list.is_empty()
            });
            self.recent.retain(|_, r| r.day.is_none_or(|d| d >= horizon));
            let recent = &self.recent;
            self.lsh.retain(|i| recent.contains_key(&i));
        }
    }

    /// Places one article; articles must come in (day, id) order.
    pub fn add(&mut self, input: &Input<'_>) -> Assignment {
        if let Some(day) = input.day {
            self.close_idle(day);
        }
        let sig = minhash::signature(input.text);
        // A syndicated copy joins its original's story.
        if let Some(sig) = &sig {
            let copy = self
                .lsh
                .candidates(sig)
                .into_iter()
                .filter_map(|i| self.recent.get(&i))
                .map(|r| (minhash::similarity(sig, &r.sig), r))
                .filter(|(s, r)| {
                    *s >= self.params.duplicate && self.stories.get(r.story).is_some_and(Option::is_some)
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, original)) = copy {
                let (story, root) = (original.story, original.root.clone());
                self.remember(input, *sig, story, root.clone());
                if let Some(Some(s)) = self.stories.get_mut(story) {
                    s.last_day = s.last_day.max(input.day);
                }
                return Assignment {
                    story: self.story_id(story),
                    copy_of: Some(root),
                };
            }
        }
        let Terms { words, shared, names } = terms(input.lang, input.title, input.text, input.analysis);
        self.docs += 1;
        for k in words.keys().chain(shared.keys()).chain(names.keys()) {
            *self.df.entry(*k).or_default() += 1;
        }
        let words = self.weigh(&words);
        let core = self.weigh(&shared);
        let mut shared = core.clone();
        shared.extend(self.weigh(&names));
        // The strongest words and, apart, the strongest shared terms: an article's words outweigh
        // its few shared terms, and only the shared ones can meet a story in another language.
        let probe: Vec<u64> = strongest(&words).chain(strongest(&shared)).collect();
        let mut candidates: Vec<usize> = probe
            .iter()
            .filter_map(|k| self.postings.get(k))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let p = self.params;
        let best = candidates
            .into_iter()
            .filter_map(|i| {
                let s = self.stories.get(i)?.as_ref()?;
                let shared_sim = cosine_with(&shared, &s.shared);
                let (score, needed) = if s.langs.contains(&input.lang) {
                    let mixed =
                        p.word_share * cosine_with(&words, &s.words) + (1.0 - p.word_share) * shared_sim;
                    (mixed.max(shared_sim), p.threshold)
                } else {
                    (cosine_with(&core, &s.core), p.cross_threshold)
                };
                (score >= needed).then_some((i, score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let story = match best {
            Some((i, _)) => i,
            None => {
                self.stories.push(Some(Story {
                    id: format!("s{}", input.id.get(..12).unwrap_or(input.id)),
                    words: HashMap::new(),
                    shared: HashMap::new(),
                    core: HashMap::new(),
                    langs: Vec::new(),
                    last_day: input.day,
                }));
                self.stories.len() - 1
            }
        };
        if let Some(Some(s)) = self.stories.get_mut(story) {
            for (k, w) in &words {
                *s.words.entry(*k).or_default() += w;
            }
            for (k, w) in &shared {
                *s.shared.entry(*k).or_default() += w;
            }
            for (k, w) in &core {
                *s.core.entry(*k).or_default() += w;
            }
            prune(&mut s.core, p.max_terms);
            prune(&mut s.words, p.max_terms);
            prune(&mut s.shared, p.max_terms);
            if !s.langs.contains(&input.lang) {
                s.langs.push(input.lang);
            }
            s.last_day = s.last_day.max(input.day);
        }
        for k in &probe {
            let list = self.postings.entry(*k).or_default();
            if !list.contains(&story) {
                list.push(story);
            }
        }
        if let Some(sig) = sig {
            self.remember(input, sig, story, input.id.to_string());
        }
        Assignment {
            story: self.story_id(story),
            copy_of: None,
        }
    }

    fn remember(&mut self, input: &Input<'_>, sig: [u64; HASHES], story: usize, root: String) {
        let n = self.next_recent;
        self.next_recent += 1;
        self.lsh.insert(n, &sig);
        self.recent.insert(
            n,
            Recent {
                story,
                day: input.day,
                sig,
                root,
            },
        );
    }

    fn story_id(&self, i: usize) -> String {
        self.stories
            .get(i)
            .and_then(Option::as_ref)
            .map(|s| s.id.clone())
            .unwrap_or_default()
    }
}

/// Days since 1970-01-01 of an ISO date's first ten characters (`2022-09-08…`).
#[must_use]
pub fn day_number(iso: &str) -> Option<i64> {
    let y: i64 = iso.get(0..4)?.parse().ok()?;
    let m: i64 = iso.get(5..7)?.parse().ok()?;
    let d: i64 = iso.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The keys of the [`PROBE_TERMS`] heaviest terms, heaviest first (ties by key, for stable ids).
fn strongest(terms: &HashMap<u64, f32>) -> impl Iterator<Item = u64> {
    let mut sorted: Vec<(u64, f32)> = terms.iter().map(|(k, w)| (*k, *w)).collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    sorted.into_iter().take(PROBE_TERMS).map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2022-09-08T10:00"), Some(19_243));
        assert_eq!(day_number("2022-13-01"), None);
        assert_eq!(day_number("x"), None);
    }
}
