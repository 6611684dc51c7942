//! POST /api/ingest bodies: any bytes split into articles without panicking, every article named.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = rasad_ingest::parse_batch(data, "api", 1000) {
        assert!(!docs.is_empty() && docs.len() <= 1000);
        for doc in docs.into_iter().flatten() {
            assert!(doc.source.starts_with("api:"));
        }
    }
});
