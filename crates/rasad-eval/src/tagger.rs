//! Training the name tagger on the public corpora's train splits, and the splits themselves.
//!
//! - ANERcorp: CAMeL Lab's split. The test file is the end of the full corpus; the train split is the
//!   full file up to where the test file's first tokens begin (125,305 tokens).
//! - PEYMA: its 709 files in name order; every fifth (the 5th, 10th, …) is test, the rest train.
//!
//! The holdout mode keeps the last tenth of the train split apart as a development split, for
//! choosing features and epochs; the shipped models are trained on the whole train split and never
//! see a test sentence.

use std::path::Path;

use rasad_entities::Matcher;
use rasad_entities::tagger::clusters::{self, ClusterSettings};
use rasad_entities::tagger::{self, Clusters, Example, Tagger};
use rasad_model::Lang;
use rasad_normalize::tokenize;

use crate::corpora::{read, tagged_lines};
use crate::entities::{NerReport, score_with, tagger_only};
use crate::{EvalError, UnlabelledText, peyma_files};

/// Gold sentences: (token, tag) pairs.
pub type Sentences = Vec<Vec<(String, String)>>;

/// A corpus's train and test sentences, with the document each sentence belongs to (PEYMA's files;
/// ANERcorp marks no documents: its train sentences go by [`ANERCORP_WINDOW`], its test sentences
/// each on its own).
#[derive(Debug, Clone)]
pub struct Split {
    pub train: Sentences,
    pub test: Sentences,
    pub train_docs: Vec<usize>,
    pub test_docs: Vec<usize>,
}

/// The documents of `sentences`: runs of sentences with the same document number, their tokens
/// joined, as the pipeline sees a whole article.
#[must_use]
pub fn documents(sentences: Sentences, docs: &[usize]) -> Sentences {
    let len = sentences.len().min(docs.len());
    let mut sentences = sentences.into_iter();
    doc_runs(docs, len)
        .into_iter()
        .map(|run| sentences.by_ref().take(run.len()).flatten().collect())
        .collect()
}

