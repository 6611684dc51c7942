//! Fuzzes the byte-level readers: text decoding and JSON Lines records.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rasad_ingest::decode_text(data);
    let _ = rasad_ingest::parse_record(data, "fuzz:1".to_string());
});
