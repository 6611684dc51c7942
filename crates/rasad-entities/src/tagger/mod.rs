//! A trained name tagger beside the catalog: people, places and organisations nobody listed.
//!
//! A structured averaged perceptron (Viterbi) over BILOU labels ([`perceptron`]) with features that generalise
//! ([`features`]): folded forms, affixes, clitic-stripped stems from `rasad-normalize`, punctuation,
//! neighbours, and the catalog's and title rules' own findings as hints. One model per language,
//! trained by `rasad train tagger` on ANERcorp's train split (Arabic) and PEYMA's train files
//! (Persian), kept as reviewed data files in `data/entities/` with their training record. English
//! names come from capitalisation and word lists ([`english`]).
//!
//! The catalog stays the source of canonical ids: the tagger's names that the catalog or title rules
//! already found are theirs; the rest become discovered entities ([`crate::Matcher::extract`]).

pub mod clusters;
pub mod english;
mod features;
mod given;
pub mod lexicon;
mod perceptron;
pub mod translit;

use std::sync::OnceLock;

use rasad_model::{Lang, Span};
use rasad_normalize::Token;

pub use clusters::Clusters;
pub use lexicon::{Lexicon, LexiconCounts};
pub use perceptron::{Example, Model, train};

use crate::EntityError;

/// The shipped name tagger of a language: the trained model for Arabic and Persian, capitalisation
/// and word lists for English ([`english::CapitalNames`]); `None` for others.
#[must_use]
pub fn builtin(lang: Lang) -> Option<&'static dyn NameTagger> {
    match lang {
        Lang::En => Some(english::CapitalNames::builtin()),
        _ => Tagger::builtin(lang).map(|t| t as &dyn NameTagger),
    }
}

/// The labels, in the model file's column order: per class, the first word of a name of two words
/// or more (B), a middle word (I), the last word (L) and a name of one word (U). Ratinov and Roth
/// (2009) found this finer scheme (BILOU) learns boundaries better than BIO; corpora still come in
/// BIO ([`bio_of_tag`]) and [`example`] converts.
pub const LABELS: [&str; 13] = [
    "O", "B-PER", "I-PER", "L-PER", "U-PER", "B-LOC", "I-LOC", "L-LOC", "U-LOC", "B-ORG", "I-ORG", "L-ORG",
    "U-ORG",
];

/// The place of a word in its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin = 0,
    Inside = 1,
    Last = 2,
    Unit = 3,
}

/// The classes a name may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameClass {
    Person = 0,
    Location = 1,
    Organization = 2,
}

impl NameClass {
    /// The class of a label index (any part of a name of the class).
    #[must_use]
    pub fn of_label(label: u8) -> Option<Self> {
        part_of(label).map(|(class, _)| class)
    }

    /// The label of a word at `part` of a name of this class.
    #[must_use]
    pub fn label(self, part: Part) -> u8 {
        1 + 4 * self as u8 + part as u8
    }
}

/// The class and place in its name of a label index; `None` for O (and for no label).
#[must_use]
pub fn part_of(label: u8) -> Option<(NameClass, Part)> {
    let class = match label {
        1..=4 => NameClass::Person,
        5..=8 => NameClass::Location,
        9..=12 => NameClass::Organization,
        _ => return None,
    };
    let part = match (label - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    };
    Some((class, part))
}

/// What the catalog and title rules say of a word before the tagger looks at it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Hint {
    #[default]
    None,
    /// The first word of a catalogued or titled name of this class.
    Begin(NameClass),
    /// A later word of such a name.
    Inside(NameClass),
    /// A demonym or adjective of a catalogued entity (الأمريكية، ایرانی).
    Adjective,
}

/// A name the tagger found: a range of tokens and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagged {
    /// Token range, end exclusive.
    pub tokens: (usize, usize),
    pub span: Span,
    pub class: NameClass,
    /// Whether the name's first word carries the Arabic conjunction و joined to it ("وعادل
    /// الجبير"): the tagger tags whole words, so `span` holds it, but the name begins after it.
    pub conjunction: bool,
}

impl Tagged {
    /// The name's own span: `span` without a joined conjunction.
    #[must_use]
    pub fn name_span(&self) -> Span {
        if self.conjunction {
            Span::new(
                (self.span.start + 'و'.len_utf8()).min(self.span.end),
                self.span.end,
            )
        } else {
            self.span
        }
    }
}

