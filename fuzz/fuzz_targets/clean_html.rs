//! Fuzzes the HTML cleaner: any bytes, decoded as a page would be, must clean without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(html) = rasad_ingest::decode_html(data, None) {
        let cleaned = rasad_clean::clean_html(&html.text, Some("https://example.com/a"));
        assert!(!cleaned.text.contains("\n\n\n"));
    }
});
