//! Claims: what the article says actors said and did. This crate finds quotes (speaker, speech verb,
//! stance, content, each with its span); PLOVER events and cyber-incident records are to build on
//! them.

pub mod quotes;

pub use quotes::extract as quotes;

#[cfg(test)]
mod tests;
