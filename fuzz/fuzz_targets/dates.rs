//! Fuzzes the date parser: any UTF-8 in every language, with and without a reference date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasad_model::Lang;

fuzz_target!(|text: &str| {
    let reference = chrono::NaiveDate::from_ymd_opt(2022, 9, 8);
    for lang in [Lang::Ar, Lang::Fa, Lang::En, Lang::Und] {
        for m in rasad_dates::extract(text, lang, reference) {
            assert!(m.span.slice(text).is_some());
        }
        let _ = rasad_dates::extract(text, lang, None);
    }
});
