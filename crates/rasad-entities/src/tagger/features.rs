//! The features of one word for the tagger: its folded form, affixes, clitic-stripped stems, shape,
//! the punctuation around it, its neighbours, the catalog's and title rules' hints, the word clusters
//! of the word and its neighbours, and the label of the word before it.
//!
//! Every feature is a short string (`w=وزير`, `p2=ال`, `h+1=B-LOC`) hashed with FNV-1a, so the
//! model file lists readable features while tagging allocates nothing per feature.

use rasad_model::Lang;
use rasad_normalize::Token;

use super::clusters::{ClusterRow, MAX_COLUMNS};
use super::perceptron::N;
use super::{Hint, LABELS, NameClass};

/// What the features need to know of one word, computed once per text.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub key: String,
    /// Forms with clitics or suffixes set aside (without the whole word), at most three.
    pub stems: Vec<String>,
    /// The shortest of `stems`, or the key.
    pub core: String,
    pub shape: String,
    /// Non-space characters between the previous word and this one ("_" for none).
    pub before: String,
    pub hint: Hint,
    /// The word's distributional classes (per clustering, by the words after it and before it),
    /// when the cluster table knows it.
    pub cluster: Option<ClusterRow>,
    /// Whether the word (or its clitic-stripped core) is a given name of the shipped list.
    pub given: bool,
    /// What a first pass over the whole text said of the same word elsewhere in it (none on the
    /// first pass, or when the word occurs once).
    pub doc: Option<DocView>,
    /// What a first tagger said of the word across a large unlabelled corpus (buckets of the share
    /// of its occurrences inside a person's, a place's, an organisation's name), when it was often
    /// inside one ([`super::lexicon::Lexicon`]).
    pub lex: Option<[u8; 3]>,
    /// The word as written, when it holds a hamza seat the key folds away ("رئال", Real, and
    /// "ریال", rial, share a key).
    pub hamza: Option<String>,
}

/// The first pass's labels of a word's other occurrences in its text: the most frequent label,
/// and which classes occur (bits 1 person, 2 place, 4 organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocView {
    pub label: u8,
    pub classes: u8,
}

/// Gives each word the first pass's labels of its other occurrences in the same text: `words`
/// are all the text's words (in any order), each with the label the first pass gave it.
pub(crate) fn set_document<'w>(words: impl Iterator<Item = (&'w mut Word, u8)>) {
    let mut words: Vec<(&mut Word, u8)> = words.collect();
    // Each word's key as a number, so that counting borrows nothing past this block.
    let ids: Vec<usize> = {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        words
            .iter()
            .map(|(w, _)| {
                let next = seen.len();
                *seen.entry(w.key.as_str()).or_insert(next)
            })
            .collect()
    };
    let mut counts = vec![[0u16; N]; ids.iter().max().map_or(0, |m| m + 1)];
    for (id, (_, label)) in ids.iter().zip(&words) {
        if let Some(slot) = counts.get_mut(*id).and_then(|c| c.get_mut(usize::from(*label))) {
            *slot = slot.saturating_add(1);
        }
    }
    for (id, (w, label)) in ids.iter().zip(words.iter_mut()) {
        w.doc = None;
        let Some(mut others) = counts.get(*id).copied() else {
            continue;
        };
        if let Some(slot) = others.get_mut(usize::from(*label)) {
            *slot = slot.saturating_sub(1);
        }
        if others.iter().all(|c| *c == 0) {
            continue;
        }
        let mut best = 0;
        let mut classes = 0u8;
        for (k, c) in others.iter().enumerate() {
            if *c > others.get(best).copied().unwrap_or(0) {
                best = k;
            }
            if *c > 0
                && let Some(class) = u8::try_from(k).ok().and_then(NameClass::of_label)
            {
                classes |= 1 << class as u8;
            }
        }
        w.doc = Some(DocView {
            label: u8::try_from(best).unwrap_or(0),
            classes,
        });
    }
}

