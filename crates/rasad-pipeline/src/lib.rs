//! The analysis pipeline: a raw document goes through an ordered list of stages, each a small
//! [`Stage`], and comes out as an [`AnalyzedArticle`]. The order of stages is [`Pipeline::standard`],
//! the one place that lists them.
//!
//! Stages do no IO and never fail: a problem with one article becomes a diagnostic on it.

mod published;
mod stages;

pub use published::normalize_published;
pub use stages::{Clean, Dates, Entities, Events, Identify, LangId, Publication, Quotes};

use chrono::{DateTime, NaiveDate, Utc};
use rasad_ingest::RawDocument;
use rasad_model::{Analysis, AnalyzedArticle, Article, ArticleId, Boilerplate, Lang};

/// Settings that apply to a whole run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The day relative dates resolve against when an article's own date is unknown.
    pub reference_date: Option<NaiveDate>,
    /// The ingest time stamped on articles; `None` means now.
    pub now: Option<DateTime<Utc>>,
}

/// An article while it moves through the stages.
#[derive(Debug, Clone)]
pub struct Document {
    /// What ingest read: body and metadata (its original bytes have moved to `article.original`).
    pub raw: RawDocument,
    /// The article being built; the clean stage fills its text first.
    pub article: Article,
    pub analysis: Analysis,
    pub diagnostics: Vec<String>,
    /// Publication times the input and the page declare, most trusted first (filled by cleaning,
    /// judged by the publication stage).
    pub published: Vec<String>,
}

/// One step of analysis. Implementations read what earlier stages left in the document and add
/// their own part; they must not panic on any input.
pub trait Stage: Send + Sync + std::fmt::Debug {
    /// A short name for logs and timings.
    fn name(&self) -> &'static str;
    fn run(&self, doc: &mut Document, options: &Options);
    /// Whether the article's identity (outlet, title, cleaned text) is settled once this stage has
    /// run, so that a stored article can be recognised before the costly stages.
    fn settles_identity(&self) -> bool {
        false
    }
}

/// The ordered stages.
#[derive(Debug)]
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    options: Options,
}

impl Pipeline {
    /// rasad's stages, in order.
    #[must_use]
    pub fn standard(options: Options) -> Self {
        let stages: Vec<Box<dyn Stage>> = vec![
            Box::new(Clean),
            Box::new(LangId::default()),
            Box::new(Publication),
            Box::new(Dates),
            Box::new(Entities),
            Box::new(Quotes),
            Box::new(Events),
            // No `Identify` stage: cleaning settles outlet, title and text, and `analyze_unless`
            // derives the id right after it (it was derived a second time, identically, at the end).
        ];
        Self { stages, options }
    }

    #[must_use]
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage over one raw document.
    #[must_use]
    pub fn analyze(&self, raw: RawDocument) -> AnalyzedArticle {
        self.analyze_unless(raw, &mut |_| false).0
    }

