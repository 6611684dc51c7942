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

use rasad_model::{DateMention, Entity, Event, Incident, Lang, Quote};

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
    let events = events::extract_from(&doc, entities, quotes, dates, outlet);
    let (incidents, discovered) = incidents::extract_from(&doc, entities, quotes, &events, dates);
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
