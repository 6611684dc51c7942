//! WARC and ARC archives from any bytes: every record is a page or an error for that record, the
//! reader always ends, and a record's declared length never makes it allocate what it claims.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasad_ingest::{ArchiveKind, Records};

fuzz_target!(|data: &[u8]| {
    for kind in [ArchiveKind::Warc, ArchiveKind::Arc] {
        let records = Records::new("fuzz".to_string(), kind, data, 64 * 1024);
        // Each record consumes input, so there can be no more items than bytes (plus the last).
        for (n, item) in records.enumerate() {
            assert!(n <= data.len() + 1, "the archive reader did not end");
            if let Ok(doc) = item {
                assert!(doc.source.starts_with("fuzz@"));
            }
        }
    }
});