/// Gives each word what the lexicon says of it (or of its clitic-stripped core).
pub(crate) fn set_lexicon(words: &mut [Word], lexicon: &super::lexicon::Lexicon) {
    if lexicon.is_empty() {
        return;
    }
    for w in words {
        w.lex = lexicon.get(&w.key).or_else(|| lexicon.get(&w.core));
    }
}

/// Prepares the words of a text.
pub(crate) fn words(
    text: &str,
    tokens: &[Token],
    hints: &[Hint],
    lang: Lang,
    clusters: &dyn Fn(&str) -> Option<ClusterRow>,
) -> Vec<Word> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut previous_end = 0;
    let names = super::given::given_names();
    for (i, token) in tokens.iter().enumerate() {
        let between = text
            .get(previous_end.min(token.span.start)..token.span.start)
            .unwrap_or_default()
            .trim();
        previous_end = token.span.end;
        let before = if between.is_empty() {
            "_".to_string()
        } else {
            between.chars().take(3).collect()
        };
        let stems: Vec<String> = rasad_normalize::candidates(&token.key, lang)
            .into_iter()
            .skip(1)
            .take(3)
            .collect();
        let core = stems
            .iter()
            .min_by_key(|s| s.chars().count())
            .cloned()
            .unwrap_or_else(|| token.key.clone());
        let surface = token.span.slice(text).unwrap_or_default();
        out.push(Word {
            given: names.contains(&token.key) || names.contains(&core),
            cluster: clusters(&token.key).or_else(|| clusters(&core)),
            key: token.key.clone(),
            stems,
            core,
            shape: shape(surface),
            before,
            hint: hints.get(i).copied().unwrap_or_default(),
            doc: None,
            lex: None,
            hamza: surface.contains(['ئ', 'ؤ', 'ء']).then(|| surface.to_string()),
        });
    }
    out
}

/// The word's shape: Arabic-script letters `a`, Latin upper `X` and lower `x`, digits `d`,
/// anything else `o`, repeats collapsed, at most four classes.
fn shape(surface: &str) -> String {
    let mut out = String::new();
    for c in surface.chars() {
        let class = if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c) {
            'a'
        } else if c.is_ascii_uppercase() || (c.is_uppercase()) {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            'o'
        };
        if !out.ends_with(class) {
            out.push(class);
            if out.len() >= 4 {
                break;
            }
        }
    }
    out
}

/// Whether an Arabic-script word carries the article ("ال", or "لل" after the proclitic "ل").
fn definite(key: &str) -> bool {
    key.chars().count() > 3 && (key.starts_with("ال") || key.starts_with("لل"))
}

/// The first `n` characters of `s` (all of it when shorter).
fn prefix(s: &str, n: usize) -> &str {
    s.char_indices()
        .nth(n)
        .map_or(s, |(i, _)| s.get(..i).unwrap_or(s))
}

/// The last `n` characters of `s`.
fn suffix(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    s.char_indices()
        .nth(count - n)
        .map_or(s, |(i, _)| s.get(i..).unwrap_or(s))
}

/// FNV-1a's starting state.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64 bits: stable across builds and platforms.
#[must_use]
pub(crate) fn hash(feature: &str) -> u64 {
    fnv(FNV_OFFSET, feature)
}

/// FNV-1a from state `h` over `part`: hashing the parts of a feature one after another gives the
/// hash of the parts joined.
fn fnv(mut h: u64, part: &str) -> u64 {
    for b in part.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Collects features as hashes, and as names when training wants them written out.
pub(crate) struct Sink<'a> {
    buf: String,
    pub hashes: Vec<u64>,
    names: Option<&'a mut std::collections::HashMap<u64, String>>,
}

impl<'a> Sink<'a> {
    pub fn new(names: Option<&'a mut std::collections::HashMap<u64, String>>) -> Self {
        Self {
            buf: String::with_capacity(64),
            hashes: Vec::with_capacity(64),
            names,
        }
    }