/// A stage's view of name tagging: a text's words (with the catalog's hints) in, names out.
pub trait NameTagger {
    fn tag(&self, text: &str, tokens: &[Token], hints: &[Hint]) -> Vec<Tagged>;
}

/// A language's model.
#[derive(Debug)]
pub struct Tagger {
    lang: Lang,
    model: Model,
    clusters: Clusters,
    lexicon: Lexicon,
}

impl Tagger {
    /// A tagger from a model file's text and the word clusters it was trained with.
    ///
    /// # Errors
    /// When the model file is malformed.
    pub fn new(lang: Lang, model_file: &str, clusters: Clusters) -> Result<Self, EntityError> {
        Ok(Self {
            lang,
            model: Model::parse(model_file)?,
            clusters,
            lexicon: Lexicon::default(),
        })
    }

    /// The same tagger reading `lexicon` (what a first tagger said of words across unlabelled
    /// news): a model trained with a lexicon's features needs the lexicon it was trained with.
    #[must_use]
    pub fn with_lexicon(mut self, lexicon: Lexicon) -> Self {
        self.lexicon = lexicon;
        self
    }

    /// The shipped lexicon of a language (empty for languages without one): Arabic's learnt
    /// across SaudiNewsNet, Persian's across the unlabelled Persian news its clusters were learnt
    /// from (see the files' headers).
    ///
    /// # Errors
    /// When the shipped file is malformed.
    pub fn builtin_lexicon(lang: Lang) -> Result<Lexicon, EntityError> {
        match lang {
            Lang::Ar => Lexicon::parse(include_str!("../../../../data/entities/lexicon-ar.tsv")),
            Lang::Fa => Lexicon::parse(include_str!("../../../../data/entities/lexicon-fa.tsv")),
            _ => Ok(Lexicon::default()),
        }
    }

    /// The shipped word clusters of a language (empty for languages without them).
    ///
    /// # Errors
    /// When the shipped file is malformed.
    pub fn builtin_clusters(lang: Lang) -> Result<Clusters, EntityError> {
        match lang {
            Lang::Ar => Clusters::parse(include_str!("../../../../data/entities/clusters-ar.tsv")),
            Lang::Fa => Clusters::parse(include_str!("../../../../data/entities/clusters-fa.tsv")),
            _ => Ok(Clusters::default()),
        }
    }

    /// The shipped model of a language (Arabic, Persian), parsed once; `None` for others.
    #[must_use]
    pub fn builtin(lang: Lang) -> Option<&'static Tagger> {
        static AR: OnceLock<Option<Tagger>> = OnceLock::new();
        static FA: OnceLock<Option<Tagger>> = OnceLock::new();
        // A malformed shipped model is caught by `shipped_models_parse`; at run time it only
        // means no tagger.
        match lang {
            Lang::Ar => AR
                .get_or_init(|| {
                    Tagger::shipped(Lang::Ar, include_str!("../../../../data/entities/tagger-ar.tsv"))
                })
                .as_ref(),
            Lang::Fa => FA
                .get_or_init(|| {
                    Tagger::shipped(Lang::Fa, include_str!("../../../../data/entities/tagger-fa.tsv"))
                })
                .as_ref(),
            _ => None,
        }
    }

    /// A shipped model with the shipped clusters and lexicon of its language; `None` when any of
    /// them is malformed.
    fn shipped(lang: Lang, model_file: &str) -> Option<Tagger> {
        let clusters = Tagger::builtin_clusters(lang).ok()?;
        let lexicon = Tagger::builtin_lexicon(lang).ok()?;
        Tagger::new(lang, model_file, clusters)
            .ok()
            .map(|t| t.with_lexicon(lexicon))
    }

    #[must_use]
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Counts, for a lexicon, what this tagger says of each word of a text: every token's key, and
    /// the class of the name it falls in.
    pub fn count_into(&self, counts: &mut LexiconCounts, text: &str, tokens: &[Token], hints: &[Hint]) {
        let names = self.tag(text, tokens, hints);
        let mut class = vec![None; tokens.len()];
        for n in &names {
            for slot in class.iter_mut().take(n.tokens.1).skip(n.tokens.0) {
                *slot = Some(n.class);
            }
        }
        for (t, c) in tokens.iter().zip(class) {
            counts.add(&t.key, c);
        }
    }
}

