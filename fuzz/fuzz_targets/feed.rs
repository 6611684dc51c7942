//! RSS 2.0, RSS 1.0, Atom and JSON Feed bytes: parsed or refused, never a panic; every entry that
//! becomes a document is named after its feed and carries text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(feed) = rasad_ingest::parse_feed(data, Some("http://example.org/feed.xml")) {
        for (i, entry) in feed.entries.iter().enumerate() {
            if let Some(doc) = entry.document(format!("feed#{i}"), Some("http://example.org/feed.xml")) {
                assert!(doc.source.starts_with("feed#"));
            }
        }
    }
});