    /// Adds the feature named by `prefix` then `rest`, hashed from the prefix's state.
    fn add_after(&mut self, prefix: &Prefix, rest: &str) {
        let h = fnv(prefix.state, rest);
        self.hashes.push(h);
        if let Some(names) = self.names.as_deref_mut() {
            names
                .entry(h)
                .or_insert_with(|| [prefix.text.as_str(), rest].concat());
        }
    }

    /// Adds the feature named by `parts` joined, hashed as it is read (no copy unless the names
    /// are wanted).
    fn add(&mut self, parts: &[&str]) {
        let h = parts.iter().fold(FNV_OFFSET, |h, p| fnv(h, p));
        self.hashes.push(h);
        if let Some(names) = self.names.as_deref_mut() {
            self.buf.clear();
            for p in parts {
                self.buf.push_str(p);
            }
            names.entry(h).or_insert_with(|| self.buf.clone());
        }
    }
}

fn hint_name(h: Hint) -> &'static str {
    match h {
        Hint::None => "-",
        Hint::Begin(NameClass::Person) => "B-PER",
        Hint::Begin(NameClass::Location) => "B-LOC",
        Hint::Begin(NameClass::Organization) => "B-ORG",
        Hint::Inside(NameClass::Person) => "I-PER",
        Hint::Inside(NameClass::Location) => "I-LOC",
        Hint::Inside(NameClass::Organization) => "I-ORG",
        Hint::Adjective => "ADJ",
    }
}

const BOUNDARY: &str = "<s>";

/// The lexicon's classes and buckets as its features name them ("lx=PER3", "lx-1=LOC1"; bucket 0
/// adds none).
const LEX_CLASSES: [&str; 3] = ["PER", "LOC", "ORG"];
const LEX_BUCKETS: [&str; 4] = ["0", "1", "2", "3"];

