//! The incident patterns of `data/claims/incident_patterns.tsv`: runs of words with slots for the
//! victim, the accused, the attributor, the claimer and the denier, matched outward from their
//! longest word inside one sentence, with the slots read by [`Reader`].

use std::sync::OnceLock;

use rasad_model::Lang;

use super::slots::{Filled, Reader};
use crate::actors::Role as WordRole;
use crate::words::{Lit, parse_lang, rows};

const DATA: &str = include_str!("../../../../data/claims/incident_patterns.tsv");
const GAP: usize = 5;
const LONG_GAP: usize = 12;

/// What a pattern says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Victim,
    Accuse,
    Claim,
    Deny,
    Source,
}

impl Role {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Victim => "victim",
            Self::Accuse => "accuse",
            Self::Claim => "claim",
            Self::Deny => "deny",
            Self::Source => "source",
        }
    }
}

impl Slot {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Victim => "victim",
            Self::Accused => "accused",
            Self::By => "by",
            Self::Claimer => "claimer",
            Self::Denier => "denier",
        }
    }
}

/// A slot of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Victim,
    Accused,
    By,
    Claimer,
    Denier,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum El {
    Lit(Lit),
    Gap(usize),
    Slot(Slot),
}

/// One line of the pattern file.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub lang: Lang,
    pub role: Role,
    pub hedged: bool,
    /// The words tie an actor to a state or sponsor ("linked to").
    pub affiliation: bool,
    elems: Vec<El>,
    /// The index in `elems` of the longest word, where matching starts.
    anchor: usize,
    /// The role's actor is the clause subject.
    pub subject: bool,
}

fn parse(fields: &[&str]) -> Option<Pattern> {
    let lang = parse_lang(fields.first()?)?;
    let role = match *fields.get(1)? {
        "victim" => Role::Victim,
        "accuse" => Role::Accuse,
        "claim" => Role::Claim,
        "deny" => Role::Deny,
        "source" => Role::Source,
        _ => return None,
    };
    let flags = fields.get(2)?;
    let hedged = flags.split(',').any(|f| f.trim() == "hedged");
    let affiliation = flags.split(',').any(|f| f.trim() == "affiliation");
    let mut elems = Vec::new();
    let mut subject = false;
    for word in fields.get(3)?.split_whitespace() {
        match word {
            "{SUBJ}" => subject = true,
            "{V}" => elems.push(El::Slot(Slot::Victim)),
            "{A}" => elems.push(El::Slot(Slot::Accused)),
            "{B}" => elems.push(El::Slot(Slot::By)),
            "{C}" => elems.push(El::Slot(Slot::Claimer)),
            "{D}" => elems.push(El::Slot(Slot::Denier)),
            "*" => elems.push(El::Gap(GAP)),
            "**" => elems.push(El::Gap(LONG_GAP)),
            w => elems.push(El::Lit(Lit::parse(w)?)),
        }
    }
    // A pattern says something only with a slot or a subject to say it of.
    if !subject && !elems.iter().any(|e| matches!(e, El::Slot(_))) {
        return None;
    }
    let anchor = elems
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            El::Lit(l) => Some((i, l.key.chars().count() + usize::from(!l.prefix))),
            _ => None,
        })
        .max_by_key(|&(i, len)| (len, std::cmp::Reverse(i)))?
        .0;
    Some(Pattern {
        lang,
        role,
        hedged,
        affiliation,
        elems,
        anchor,
        subject,
    })
}

/// Every pattern of the file.
pub(crate) fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| rows(DATA).filter_map(|f| parse(&f)).collect())
}

/// A match of one pattern.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub role: Role,
    pub hedged: bool,
    pub affiliation: bool,
    pub subject: bool,
    pub slots: Vec<(Slot, Filled)>,
    /// Units `[start, end)` of the whole match.
    pub start: usize,
    pub end: usize,
    /// The first and last units that matched words.
    pub first_word: usize,
    pub last_word: usize,
}

impl Found {
    pub fn slot(&self, slot: Slot) -> Option<&Filled> {
        self.slots.iter().find(|(s, _)| *s == slot).map(|(_, f)| f)
    }
}

#[derive(Debug, Clone, Default)]
struct Bind {
    slots: Vec<(Slot, Filled)>,
    first_word: usize,
    last_word: usize,
}

struct Matcher<'r, 'd> {
    reader: &'r mut Reader<'d>,
    lang: Lang,
    lo: usize,
    hi: usize,
}

impl Matcher<'_, '_> {
    fn lit(&self, lit: &Lit, i: usize) -> bool {
        i >= self.lo
            && i < self.hi
            && self
                .reader
                .doc
                .units
                .get(i)
                .is_some_and(|u| lit.matches(u, self.lang) == Some(false))
    }

    fn slot_forward(&mut self, slot: Slot, at: usize) -> Option<Filled> {
        match slot {
            Slot::Victim => self.reader.victims_forward(at, self.hi),
            Slot::Claimer => self.reader.claimer_forward(at, self.hi),
            Slot::Accused => self.reader.actors_forward(at, self.hi, true),
            Slot::By | Slot::Denier => self.reader.actors_forward(at, self.hi, false),
        }
    }

    fn slot_backward(&mut self, slot: Slot, at: usize) -> Option<Filled> {
        match slot {
            Slot::Victim => self.reader.victims_backward(at, self.lo),
            Slot::Claimer => self.reader.claimer_backward(at, self.lo),
            Slot::Accused => self.reader.actors_backward(at, self.lo, true),
            // The one who speaks before the verb is no name under a preposition ("با بی بی سی
            // اعلام کرد": the minister announced it to the BBC).
            Slot::By | Slot::Denier => self.reader.actors_backward(at, self.lo, false).filter(|f| {
                !self.reader.governed(f.start)
                    && !self.reader.object_marked(f.end)
                    && !self.reader.comma_after(f.end)
            }),
        }
    }