    /// [`Pipeline::analyze_unless`] over many documents on one thread per checker in `known`
    /// (each thread asks its own checker, so a checker may hold a connection of its own). The
    /// threads take the documents one at a time, and the results come back in the input's order:
    /// the output is the same as one thread's.
    pub fn analyze_parallel<K>(&self, raws: Vec<RawDocument>, known: &mut [K]) -> Vec<(AnalyzedArticle, bool)>
    where
        K: FnMut(&ArticleId) -> bool + Send,
    {
        let workers = known.len().max(1).min(raws.len().max(1));
        if workers <= 1 || known.is_empty() {
            let mut none = |_: &ArticleId| false;
            let check: &mut dyn FnMut(&ArticleId) -> bool = match known.first_mut() {
                Some(k) => k,
                None => &mut none,
            };
            return raws
                .into_iter()
                .map(|raw| self.analyze_unless(raw, check))
                .collect();
        }
        // Each thread takes the next document not yet taken, so one long article does not hold
        // up a thread's whole share while the others wait; results are put back in input order.
        let n = raws.len();
        let queue = std::sync::Mutex::new(raws.into_iter().enumerate());
        let mut done: Vec<Option<(AnalyzedArticle, bool)>> =
            std::iter::repeat_with(|| None).take(n).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = known
                .iter_mut()
                .take(workers)
                .map(|check| {
                    let queue = &queue;
                    scope.spawn(move || {
                        let mut mine = Vec::new();
                        // The lock is held only to take the next document, not while analysing it.
                        let take = || {
                            queue
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .next()
                        };
                        while let Some((i, raw)) = take() {
                            mine.push((i, self.analyze_unless(raw, check)));
                        }
                        mine
                    })
                })
                .collect();
            for handle in handles {
                match handle.join() {
                    Ok(mine) => {
                        for (i, result) in mine {
                            if let Some(slot) = done.get_mut(i) {
                                *slot = Some(result);
                            }
                        }
                    }
                    // A stage never panics on input (fuzzed and property-tested); should one, the
                    // panic is the caller's, as it would be on one thread.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
        done.into_iter().flatten().collect()
    }

    /// Runs the stages over one raw document unless `known` says its id is already stored: then
    /// the analysis stops as soon as the identity is settled (after cleaning) and the second value
    /// is `true`; the article then has its id, source, outlet, title and text, and no analysis.
    /// Re-ingesting a file costs a read and a clean per article, not an analysis.
    pub fn analyze_unless(
        &self,
        mut raw: RawDocument,
        known: &mut dyn FnMut(&ArticleId) -> bool,
    ) -> (AnalyzedArticle, bool) {
        let _span = tracing::debug_span!("document", source = %raw.source).entered();
        let now = self.options.now.unwrap_or_else(Utc::now);
        let article = Article {
            id: ArticleId::from_string(String::new()),
            source: raw.source.clone(),
            format: raw.format,
            url: raw.meta.url.clone(),
            outlet: raw.meta.outlet.clone(),
            provenance: raw.meta.provenance.clone(),
            lang: Lang::Und,
            lang_confidence: 0.0,
            title: None,
            text: String::new(),
            paragraphs: Vec::new(),
            published: None,
            ingested_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            boilerplate: Boilerplate::default(),
            // The bytes move to the article; no stage reads them from the raw document.
            original: std::mem::take(&mut raw.original),
        };
        // What reading noticed (replaced bytes, a placeholder date) comes first among the diagnostics.
        let diagnostics = std::mem::take(&mut raw.meta.notes);
        let mut doc = Document {
            raw,
            article,
            analysis: Analysis::default(),
            diagnostics,
            published: Vec::new(),
        };
        let mut stored = false;
        for stage in &self.stages {
            let _span = tracing::trace_span!("stage", name = stage.name()).entered();
            stage.run(&mut doc, &self.options);
            if stage.settles_identity() {
                let a = &mut doc.article;
                a.id = ArticleId::derive(a.outlet.as_deref(), a.title.as_deref(), &a.text);
                if known(&a.id) {
                    stored = true;
                    break;
                }
            }
        }
        (
            AnalyzedArticle {
                article: doc.article,
                analysis: doc.analysis,
                diagnostics: doc.diagnostics,
            },
            stored,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_article_is_recognised_before_the_costly_stages() {
        let pipeline = Pipeline::standard(Options::default());
        let doc = || {
            let text =
                "Albania cut diplomatic ties with Iran over the July cyberattack, and NATO condemned it.";
            raw(text, SourceFormat::Text, Metadata::default())
        };
        let full = pipeline.analyze(doc());
        assert!(!full.analysis.entities.is_empty());
        let mut asked = Vec::new();
        let (again, stored) = pipeline.analyze_unless(doc(), &mut |id| {
            asked.push(id.clone());
            true
        });
        assert!(stored);
        assert_eq!(asked, vec![full.article.id.clone()]);
        assert_eq!(again.article.id, full.article.id);
        // Nothing after cleaning ran.
        assert!(again.analysis.entities.is_empty());
        let (fresh, stored) = pipeline.analyze_unless(doc(), &mut |_| false);
        assert!(!stored);
        assert_eq!(fresh.analysis.entities.len(), full.analysis.entities.len());
    }
    #[test]
    fn many_threads_give_what_one_thread_gives_in_the_same_order() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let pipeline = Pipeline::standard(Options {
            reference_date: None,
            now: Some(now),
        });
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        let mut bodies: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        bodies.sort();
        bodies.push("Hackers hit Saudi Aramco; Iran denied it.".into());
        bodies.push(String::new());
        let docs = || -> Vec<RawDocument> {
            bodies
                .iter()
                .map(|b| raw(b, SourceFormat::Text, Metadata::default()))
                .collect()
        };
        let json = |out: Vec<(AnalyzedArticle, bool)>| -> Vec<String> {
            out.iter()
                .map(|(a, _)| serde_json::to_string(a).unwrap())
                .collect()
        };
        let mut one = [|_: &ArticleId| false];
        let single = json(pipeline.analyze_parallel(docs(), &mut one));
        assert_eq!(single.len(), bodies.len());
        for n in [2, 3, 7, 20] {
            let mut known: Vec<_> = (0..n).map(|_| |_: &ArticleId| false).collect();
            assert_eq!(
                json(pipeline.analyze_parallel(docs(), &mut known)),
                single,
                "{n} threads"
            );
        }
        // Each thread asks its own checker; a known article is not analysed.
        let mut stored = [|_: &ArticleId| true, |_: &ArticleId| true];
        let out = pipeline.analyze_parallel(docs(), &mut stored);
        assert!(
            out.iter()
                .all(|(a, known)| *known && a.analysis.entities.is_empty())
        );
    }

    use proptest::prelude::*;
    use rasad_ingest::Metadata;
    use rasad_model::{DateRole, SourceFormat};

    fn raw(body: &str, format: SourceFormat, meta: Metadata) -> RawDocument {
        RawDocument {
            source: "t".into(),
            format,
            original: body.as_bytes().to_vec(),
            body: body.into(),
            meta,
        }
    }

    #[test]
    fn a_text_article_is_cleaned_identified_and_given_an_id() {
        let pipeline = Pipeline::standard(Options::default());
        let out = pipeline.analyze(raw(
            "الناتو يدعم ألبانيا\nقطعت ألبانيا العلاقات الدبلوماسية مع طهران.",
            SourceFormat::Text,
            Metadata::default(),
        ));
        let a = &out.article;
        assert_eq!(a.title.as_deref(), Some("الناتو يدعم ألبانيا"));
        assert_eq!(a.lang, Lang::Ar);
        assert_eq!(a.id.as_str().len(), 32);
        assert_eq!(
            a.id,
            ArticleId::derive(a.outlet.as_deref(), a.title.as_deref(), &a.text),
            "the id is that of the final outlet, title and text"
        );
        assert_eq!(a.published, None, "nothing says when it was published");
        assert_eq!(a.paragraphs.len(), 1);
    }

    #[test]
    fn metadata_fills_title_outlet_and_publication() {
        let meta = Metadata {
            title: Some("Albania cuts ties with Iran".into()),
            url: Some("https://www.example.com/world/1".into()),
            published: Some("2022-09-07 10:00:00".into()),
            outlet: None,
            language: Some("en".into()),
            ..Metadata::default()
        };
        let out = Pipeline::standard(Options::default()).analyze(raw(
            "Albania cut diplomatic ties with Iran on Wednesday.",
            SourceFormat::Jsonl,
            meta,
        ));
        assert_eq!(out.article.title.as_deref(), Some("Albania cuts ties with Iran"));
        assert_eq!(out.article.outlet.as_deref(), Some("example.com"));
        assert_eq!(out.article.published.as_deref(), Some("2022-09-07T10:00:00"));
        assert_eq!(
            out.article.text,
            "Albania cut diplomatic ties with Iran on Wednesday."
        );
    }

    #[test]
    fn a_malformed_metadata_date_is_a_diagnostic_not_a_guess() {
        let meta = Metadata {
            published: Some("32/13/2022".into()),
            ..Metadata::default()
        };
        let out = Pipeline::standard(Options::default()).analyze(raw("x y z", SourceFormat::Jsonl, meta));
        assert_eq!(out.article.published, None);
        assert!(
            out.diagnostics.iter().any(|d| d.contains("32/13/2022")),
            "{:?}",
            out.diagnostics
        );
    }

    #[test]
    fn a_page_declares_its_url_and_date_and_placeholders_are_passed_over() {
        let page = r#"<html lang="en"><head><title>Albania cuts ties</title>
<link rel="canonical" href="https://news.example/world/albania-iran">
<meta property="article:published_time" content="0001-01-01T00:00:00Z">
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-09-07T10:00:00+0000"}</script>
</head><body><article><p>Albania cut diplomatic ties with Iran on Wednesday over a cyberattack in July that
crippled government websites and services, the prime minister said in a video statement.</p></article></body></html>"#;
        let out = Pipeline::standard(Options::default()).analyze(raw(
            page,
            SourceFormat::Html,
            Metadata::default(),
        ));
        assert_eq!(
            out.article.url.as_deref(),
            Some("https://news.example/world/albania-iran")
        );
        assert_eq!(out.article.outlet.as_deref(), Some("news.example"));
        assert_eq!(out.article.published.as_deref(), Some("2022-09-07T10:00:00Z"));
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.contains("0001-01-01T00:00:00Z") && d.contains("placeholder")),
            "{:?}",
            out.diagnostics
        );
        // A date the input gave (a feed item's) wins over the page's.
        let meta = Metadata {
            published: Some("2022-09-08T06:00:00Z".into()),
            url: Some("https://feed.example/item".into()),
            ..Metadata::default()
        };
        let out = Pipeline::standard(Options::default()).analyze(raw(page, SourceFormat::Html, meta));
        assert_eq!(out.article.published.as_deref(), Some("2022-09-08T06:00:00Z"));
        assert_eq!(out.article.url.as_deref(), Some("https://feed.example/item"));
    }

    /// A page header giving the day in both calendars (8 September 2022 was a Thursday, 12 Safar 1444).
    const PAGE_HEADER: &str = "عاجل\nالخميس 8 سبتمبر 2022 م - 12 صفر 1444 هـ\nالناتو يدعم ألبانيا\n";

    fn page_dates(out: &AnalyzedArticle) -> Vec<(&str, Option<&str>, DateRole)> {
        out.analysis
            .dates
            .iter()
            .map(|d| (d.text.as_str(), d.value.as_deref(), d.role))
            .collect()
    }

    #[test]
    fn a_page_header_date_has_role_page_and_is_not_the_publication_date() {
        let body = format!("{PAGE_HEADER}دان أعضاء حلف الناتو، اليوم الخميس، الهجوم الإلكتروني على ألبانيا.");
        let out = Pipeline::standard(Options::default()).analyze(raw(
            &body,
            SourceFormat::Text,
            Metadata::default(),
        ));
        assert_eq!(out.article.title.as_deref(), Some("الناتو يدعم ألبانيا"));
        assert_eq!(out.article.boilerplate.header, ["عاجل"]);
        assert_eq!(
            out.article.published, None,
            "a page date is not a publication date"
        );
        let dates = page_dates(&out);
        assert!(
            dates.contains(&("الخميس 8 سبتمبر 2022 م", Some("2022-09-08"), DateRole::Page)),
            "{dates:?}"
        );
        assert!(
            dates.contains(&("12 صفر 1444 هـ", Some("2022-09-08"), DateRole::Page)),
            "{dates:?}"
        );
        // Nothing contradicts the page date, so "today, Thursday" resolves against it, and says so.
        let today = out
            .analysis
            .dates
            .iter()
            .find(|d| d.text == "اليوم الخميس")
            .unwrap();
        assert_eq!(today.value.as_deref(), Some("2022-09-08"));
        assert!(today.note.as_deref().unwrap().contains("page date"));
        // The page date line keeps an evidence span in the text.
        for d in &out.analysis.dates {
            assert_eq!(d.span.slice(&out.article.text), Some(d.text.as_str()));
        }
    }

    #[test]
    fn a_page_date_the_text_contradicts_is_not_used() {
        // The page was rendered on a Thursday; the article says "yesterday, Monday": it is older.
        let body = format!("{PAGE_HEADER}قال المتحدث أمس الاثنين إن الهجوم وقع في يوليو.");
        let out = Pipeline::standard(Options::default()).analyze(raw(
            &body,
            SourceFormat::Text,
            Metadata::default(),
        ));
        assert_eq!(out.article.published, None);
        let yesterday = out
            .analysis
            .dates
            .iter()
            .find(|d| d.text == "أمس الاثنين")
            .unwrap();
        assert_eq!(yesterday.value, None, "{yesterday:?}");
        let page = out
            .analysis
            .dates
            .iter()
            .find(|d| d.role == DateRole::Page)
            .unwrap();
        assert!(page.note.as_deref().unwrap().contains("another day"), "{page:?}");
    }

    #[test]
    fn a_dateline_beats_the_page_header() {
        let body = format!("{PAGE_HEADER}نشر في 7 سبتمبر 2022\nقطعت ألبانيا العلاقات مع طهران أمس الثلاثاء.");
        let out = Pipeline::standard(Options::default()).analyze(raw(
            &body,
            SourceFormat::Text,
            Metadata::default(),
        ));
        assert_eq!(out.article.published.as_deref(), Some("2022-09-07"));
        let yesterday = out
            .analysis
            .dates
            .iter()
            .find(|d| d.text == "أمس الثلاثاء")
            .unwrap();
        assert_eq!(yesterday.value.as_deref(), Some("2022-09-06"));
        assert_eq!(yesterday.note, None);
    }

    proptest! {
        #[test]
        fn any_text_goes_through_without_panic(body in "\\PC{0,200}", html in any::<bool>()) {
            let format = if html { SourceFormat::Html } else { SourceFormat::Text };
            let out = Pipeline::standard(Options::default()).analyze(raw(&body, format, Metadata::default()));
            for p in &out.article.paragraphs {
                prop_assert!(p.span.slice(&out.article.text).is_some());
            }
        }
    }
}
