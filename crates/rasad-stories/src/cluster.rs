//! Incremental story clustering, single pass over articles in (day, id) order, with a last look.
//!
//! Each article is first checked against the recent texts for a near-duplicate (a syndicated copy
//! joins its original's story and adds nothing to it). Otherwise it is compared with the active
//! stories that share one of its strongest terms: words within its language, and the terms all
//! languages share (entities, concepts, event signatures, receivers, numbers, resolved dates, Latin
//! names). At most the `MAX_CANDIDATES` sharing most of those terms are compared. It joins the
//! story most similar for the threshold it must reach, or founds one. Within a language, an article
//! and a story that both name people or places but hardly the same ones are taken for two affairs of
//! one kind, and their score is cut.
//!
//! A single pass places an article before the stories it belongs with have grown (the first report of
//! the second earthquake meets only the first earthquake's story). So before a story is closed, and
//! at the end of the stream, its articles get a last look: each moves to the story it is now most
//! alike, itself left out of its own (at the end, with every article weighed again by the whole
//! stream's document frequencies). Stories idle for longer than the window are closed and
//! forgotten, so memory stays flat however long the stream runs. Fed the same articles in the same
//! order, it gives the same stories: ids come from the founding article's id.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

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
    /// Days a story stays open after its last article. A month: a cyber incident's attribution,
    /// denials and sanctions follow the first reports by weeks. Memory is bounded by the articles
    /// of that many days.
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
            window_days: 30,
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

/// The length of an article's shared-term TF-IDF vector at which those terms count in full.
const SHARED_EVIDENCE: f32 = 3.0;

/// How many of an article's strongest terms look up candidate stories.
const PROBE_TERMS: usize = 24;

/// How many candidate stories an article is compared with, by its words and again by its shared
/// terms (the ones sharing most of its probe terms).
const MAX_CANDIDATES: usize = 32;

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
    /// Its strongest words, then its strongest shared terms: what candidate stories are found by.
    probe: Vec<u64>,
    /// How many of `probe` are words.
    word_probes: usize,
    /// Its story (index).
    home: usize,
    /// Its raw term counts, weighed again with the final document frequencies at the end.
    counts: Terms,
    /// The lengths of its core and shared TF-IDF vectors before normalisation (see `similarity`).
    core_mass: f32,
    shared_mass: f32,
}

/// A sum of document vectors, with its squared length kept up to date so that a comparison costs
/// the document's terms, not the sum's.
#[derive(Debug, Default, Clone)]
struct Part {
    v: Vector,
    sq: f32,
}

impl Part {
    fn add(&mut self, doc: &Vector, sign: f32) {
        for (k, w) in doc {
            let old = self.v.get(k).copied().unwrap_or(0.0);
            let new = old + sign * w;
            if new <= 1e-6 {
                self.v.remove(k);
                self.sq -= old * old;
            } else {
                self.v.insert(*k, new);
                self.sq += new * new - old * old;
            }
        }
        self.sq = self.sq.max(0.0);
    }

    fn prune(&mut self, max: usize) {
        if max == 0 || self.v.len() <= max + max / 2 {
            return;
        }
        let mut weights: Vec<f32> = self.v.values().copied().collect();
        weights.sort_by(|a, b| b.total_cmp(a));
        let cut = weights.get(max).copied().unwrap_or(0.0);
        self.v.retain(|_, w| *w > cut);
        self.sq = self.v.values().map(|w| w * w).sum();
    }

    /// Cosine of a unit document vector with this sum, or, when the document is one of the sum's
    /// own (`member`), with the sum less the document, so that an article is never compared with
    /// itself: over the sum's terms, (c·d − d·d) / |c − d|, with |c − d|² = |c|² − 2c·d + d·d.
    fn cosine(&self, doc: &Vector, member: bool) -> f32 {
        let (mut dot, mut dd) = (0.0, 0.0);
        for (k, w) in doc {
            if let Some(c) = self.v.get(k) {
                dot += w * c;
                dd += w * w;
            }
        }
        let (num, sq) = if member {
            (dot - dd, self.sq - 2.0 * dot + dd)
        } else {
            (dot, self.sq)
        };
        if sq <= 1e-9 { 0.0 } else { num / sq.sqrt() }
    }
}

/// The sums of its articles' vectors: what an article is compared with.
#[derive(Debug, Default, Clone)]
struct Centroid {
    words: Part,
    shared: Part,
    core: Part,
    names: Part,
    /// Articles per language.
    langs: Vec<(Lang, u32)>,
}

