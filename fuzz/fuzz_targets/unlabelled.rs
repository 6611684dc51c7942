//! Unlabelled text for the clusters and lexicons (`rasad train clusters --text`) from any UTF-8, read
//! as each kind of file: JSON articles, JSON lines, token columns or plain text. Every file is read
//! or refused with a message, never a panic, and no line comes out longer than the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["a.json", "a.jsonl", "a.txt", "a"] {
        if let Ok(articles) = rasad_eval::unlabelled_articles(Path::new(name), text) {
            for line in articles.iter().flatten() {
                assert!(line.len() <= text.len(), "a line longer than the file");
            }
        }
    }
});
