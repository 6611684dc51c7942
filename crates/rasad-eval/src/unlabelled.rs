//! Unlabelled text from outside the shared corpora, for the word clusters and the tagger's
//! lexicon: news a user has at hand (Persian has no unlabelled news in `../shared/corpora`).
//!
//! A path is a file or a folder (read recursively, files in name order; in a folder only
//! `.json`, `.jsonl`, `.txt` and `.conll` files are read, hidden ones never). Each file is read by
//! its form:
//! - `.json`: an array of article objects (or one object); an article's string fields `title`,
//!   `abstract`, `description`, `content`, `text` and `body`, and the strings of a `paragraphs`
//!   array, are its lines;
//! - `.jsonl`: one such object per line;
//! - any other file whose lines are token columns (`token TAG`, as CoNLL corpora are written):
//!   each blank-line-separated sentence is a line of its first column;
//! - any other file: plain text, each blank-line-separated block an article, each line a line.
//!
//! A line seen before (wire copies, a summary repeated as the first paragraph) is kept once. A
//! file that cannot be read or parsed is reported and skipped; the others are read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Articles of unlabelled text, and the files that could not be read.
#[derive(Debug, Default)]
pub struct UnlabelledText {
    /// One article per item, its lines joined by `\n`.
    pub articles: Vec<String>,
    /// Files read.
    pub files: usize,
    /// Files skipped, with why.
    pub skipped: Vec<(PathBuf, String)>,
    /// The paths as given, for the header of what is learnt from them.
    pub origin: String,
}

impl UnlabelledText {
    /// Lines kept (repeats dropped).
    #[must_use]
    pub fn lines(&self) -> usize {
        self.articles.iter().map(|a| a.lines().count()).sum()
    }
}

/// The files a folder's text is read from (a file given by name is read whatever it is called).
const TEXT_EXTENSIONS: [&str; 4] = ["json", "jsonl", "txt", "conll"];

/// The string fields an article object's lines are read from, in this order.
const FIELDS: [&str; 6] = ["title", "abstract", "description", "content", "text", "body"];

/// Reads the unlabelled text under `paths`.
#[must_use]
pub fn read_unlabelled(paths: &[PathBuf]) -> UnlabelledText {
    let mut out = UnlabelledText {
        origin: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        ..UnlabelledText::default()
    };
    let mut files = Vec::new();
    for path in paths {
        collect_files(path, &mut files, &mut out.skipped);
    }
    let mut seen: HashSet<String> = HashSet::new();
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) => {
                out.skipped.push((file, e.to_string()));
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            out.skipped.push((file, "not UTF-8 text".into()));
            continue;
        };
        let articles = match articles_of(&file, &text) {
            Ok(articles) => articles,
            Err(message) => {
                out.skipped.push((file, message));
                continue;
            }
        };
        out.files += 1;
        for article in articles {
            let lines: Vec<&str> = article
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty() && seen.insert((*l).to_string()))
                .collect();
            if !lines.is_empty() {
                out.articles.push(lines.join("\n"));
            }
        }
    }
    out
}

/// Files under `path`, in name order; a missing path is reported. Symbolic links to folders
/// inside a folder are not followed.
fn collect_files(path: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<(PathBuf, String)>) {
    if path.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            skipped.push((path.to_path_buf(), e.to_string()));
            return;
        }
    };
    // A folder's own subfolders only: a symbolic link to a folder could lead back up the tree.
    let mut children: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter(|e| !e.file_name().to_str().is_some_and(|n| n.starts_with('.')))
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    children.sort();
    for (child, is_dir) in children {
        if is_dir {
            collect_files(&child, files, skipped);
        } else if child
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| TEXT_EXTENSIONS.contains(&e))
        {
            files.push(child);
        }
    }
}

/// A file's articles, each a list of lines, read by the form its name and its lines say (the
/// module's list); the message says why a file cannot be read.
///
/// # Errors
/// When a `.json` or `.jsonl` file is not JSON.
pub fn articles_of(file: &Path, text: &str) -> Result<Vec<Vec<String>>, String> {
    match file.extension().and_then(|e| e.to_str()) {
        Some("json") => {
            let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
            Ok(match value {
                Value::Array(items) => items.iter().map(article_lines).collect(),
                other => vec![article_lines(&other)],
            })
        }
        Some("jsonl") => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str::<Value>(l)
                    .map(|v| article_lines(&v))
                    .map_err(|e| format!("line {}: not JSON: {e}", n + 1))
            })
            .collect(),
        _ if is_columns(text) => Ok(vec![column_sentences(text)]),
        _ => Ok(blocks(text)),
    }
}

/// An article object's lines (nothing for anything else).
fn article_lines(item: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    let mut push = |s: &str| lines.extend(s.lines().map(str::to_string));
    for field in FIELDS {
        if let Some(s) = item.get(field).and_then(Value::as_str) {
            push(s);
        }
    }
    if let Some(paragraphs) = item.get("paragraphs").and_then(Value::as_array) {
        for p in paragraphs.iter().filter_map(Value::as_str) {
            push(p);
        }
    }
    lines
}

