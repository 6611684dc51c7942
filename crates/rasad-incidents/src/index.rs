//! Incidents kept in the store and updated as articles arrive: a new article's signature is
//! compared only with the stored signatures that share one of its keys near in time, and the
//! incidents it links are merged. The stored incidents are therefore always the connected components
//! of the links among the stored articles (what [`crate::group`] computes from scratch), whatever
//! order the articles came in; [`rebuild`] recomputes them and says whether anything differed.

use std::collections::{BTreeMap, BTreeSet};

use rasad_model::AnalyzedArticle;
use rasad_store::{SignatureRow, Store};

use crate::link::{Linker, Rules, group, incident_id};
use crate::signature::{Signature, days};
use crate::{IncidentError, Result};

/// How far apart in days two linked articles' spans can be: the largest gap a rule allows.
fn slack(rules: &Rules) -> i64 {
    rules
        .operation_gap
        .max(rules.victim_gap)
        .max(rules.state_gap)
        .max(rules.group_gap)
}

fn row_of(sig: &Signature, rules: &Rules) -> Result<SignatureRow> {
    Ok(SignatureRow {
        article_id: sig.article.clone(),
        keys: sig.keys(),
        days: days(sig, rules.recent),
        signature: serde_json::to_string(sig)?,
    })
}

/// Places newly stored articles into incidents (merging the incidents each one links) and
/// returns, per article, its incident id (`None` for an article with no incident record).
///
/// # Errors
/// When the store cannot be read or written; the articles placed before the failure stay placed.
pub fn add(store: &mut Store, articles: &[&AnalyzedArticle]) -> Result<Vec<Option<String>>> {
    let rules = Rules::default();
    articles
        .iter()
        .map(|a| add_signature(store, &rules, &Signature::of(a)))
        .collect()
}

fn add_signature(store: &mut Store, rules: &Rules, sig: &Signature) -> Result<Option<String>> {
    let row = row_of(sig, rules)?;
    if !sig.record {
        store.put_incident_signatures(&[(row, None)])?;
        return Ok(None);
    }
    let mut linked: BTreeSet<String> = BTreeSet::new();
    for c in store.incident_candidates(&row.keys, row.days, slack(rules))? {
        if c.article_id == sig.article {
            continue;
        }
        let other: Signature = serde_json::from_str(&c.signature)?;
        if rules.links(sig, &other)
            && let Some(id) = c.incident_id
        {
            linked.insert(id);
        }
    }
    // The merged incident's id comes from its least article id.
    let mut least = sig.article.clone();
    for id in &linked {
        if let Some(first) = store.incident_members(id)?.first()
            && first.article_id < least
        {
            least.clone_from(&first.article_id);
        }
    }
    let to = incident_id(&least);
    store.put_incident_signatures(&[(row, Some(to.clone()))])?;
    let from: Vec<String> = linked.into_iter().filter(|id| *id != to).collect();
    if !from.is_empty() {
        store.merge_incidents(&from, &[], &to)?;
    }
    Ok(Some(to))
}

/// Places the stored articles that have no signature yet (articles stored before incidents
/// existed, or by a run that stopped between storing and placing). Returns how many were placed.
///
/// # Errors
/// When the store cannot be read or written.
pub fn catch_up(store: &mut Store) -> Result<usize> {
    let missing = store.articles_without_signature()?;
    let rules = Rules::default();
    let mut n = 0;
    for id in &missing {
        let Some(a) = store.get(id)? else { continue };
        add_signature(store, &rules, &Signature::of(&a))?;
        n += 1;
    }
    Ok(n)
}

/// What a rebuild found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuild {
    pub articles: usize,
    pub incidents: usize,
    /// Articles whose stored incident differed from the rebuilt one (0 when the incremental
    /// updates agree with a rebuild from scratch).
    pub changed: usize,
}

/// Recomputes every signature from the stored articles and every incident from scratch, compares
/// them with what was stored, and writes the rebuilt ones.
///
/// # Errors
/// When the store cannot be read or written.
pub fn rebuild(store: &mut Store) -> Result<Rebuild> {
    let rules = Rules::default();
    let before: BTreeMap<String, Option<String>> = store.incident_assignments()?.into_iter().collect();
    let mut sigs = Vec::new();
    for key in store.article_keys()? {
        let Some(a) = store.get(&key.id)? else { continue };
        sigs.push(Signature::of(&a));
    }
    let ids = group(&rules, &sigs);
    let mut rows = Vec::with_capacity(sigs.len());
    let mut changed = 0;
    for (sig, id) in sigs.iter().zip(&ids) {
        if before.get(&sig.article) != Some(id) {
            changed += 1;
        }
        rows.push((row_of(sig, &rules)?, id.clone()));
    }
    store.clear_incidents()?;
    store.put_incident_signatures(&rows)?;
    Ok(Rebuild {
        articles: sigs.len(),
        incidents: ids.iter().flatten().collect::<BTreeSet<_>>().len(),
        changed,
    })
}

impl From<rasad_store::StoreError> for IncidentError {
    fn from(e: rasad_store::StoreError) -> Self {
        IncidentError::Store(e)
    }
}