/// The features of word `i` that do not depend on any label.
pub(crate) fn emission(words: &[Word], i: usize, sink: &mut Sink<'_>) {
    sink.hashes.clear();
    let Some(w) = words.get(i) else { return };
    let at = |d: isize| -> Option<&Word> { i.checked_add_signed(d).and_then(|j| words.get(j)) };
    let key_at = |d: isize| at(d).map_or(BOUNDARY, |w| w.key.as_str());
    let core_at = |d: isize| at(d).map_or(BOUNDARY, |w| w.core.as_str());
    let hint_at = |d: isize| at(d).map_or("<s>", |w| hint_name(w.hint));
    let key = w.key.as_str();

    sink.add(&["bias"]);
    sink.add(&["w=", key]);
    sink.add(&["c=", &w.core]);
    if let Some(hamza) = &w.hamza {
        sink.add(&["r=", hamza]);
    }
    for s in &w.stems {
        sink.add(&["s=", s]);
    }
    for (n, digit) in [(1, "1"), (2, "2"), (3, "3"), (4, "4")] {
        sink.add(&["p", digit, "=", prefix(key, n)]);
        sink.add(&["x", digit, "=", suffix(key, n)]);
    }
    sink.add(&["sh=", &w.shape]);
    // A definite nisba after a definite word agrees with it as its adjective ("التطبيق السلمي",
    // "الجيش الإسرائيلي"): it continues a phrase rather than starting a name.
    if at(-1).is_some_and(|p| definite(&p.key))
        && definite(key)
        && (key.ends_with('ي') || key.ends_with("يه"))
    {
        sink.add(&["agr=1"]);
    }
    let len = match key.chars().count() {
        0..=2 => "s",
        3..=5 => "m",
        _ => "l",
    };
    sink.add(&["len=", len]);
    sink.add(&["sep=", &w.before]);
    sink.add(&["sep+1=", at(1).map_or("</s>", |n| n.before.as_str())]);
    sink.add(&["w-1=", key_at(-1)]);
    sink.add(&["w+1=", key_at(1)]);
    sink.add(&["w-2=", key_at(-2)]);
    sink.add(&["w+2=", key_at(2)]);
    sink.add(&["c-1=", core_at(-1)]);
    sink.add(&["c+1=", core_at(1)]);
    sink.add(&["w-1|w=", key_at(-1), "|", key]);
    sink.add(&["w|w+1=", key, "|", key_at(1)]);
    // The pairs around the word mark where long names go on ("… پالایش و پخش"): Persian 5-fold CV
    // 0.792 to 0.796 (combined), Arabic unchanged (0.772).
    sink.add(&["w-1|w+1=", key_at(-1), "|", key_at(1)]);
    sink.add(&["w+1|w+2=", key_at(1), "|", key_at(2)]);
    sink.add(&["w-2|w-1=", key_at(-2), "|", key_at(-1)]);
    sink.add(&["x2-1=", suffix(key_at(-1), 2)]);
    sink.add(&["x2+1=", suffix(key_at(1), 2)]);
    sink.add(&["h=", hint_at(0)]);
    sink.add(&["h-1=", hint_at(-1)]);
    sink.add(&["h+1=", hint_at(1)]);
    sink.add(&["h|w=", hint_at(0), "|", key]);
    for (d, name) in [(0, "g="), (-1, "g-1="), (1, "g+1=")] {
        if at(d).is_some_and(|w| w.given) {
            sink.add(&[name, "1"]);
        }
    }
    document(words, i, sink);
    for (d, name) in [(0, "lx="), (-1, "lx-1="), (1, "lx+1=")] {
        if let Some(buckets) = at(d).and_then(|w| w.lex) {
            for (b, class) in buckets.into_iter().zip(LEX_CLASSES) {
                if let Some(bucket) = LEX_BUCKETS.get(usize::from(b)).filter(|_| b > 0) {
                    sink.add(&[name, class, bucket]);
                }
            }
        }
    }
    let mut digits = [0u8; 10];
    for (d, names) in CLUSTER_FEATURES {
        if let Some(row) = at(d).and_then(|w| w.cluster) {
            for (class, name) in row.classes().iter().zip(names) {
                let text = write_u32(*class, &mut digits);
                sink.add(&[name, text]);
            }
        }
    }
}

/// The names of the cluster features of the word (0) and its neighbours, per column of the cluster
/// file: "ka"/"kb" the first clustering by the words after and before, "kc"/"kd" the second …
const CLUSTER_FEATURES: [(isize, [&str; MAX_COLUMNS]); 3] = [
    (0, ["ka=", "kb=", "kc=", "kd=", "ke=", "kf="]),
    (-1, ["ka-1=", "kb-1=", "kc-1=", "kd-1=", "ke-1=", "kf-1="]),
    (1, ["ka+1=", "kb+1=", "kc+1=", "kd+1=", "ke+1=", "kf+1="]),
];

/// The features of word `i` from the first pass's view of the document ([`DocView`]), added to
/// what `sink` holds: the second pass adds their scores to the first pass's.
pub(crate) fn document(words: &[Word], i: usize, sink: &mut Sink<'_>) {
    let doc_at = |d: isize| {
        i.checked_add_signed(d)
            .and_then(|j| words.get(j))
            .and_then(|w| w.doc)
    };
    let label = |view: DocView| LABELS.get(usize::from(view.label)).copied().unwrap_or("O");
    if let Some(view) = doc_at(0) {
        sink.add(&["dl=", label(view)]);
        for (bit, class) in [(1, "PER"), (2, "LOC"), (4, "ORG")] {
            if view.classes & bit != 0 {
                sink.add(&["dc=", class]);
            }
        }
    }
    for (d, name) in [(-1, "dl-1="), (1, "dl+1=")] {
        if let Some(view) = doc_at(d) {
            sink.add(&[name, label(view)]);
        }
    }
}

