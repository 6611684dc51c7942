//! Incremental story clustering, single pass over articles in (day, id) order, with a last look.
//!
//! Each article is first checked against the recent texts for a near-duplicate (a syndicated copy
//! joins its original's story and adds nothing to it). Otherwise it is compared with the active
//! stories that share one of its strongest terms: words within its language, and the terms all
//! languages share (entities, event signatures, receivers, numbers, resolved days, Latin names). It
//! joins the most similar story above the threshold, or founds one. Within a language, an article
//! and a story that both name people or places but hardly the same ones are taken for two affairs of
//! one kind, and their score is cut.
//!
//! A single pass places an article before the stories it belongs with have grown (the first report of
//! the second earthquake meets only the first earthquake's story). So before a story is closed, and
//! at the end of the stream, its articles get a last look: each moves to the story it is now most
//! alike, itself left out of its own. Stories idle for longer than the window are closed and
//! forgotten, so memory stays flat however long the stream runs. Fed the same articles in the same
//! order, it gives the same stories: ids come from the founding article's id.

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
    /// Within a language, the similarity of Latin names below which an article and a story that
    /// both name people or places are taken for two affairs of one kind...
    pub name_floor: f32,
    /// ...and their score is multiplied by this.
    pub name_penalty: f32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            threshold: 0.38,
            cross_threshold: 0.25,
            duplicate: 0.7,
            window_days: 7,
            word_share: 0.6,
            max_terms: 400,
            name_floor: 0.3,
            name_penalty: 0.6,
        }
    }
}

/// Second looks at the end of the stream (a second pass settles the moves of the first; more
/// moved nothing on ECB+).
const FINAL_PASSES: usize = 2;

/// How many of an article's strongest terms look up candidate stories.
const PROBE_TERMS: usize = 24;

/// One article as the clusterer weighs it.
#[derive(Debug, Clone)]
struct Doc {
    id: String,
    lang: Lang,
    day: Option<i64>,
    words: Vector,
    /// Shared terms with Latin names.
    shared: Vector,
    /// Shared terms without Latin names: what another language's article is compared with.
    core: Vector,
    /// Latin names alone.
    names: Vector,
    probe: Vec<u64>,
    /// Its story (index).
    home: usize,
}

/// The sums of its articles' vectors: what an article is compared with.
#[derive(Debug, Default, Clone)]
struct Centroid {
    words: Vector,
    shared: Vector,
    core: Vector,
    names: Vector,
    /// Articles per language.
    langs: Vec<(Lang, u32)>,
}

impl Centroid {
    fn add(&mut self, d: &Doc, max_terms: usize) {
        for (mine, theirs) in [
            (&mut self.words, &d.words),
            (&mut self.shared, &d.shared),
            (&mut self.core, &d.core),
            (&mut self.names, &d.names),
        ] {
            for (k, w) in theirs {
                *mine.entry(*k).or_default() += w;
            }
            if max_terms > 0 {
                prune(mine, max_terms);
            }
        }
        match self.langs.iter_mut().find(|(l, _)| *l == d.lang) {
            Some((_, n)) => *n += 1,
            None => self.langs.push((d.lang, 1)),
        }
    }

    fn has_lang(&self, lang: Lang, minus: Option<&Doc>) -> bool {
        let own = u32::from(minus.is_some_and(|d| d.lang == lang));
        self.langs.iter().any(|(l, n)| *l == lang && *n > own)
    }
}

#[derive(Debug)]
struct Story {
    id: String,
    centroid: Centroid,
    last_day: Option<i64>,
    /// Its articles (indices into the clusterer's open documents).
    members: Vec<usize>,
}

/// Cosine of a unit document vector with a centroid, less `minus` (the document itself, when it is
/// a member) so that an article is never compared with itself.
fn cosine_less(doc: &Vector, centroid: &Vector, minus: Option<&Vector>) -> f32 {
    let Some(m) = minus else {
        return cosine_with(doc, centroid);
    };
    let mut dot = 0.0;
    let mut sq = 0.0;
    for (k, c) in centroid {
        let c = c - m.get(k).copied().unwrap_or(0.0);
        sq += c * c;
        if let Some(w) = doc.get(k) {
            dot += w * c;
        }
    }
    if sq <= 1e-9 { 0.0 } else { dot / sq.sqrt() }
}

