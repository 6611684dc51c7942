//! Claims: what the article says actors said and did.
//!
//! - [`quotes`]: who said what, with the speech verb and its stance;
//! - [`events`]: PLOVER events from verb patterns, with source and target actors;
//! - [`incidents`]: cyber-incident records (victims, attributions, claims, denials, responses)
//!   built from the events and the incident patterns.
//!
//! The language data are reviewed files under `data/claims/`.

mod actors;
pub mod events;
pub mod incidents;
pub mod quotes;
mod words;

pub use events::extract as events;
pub use incidents::extract as incidents;
pub use quotes::extract as quotes;

use rasad_model::{DateMention, Entity, EntityKind, Event, Incident, Lang, Quote};

/// What the claims stages found in one article.
#[derive(Debug, Clone, Default)]
pub struct Claims {
    pub events: Vec<Event>,
    pub incidents: Vec<Incident>,
    /// Entities the incident records name that the catalog does not know (victims and groups found
    /// by their names' shape), with their mentions.
    pub discovered: Vec<Entity>,
}

/// Events and the incident records built from them, with the text read once for both.
#[must_use]
pub fn events_and_incidents(
    text: &str,
    lang: Lang,
    entities: &[Entity],
    quotes: &[Quote],
    dates: &[DateMention],
    outlet: Option<&str>,
) -> Claims {
    let doc = words::Prepared::new(text, lang);
    // Names only the trained tagger found are not actors of events and incidents unless the text
    // ties them to a state (people): its spans are good, its guesses of who acts are not, and
    // measured on the incident set they took the place of the states the sentences name.
    let actors: Vec<Entity> = entities
        .iter()
        .filter(|e| !e.is_tagged() || (e.kind == EntityKind::Person && e.country.is_some()))
        .cloned()
        .collect();
    let quotes: Vec<Quote> = quotes
        .iter()
        .map(|q| {
            let mut q = q.clone();
            let dropped =
                |s: &String| entities.iter().any(|e| &e.id == s) && !actors.iter().any(|e| &e.id == s);
            if q.speaker.as_ref().is_some_and(dropped) {
                q.speaker = None;
            }
            q
        })
        .collect();
    let events = events::extract_from(&doc, &actors, &quotes, dates, outlet);
    let (incidents, discovered) = incidents::extract_from(&doc, &actors, &quotes, &events, dates);
    Claims {
        events,
        incidents,
        discovered,
    }
}

#[cfg(test)]
mod events_tests;
#[cfg(test)]
mod tests;
