//! The stories of a whole store: every stored article placed in (day, id) order, so that the same
//! articles give the same story ids however and whenever they were ingested.

use std::collections::HashMap;

use rasad_model::AnalyzedArticle;
use rasad_store::Store;

use crate::{Assignment, Brief, Clusterer, Params, Story, Summary, build, day_of, place, settle};

/// Where each stored article landed, and the list rows, latest story first.
#[derive(Debug, Clone, Default)]
pub struct StoryTable {
    /// Article id → its assignment.
    assignments: HashMap<String, Assignment>,
    /// Story id → its members' article ids, in placement order.
    members: HashMap<String, Vec<String>>,
    /// Latest `last_seen` first, then by id.
    summaries: Vec<Summary>,
}

/// The stories kept as articles arrive: the clusterer's state after every article placed so far,
/// with what the list needs of each. Placed in (day, id) order it is exactly what
/// [`StoryTable::from_store`] computes; an article that comes out of that order is placed all the
/// same and reported, so the caller can rebuild when it has time.
#[derive(Debug, Clone, Default)]
pub struct LiveStories {
    clusterer: Clusterer,
    ids: Vec<String>,
    briefs: Vec<Brief>,
    placed: Vec<Assignment>,
    /// Article id → its position in `ids`.
    known: HashMap<String, usize>,
    last: Option<(Option<i64>, String)>,
}

impl LiveStories {
    #[must_use]
    pub fn new() -> Self {
        Self {
            clusterer: Clusterer::new(Params::default()),
            ..Self::default()
        }
    }

    /// Places every stored article in (day, id) order.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn from_store(store: &Store) -> rasad_store::Result<Self> {
        let mut keys: Vec<(Option<i64>, String)> = store
            .article_keys()?
            .into_iter()
            .map(|k| {
                (
                    day_of(k.published.as_deref(), k.page_dates.iter().map(String::as_str)),
                    k.id,
                )
            })
            .collect();
        keys.sort();
        let mut live = Self::new();
        for (_, id) in keys {
            let Some(a) = store.get(&id)? else { continue };
            live.add(&a);
        }
        Ok(live)
    }

    /// Places one article (an article placed before is left as it is). Returns `false` when it
    /// sorts before an article already placed: the stories then differ from a rebuild until one is
    /// made.
    pub fn add(&mut self, a: &AnalyzedArticle) -> bool {
        let id = a.article.id.as_str().to_string();
        if self.known.contains_key(&id) {
            return true;
        }
        self.known.insert(id.clone(), self.ids.len());
        let key = (crate::article_day(a), id.clone());
        let in_order = self.last.as_ref().is_none_or(|last| *last <= key);
        if in_order {
            self.last = Some(key);
        }
        self.placed.push(place(&mut self.clusterer, a));
        self.briefs.push(Brief::of(a));
        self.ids.push(id);
        in_order
    }

    /// Where an article was placed when it was added (before the last looks that
    /// [`LiveStories::table`] takes).
    #[must_use]
    pub fn placed(&self, article: &str) -> Option<&Assignment> {
        self.known.get(article).and_then(|&i| self.placed.get(i))
    }

    /// How many articles are placed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The story table as it stands: the articles placed so far, settled as if the stream ended
    /// now (the clusterer's last looks are taken on a copy).
    #[must_use]
    pub fn table(&self) -> StoryTable {
        let mut placed = self.placed.clone();
        settle(&self.ids, &mut placed, self.clusterer.clone().finish());
        StoryTable::assemble(&self.ids, &self.briefs, placed)
    }
}

impl StoryTable {
    /// Places every stored article, then settles the stories (see [`Clusterer::finish`]).
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn from_store(store: &Store) -> rasad_store::Result<Self> {
        Ok(LiveStories::from_store(store)?.table())
    }

    fn assemble(ids: &[String], briefs: &[Brief], placed: Vec<Assignment>) -> Self {
        let mut table = StoryTable::default();
        let mut rows: HashMap<String, usize> = HashMap::new();
        for ((id, brief), placed) in ids.iter().zip(briefs).zip(placed) {
            let at = *rows.entry(placed.story.clone()).or_insert_with(|| {
                table.summaries.push(Summary::new(&placed.story));
                table.summaries.len() - 1
            });
            if let Some(row) = table.summaries.get_mut(at) {
                row.add_brief(brief, &placed);
            }
            table
                .members
                .entry(placed.story.clone())
                .or_default()
                .push(id.clone());
            table.assignments.insert(id.clone(), placed);
        }
        table
            .summaries
            .sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(a.id.cmp(&b.id)));
        table
    }

    /// The story rows, latest first.
    #[must_use]
    pub fn summaries(&self) -> &[Summary] {
        &self.summaries
    }

    /// One story's list row.
    #[must_use]
    pub fn summary(&self, id: &str) -> Option<&Summary> {
        self.summaries.iter().find(|s| s.id == id)
    }

    /// How many stories there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty()
    }

    /// The story an article belongs to.
    #[must_use]
    pub fn story_of(&self, article_id: &str) -> Option<&Assignment> {
        self.assignments.get(article_id)
    }

    /// One story's full record, its articles read back from the store. `None` for an unknown id.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn story(&self, store: &Store, id: &str) -> rasad_store::Result<Option<Story>> {
        let Some(ids) = self.members.get(id) else {
            return Ok(None);
        };
        let mut members: Vec<(AnalyzedArticle, Assignment)> = Vec::with_capacity(ids.len());
        for article in ids {
            if let (Some(a), Some(placed)) = (store.get(article)?, self.assignments.get(article)) {
                members.push((a, placed.clone()));
            }
        }
        let refs: Vec<(&AnalyzedArticle, &Assignment)> = members.iter().map(|(a, p)| (a, p)).collect();
        Ok(Some(build(id, &refs)))
    }
}