/// The ranges of the first `len` items whose document numbers (`docs`) are equal and next to each
/// other: each document's sentences.
fn doc_runs(docs: &[usize], len: usize) -> Vec<std::ops::Range<usize>> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..len {
        match runs.last_mut() {
            Some(run) if docs.get(run.start) == docs.get(i) => run.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    runs
}

/// ANERcorp's text runs article after article but marks no boundaries: in training, and for the
/// cross-validation folds, windows of this many sentences stand for its articles. Its test split
/// is scored per sentence, as published, and in such windows beside.
pub const ANERCORP_WINDOW: usize = 10;

/// Consecutive sentences joined into windows of `n` ([`ANERCORP_WINDOW`]).
#[must_use]
pub fn windows(sentences: Sentences, n: usize) -> Sentences {
    let docs: Vec<usize> = (0..sentences.len()).map(|i| i / n.max(1)).collect();
    documents(sentences, &docs)
}

/// ANERcorp's CAMeL Lab split.
///
/// # Errors
/// When a file cannot be read or the test file's start is not found in the full corpus.
pub fn anercorp_split(corpora: &Path) -> Result<Split, EvalError> {
    let full_path = corpora.join("anercorp/ANERCorp_full.txt");
    let test_path = corpora.join("anercorp/ANERCorp_CamelLab_test.txt");
    let full = read(&full_path)?;
    let test = read(&test_path)?;
    let first = |line: &str| line.split_whitespace().next().map(str::to_string);
    let head: Vec<String> = test.lines().filter_map(first).take(12).collect();
    let full_tokens: Vec<Option<String>> = full.lines().map(first).collect();
    let start = (0..full_tokens.len())
        .find(|&i| {
            head.iter()
                .enumerate()
                .all(|(k, t)| full_tokens.get(i + k).and_then(Option::as_ref) == Some(t))
        })
        .ok_or_else(|| EvalError::Format {
            path: full_path.clone(),
            message: "the test split's first tokens are not in the full corpus".to_string(),
        })?;
    let train_text: String = full.lines().take(start).flat_map(|l| [l, "\n"]).collect();
    let train = tagged_lines(&train_text);
    let test = tagged_lines(&test);
    Ok(Split {
        train_docs: (0..train.len()).map(|i| i / ANERCORP_WINDOW).collect(),
        test_docs: (0..test.len()).collect(),
        train,
        test,
    })
}

/// PEYMA's fixed split: every fifth file in name order is test.
///
/// # Errors
/// When the folder or a file cannot be read.
pub fn peyma_split(corpora: &Path) -> Result<Split, EvalError> {
    let mut split = Split {
        train: Vec::new(),
        test: Vec::new(),
        train_docs: Vec::new(),
        test_docs: Vec::new(),
    };
    for (i, sentences) in peyma_files(&corpora.join("peyma/300K"))?.into_iter().enumerate() {
        let (part, docs) = if i % 5 == 4 {
            (&mut split.test, &mut split.test_docs)
        } else {
            (&mut split.train, &mut split.train_docs)
        };
        docs.extend(std::iter::repeat_n(i, sentences.len()));
        part.extend(sentences);
    }
    Ok(split)
}

/// A gold sentence as the tagger sees it: the tokens joined by spaces, re-tokenised by
/// `rasad-normalize` (punctuation tokens vanish, a token may split), each word labelled by the gold
/// token it falls in (a B label's later pieces become I).
#[must_use]
pub fn to_example(sentence: &[(String, String)], lang: Lang, clusters: &Clusters) -> Example {
    let mut text = String::new();
    let mut gold = Vec::with_capacity(sentence.len());
    for (token, tag) in sentence {
        if !text.is_empty() {
            text.push(' ');
        }
        gold.push((text.len(), text.len() + token.len(), tagger::Bio::of_tag(tag)));
        text.push_str(token);
    }
    let tokens = tokenize(&text);
    let mut labels = Vec::with_capacity(tokens.len());
    let mut last_gold = usize::MAX;
    for token in &tokens {
        let found = gold
            .iter()
            .position(|(s, e, _)| *s <= token.span.start && token.span.start < *e);
        let label = match found.and_then(|g| gold.get(g).map(|x| (g, x.2))) {
            Some((g, label)) => {
                // The second piece of a B token continues the name.
                let piece = g == last_gold;
                last_gold = g;
                if piece { label.continued() } else { label }
            }
            None => tagger::Bio::Out,
        };
        labels.push(label);
    }
    let hints = Matcher::builtin().hints(&text, &tokens, lang);
    tagger::example(&text, &tokens, &hints, &labels, lang, clusters)
}

/// How a tagger is trained: passes over the data, runs averaged into the model (each reading the
/// sentences in its own order), and the weight below which a feature is left out of the file.
#[derive(Debug, Clone, Copy)]
pub struct TrainSettings {
    pub epochs: usize,
    pub runs: usize,
    pub prune: f32,
    /// For Arabic, learn a lexicon from every this-many-th SaudiNewsNet article tagged by a first
    /// model ([`tagger::Lexicon`]); 0 for none.
    pub lexicon_step: usize,
}

/// What a tagger is trained with beside its corpus.
#[derive(Debug, Clone, Copy)]
pub struct Resources<'a> {
    /// The word clusters the model reads.
    pub clusters: &'a Clusters,
    /// A lexicon read as it is, when the model learns none of its own (Persian without text of
    /// its own reads the Arabic one).
    pub lexicon: &'a tagger::Lexicon,
    /// Unlabelled articles in the language (`--text`): a first model tags them for the model's
    /// own lexicon (for Arabic, beside SaudiNewsNet's).
    pub text: &'a UnlabelledText,
}

/// What one training run did.
#[derive(Debug, Clone)]
pub struct TrainRun {
    pub lang: Lang,
    /// The model file's text.
    pub model: String,
    /// The lexicon file's text, when the model reads one.
    pub lexicon: Option<String>,
    /// Scores with the new model (catalog plus tagger) on the split it was scored on.
    pub report: NerReport,
    /// Scores of the tagger's own names (the catalog's only as hints).
    pub alone: NerReport,
    pub train_sentences: usize,
    pub scored_on: &'static str,
}

/// What a training run is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoredOn {
    /// The test split; the model is trained on the whole train split.
    Test,
    /// One of `of` contiguous parts of the train split (`index` from 0), the model trained on the
    /// others: for choosing features and settings without touching test. The tenth of ten is the
    /// holdout dev split.
    Fold { index: usize, of: usize },
}