/// Whether a file's lines are token columns: nearly every non-blank line a token and a tag.
fn is_columns(text: &str) -> bool {
    let mut lines = 0usize;
    let mut tagged = 0usize;
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(2000) {
        lines += 1;
        let mut fields = line.split_whitespace();
        let (_, tag, rest) = (fields.next(), fields.next(), fields.next());
        if rest.is_none() && tag.is_some_and(is_tag) {
            tagged += 1;
        }
    }
    lines >= 10 && tagged * 10 >= lines * 9
}

/// An IOB/BIO/BILOU tag: O, or B-/I-/L-/U-/E-/S- (or with `_`) and a class name.
fn is_tag(field: &str) -> bool {
    if field == "O" {
        return true;
    }
    let mut chars = field.chars();
    matches!(chars.next(), Some('B' | 'I' | 'L' | 'U' | 'E' | 'S'))
        && matches!(chars.next(), Some('-' | '_'))
        && chars.next().is_some_and(char::is_alphabetic)
}

/// The first column of a token-column file, one line per sentence.
fn column_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        match line.split_whitespace().next() {
            Some(token) => current.push(token),
            None if !current.is_empty() => sentences.push(std::mem::take(&mut current).join(" ")),
            None => {}
        }
    }
    if !current.is_empty() {
        sentences.push(current.join(" "));
    }
    sentences
}

/// Plain text's blank-line-separated blocks, each a list of lines.
fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn every_form_is_read_and_repeats_are_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.json",
            r#"[{"title": "عنوان خبر", "abstract": "خلاصه", "paragraphs": ["خلاصه", "بند دوم\nبند سوم"], "link": "http://x"},
                {"content": "متن دیگر"}, 7]"#
                .as_bytes(),
        );
        write(
            dir.path(),
            "b.jsonl",
            "{\"text\": \"سطر اول\"}\n\n{\"body\": \"سطر دوم\"}\n".as_bytes(),
        );
        let columns: String =
            (0..12).map(|i| format!("کلمه{i} O\n")).collect::<String>() + "\nتهران B-LOC\nامروز O\n";
        write(dir.path(), "c.txt", columns.as_bytes());
        write(dir.path(), "d.txt", "یک خط\nخط دو\n\n\nمقاله دوم\n".as_bytes());
        write(dir.path(), ".hidden.txt", b"never read");
        write(dir.path(), "README.md", b"# a folder's notes, never read");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write(&dir.path().join("sub"), "e.txt", "در پوشه".as_bytes());
        let text = read_unlabelled(&[dir.path().to_path_buf()]);
        assert!(text.skipped.is_empty(), "{:?}", text.skipped);
        assert_eq!(text.files, 5);
        let first_columns: String = (0..12).map(|i| format!("کلمه{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(
            text.articles,
            vec![
                "عنوان خبر\nخلاصه\nبند دوم\nبند سوم".to_string(),
                "متن دیگر".into(),
                "سطر اول".into(),
                "سطر دوم".into(),
                format!("{first_columns}\nتهران امروز"),
                "یک خط\nخط دو".into(),
                "مقاله دوم".into(),
                "در پوشه".into(),
            ]
        );
        assert_eq!(text.lines(), 13);
        // A file given by name is read whatever its extension.
        let named = read_unlabelled(&[dir.path().join("README.md")]);
        assert_eq!(named.articles, vec!["# a folder's notes, never read".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_back_up_the_tree_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write(&dir.path().join("sub"), "a.txt", "خبر".as_bytes());
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub").join("up")).unwrap();
        let text = read_unlabelled(&[dir.path().to_path_buf()]);
        assert_eq!(text.articles, vec!["خبر".to_string()]);
        assert_eq!(text.files, 1);
    }

    #[test]
    fn bad_files_are_reported_and_the_others_read() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.json", b"[{\"title\": ");
        write(dir.path(), "b.txt", &[0xff, 0xfe, 0x00, b'a']);
        write(dir.path(), "c.jsonl", b"{\"text\": \"ok\"}\nnot json\n");
        write(dir.path(), "d.txt", "خبر سالم".as_bytes());
        let missing = dir.path().join("nowhere");
        let text = read_unlabelled(&[dir.path().to_path_buf(), missing.clone()]);
        assert_eq!(text.articles, vec!["خبر سالم".to_string()]);
        let skipped: Vec<&Path> = text.skipped.iter().map(|(p, _)| p.as_path()).collect();
        assert_eq!(skipped.len(), 4, "{:?}", text.skipped);
        assert!(skipped.contains(&missing.as_path()));
        assert!(text.skipped.iter().any(|(_, why)| why.contains("line 2")));
    }

    #[test]
    fn a_tag_is_told_from_a_word() {
        for tag in ["O", "B-PER", "I_LOC", "U-ORG", "B-pers"] {
            assert!(is_tag(tag), "{tag}");
        }
        for word in ["Oman", "B", "B-", "Bus", "تهران", "B-1"] {
            assert!(!is_tag(word), "{word}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_or_reported(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400), ext in "(json|jsonl|txt)") {
            let dir = tempfile::tempdir().unwrap();
            let path = write(dir.path(), &format!("f.{ext}"), &bytes);
            let text = read_unlabelled(&[path]);
            proptest::prop_assert_eq!(text.files + text.skipped.len(), 1);
            for article in &text.articles {
                proptest::prop_assert!(!article.is_empty());
            }
        }
    }
}