/// How alike an article and a story are, when alike enough to join it.
fn similarity(p: &Params, d: &Doc, c: &Centroid, minus: Option<&Doc>) -> Option<f32> {
    let cos = |a: &Vector, b: &Vector, m: Option<&Vector>| cosine_less(a, b, m);
    let (score, needed) = if c.has_lang(d.lang, minus) {
        let shared_sim = cos(&d.shared, &c.shared, minus.map(|m| &m.shared));
        let mixed = p.word_share * cos(&d.words, &c.words, minus.map(|m| &m.words))
            + (1.0 - p.word_share) * shared_sim;
        let mut score = mixed.max(shared_sim);
        // Two affairs of one kind read alike; their names tell them apart ("Vincent Jackson" and
        // "Jamal Williams" both arrested for drunk driving).
        if !d.names.is_empty()
            && !c.names.is_empty()
            && cos(&d.names, &c.names, minus.map(|m| &m.names)) < p.name_floor
        {
            score *= p.name_penalty;
        }
        (score, p.threshold)
    } else {
        (cos(&d.core, &c.core, minus.map(|m| &m.core)), p.cross_threshold)
    };
    (score >= needed).then_some(score)
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
    open: Vec<Option<Doc>>,
    /// Articles moved on a second look: (article id, its story now), in order.
    moves: Vec<(String, String)>,
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
        let closing: Vec<usize> = self
            .stories
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.as_ref()
                    .is_some_and(|s| s.last_day.is_some_and(|d| d < horizon))
            })
            .map(|(i, _)| i)
            .collect();
        if closing.is_empty() {
            return;
        }
        // Its articles get a last look at every open story before the story is closed for good.
        let docs: Vec<usize> = closing
            .iter()
            .filter_map(|&i| self.stories.get(i)?.as_ref())
            .flat_map(|s| s.members.iter().copied())
            .collect();
        let moved = self.reassign(&docs);
        self.moves.extend(moved);
        for i in closing {
            // (A story whose articles all moved on their last look is gone already.)
            if let Some(slot) = self.stories.get_mut(i)
                && slot
                    .as_ref()
                    .is_some_and(|s| s.last_day.is_some_and(|d| d < horizon))
                && let Some(s) = slot.take()
            {
                for m in s.members {
                    if let Some(d) = self.open.get_mut(m) {
                        *d = None;
                    }
                }
            }
        }
        let stories = &self.stories;
        self.postings.retain(|_, list| {
            list.retain(|&i| stories.get(i).is_some_and(Option::is_some));
            !list.is_empty()
        });
        self.recent.retain(|_, r| r.day.is_none_or(|d| d >= horizon));
        let recent = &self.recent;
        self.lsh.retain(|i| recent.contains_key(&i));
    }

    /// The stories that share a probe term with `doc`, in index order.
    fn candidates(&self, doc: &Doc) -> Vec<usize> {
        let mut c: Vec<usize> = doc
            .probe
            .iter()
            .filter_map(|k| self.postings.get(k))
            .flatten()
            .copied()
            .filter(|&i| self.stories.get(i).is_some_and(Option::is_some))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
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
        let doc = self.doc(input);
        let p = self.params;
        let best = self
            .candidates(&doc)
            .into_iter()
            .filter_map(|i| {
                let s = self.stories.get(i)?.as_ref()?;
                similarity(&p, &doc, &s.centroid, None).map(|score| (i, score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let story = match best {
            Some((i, _)) => i,
            None => {
                self.stories.push(Some(Story {
                    id: format!("s{}", input.id.get(..12).unwrap_or(input.id)),
                    centroid: Centroid::default(),
                    last_day: input.day,
                    members: Vec::new(),
                }));
                self.stories.len() - 1
            }
        };
        if let Some(sig) = sig {
            self.remember(input, sig, story, input.id.to_string());
        }
        self.join(story, doc);
        Assignment {
            story: self.story_id(story),
            copy_of: None,
        }
    }

    /// An article's weighted terms, counted into the document frequencies.
    fn doc(&mut self, input: &Input<'_>) -> Doc {
        let Terms { words, shared, names } = terms(input.lang, input.title, input.text, input.analysis);
        self.docs += 1;
        for k in words.keys().chain(shared.keys()).chain(names.keys()) {
            *self.df.entry(*k).or_default() += 1;
        }
        let words = self.weigh(&words);
        let core = self.weigh(&shared);
        let names = self.weigh(&names);
        let mut shared = core.clone();
        shared.extend(names.iter().map(|(k, w)| (*k, *w)));
        // The strongest words and, apart, the strongest shared terms: an article's words outweigh
        // its few shared terms, and only the shared ones can meet a story in another language.
        let probe: Vec<u64> = strongest(&words).chain(strongest(&shared)).collect();
        Doc {
            id: input.id.to_string(),
            lang: input.lang,
            day: input.day,
            words,
            shared,
            core,
            names,
            probe,
            home: 0,
        }
    }

    fn join(&mut self, story: usize, mut doc: Doc) {
        doc.home = story;
        let max_terms = self.params.max_terms;
        for k in &doc.probe {
            let list = self.postings.entry(*k).or_default();
            if !list.contains(&story) {
                list.push(story);
            }
        }
        if let Some(Some(s)) = self.stories.get_mut(story) {
            s.centroid.add(&doc, max_terms);
            s.last_day = s.last_day.max(doc.day);
            s.members.push(self.open.len());
        }
        self.open.push(Some(doc));
    }

    /// Gives the open articles `docs` a second look now that their stories have grown: each moves
    /// to the story it is most alike (itself left out of its own), when that is another one. Stories
    /// that lose every article disappear. Returns the moves, (article id, new story id).
    fn reassign(&mut self, docs: &[usize]) -> Vec<(String, String)> {
        let p = self.params;
        let mut moves = Vec::new();
        for &m in docs {
            let Some(Some(doc)) = self.open.get(m) else {
                continue;
            };
            let current = doc.home;
            let own = self
                .stories
                .get(current)
                .and_then(Option::as_ref)
                .filter(|s| s.members.len() > 1)
                .and_then(|s| similarity(&p, doc, &s.centroid, Some(doc)))
                .unwrap_or(0.0);
            let best = self
                .candidates(doc)
                .into_iter()
                .filter(|&i| i != current)
                .filter_map(|i| {
                    let s = self.stories.get(i)?.as_ref()?;
                    similarity(&p, doc, &s.centroid, None).map(|score| (i, score))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some((to, score)) = best else { continue };
            if score <= own {
                continue;
            }
            let probe = doc.probe.clone();
            let (day, id) = (doc.day, doc.id.clone());
            if let Some(Some(d)) = self.open.get_mut(m) {
                d.home = to;
            }
            if let Some(Some(s)) = self.stories.get_mut(current) {
                s.members.retain(|&x| x != m);
            }
            for k in &probe {
                let list = self.postings.entry(*k).or_default();
                if !list.contains(&to) {
                    list.push(to);
                }
            }
            if let Some(Some(s)) = self.stories.get_mut(to) {
                s.members.push(m);
                s.last_day = s.last_day.max(day);
                moves.push((id, s.id.clone()));
            }
            // The two stories' centroids follow at once, so later articles see the move.
            for i in [current, to] {
                self.rebuild(i);
            }
        }
        moves
    }

    /// Recomputes a story's centroid from its members (and drops it when it has none left).
    fn rebuild(&mut self, i: usize) {
        let max_terms = self.params.max_terms;
        let Some(slot) = self.stories.get_mut(i) else {
            return;
        };
        let Some(s) = slot.as_mut() else { return };
        if s.members.is_empty() {
            *slot = None;
            return;
        }
        let mut c = Centroid::default();
        for m in &s.members {
            if let Some(Some(d)) = self.open.get(*m) {
                c.add(d, max_terms);
            }
        }
        s.centroid = c;
    }

    /// Ends the stream: every open article gets its last look (see [`Clusterer::reassign`]).
    /// Returns every article that moved since it was placed, with the story it ended in (a later
    /// move of one article overrides an earlier one). Copies follow their originals.
    #[must_use]
    pub fn finish(mut self) -> Vec<(String, String)> {
        let docs: Vec<usize> = (0..self.open.len()).collect();
        for _ in 0..FINAL_PASSES {
            let moved = self.reassign(&docs);
            if moved.is_empty() {
                break;
            }
            self.moves.extend(moved);
        }
        self.moves
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