impl NameTagger for Tagger {
    fn tag(&self, text: &str, tokens: &[Token], hints: &[Hint]) -> Vec<Tagged> {
        if self.model.is_empty() {
            return Vec::new();
        }
        let mut words = features::words(text, tokens, hints, self.lang, &|w| self.clusters.get(w));
        features::set_lexicon(&mut words, &self.lexicon);
        // A model trained with a first pass's view of the document makes that pass itself, then
        // reads it (5-fold CV: PEYMA 0.762 to 0.766, ANERcorp in windows 0.749 to 0.756).
        let labels = self.model.decode_document(&mut words);
        let mut names = spans(tokens, &labels);
        // Persian CV persons 0.743 to 0.766 (PEYMA's files as documents); Arabic 0.678 to 0.692 in
        // a one-off CV run with ten-sentence windows as documents (ANERcorp marks none).
        surnames(tokens, hints, &|key| !self.model.word_is_common(key), &mut names);
        if self.lang == Lang::Ar {
            trim_conjunction(text, tokens, &self.lexicon, given::given_names(), &mut names);
        }
        names
    }
}

/// Arabic writes the conjunction و ("and") joined to the word after it, and the tagger tags whole
/// words: "وعادل الجبير" comes out with the conjunction inside the name (on SaudiNewsNet's first
/// day, 1,281 of 11,464 different tagged names began with it). The name starts after the و where
/// what follows is plainly a name's first word: a given name (عادل), a word with the article of
/// three letters or more after it (الدمام), the word another name of the text starts with, or a
/// word the lexicon finds inside names at least as often as the whole word (جازان, نيمار). A name
/// that begins with the letter itself (وليد، وائل) is none of these and keeps it, and so does a
/// whole word that is itself a given name (`given`, folded keys). The name's tokens and span stay
/// as they are, for the catalog to meet it as before; it is marked ([`Tagged::conjunction`]), and
/// its entity's mention starts after the و.
fn trim_conjunction(
    text: &str,
    tokens: &[Token],
    lexicon: &Lexicon,
    given: &std::collections::HashSet<String>,
    names: &mut [Tagged],
) {
    let share = |word: &str| lexicon.get(word).map_or(0, |b| b.into_iter().max().unwrap_or(0));
    let key = |name: &Tagged| tokens.get(name.tokens.0).map(|t| t.key.as_str());
    let starts: std::collections::HashSet<&str> = names.iter().filter_map(key).collect();
    for name in names.iter_mut() {
        name.conjunction = false;
        let Some(whole) = key(name).filter(|k| !given.contains(*k)) else {
            continue;
        };
        let Some(rest) = whole.strip_prefix('و') else {
            continue;
        };
        let after_article = rest.strip_prefix("ال").is_some_and(|r| r.chars().count() >= 3);
        let named = share(rest) >= 2.max(share(whole));
        let plain = rest.chars().count() >= 3 && (given.contains(rest) || starts.contains(rest) || named);
        let written = name.span.slice(text).unwrap_or_default();
        name.conjunction = (after_article || plain) && written.starts_with('و');
    }
}

/// Gives the words of a document's examples (its sentences) what a first pass said of each word's
/// other occurrences in the document: `predicted` holds that pass's labels, example by example.
pub fn set_document(examples: &mut [Example], predicted: &[Vec<u8>]) {
    features::set_document(
        examples
            .iter_mut()
            .zip(predicted)
            .flat_map(|(e, labels)| e.words.iter_mut().zip(labels.iter().copied())),
    );
}

/// Gives the examples' words what `lexicon` says of them (a model trained so needs the same
/// lexicon when it tags).
pub fn set_lexicon(examples: &mut [Example], lexicon: &Lexicon) {
    for e in examples {
        features::set_lexicon(&mut e.words, lexicon);
    }
}

/// A line of a model or cluster file, for the error that names it.
pub(crate) struct Line {
    file: &'static str,
    pub(crate) number: usize,
}

impl Line {
    pub(crate) fn error(&self, reason: &str) -> EntityError {
        EntityError::Catalog {
            file: self.file.to_string(),
            line: self.number,
            reason: reason.to_string(),
        }
    }
}

/// The lines of a model or cluster file that hold data: empty lines and `#` comments left out.
pub(crate) fn data_lines<'t>(text: &'t str, file: &'static str) -> impl Iterator<Item = (Line, &'t str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(move |(n, line)| (Line { file, number: n + 1 }, line))
}

