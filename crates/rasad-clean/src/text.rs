//! Plain-text pages: line endings, blank-line runs, and the headline as title.

use crate::{Cleaned, join_paragraphs};

/// Longest first line (in characters) still taken for a headline.
const MAX_TITLE_CHARS: usize = 200;

/// Cleans a plain-text article: every non-empty line is a paragraph. With `detect_title`, a short first
/// line followed by more text is taken for the title (pass `false` when the input already named one).
#[must_use]
pub fn clean_text(body: &str, detect_title: bool) -> Cleaned {
    let lines: Vec<&str> = body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut title = None;
    let mut rest = lines.as_slice();
    if let [first, tail @ ..] = lines.as_slice()
        && detect_title
        && !tail.is_empty()
        && first.chars().count() <= MAX_TITLE_CHARS
    {
        title = Some((*first).to_string());
        rest = tail;
    }
    Cleaned {
        title,
        text: join_paragraphs(rest.iter().copied()),
        ..Cleaned::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_short_line_is_the_title() {
        let cleaned = clean_text("\r\nعنوان خبر\r\n\r\nبند اول.\nبند دوم.\n\n\n", true);
        assert_eq!(cleaned.title.as_deref(), Some("عنوان خبر"));
        assert_eq!(cleaned.text, "بند اول.\n\nبند دوم.");
    }

    #[test]
    fn a_single_line_is_text_not_title() {
        let cleaned = clean_text("Only one line.", true);
        assert_eq!(cleaned.title, None);
        assert_eq!(cleaned.text, "Only one line.");
    }

    #[test]
    fn a_known_title_leaves_the_first_line_in_the_text() {
        let cleaned = clean_text("Line one\nLine two", false);
        assert_eq!(cleaned.title, None);
        assert_eq!(cleaned.text, "Line one\n\nLine two");
    }
}
