//! Cleaning: from a raw page to the article's clean text, its title, and the boilerplate that was removed.
//!
//! HTML goes through a Readability port (`dom_smoothie`) with a guard for hostile markup; plain text goes
//! through a line-level cleaner. Either way the result is a [`Cleaned`] whose `text` is what every later
//! stage reads, with paragraphs separated by a blank line.

mod html;
mod meta;
mod text;

pub use html::clean_html;
pub use meta::{PageMeta, page_meta};
pub use text::clean_text;

use rasad_model::Boilerplate;

/// What cleaning produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub title: Option<String>,
    /// The article's text, paragraphs separated by `\n\n`.
    pub text: String,
    pub boilerplate: Boilerplate,
    /// Publication times the page declares in its metadata, as written, most trusted first.
    pub published: Vec<String>,
    /// The page's canonical URL, as it declares it.
    pub url: Option<String>,
    /// Site name the page declares.
    pub site_name: Option<String>,
    /// Language the page declares (`<html lang>`).
    pub declared_lang: Option<String>,
    /// Problems worth telling the user (the page was too deep to parse and was stripped instead …).
    pub diagnostics: Vec<String>,
}

/// Joins paragraphs with a blank line, dropping empty ones and trimming each.
fn join_paragraphs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(paragraph);
    }
    out
}