impl Centroid {
    /// Adds (`sign` 1) or takes away (`sign` -1) an article.
    fn add(&mut self, d: &Doc, sign: f32, max_terms: usize) {
        for (mine, theirs) in [
            (&mut self.words, &d.words),
            (&mut self.shared, &d.shared),
            (&mut self.core, &d.core),
            (&mut self.names, &d.names),
        ] {
            mine.add(theirs, sign);
            mine.prune(max_terms);
        }
        match self.langs.iter_mut().find(|(l, _)| *l == d.lang) {
            Some((_, n)) if sign < 0.0 => *n = n.saturating_sub(1),
            Some((_, n)) => *n += 1,
            None if sign > 0.0 => self.langs.push((d.lang, 1)),
            None => {}
        }
    }

    /// Whether another article than `d` (when `d` is a member) is in `d`'s language.
    fn has_lang(&self, d: &Doc, member: bool) -> bool {
        let own = u32::from(member);
        self.langs.iter().any(|(l, n)| *l == d.lang && *n > own)
    }
}

#[derive(Debug, Clone)]
struct Story {
    id: String,
    centroid: Centroid,
    last_day: Option<i64>,
    /// Its articles (indices into the clusterer's open documents).
    members: Vec<usize>,
}

/// How alike an article and a story are, as a multiple of the similarity needed to join it (so
/// that scores within a language and across compare), when at least that. `member`: the article
/// is one of the story's own, and is left out of it for the comparison.
///
/// A story with articles in the article's language is compared by words and shared terms; a story
/// only in other languages, by the shared terms without Latin names. (Meeting a story in both ways
/// merged affairs: on two pseudo-languages of ECB+, F1 fell from 0.866 to 0.755.)
fn similarity(p: &Params, d: &Doc, c: &Centroid, member: bool) -> Option<f32> {
    // Shared terms alone tie an article to a story only as far as they carry evidence: an article
    // whose only shared term is "Iran" (or "Saudi Arabia") would otherwise meet every story
    // about it at full strength.
    let evidence = |mass: f32| (mass / SHARED_EVIDENCE).min(1.0);
    let best = if c.has_lang(d, member) {
        let shared_sim = c.shared.cosine(&d.shared, member) * evidence(d.shared_mass);
        let mixed = p.word_share * c.words.cosine(&d.words, member) + (1.0 - p.word_share) * shared_sim;
        let mut score = mixed.max(shared_sim);
        // Two affairs of one kind read alike; their names tell them apart ("Vincent Jackson" and
        // "Jamal Williams" both arrested for drunk driving).
        if !d.names.is_empty() && !c.names.v.is_empty() && c.names.cosine(&d.names, member) < p.name_floor {
            score *= p.name_penalty;
        }
        score / p.threshold
    } else {
        c.core.cosine(&d.core, member) * evidence(d.core_mass) / p.cross_threshold
    };
    (best >= 1.0).then_some(best)
}

#[derive(Debug, Clone)]
struct Recent {
    story: usize,
    day: Option<i64>,
    sig: [u64; HASHES],
    /// The original of a copy, else itself.
    root: String,
}

/// The single-pass clusterer.
#[derive(Debug, Default, Clone)]
pub struct Clusterer {
    params: Params,
    docs: u32,
    df: HashMap<u64, u32, Mix>,
    stories: Slots<Story>,
    postings: HashMap<u64, Vec<usize>, Mix>,
    recent: HashMap<usize, Recent>,
    next_recent: usize,
    lsh: minhash::Index,
    today: Option<i64>,
    open: Slots<Doc>,
    /// Articles moved on a second look: (article id, its story now), in order.
    moves: Vec<(String, String)>,
}

/// Items by a number that is never reused: stories and open articles. Closed ones are removed, so
/// memory follows what is open, not how long the stream has run; iteration is in number order, so
/// the same stream gives the same stories.
#[derive(Debug, Clone)]
struct Slots<T> {
    items: BTreeMap<usize, T>,
    next: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Self {
            items: BTreeMap::new(),
            next: 0,
        }
    }
}

impl<T> Slots<T> {
    /// The number the next item will get.
    fn next(&self) -> usize {
        self.next
    }

    fn push(&mut self, item: T) -> usize {
        let n = self.next;
        self.items.insert(n, item);
        self.next += 1;
        n
    }

    fn get(&self, n: usize) -> Option<&T> {
        self.items.get(&n)
    }

    fn get_mut(&mut self, n: usize) -> Option<&mut T> {
        self.items.get_mut(&n)
    }

    fn contains(&self, n: usize) -> bool {
        self.items.contains_key(&n)
    }

    fn remove(&mut self, n: usize) -> Option<T> {
        self.items.remove(&n)
    }

    fn keys(&self) -> impl Iterator<Item = usize> + '_ {
        self.items.keys().copied()
    }

    fn iter(&self) -> impl Iterator<Item = (usize, &T)> {
        self.items.iter().map(|(n, t)| (*n, t))
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.items.values_mut()
    }
}

