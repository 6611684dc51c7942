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

impl StoryTable {
    /// Places every stored article, then settles the stories (see [`Clusterer::finish`]).
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
        let mut clusterer = Clusterer::new(Params::default());
        let mut ids = Vec::with_capacity(keys.len());
        let mut briefs = Vec::with_capacity(keys.len());
        let mut placed = Vec::with_capacity(keys.len());
        for (_, id) in keys {
            let Some(a) = store.get(&id)? else { continue };
            placed.push(place(&mut clusterer, &a));
            briefs.push(Brief::of(&a));
            ids.push(id);
        }
        settle(&ids, &mut placed, clusterer.finish());
        let mut table = StoryTable::default();
        let mut rows: HashMap<String, usize> = HashMap::new();
        for ((id, brief), placed) in ids.into_iter().zip(&briefs).zip(placed) {
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
            table.assignments.insert(id, placed);
        }
        table
            .summaries
            .sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then(a.id.cmp(&b.id)));
        Ok(table)
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