/// Trains one language's model and scores it where `scored_on` says.
///
/// # Errors
/// When a corpus cannot be read.
pub fn train_tagger(
    corpora: &Path,
    lang: Lang,
    resources: Resources<'_>,
    settings: TrainSettings,
    scored_on: ScoredOn,
) -> Result<TrainRun, EvalError> {
    let split = corpus_split(corpora, lang)?;
    let news = lexicon_news(corpora, lang, settings.lexicon_step, resources.text)?;
    train_on(
        lang,
        resources,
        settings,
        scored_on,
        (split.0, &split.1),
        (&news.0, &news.1),
    )
}

/// Cross-validates a language's tagger on its train split: `folds` runs, each scored on one
/// contiguous part and trained on the rest, the split read once. Returns the counts pooled over
/// the folds: catalog plus tagger, and the tagger alone.
///
/// # Errors
/// When a corpus cannot be read.
pub fn cross_validate(
    corpora: &Path,
    lang: Lang,
    resources: Resources<'_>,
    settings: TrainSettings,
    folds: usize,
) -> Result<(NerReport, NerReport), EvalError> {
    let (corpus, split) = corpus_split(corpora, lang)?;
    // Read once, not once per fold.
    let news = lexicon_news(corpora, lang, settings.lexicon_step, resources.text)?;
    let of = folds.max(2);
    let mut pooled: Option<(NerReport, NerReport)> = None;
    for index in 0..of {
        let on = ScoredOn::Fold { index, of };
        let run = train_on(
            lang,
            resources,
            settings,
            on,
            (corpus, &split),
            (&news.0, &news.1),
        )?;
        match pooled.as_mut() {
            Some((report, alone)) => {
                report.add(&run.report);
                alone.add(&run.alone);
            }
            None => pooled = Some((run.report, run.alone)),
        }
    }
    Ok(pooled.unwrap_or_default())
}

/// A language's corpus name and split.
fn corpus_split(corpora: &Path, lang: Lang) -> Result<(&'static str, Split), EvalError> {
    Ok(match lang {
        Lang::Fa => ("peyma", peyma_split(corpora)?),
        _ => ("anercorp", anercorp_split(corpora)?),
    })
}

/// The unlabelled news a language's lexicon is learnt from, and what it is: for Arabic every
/// `step`-th SaudiNewsNet article, and for either language the text given (`--text`); none when
/// `step` is 0. Persian given no text reads the Arabic lexicon as it is.
fn lexicon_news(
    corpora: &Path,
    lang: Lang,
    step: usize,
    text: &UnlabelledText,
) -> Result<(Vec<String>, String), EvalError> {
    if step == 0 {
        return Ok((Vec::new(), String::new()));
    }
    let mut news = if lang == Lang::Ar {
        lexicon_corpus(corpora, step)?
    } else {
        Vec::new()
    };
    let mut parts = Vec::new();
    match news.len() {
        0 => {}
        n if step == 1 => parts.push(format!("all {n} SaudiNewsNet articles")),
        n => parts.push(format!("{n} (every {step}th) of the SaudiNewsNet articles")),
    }
    if !text.articles.is_empty() {
        parts.push(format!(
            "{} articles of unlabelled text ({})",
            text.articles.len(),
            text.origin
        ));
        news.extend(text.articles.iter().cloned());
    }
    Ok((news, parts.join(" and ")))
}