/// A person named in full once is named by the surname alone after ("دیلما روسف … روسف گفت"): a
/// word the tagger left out of every name that is the last word of a person's full name tagged
/// elsewhere in the same text becomes a person too. Only whole words of at least three letters that
/// the catalog and title rules say nothing of, and never a given name ("محمد" alone names no one).
/// The surname may be the full name's last words ("مایلی کهن" of "محمد مایلی کهن"), taking in a
/// lone word the tagger made a person of before it (5-fold CV persons: ar 0.732 to 0.738, fa 0.804
/// to 0.806).
pub fn surnames(tokens: &[Token], hints: &[Hint], name_like: &dyn Fn(&str) -> bool, names: &mut Vec<Tagged>) {
    let given = given::given_names();
    // Each full name's words, by its last word.
    let mut full: std::collections::HashMap<&str, Vec<Vec<&str>>> = std::collections::HashMap::new();
    for n in names
        .iter()
        .filter(|n| n.class == NameClass::Person && n.tokens.1 >= n.tokens.0 + 2)
    {
        let words: Vec<&str> = tokens
            .get(n.tokens.0..n.tokens.1)
            .unwrap_or_default()
            .iter()
            .map(|t| t.key.as_str())
            .collect();
        if let Some(last) = words.last().copied()
            && last.chars().count() >= 3
            && !given.contains(last)
            && name_like(last)
        {
            full.entry(last).or_default().push(words);
        }
    }
    if full.is_empty() {
        return;
    }
    // Which words a tagged name covers, and which tagged person each word is in: a lone word the
    // tagger took for a person may be the first part of a longer surname ("مایلی" of "محمد مایلی
    // کهن", before "کهن").
    let mut covered = vec![false; tokens.len()];
    let mut person = vec![None; tokens.len()];
    for (k, n) in names.iter().enumerate() {
        let is_person = n.class == NameClass::Person;
        for (slot, of) in covered
            .iter_mut()
            .zip(person.iter_mut())
            .take(n.tokens.1)
            .skip(n.tokens.0)
        {
            *slot = true;
            if is_person {
                *of = Some(k);
            }
        }
    }
    let free = |covered: &[bool], i: usize| {
        !covered.get(i).copied().unwrap_or(true) && hints.get(i).is_none_or(|h| *h == Hint::None)
    };
    let mut merged = vec![false; names.len()];
    let mut added = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Some(forms) = full.get(token.key.as_str()) else {
            continue;
        };
        if !free(&covered, i) {
            continue;
        }
        // The longest end of a full name that ends here (all of it, or its last words: "مایلی کهن"
        // of "محمد مایلی کهن"), else the surname alone. The words before this one must be free, or
        // make up tagged persons that lie wholly inside it, which the longer name replaces.
        let inside = |j: usize, from: usize| {
            free(&covered, j)
                || person.get(j).copied().flatten().is_some_and(|k| {
                    names
                        .get(k)
                        .is_some_and(|n| n.tokens.0 >= from && n.tokens.1 <= i)
                        && !merged.get(k).copied().unwrap_or(true)
                })
        };
        let start = forms
            .iter()
            .filter_map(|words| {
                (1..=words.len())
                    .filter_map(|len| {
                        let from = (i + 1).checked_sub(len)?;
                        let tail = words.get(words.len() - len..)?;
                        let same = tokens.get(from..=i)?.iter().zip(tail).all(|(t, w)| t.key == *w);
                        (same && (from..i).all(|j| inside(j, from))).then_some(from)
                    })
                    .min()
            })
            .min()
            .unwrap_or(i);
        for j in start..i {
            if let Some(k) = person.get(j).copied().flatten()
                && let Some(slot) = merged.get_mut(k)
            {
                *slot = true;
            }
        }
        // What is added is taken: a later match may not reach back into it (names never overlap).
        for slot in covered.iter_mut().take(i + 1).skip(start) {
            *slot = true;
        }
        if let (Some(first), Some(last)) = (tokens.get(start), tokens.get(i)) {
            added.push(Tagged {
                tokens: (start, i + 1),
                span: Span::new(first.span.start, last.span.end),
                class: NameClass::Person,
                conjunction: false,
            });
        }
    }
    let mut taken_in = merged.into_iter();
    names.retain(|_| !taken_in.next().unwrap_or(false));
    if !added.is_empty() {
        names.extend(added);
        names.sort_by_key(|n| n.tokens);
    }
}