/// Weighted terms by their hash.
type Vector = HashMap<u64, f32, Mix>;

/// Hashing for keys that are already FNV hashes: one multiply spreads them over the table, where
/// SipHash cost most of the clustering time.
type Mix = BuildHasherDefault<MixHasher>;

#[derive(Debug, Default, Clone, Copy)]
struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }
}

fn norm(v: &Vector) -> f32 {
    v.values().map(|x| x * x).sum::<f32>().sqrt()
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
        self.weigh_with_mass(counts).0
    }

    /// [`Clusterer::weigh`], and the vector's length before it was normalised: how much evidence
    /// the terms carry (one common term, "Iran", carries little however alone it stands).
    fn weigh_with_mass(&self, counts: &HashMap<u64, f32>) -> (Vector, f32) {
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
        (v, len)
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
            .filter(|(_, s)| s.last_day.is_some_and(|d| d < horizon))
            .map(|(i, _)| i)
            .collect();
        if closing.is_empty() {
            return;
        }
        // Its articles get a last look at every open story before the story is closed for good.
        let docs: Vec<usize> = closing
            .iter()
            .filter_map(|&i| self.stories.get(i))
            .flat_map(|s| s.members.iter().copied())
            .collect();
        let moved = self.reassign(&docs);
        self.moves.extend(moved);
        for i in closing {
            // (A story whose articles all moved on their last look is gone already.)
            if self
                .stories
                .get(i)
                .is_some_and(|s| s.last_day.is_some_and(|d| d < horizon))
                && let Some(s) = self.stories.remove(i)
            {
                for m in s.members {
                    self.open.remove(m);
                }
            }
        }
        let stories = &self.stories;
        self.postings.retain(|_, list| {
            list.retain(|&i| stories.contains(i));
            !list.is_empty()
        });
        self.recent.retain(|_, r| r.day.is_none_or(|d| d >= horizon));
        let recent = &self.recent;
        self.lsh.retain(|i| recent.contains_key(&i));
    }

    /// The stories most worth comparing with `doc`: those that share the most of its probe terms
    /// (by the terms' weight in `doc`), at most [`MAX_CANDIDATES`] by its words and as many again by
    /// its shared terms, so that a story in another language, met through shared terms alone, is
    /// not crowded out by stories in its own. In index order.
    fn candidates(&self, doc: &Doc) -> Vec<usize> {
        let mut out = Vec::new();
        for (probe, terms) in [
            (doc.probe.get(..doc.word_probes).unwrap_or(&[]), &doc.words),
            (doc.probe.get(doc.word_probes..).unwrap_or(&[]), &doc.shared),
        ] {
            let mut tally: HashMap<usize, f32> = HashMap::new();
            for k in probe {
                let w = terms.get(k).copied().unwrap_or(0.0);
                for &i in self.postings.get(k).into_iter().flatten() {
                    if self.stories.contains(i) {
                        *tally.entry(i).or_default() += w;
                    }
                }
            }
            let mut ranked: Vec<(usize, f32)> = tally.into_iter().collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            out.extend(ranked.into_iter().take(MAX_CANDIDATES).map(|(i, _)| i));
        }
        out.sort_unstable();
        out.dedup();
        out
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
                .filter(|(s, r)| *s >= self.params.duplicate && self.stories.contains(r.story))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, original)) = copy {
                let (story, root) = (original.story, original.root.clone());
                self.remember(input, *sig, story, root.clone());
                if let Some(s) = self.stories.get_mut(story) {
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
                let s = self.stories.get(i)?;
                similarity(&p, &doc, &s.centroid, false).map(|score| (i, score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let story = match best {
            Some((i, _)) => i,
            None => self.stories.push(Story {
                id: format!("s{}", input.id.get(..12).unwrap_or(input.id)),
                centroid: Centroid::default(),
                last_day: input.day,
                members: Vec::new(),
            }),
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
        let counts = terms(input.lang, input.title, input.text, input.analysis);
        self.docs += 1;
        for k in counts
            .words
            .keys()
            .chain(counts.shared.keys())
            .chain(counts.names.keys())
        {
            *self.df.entry(*k).or_default() += 1;
        }
        let mut doc = Doc {
            id: input.id.to_string(),
            lang: input.lang,
            day: input.day,
            words: Vector::default(),
            shared: Vector::default(),
            core: Vector::default(),
            names: Vector::default(),
            probe: Vec::new(),
            word_probes: 0,
            home: 0,
            counts,
            core_mass: 0.0,
            shared_mass: 0.0,
        };
        self.weigh_doc(&mut doc);
        // The strongest words and, apart, the strongest shared terms: an article's words outweigh
        // its few shared terms, and only the shared ones can meet a story in another language.
        doc.probe = strongest(&doc.words).collect();
        doc.word_probes = doc.probe.len();
        doc.probe.extend(strongest(&doc.shared));
        doc
    }

    /// Weighs an article's counts into its vectors: words, shared terms with names, shared terms
    /// without, names, and the evidence its shared terms carry.
    fn weigh_doc(&self, d: &mut Doc) {
        d.words = self.weigh(&d.counts.words);
        let (core, core_mass) = self.weigh_with_mass(&d.counts.shared);
        let (names, names_mass) = self.weigh_with_mass(&d.counts.names);
        d.shared = core.clone();
        d.shared.extend(names.iter().map(|(k, w)| (*k, *w)));
        (d.core, d.names, d.core_mass, d.shared_mass) = (core, names, core_mass, core_mass.hypot(names_mass));
    }

    /// Weighs every open article again with the document frequencies of the whole stream (the
    /// first articles were weighed when little had been seen) and recomputes the open stories.
    fn reweigh(&mut self) {
        let mut open = std::mem::take(&mut self.open);
        for d in open.values_mut() {
            self.weigh_doc(d);
        }
        self.open = open;
        let max_terms = self.params.max_terms;
        for s in self.stories.values_mut() {
            let mut c = Centroid::default();
            for m in &s.members {
                if let Some(d) = self.open.get(*m) {
                    c.add(d, 1.0, max_terms);
                }
            }
            s.centroid = c;
        }
    }

    fn join(&mut self, story: usize, mut doc: Doc) {
        doc.home = story;
        let max_terms = self.params.max_terms;
        post(&mut self.postings, &doc.probe, story);
        if let Some(s) = self.stories.get_mut(story) {
            s.centroid.add(&doc, 1.0, max_terms);
            s.last_day = s.last_day.max(doc.day);
            s.members.push(self.open.next());
        }
        self.open.push(doc);
    }

    /// Gives the open articles `docs` a second look now that their stories have grown: each moves
    /// to the story it is most alike (itself left out of its own), when that is another one. Stories
    /// that lose every article disappear. Returns the moves, (article id, new story id).
    fn reassign(&mut self, docs: &[usize]) -> Vec<(String, String)> {
        let p = self.params;
        let mut moves = Vec::new();
        for &m in docs {
            let Some(doc) = self.open.get(m) else {
                continue;
            };
            let current = doc.home;
            let own = self
                .stories
                .get(current)
                .filter(|s| s.members.len() > 1)
                .and_then(|s| similarity(&p, doc, &s.centroid, true))
                .unwrap_or(0.0);
            let best = self
                .candidates(doc)
                .into_iter()
                .filter(|&i| i != current)
                .filter_map(|i| {
                    let s = self.stories.get(i)?;
                    similarity(&p, doc, &s.centroid, false).map(|score| (i, score))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some((to, score)) = best else { continue };
            if score <= own {
                continue;
            }
            let max_terms = p.max_terms;
            post(&mut self.postings, &doc.probe, to);
            // The two stories' centroids follow at once, so later articles see the move.
            if let Some(s) = self.stories.get_mut(current) {
                s.members.retain(|&x| x != m);
                s.centroid.add(doc, -1.0, max_terms);
                if s.members.is_empty() {
                    self.stories.remove(current);
                }
            }
            if let Some(s) = self.stories.get_mut(to) {
                s.members.push(m);
                s.last_day = s.last_day.max(doc.day);
                s.centroid.add(doc, 1.0, max_terms);
                moves.push((doc.id.clone(), s.id.clone()));
            }
            if let Some(d) = self.open.get_mut(m) {
                d.home = to;
            }
        }
        moves
    }

    /// Ends the stream: every open article gets its last look (see `Clusterer::reassign`).
    /// Returns every article that moved since it was placed, with the story it ended in (a later
    /// move of one article overrides an earlier one). Copies follow their originals.
    #[must_use]
    pub fn finish(mut self) -> Vec<(String, String)> {
        self.reweigh();
        let docs: Vec<usize> = self.open.keys().collect();
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
        self.stories.get(i).map(|s| s.id.clone()).unwrap_or_default()
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

/// Lists `story` under each of the `probe` terms, so that articles sharing them find it.
fn post(postings: &mut HashMap<u64, Vec<usize>, Mix>, probe: &[u64], story: usize) {
    for k in probe {
        let list = postings.entry(*k).or_default();
        if !list.contains(&story) {
            list.push(story);
        }
    }
}

/// The keys of the [`PROBE_TERMS`] heaviest terms, heaviest first (ties by key, for stable ids).
fn strongest(terms: &Vector) -> impl Iterator<Item = u64> {
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