/// The features of word `i` that pair the label of the word before it with the word: the label,
/// and the label with the word's key, core and the punctuation before it.
pub(crate) fn transition(words: &[Word], i: usize, prev: u8, sink: &mut Sink<'_>) {
    sink.hashes.clear();
    let Some(w) = words.get(i) else { return };
    let Some([label, key, core, before]) = transition_prefixes().get(usize::from(prev)) else {
        return;
    };
    sink.add_after(label, "");
    sink.add_after(key, &w.key);
    sink.add_after(core, &w.core);
    sink.add_after(before, &w.before);
}

/// The start of a feature's name, with its hash state, worked out once.
pub(crate) struct Prefix {
    text: String,
    state: u64,
}

impl Prefix {
    fn new(parts: &[&str]) -> Self {
        let text = parts.concat();
        let state = fnv(FNV_OFFSET, &text);
        Self { text, state }
    }
}

/// Per label of the word before, the starts of [`transition`]'s four features ("l-1=B-PER",
/// "l-1|w=B-PER|" …): every word hashes the same starts seven times over.
fn transition_prefixes() -> &'static [[Prefix; 4]; N] {
    static PREFIXES: std::sync::OnceLock<[[Prefix; 4]; N]> = std::sync::OnceLock::new();
    PREFIXES.get_or_init(|| {
        std::array::from_fn(|prev| {
            let p1 = LABELS.get(prev).copied().unwrap_or("O");
            [
                Prefix::new(&["l-1=", p1]),
                Prefix::new(&["l-1|w=", p1, "|"]),
                Prefix::new(&["l-1|c=", p1, "|"]),
                Prefix::new(&["l-1|sep=", p1, "|"]),
            ]
        })
    })
}