/// The names of a label sequence. A well-formed sequence (what the decoder gives) opens a name at
/// B and closes it at L, or is U; on any other, a word whose class or place does not continue the
/// open name starts a new one, and a name still open at the end closes there.
pub fn spans(tokens: &[Token], labels: &[u8]) -> Vec<Tagged> {
    let mut out: Vec<Tagged> = Vec::new();
    let mut open: Option<(usize, NameClass)> = None;
    let close = |out: &mut Vec<Tagged>, start: usize, end: usize, class: NameClass| {
        if let (Some(first), Some(last)) = (tokens.get(start), tokens.get(end.wrapping_sub(1))) {
            out.push(Tagged {
                tokens: (start, end),
                span: Span::new(first.span.start, last.span.end),
                class,
                conjunction: false,
            });
        }
    };
    for (i, &label) in labels.iter().enumerate() {
        let here = part_of(label);
        let continues =
            matches!((open, here), (Some((_, c)), Some((k, Part::Inside | Part::Last))) if c == k);
        if !continues {
            if let Some((start, c)) = open.take() {
                close(&mut out, start, i, c);
            }
            open = here.map(|(k, _)| (i, k));
        }
        if let (Some((start, c)), Some((_, Part::Last | Part::Unit))) = (open, here) {
            close(&mut out, start, i + 1, c);
            open = None;
        }
    }
    if let Some((start, c)) = open {
        close(&mut out, start, labels.len(), c);
    }
    out
}

/// A corpus's tag of one word: outside any name, or the first or a later word of a person's,
/// place's or organisation's name. The corpora tag BIO; the tagger learns BILOU ([`from_bio`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Bio {
    #[default]
    Out,
    Begin(NameClass),
    Inside(NameClass),
}

impl Bio {
    /// A corpus tag (`B-PERS`, `I_ORG`, `B-LOC` …); MISC, dates and the rest are outside.
    #[must_use]
    pub fn of_tag(tag: &str) -> Self {
        let (begin, class) = match tag.get(..2) {
            Some("B-" | "B_") => (true, tag.get(2..).unwrap_or_default()),
            Some("I-" | "I_") => (false, tag.get(2..).unwrap_or_default()),
            _ => return Self::Out,
        };
        let class = match class {
            "PER" | "PERS" => NameClass::Person,
            "LOC" => NameClass::Location,
            "ORG" => NameClass::Organization,
            _ => return Self::Out,
        };
        if begin {
            Self::Begin(class)
        } else {
            Self::Inside(class)
        }
    }

    /// The class of the name the word is in.
    #[must_use]
    pub fn class(self) -> Option<NameClass> {
        match self {
            Self::Out => None,
            Self::Begin(class) | Self::Inside(class) => Some(class),
        }
    }

    /// The tag of a later piece of the same word (a token the tokeniser split): a begin goes on
    /// as an inside.
    #[must_use]
    pub fn continued(self) -> Self {
        match self {
            Self::Begin(class) => Self::Inside(class),
            other => other,
        }
    }
}

/// The labels of a BIO-tagged sequence. An inside tag after another class or an outside one (a
/// name split by tokenisation) begins a name.
#[must_use]
pub fn from_bio(tags: &[Bio]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tags.len());
    for (i, &tag) in tags.iter().enumerate() {
        let Some(class) = tag.class() else {
            out.push(0);
            continue;
        };
        let prev = i
            .checked_sub(1)
            .and_then(|p| tags.get(p))
            .copied()
            .unwrap_or_default();
        let next = tags.get(i + 1).copied().unwrap_or_default();
        let begins = matches!(tag, Bio::Begin(_)) || prev.class() != Some(class);
        let goes_on = next == Bio::Inside(class);
        let part = match (begins, goes_on) {
            (true, true) => Part::Begin,
            (true, false) => Part::Unit,
            (false, true) => Part::Inside,
            (false, false) => Part::Last,
        };
        out.push(class.label(part));
    }
    out
}

/// A training example from a text and the gold BIO tag of each of its words: the words as the
/// tagger will see them, with the hints the catalog gives them.
#[must_use]
pub fn example(
    text: &str,
    tokens: &[Token],
    hints: &[Hint],
    bio: &[Bio],
    lang: Lang,
    clusters: &Clusters,
) -> Example {
    Example {
        words: features::words(text, tokens, hints, lang, &|w| clusters.get(w)),
        labels: from_bio(bio),
    }
}

#[cfg(test)]
mod tests;