    /// Matches `elems` from unit `at` on; returns the unit after the match.
    fn forward(&mut self, elems: &[El], at: usize, bind: &mut Bind) -> Option<usize> {
        let Some((first, rest)) = elems.split_first() else {
            return Some(at);
        };
        match first {
            El::Lit(lit) => {
                if !self.lit(lit, at) {
                    return None;
                }
                bind.last_word = bind.last_word.max(at);
                self.forward(rest, at + 1, bind)
            }
            El::Gap(max) => {
                for k in 0..=*max {
                    if at + k > self.hi {
                        break;
                    }
                    let mut b = bind.clone();
                    if let Some(end) = self.forward(rest, at + k, &mut b) {
                        *bind = b;
                        return Some(end);
                    }
                }
                None
            }
            El::Slot(slot) => {
                let filled = self.slot_forward(*slot, at)?;
                let end = filled.end.max(at + 1);
                let mut b = bind.clone();
                b.slots.push((*slot, filled));
                let done = self.forward(rest, end, &mut b)?;
                *bind = b;
                Some(done)
            }
        }
    }

    /// Matches `elems` backwards, ending right before unit `at`; returns the match's first unit.
    fn backward(&mut self, elems: &[El], at: usize, bind: &mut Bind) -> Option<usize> {
        let Some((last, rest)) = elems.split_last() else {
            return Some(at);
        };
        match last {
            El::Lit(lit) => {
                let i = at.checked_sub(1)?;
                if !self.lit(lit, i) {
                    return None;
                }
                bind.first_word = bind.first_word.min(i);
                self.backward(rest, i, bind)
            }
            El::Gap(max) => {
                for k in 0..=*max {
                    let Some(to) = at.checked_sub(k).filter(|&t| t >= self.lo) else {
                        break;
                    };
                    let mut b = bind.clone();
                    if let Some(start) = self.backward(rest, to, &mut b) {
                        *bind = b;
                        return Some(start);
                    }
                }
                None
            }
            El::Slot(slot) => {
                let filled = self.slot_backward(*slot, at)?;
                let start = filled.start.min(at.saturating_sub(1));
                let mut b = bind.clone();
                b.slots.push((*slot, filled));
                let done = self.backward(rest, start, &mut b)?;
                *bind = b;
                Some(done)
            }
        }
    }
}

/// Every match of every pattern of the language in the sentence `lo..hi` (units).
pub(crate) fn find(reader: &mut Reader<'_>, lo: usize, hi: usize) -> Vec<Found> {
    find_roles(
        reader,
        lo,
        hi,
        &[Role::Victim, Role::Accuse, Role::Claim, Role::Deny, Role::Source],
    )
}

/// [`find`] for the patterns of some roles only.
pub(crate) fn find_roles(reader: &mut Reader<'_>, lo: usize, hi: usize, roles: &[Role]) -> Vec<Found> {
    let lang = reader.doc.lang;
    let mut out: Vec<Found> = Vec::new();
    for p in patterns()
        .iter()
        .filter(|p| p.lang == lang && roles.contains(&p.role))
    {
        let Some(El::Lit(anchor)) = p.elems.get(p.anchor) else {
            continue;
        };
        let anchors = reader.doc.units.starts(anchor, lo..hi);
        for &a in &anchors {
            debug_assert!(
                reader
                    .doc
                    .units
                    .get(a)
                    .is_some_and(|u| anchor.matches(u, lang) == Some(false))
            );
            let mut m = Matcher {
                reader: &mut *reader,
                lang,
                lo,
                hi,
            };
            let mut bind = Bind {
                first_word: a,
                last_word: a,
                ..Bind::default()
            };
            let Some(end) = p
                .elems
                .get(p.anchor + 1..)
                .and_then(|rest| m.forward(rest, a + 1, &mut bind))
            else {
                continue;
            };
            let Some(start) = p
                .elems
                .get(..p.anchor)
                .and_then(|before| m.backward(before, a, &mut bind))
            else {
                continue;
            };
            // A negation in the match or right before its first word turns it around ("has not
            // claimed responsibility"); denials say "not" on purpose.
            let negated = p.role != Role::Deny
                && (bind.first_word.saturating_sub(2).max(lo)..=bind.last_word)
                    .any(|i| reader.actors.role(i) == WordRole::Negation);
            if negated {
                continue;
            }
            out.push(Found {
                role: p.role,
                hedged: p.hedged,
                affiliation: p.affiliation,
                subject: p.subject,
                slots: bind.slots,
                start,
                end,
                first_word: bind.first_word,
                last_word: bind.last_word,
            });
        }
    }
    // Of the matches of a role that share their words, the one with the most slots filled (then
    // the longest) stands for the others: "واتهمت الولايات المتحدة روسيا" is not also an accusation
    // of the United States.
    out.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let inside = |f: &Found, g: &Found| {
        g.role == f.role
            && g.start < f.end
            && f.start < g.end
            && (g.slots.len(), g.end - g.start) > (f.slots.len(), f.end - f.start)
            && f.first_word <= g.last_word
            && g.first_word <= f.last_word
    };
    let keep: Vec<bool> = out.iter().map(|f| !out.iter().any(|g| inside(f, g))).collect();
    out.into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_line_parses() {
        let lines = rows(DATA).count();
        assert_eq!(patterns().len(), lines, "a pattern line does not parse");
        for p in patterns() {
            assert!(matches!(p.elems.get(p.anchor), Some(El::Lit(_))));
        }
    }
}