/// Decimal digits of `n` without allocating.
fn write_u32(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            // n % 10 < 10 always fits a digit.
            *slot = b'0' + u8::try_from(n % 10).unwrap_or(0);
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    std::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes_count_characters_not_bytes() {
        assert_eq!(prefix("الرياض", 2), "ال");
        assert_eq!(suffix("الرياض", 3), "ياض");
        assert_eq!(suffix("ab", 4), "ab");
        assert_eq!(prefix("", 3), "");
    }

    #[test]
    fn parts_hash_as_their_join() {
        let mut names = std::collections::HashMap::new();
        let mut sink = Sink::new(Some(&mut names));
        sink.add(&["l-1|w=", "B-PER", "|", "غوتيريش"]);
        sink.add(&[]);
        let hashes = sink.hashes.clone();
        assert_eq!(hashes, vec![hash("l-1|w=B-PER|غوتيريش"), hash("")]);
        assert_eq!(
            names.get(&hashes[0]).map(String::as_str),
            Some("l-1|w=B-PER|غوتيريش")
        );
    }

    #[test]
    fn transition_features_hash_as_their_names() {
        let words = vec![Word {
            core: "غوتير".into(),
            before: "،".into(),
            ..word("غوتيريش")
        }];
        let mut names = std::collections::HashMap::new();
        let mut sink = Sink::new(Some(&mut names));
        transition(&words, 0, 5, &mut sink);
        let hashes = sink.hashes.clone();
        let expected = [
            "l-1=B-LOC",
            "l-1|w=B-LOC|غوتيريش",
            "l-1|c=B-LOC|غوتير",
            "l-1|sep=B-LOC|،",
        ];
        assert_eq!(hashes, expected.map(hash).to_vec());
        for (h, name) in hashes.iter().zip(expected) {
            assert_eq!(names.get(h).map(String::as_str), Some(name));
        }
    }

    fn word(key: &str) -> Word {
        Word {
            key: key.into(),
            stems: Vec::new(),
            core: key.into(),
            shape: "a".into(),
            before: "_".into(),
            hint: Hint::None,
            cluster: None,
            given: false,
            doc: None,
            lex: None,
            hamza: None,
        }
    }

    #[test]
    fn the_document_view_counts_other_occurrences_only() {
        let mut words: Vec<Word> = ["روسف", "گفت", "روسف", "روسف", "تهران"].map(word).to_vec();
        // The first pass: person, O, person, O (a miss), place (one-word names: U-PER, U-LOC).
        let labels = [4u8, 0, 4, 0, 8];
        set_document(words.iter_mut().zip(labels));
        // The first "روسف" sees one person and one O elsewhere: the tie goes to O, both classes noted.
        assert_eq!(words[0].doc, Some(DocView { label: 0, classes: 1 }));
        // The missed one sees two persons.
        assert_eq!(words[3].doc, Some(DocView { label: 4, classes: 1 }));
        // Words that occur once see nothing.
        assert_eq!(words[1].doc, None);
        assert_eq!(words[4].doc, None);
        let mut sink = Sink::new(None);
        emission(&words, 3, &mut sink);
        assert!(sink.hashes.contains(&hash("dl=U-PER")));
        assert!(sink.hashes.contains(&hash("dc=PER")));
        assert!(!sink.hashes.contains(&hash("dc=LOC")));
        emission(&words, 1, &mut sink);
        assert!(!sink.hashes.contains(&hash("dl=O")));
        // Both neighbours are "روسف"s that see one person and one O elsewhere.
        assert!(sink.hashes.contains(&hash("dl-1=O")));
        assert!(sink.hashes.contains(&hash("dl+1=O")));
        assert_eq!(words[2].doc, Some(DocView { label: 0, classes: 1 }));
    }

    #[test]
    fn every_clustering_gives_its_features() {
        let clusters =
            super::super::Clusters::parse("بيروت\t3\t7\t30\t70\nقال\t1\t2\t10\t20\n").unwrap_or_default();
        let mut words: Vec<Word> = ["قال", "في", "بيروت"].map(word).to_vec();
        for w in &mut words {
            w.cluster = clusters.get(&w.key);
        }
        let mut sink = Sink::new(None);
        emission(&words, 2, &mut sink);
        for name in ["ka=3", "kb=7", "kc=30", "kd=70"] {
            assert!(sink.hashes.contains(&hash(name)), "{name}");
        }
        assert!(!sink.hashes.contains(&hash("ke=0")));
        // The word before ("في") has no classes; the one two before is not read.
        assert!(
            !sink
                .hashes
                .iter()
                .any(|h| *h == hash("ka-1=1") || *h == hash("kc-1=10"))
        );
        emission(&words, 1, &mut sink);
        for name in ["ka-1=1", "kd-1=20", "ka+1=3", "kd+1=70"] {
            assert!(sink.hashes.contains(&hash(name)), "{name}");
        }
    }

    #[test]
    fn word_pairs_around_the_word() {
        let words: Vec<Word> = ["شرکت", "ملی", "پالایش", "و", "پخش"].map(word).to_vec();
        let mut sink = Sink::new(None);
        emission(&words, 3, &mut sink);
        for name in ["w-1|w+1=پالایش|پخش", "w+1|w+2=پخش|<s>", "w-2|w-1=ملی|پالایش"] {
            assert!(sink.hashes.contains(&hash(name)), "{name}");
        }
        emission(&words, 0, &mut sink);
        assert!(sink.hashes.contains(&hash("w-2|w-1=<s>|<s>")));
    }

    #[test]
    fn shapes_and_numbers() {
        assert_eq!(shape("Guterres"), "Xx");
        assert_eq!(shape("غوتيريش"), "a");
        assert_eq!(shape("G7-2025"), "Xdod");
        let mut buf = [0u8; 10];
        assert_eq!(write_u32(0, &mut buf), "0");
        assert_eq!(write_u32(4_294_967_295, &mut buf), "4294967295");
    }
}
