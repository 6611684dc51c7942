//! Fuzzes the plain-text cleaner and the normalizer on any UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let cleaned = rasad_clean::clean_text(text, true);
    for token in rasad_normalize::tokenize(&cleaned.text) {
        assert!(token.span.slice(&cleaned.text).is_some());
    }
    let key = rasad_normalize::search_key(text);
    assert_eq!(rasad_normalize::search_key(&key.text).text, key.text);
});
