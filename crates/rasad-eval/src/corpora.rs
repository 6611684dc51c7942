//! Readers for the gold corpora's formats, yielding plain sentences (and SaudiNewsNet's articles as raw documents).

use std::path::Path;

use crate::EvalError;

pub(crate) fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Joins tokens into a sentence, without a space before closing punctuation.
fn join(tokens: &[String]) -> String {
    let mut out = String::new();
    for token in tokens {
        let glue = matches!(
            token.as_str(),
            "." | "," | "،" | ":" | "؛" | "؟" | "?" | "!" | ")" | "»"
        );
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

/// ANERcorp (`token TAG` per line, sentences unmarked): split at sentence-final punctuation.
///
/// # Errors
/// When the file cannot be read.
pub fn anercorp_sentences(path: &Path) -> Result<Vec<String>, EvalError> {
    let text = read(path)?;
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        let Some(token) = line.split_whitespace().next() else {
            continue;
        };
        current.push(token.to_string());
        if matches!(token, "." | "!" | "?" | "؟") {
            sentences.push(join(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        sentences.push(join(&current));
    }
    Ok(sentences)
}

/// ANERcorp as sentences of (token, tag): blank lines and sentence-final punctuation end a sentence.
///
/// # Errors
/// When the file cannot be read.
pub fn anercorp_tagged(path: &Path) -> Result<Vec<Vec<(String, String)>>, EvalError> {
    Ok(tagged_lines(&read(path)?))
}

/// `token TAG` lines as sentences: blank lines and sentence-final punctuation end a sentence.
pub(crate) fn tagged_lines(text: &str) -> Vec<Vec<(String, String)>> {
    let mut sentences = Vec::new();
    let mut current: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let Some(token) = fields.next() else {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        };
        // A line of only a tag (" O": ANERcorp has 191) has lost its token: no word to read.
        if line.starts_with(char::is_whitespace) && fields.clone().next().is_none() {
            continue;
        }
        let tag = fields.next().unwrap_or("O");
        current.push((token.to_string(), tag.to_string()));
        if matches!(token, "." | "!" | "?" | "؟") {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

/// PEYMA (`token<TAB>tag` lines, CRLF, a blank line between sentences), all files of the folder in
/// name order, as sentences of (token, tag).
///
/// # Errors
/// When the folder or a file cannot be read.
pub fn peyma_tagged(dir: &Path) -> Result<Vec<Vec<(String, String)>>, EvalError> {
    Ok(peyma_files(dir)?.into_iter().flatten().collect())
}

/// Sentences of (token, tag).
pub type TaggedSentences = Vec<Vec<(String, String)>>;

/// PEYMA's files in name order, each as its sentences of (token, tag).
///
/// # Errors
/// When the folder or a file cannot be read.
pub fn peyma_files(dir: &Path) -> Result<Vec<TaggedSentences>, EvalError> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|source| EvalError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let text = read(&file)?;
        let mut sentences = Vec::new();
        let mut current = Vec::new();
        for line in text.lines().map(|l| l.trim_end_matches('\r')) {
            let mut fields = line.split('\t');
            match fields.next().map(str::trim).filter(|t| !t.is_empty()) {
                Some(token) => {
                    current.push((token.to_string(), fields.next().unwrap_or("O").trim().to_string()))
                }
                None if !current.is_empty() => sentences.push(std::mem::take(&mut current)),
                None => {}
            }
        }
        if !current.is_empty() {
            sentences.push(current);
        }
        out.push(sentences);
    }
    Ok(out)
}

/// PEYMA's sentences as plain text.
///
/// # Errors
/// When the folder or a file cannot be read.
pub fn peyma_sentences(dir: &Path) -> Result<Vec<String>, EvalError> {
    Ok(peyma_tagged(dir)?
        .into_iter()
        .map(|s| join(&s.into_iter().map(|(t, _)| t).collect::<Vec<_>>()))
        .collect())
}

/// ECB+ (one XML file per document, `<token … sentence="N">word</token>`), every document under
/// `dir` in path order.
///
/// # Errors
/// When a folder or file cannot be read.
pub fn ecbplus_sentences(dir: &Path) -> Result<Vec<String>, EvalError> {
    let mut sentences = Vec::new();
    for file in xml_files(dir)? {
        sentences.extend(ecbplus_document(&read(&file)?));
    }
    Ok(sentences)
}

/// Every `.xml` file under `dir`, in path order.
fn xml_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, EvalError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)
            .map_err(|source| EvalError::Io {
                path: d.clone(),
                source,
            })?
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The sentences of one ECB+ document (`<token … sentence="N">word</token>`).
#[must_use]
pub fn ecbplus_document(xml: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut current_sentence = None;
    for token in ecbplus_tokens(xml) {
        if token.sentence != current_sentence && !current.is_empty() {
            sentences.push(join(&current));
            current.clear();
        }
        current_sentence = token.sentence;
        current.push(token.word);
    }
    if !current.is_empty() {
        sentences.push(join(&current));
    }
    sentences
}

/// One `<token t_id="…" sentence="…">word</token>` of an ECB+ document.
struct EcbToken {
    id: Option<String>,
    sentence: Option<String>,
    word: String,
}

/// The tokens of an ECB+ document, in order.
fn ecbplus_tokens(xml: &str) -> Vec<EcbToken> {
    let mut tokens = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<token ") {
        rest = rest.get(at..).unwrap_or("");
        let Some(close) = rest.find('>') else { break };
        let attrs = rest.get(..close).unwrap_or("");
        let attr = |name: &str| {
            attrs
                .split(&format!("{name}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map(str::to_string)
        };
        let (id, sentence) = (attr("t_id"), attr("sentence"));
        rest = rest.get(close + 1..).unwrap_or("");
        let Some(end) = rest.find("</token>") else { break };
        let word = unescape(rest.get(..end).unwrap_or(""));
        rest = rest.get(end..).unwrap_or("");
        tokens.push(EcbToken { id, sentence, word });
    }
    tokens
}

/// ECB+'s entity mentions that are proper names, as BIO-tagged words (`B-PER`, `I-LOC` …), one list
/// per document (names recur across a document's sentences), for the documents under `dir` whose
/// topic (the folder's number) `topic` admits, in path order.
///
/// ECB+ marks the participants, times and places of its seminal events, not every name, and it marks
/// pronouns and common nouns too. A mention counts as a proper name when its words (after a leading
/// "the") all start with a capital or are "of", "the", "and", "de", and it is not a pronoun or a
/// sentence's first word that the document writes in lower case elsewhere. `HUMAN_PART_PER` is
/// PER, `HUMAN_PART_ORG` ORG, `HUMAN_PART_GPE` and `LOC_GEO` LOC; the other kinds are left out.
///
/// # Errors
/// When a folder or file cannot be read.
pub fn ecbplus_names(
    dir: &Path,
    topic: &dyn Fn(u32) -> bool,
) -> Result<Vec<Vec<(String, String)>>, EvalError> {
    // A document's topic is the number of the folder it sits in (`ECB+/12/12_3ecb.xml`).
    let files = xml_files(dir)?.into_iter().filter(|file| {
        file.parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(topic)
    });
    let mut documents = Vec::new();
    for file in files {
        documents.push(ecbplus_named(&read(&file)?));
    }
    Ok(documents)
}

/// One ECB+ document's words with its proper-name mentions as BIO tags.
#[must_use]
pub fn ecbplus_named(xml: &str) -> Vec<(String, String)> {
    let tokens = ecbplus_tokens(xml);
    // A token id's first position.
    let mut positions: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, token) in tokens.iter().enumerate() {
        if let Some(id) = &token.id {
            positions.entry(id.as_str()).or_insert(i);
        }
    }
    let position = |id: &str| positions.get(id).copied();
    let lower: std::collections::HashSet<&str> = tokens
        .iter()
        .map(|t| t.word.as_str())
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .collect();
    let mut tags = vec![String::from("O"); tokens.len()];
    let markables = xml.find("<Markables>").and_then(|at| xml.get(at..)).unwrap_or("");
    for (kind, class) in [
        ("HUMAN_PART_PER", "PER"),
        ("HUMAN_PART_ORG", "ORG"),
        ("HUMAN_PART_GPE", "LOC"),
        ("LOC_GEO", "LOC"),
    ] {
        let open = format!("<{kind} m_id=");
        for piece in markables.split(&open).skip(1) {
            let body = piece.split(&format!("</{kind}>")).next().unwrap_or_default();
            let mut at: Vec<usize> = body
                .split("t_id=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .filter_map(position)
                .collect();
            at.sort_unstable();
            let word = |i: &usize| tokens.get(*i).map_or("", |t| t.word.as_str());
            while at.first().is_some_and(|i| matches!(word(i), "the" | "The")) {
                at.remove(0);
            }
            let (Some(&first), Some(&last)) = (at.first(), at.last()) else {
                continue;
            };
            if last + 1 - first != at.len() {
                continue; // not contiguous
            }
            let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
            let proper = at
                .iter()
                .all(|i| capital(word(i)) || matches!(word(i), "of" | "the" | "and" | "de"))
                && capital(word(&first))
                && !PRONOUNS.contains(&word(&first));
            let opens = first == 0
                || tokens.get(first - 1).map(|t| &t.sentence) != tokens.get(first).map(|t| &t.sentence);
            let common = at.len() == 1 && opens && lower.contains(word(&first).to_lowercase().as_str());
            if !proper || common || at.iter().any(|i| tags.get(*i).is_none_or(|t| t != "O")) {
                continue;
            }
            for i in &at {
                if let Some(tag) = tags.get_mut(*i) {
                    *tag = format!("{}-{class}", if *i == first { "B" } else { "I" });
                }
            }
        }
    }
    tokens.into_iter().map(|t| t.word).zip(tags).collect()
}

/// Capitalised words that are never names in ECB+'s mentions.
const PRONOUNS: [&str; 18] = [
    "He", "She", "They", "It", "We", "I", "I'm", "I've", "You", "His", "Her", "Their", "Its", "Who", "This",
    "That", "A", "An",
];

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// SaudiNewsNet (`saudinewsnet/*.json`, one JSON array of articles per day, read in file order): at
/// most `limit` articles as raw documents named `FILE:N`, with title, URL, extraction date as the
/// publication date, outlet and language.
///
/// # Errors
/// When the folder or a file cannot be read, or a file is not a JSON array.
pub fn saudinewsnet(corpora: &Path, limit: usize) -> Result<Vec<rasad_ingest::RawDocument>, EvalError> {
    let dir = corpora.join("saudinewsnet");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|source| EvalError::Io {
            path: dir.clone(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let raw = read(&file)?;
        let items: Vec<serde_json::Value> = serde_json::from_str(&raw).map_err(|e| EvalError::Format {
            path: file.clone(),
            message: e.to_string(),
        })?;
        for (n, item) in items.iter().enumerate() {
            if out.len() >= limit {
                return Ok(out);
            }
            let field = |k: &str| item.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let body = field("content").unwrap_or_default();
            out.push(rasad_ingest::RawDocument {
                source: format!("{}:{}", file.display(), n + 1),
                format: rasad_model::SourceFormat::Text,
                original: body.as_bytes().to_vec(),
                body,
                meta: rasad_ingest::Metadata {
                    title: field("title"),
                    url: field("url"),
                    published: field("date_extracted"),
                    outlet: field("source"),
                    language: Some("ar".into()),
                    ..rasad_ingest::Metadata::default()
                },
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_without_its_token_is_skipped() {
        let sentences = tagged_lines("قال O\n O\nغوتيريش B-PERS\n. O\n");
        assert_eq!(
            sentences,
            vec![vec![
                ("قال".to_string(), "O".to_string()),
                ("غوتيريش".to_string(), "B-PERS".to_string()),
                (".".to_string(), "O".to_string()),
            ]]
        );
    }

    #[test]
    fn the_three_formats_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let aner = dir.path().join("aner.txt");
        std::fs::write(&aner, "قال O\nراما B-PERS\n. O\nثم O\n").unwrap();
        assert_eq!(anercorp_sentences(&aner).unwrap(), ["قال راما.", "ثم"]);

        let peyma = dir.path().join("peyma");
        std::fs::create_dir(&peyma).unwrap();
        std::fs::write(peyma.join("1.txt"), "ایران\tB_LOC\r\nگفت\tO\r\n\r\nدوم\tO\r\n").unwrap();
        assert_eq!(peyma_sentences(&peyma).unwrap(), ["ایران گفت", "دوم"]);

        let ecb = dir.path().join("ecb");
        std::fs::create_dir(&ecb).unwrap();
        std::fs::write(
            ecb.join("1_1ecb.xml"),
            r#"<Document><token t_id="1" sentence="0">A</token><token t_id="2" sentence="0">&amp;</token><token t_id="3" sentence="1">B</token></Document>"#,
        )
        .unwrap();
        assert_eq!(ecbplus_sentences(&ecb).unwrap(), ["A &", "B"]);
    }
}
