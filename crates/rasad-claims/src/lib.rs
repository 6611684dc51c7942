//! Claims: what the article says actors said and did.
//!
//! - [`quotes`]: who said what, with the speech verb and its stance;
//! - [`events`]: PLOVER events from verb patterns, with source and target actors;
//! - [`incidents`]: cyber-incident records (receivers, attributions, denials, responses) built
//!   from the events.
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

#[cfg(test)]
mod events_tests;
#[cfg(test)]
mod tests;