/// [`train_tagger`] on a split already read; `news` is [`lexicon_news`]'s.
fn train_on(
    lang: Lang,
    resources: Resources<'_>,
    settings: TrainSettings,
    scored_on: ScoredOn,
    (corpus, split): (&'static str, &Split),
    (news, news_source): (&[String], &str),
) -> Result<TrainRun, EvalError> {
    let TrainSettings {
        epochs, runs, prune, ..
    } = settings;
    let Resources {
        clusters, lexicon, ..
    } = resources;
    let holdout = scored_on != ScoredOn::Test;
    let (train, train_docs, scored, scored_on) = match scored_on {
        ScoredOn::Fold { index, of } => {
            let of = of.max(2);
            let n = split.train.len();
            let (from, to) = (n * index.min(of - 1) / of, n * (index.min(of - 1) + 1) / of);
            let mut train = split.train.clone();
            let mut train_docs = split.train_docs.clone();
            let dev: Sentences = train.drain(from..to).collect();
            train_docs.drain(from..to);
            let dev = documents(dev, split.train_docs.get(from..to).unwrap_or_default());
            let label = if index + 1 == of && of == 10 {
                "dev (last tenth of train)"
            } else {
                "a cross-validation fold of train"
            };
            (train, train_docs, dev, label)
        }
        ScoredOn::Test => (
            split.train.clone(),
            split.train_docs.clone(),
            documents(split.test.clone(), &split.test_docs),
            "test",
        ),
    };
    let examples: Vec<Example> = train.iter().map(|s| to_example(s, lang, clusters)).collect();
    let tokens: usize = train.iter().map(Vec::len).sum();
    let marks_documents = train_docs.windows(2).any(|w| w.first() == w.get(1));
    let header = format!(
        "rasad name tagger, {lang_name}: structured averaged perceptron (Viterbi), {epochs} epochs, {runs} runs averaged, {clustered} clustered words.\n\
         Trained by `rasad train tagger` on {corpus}'s train split ({sentences} sentences, {tokens} tokens{held});\n\
         {passes}\n\
         {split_note}\n\
         {lexicon_note}\n\
         Never trained on a test sentence. Weights rounded to 3 decimals; features whose weights all stay below {prune} in magnitude left out.",
        lang_name = if lang == Lang::Fa { "Persian" } else { "Arabic" },
        sentences = train.len(),
        clustered = clusters.len(),
        held = if holdout { ", last tenth held out" } else { "" },
        passes = if marks_documents {
            if lang == Lang::Fa {
                "Two passes: the second reads the first's labels of each word's other occurrences in the document (a PEYMA file),\nlearnt from 5 jackknifed parts of train; every second sentence sees only itself."
            } else {
                "Two passes: the second reads the first's labels of each word's other occurrences in the document (ANERcorp marks none:\nwindows of ten sentences), learnt from 5 jackknifed parts of train; every second sentence sees only itself."
            }
        } else {
            "One pass (no documents)."
        },
        split_note = if lang == Lang::Fa {
            "PEYMA split: files in name order, every fifth file is test."
        } else {
            "ANERcorp split: CAMeL Lab's (the full corpus up to the test file's start)."
        },
        lexicon_note = if !news.is_empty() {
            format!(
                "Reads lexicon-{code}.tsv (what a first model said of each word across {news_source}),\nwritten with it; train sentences read the lexicons of the 5 jackknifed models that never saw them.",
                code = lang.code()
            )
        } else if !lexicon.is_empty() {
            "Reads the Arabic lexicon, lexicon-ar.tsv (what the Arabic first model said of each word across SaudiNewsNet).".to_string()
        } else {
            "Reads no lexicon.".to_string()
        },
    );
    let bad = |source: rasad_entities::EntityError| EvalError::Trained { corpus, source };
    // The model learns to read a first pass's labels of each word's other occurrences in its
    // document (PEYMA's files, ANERcorp's windows), from models that never saw that document, and
    // tags in two passes. 5-fold CV, catalog plus tagger: PEYMA 0.762 to 0.766; ANERcorp scored in
    // windows 0.749 to 0.756, per sentence 0.746 to 0.745. A separate first-pass model did no
    // better.
    let mut examples = examples;
    // A lexicon of what a first model says of each word across the unlabelled news; the train
    // sentences read the lexicon of a model that never saw them (the jackknife's), the shipped
    // tagger that of a model trained on all of train. The first model reads the examples before
    // any document view or lexicon is given them.
    let first = (!news.is_empty()).then(|| tagger::train(&examples, epochs, 1, prune, ""));
    if marks_documents {
        let jack = jackknife(&examples, &train_docs, epochs, prune, 5).map_err(bad)?;
        set_documents(&mut examples, &train_docs, &jack.predicted);
        if !news.is_empty() {
            for (f, model) in jack.models.iter().enumerate() {
                let lexicon = count_lexicon(model, lang, clusters, news).map_err(bad)?.lexicon();
                for (i, e) in examples.iter_mut().enumerate() {
                    if jack.fold.get(i) == Some(&f) {
                        tagger::set_lexicon(std::slice::from_mut(e), &lexicon);
                    }
                }
            }
        }
    }
    let (lexicon, lexicon_file) = match &first {
        Some(first) => {
            let counts = count_lexicon(first, lang, clusters, news).map_err(bad)?;
            let header = format!(
                "rasad tagger lexicon, {lang}: per folded word, occurrences and how many a first model (one pass, trained\n\
                 by `rasad train tagger` on {corpus}'s train split, {epochs} epochs) tagged inside a person's, a place's and an\n\
                 organisation's name, in {news_source} (no test text). Words seen at least {min} times\n\
                 and inside a name at least {share} of the time. Format: word, occurrences, person, place, organisation.",
                lang = lang.code(),
                min = tagger::lexicon::MIN_COUNT,
                share = tagger::lexicon::MIN_SHARE,
            );
            (counts.lexicon(), Some(counts.to_file(&header)))
        }
        // A lexicon given (Persian reads the Arabic one: the two scripts share their folded
        // keys, and foreign names are written alike) is read as it is, in training as in tagging.
        None => (lexicon.clone(), None),
    };
    if first.is_none() || !marks_documents {
        tagger::set_lexicon(&mut examples, &lexicon);
    }
    let mut model = tagger::train(&examples, epochs, runs, prune, &header);
    let tagger = Tagger::new(lang, &model, clusters.clone())
        .map_err(bad)?
        .with_lexicon(lexicon);
    let matcher = Matcher::builtin();
    let report = score_with(corpus, lang, scored.clone(), &|text, lang| {
        matcher.extract_with(text, lang, Some(&tagger))
    });
    let alone = score_with(corpus, lang, scored.clone(), &|text, lang| {
        tagger_only(matcher, &tagger, text, lang)
    });
    let micro = report.micro();
    let per = report.exact.first().copied().unwrap_or_default();
    model = model.replacen(
        "# labels:",
        &format!(
            "# Score on {scored_on}, exact spans, catalog plus tagger: micro PER/LOC/ORG F1 {:.3} (P {:.3} R {:.3}), persons F1 {:.3}.\n# labels:",
            micro.f1(),
            micro.precision(),
            micro.recall(),
            per.f1()
        ),
        1,
    );
    Ok(TrainRun {
        lang,
        model,
        lexicon: lexicon_file,
        report,
        alone,
        train_sentences: train.len(),
        scored_on,
    })
}

/// Each example's labels from a model that never saw its document: the examples' documents are
/// cut into `folds` contiguous parts, and each part is tagged by a model trained on the others.
///
/// # Errors
/// When a fold's model does not parse (it is the trainer's own output).
pub fn jackknife(
    examples: &[Example],
    docs: &[usize],
    epochs: usize,
    prune: f32,
    folds: usize,
) -> Result<Jackknife, rasad_entities::EntityError> {
    let folds = folds.max(2);
    // Each example's fold, by its document's rank.
    let runs = doc_runs(docs, examples.len());
    let mut fold = vec![0; examples.len()];
    for (rank, run) in runs.iter().enumerate() {
        for slot in fold.get_mut(run.clone()).unwrap_or_default() {
            *slot = rank * folds / runs.len();
        }
    }
    let fold_of = |i: usize| fold.get(i).copied().unwrap_or(0);
    let mut out = vec![Vec::new(); examples.len()];
    let mut models = Vec::with_capacity(folds);
    for f in 0..folds {
        let rest: Vec<Example> = examples
            .iter()
            .enumerate()
            .filter(|(i, _)| fold_of(*i) != f)
            .map(|(_, e)| e.clone())
            .collect();
        let text = tagger::train(&rest, epochs, 1, prune, "");
        let model = tagger::Model::parse(&text)?;
        for (i, e) in examples.iter().enumerate() {
            if fold_of(i) == f
                && let Some(slot) = out.get_mut(i)
            {
                *slot = model.predict(e);
            }
        }
        models.push(text);
    }
    Ok(Jackknife {
        predicted: out,
        models,
        fold,
    })
}

/// What [`jackknife`] gives: each example's labels from a model that never saw its document, the
/// fold models' files, and each example's fold.
#[derive(Debug, Clone)]
pub struct Jackknife {
    pub predicted: Vec<Vec<u8>>,
    pub models: Vec<String>,
    pub fold: Vec<usize>,
}

/// The unlabelled news a lexicon is learnt from: every `step`-th SaudiNewsNet article's text.
///
/// # Errors
/// When the corpus cannot be read.
pub fn lexicon_corpus(corpora: &Path, step: usize) -> Result<Vec<String>, EvalError> {
    Ok(crate::saudinewsnet(corpora, usize::MAX)?
        .into_iter()
        .step_by(step.max(1))
        .map(|d| d.body)
        .collect())
}

/// What the model of `model_file` says of each word of `texts` (two threads).
///
/// # Errors
/// When the model file does not parse (it is the trainer's own output).
pub fn count_lexicon(
    model_file: &str,
    lang: Lang,
    clusters: &Clusters,
    texts: &[String],
) -> Result<tagger::LexiconCounts, rasad_entities::EntityError> {
    let tagger = Tagger::new(lang, model_file, clusters.clone())?;
    let matcher = Matcher::builtin();
    let half = texts.len().div_ceil(2).max(1);
    let parts: Vec<tagger::LexiconCounts> = std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .chunks(half)
            .map(|chunk| {
                let tagger = &tagger;
                scope.spawn(move || {
                    let mut counts = tagger::LexiconCounts::default();
                    for text in chunk {
                        let tokens = tokenize(text);
                        let hints = matcher.hints(text, &tokens, lang);
                        tagger.count_into(&mut counts, text, &tokens, &hints);
                    }
                    counts
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut all = tagger::LexiconCounts::default();
    for part in parts {
        all.merge(part);
    }
    Ok(all)
}

/// Gives the examples of each document (runs of the same number in `docs`) the first pass's view
/// of the document.
pub fn set_documents(examples: &mut [Example], docs: &[usize], predicted: &[Vec<u8>]) {
    for run in doc_runs(docs, examples.len()) {
        if let (Some(part), Some(labels)) = (examples.get_mut(run.clone()), predicted.get(run.clone())) {
            tagger::set_document(part, labels);
        }
        // Every second sentence sees only itself, as a lone sentence or headline is tagged, so
        // that the model does not come to need a document (ANERcorp 5-fold CV, dev scored per
        // sentence: 0.746 with one pass, 0.745 so, 0.742 with every third sentence alone).
        for j in run.filter(|j| j % 2 == 0) {
            if let (Some(part), Some(labels)) = (examples.get_mut(j..=j), predicted.get(j..=j)) {
                tagger::set_document(part, labels);
            }
        }
    }
}

/// The unlabelled text the word clusters of a language are learnt from, as sentences of folded
/// words: for Arabic, SaudiNewsNet's articles and ANERcorp's train split; for Persian, PEYMA's train
/// files; and for either, the `extra` text given (`rasad train clusters --text`), each of its
/// lines a sentence. Never a test sentence of the shared corpora. Returns the sentences and a line
/// saying what they are.
///
/// # Errors
/// When a corpus cannot be read.
pub fn cluster_text(
    corpora: &Path,
    lang: Lang,
    extra: &UnlabelledText,
) -> Result<(Vec<Vec<String>>, String), EvalError> {
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut add = |text: &str| {
        let keys: Vec<String> = tokenize(text).into_iter().map(|t| t.key).collect();
        if !keys.is_empty() {
            sentences.push(keys);
        }
    };
    let words = |s: &[(String, String)]| s.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ");
    let source = match lang {
        Lang::Fa => {
            for s in &peyma_split(corpora)?.train {
                add(&words(s));
            }
            "PEYMA's train files (the test files never)"
        }
        _ => {
            let articles = crate::saudinewsnet(corpora, usize::MAX)?;
            for doc in &articles {
                for line in doc.body.lines() {
                    add(line);
                }
            }
            for s in &anercorp_split(corpora)?.train {
                add(&words(s));
            }
            "SaudiNewsNet's 31,030 articles and ANERcorp's train split (its test split never)"
        }
    };
    for line in extra.articles.iter().flat_map(|a| a.lines()) {
        add(line);
    }
    let source = if extra.articles.is_empty() {
        source.to_string()
    } else {
        format!(
            "{source},\nand {} lines of unlabelled text in {} files ({})",
            extra.lines(),
            extra.files,
            extra.origin
        )
    };
    Ok((sentences, source))
}

/// Learns a language's word clusters from its corpora and the `extra` text; returns the cluster
/// file's text.
///
/// # Errors
/// When the settings are refused ([`ClusterSettings::check`], before any text is read) or a
/// corpus cannot be read.
pub fn train_clusters(
    corpora: &Path,
    lang: Lang,
    settings: ClusterSettings,
    extra: &UnlabelledText,
) -> Result<String, EvalError> {
    settings.check().map_err(EvalError::Settings)?;
    let (sentences, source) = cluster_text(corpora, lang, extra)?;
    let tokens: usize = sentences.iter().map(Vec::len).sum();
    let header = format!(
        "rasad word clusters, {lang}: predictive exchange clustering, {classes} classes, {passes} passes at most,\n\
         words seen at least {min} times; learnt by `rasad train clusters` from {source}\n\
         ({n} lines, {tokens} words). Format: folded word, then per clustering<TAB>class by the next word<TAB>class by the previous word.",
        lang = lang.code(),
        classes = settings
            .classes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" / "),
        passes = settings.passes,
        min = settings.min_count,
        n = sentences.len(),
    );
    Ok(clusters::learn(
        sentences.iter().map(|s| s.iter().map(String::as_str).collect()),
        settings,
        &header,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_model_that_does_not_read_back_names_its_corpus_not_a_path() {
        let source = tagger::Model::parse("w=x\t1 2").unwrap_err();
        let err = EvalError::Trained {
            corpus: "PEYMA",
            source,
        };
        let message = err.to_string();
        assert!(
            message.starts_with("the tagger trained on PEYMA does not read back: "),
            "{message}"
        );
        assert!(message.contains("not a weight per label"), "{message}");
    }

    #[test]
    fn documents_are_runs_of_equal_numbers() {
        assert_eq!(doc_runs(&[3, 3, 1, 3, 3, 3], 6), vec![0..2, 2..3, 3..6]);
        assert_eq!(doc_runs(&[3, 3, 1], 2), vec![0..2]);
        assert!(doc_runs(&[], 0).is_empty());
        let s = |w: &str| vec![(w.to_string(), "O".to_string())];
        let joined = documents(vec![s("a"), s("b"), s("c"), s("d")], &[0, 0, 1, 0]);
        assert_eq!(joined, vec![[s("a"), s("b")].concat(), s("c"), s("d")]);
        assert_eq!(windows(vec![s("a"), s("b"), s("c")], 2).len(), 2);
    }

    #[test]
    fn the_text_given_is_learnt_from_after_the_corpus() {
        let Some(corpora) = crate::find_corpora(None) else {
            eprintln!("skipped: corpora not found");
            return;
        };
        let (plain, source) = cluster_text(&corpora, Lang::Fa, &UnlabelledText::default()).unwrap();
        assert!(!source.contains("unlabelled"), "{source}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("news.jsonl");
        std::fs::write(
            &file,
            "{\"title\": \"ناتو حمله سایبری را محکوم کرد\", \"text\": \"تیرانا\\nتیرانا\"}\n",
        )
        .unwrap();
        let extra = crate::read_unlabelled(&[file]);
        let (with, source) = cluster_text(&corpora, Lang::Fa, &extra).unwrap();
        // The corpus first, as before, then each of the text's lines once (keys, folded).
        assert_eq!(with.len(), plain.len() + 2);
        assert_eq!(with.get(..plain.len()), Some(&plain[..]));
        assert_eq!(with.last().map(Vec::len), Some(1));
        assert_eq!(with.get(plain.len()).map(Vec::len), Some(6));
        assert!(
            source.contains("2 lines of unlabelled text in 1 files"),
            "{source}"
        );
    }

    #[test]
    fn cluster_settings_are_refused_before_any_text_is_read() {
        let settings = |classes: Vec<usize>| ClusterSettings {
            classes,
            min_count: 2,
            passes: 1,
        };
        // The corpora folder does not exist: a refusal, not a read error, says the settings were
        // checked first.
        let nowhere = Path::new("/nonexistent/corpora");
        for classes in [vec![], vec![64, 1], vec![8, 8, 8, 8]] {
            let err = train_clusters(
                nowhere,
                Lang::Fa,
                settings(classes.clone()),
                &UnlabelledText::default(),
            )
            .unwrap_err();
            assert!(matches!(err, EvalError::Settings(_)), "{classes:?}: {err}");
        }
        let err = train_clusters(
            nowhere,
            Lang::Fa,
            settings(vec![64, 16]),
            &UnlabelledText::default(),
        )
        .unwrap_err();
        assert!(!matches!(err, EvalError::Settings(_)), "{err}");
    }
}
