//! Which articles report the same operation. Two signatures are linked by a shared named operation,
//! a shared victim or a shared victim state with a shared incident type or accused actor, each
//! within its own time gap; incidents are the connected components of those links, so they depend
//! on the set of articles alone, never on the order they came in.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::signature::{Signature, When};

/// Decides whether two articles report the same operation.
pub trait Linker {
    /// Whether `a` and `b` are about the same operation.
    fn links(&self, a: &Signature, b: &Signature) -> bool;
}

/// The time gaps within which a shared operation name, victim or victim state links two articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Days between two times of the same named operation or malware.
    pub operation_gap: i64,
    /// Days between two attacks on the same named victim.
    pub victim_gap: i64,
    /// Days between two attacks on the same state (with a shared type or accused actor).
    pub state_gap: i64,
    /// Days between two operations of the same threat actor.
    pub group_gap: i64,
    /// How long before an article a reported (undated) operation may have started.
    pub recent: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            operation_gap: 365,
            victim_gap: 120,
            state_gap: 45,
            group_gap: 60,
            recent: 30,
        }
    }
}

impl Rules {
    /// Days between the two operations' possible start periods (0 when they overlap); `None` when
    /// either time is unknown.
    fn gap(&self, a: Option<When>, b: Option<When>) -> Option<i64> {
        let (a, b) = (a?.range(self.recent), b?.range(self.recent));
        Some((a.0 - b.1).max(b.0 - a.1).max(0))
    }

    /// Whether two articles are within `limit` days of each other, by the operation times their
    /// texts give or by their own dates (news of one operation comes out together).
    fn near(&self, a: &Signature, b: &Signature, limit: i64) -> bool {
        // An article naming its operation and one that does not are tied by the time they were
        // written: the other may tell of another operation against the same victim.
        let one_named = a.operations.is_empty() != b.operations.is_empty();
        let stated = if one_named { None } else { self.gap(a.when, b.when) };
        let published = match (a.published, b.published) {
            (Some(x), Some(y)) => Some((x - y).abs()),
            _ => None,
        };
        match (stated, published) {
            (None, None) => true,
            (s, p) => s.is_some_and(|g| g <= limit) || p.is_some_and(|g| g <= limit),
        }
    }
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

impl Rules {
    /// Why `a` and `b` are linked (`story`, `operation`, `victim`, `group`, `state`), `None` when
    /// they are not.
    #[must_use]
    pub fn why(&self, a: &Signature, b: &Signature) -> Option<&'static str> {
        if a.story.is_some() && a.story == b.story {
            return Some("story");
        }
        if !a.record || !b.record {
            return None;
        }
        let within = |limit: i64| self.near(a, b, limit);
        if shares(&a.operations, &b.operations) && within(self.operation_gap) {
            return Some("operation");
        }
        // Two different named operations are two incidents, whoever they hit.
        if !a.operations.is_empty() && !b.operations.is_empty() {
            return None;
        }
        if shares(&a.victims, &b.victims) && within(self.victim_gap) {
            return Some("victim");
        }
        // Two different named victims are two operations, unless a name ties them.
        if !a.victims.is_empty() && !b.victims.is_empty() {
            return None;
        }
        // A group runs many operations: the same group, written about together, with no
        // conflicting kind of attack.
        let published_near = match (a.published, b.published) {
            (Some(x), Some(y)) => (x - y).abs() <= self.group_gap,
            _ => false,
        };
        let types_agree = a.types.is_empty() || b.types.is_empty() || shares(&a.types, &b.types);
        if shares(&a.groups, &b.groups) && published_near && types_agree {
            return Some("group");
        }
        (shares(&a.states, &b.states)
            && (shares(&a.types, &b.types) || shares(&a.accused, &b.accused))
            && within(self.state_gap))
        .then_some("state")
    }
}

impl Linker for Rules {
    fn links(&self, a: &Signature, b: &Signature) -> bool {
        self.why(a, b).is_some()
    }
}

/// Groups signatures into incidents: the connected components of `linker`'s links between
/// signatures that share a key. Returns, in the input's order, each signature's incident id, `None`
/// for an article whose group holds no incident record (a story that is not about an operation).
#[must_use]
pub fn group(linker: &impl Linker, sigs: &[Signature]) -> Vec<Option<String>> {
    let mut parent: Vec<usize> = (0..sigs.len()).collect();
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in sigs.iter().enumerate() {
        for k in s.keys() {
            let list = by_key.entry(k).or_default();
            for &j in list.iter() {
                if let (Some(a), Some(b)) = (sigs.get(i), sigs.get(j))
                    && linker.links(a, b)
                {
                    union(&mut parent, i, j);
                }
            }
            list.push(i);
        }
    }
    let mut least: BTreeMap<usize, (&str, bool)> = BTreeMap::new();
    for (i, s) in sigs.iter().enumerate() {
        let root = find(&mut parent, i);
        let e = least.entry(root).or_insert((&s.article, s.record));
        if s.article.as_str() < e.0 {
            e.0 = &s.article;
        }
        e.1 |= s.record;
    }
    (0..sigs.len())
        .map(|i| {
            let root = find(&mut parent, i);
            least
                .get(&root)
                .filter(|(_, record)| *record)
                .map(|(a, _)| incident_id(a))
        })
        .collect()
}

/// An incident's id from the least article id among its members: the same articles give the same
/// id whatever order they came in.
#[must_use]
pub fn incident_id(least_article: &str) -> String {
    let digest = Sha256::digest(least_article.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("inc-{hex}")
}

pub(crate) fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let grand = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = grand;
        }
        i = p;
    }
    i
}

pub(crate) fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        if let Some(slot) = parent.get_mut(hi) {
            *slot = lo;
        }
    }
}
