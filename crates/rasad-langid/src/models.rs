//! Statistical identifiers from maintained crates, restricted to the languages rasad supports, so
//! that the evaluation command can measure them against the letter profile.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use rasad_model::Lang;

use crate::{Guess, Identifier};

/// `lingua` (n-gram models), restricted to Arabic, Persian, Urdu and English. The models load on
/// first use.
#[derive(Default)]
pub struct Lingua {
    detector: OnceLock<LanguageDetector>,
}

impl std::fmt::Debug for Lingua {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lingua")
            .field("loaded", &self.detector.get().is_some())
            .finish()
    }
}

impl Identifier for Lingua {
    fn identify(&self, text: &str) -> Guess {
        // Digits, punctuation and a stray letter or two carry no language; lingua would still name one.
        if text
            .chars()
            .filter(|c| c.is_alphabetic())
            .take(crate::MIN_LETTERS)
            .count()
            < crate::MIN_LETTERS
        {
            return Guess::UNDETERMINED;
        }
        let detector = self.detector.get_or_init(|| {
            LanguageDetectorBuilder::from_languages(&[
                Language::Arabic,
                Language::Persian,
                Language::Urdu,
                Language::English,
            ])
            .build()
        });
        let values = detector.compute_language_confidence_values(text);
        let Some((language, confidence)) = values.first() else {
            return Guess::UNDETERMINED;
        };
        let lang = match language {
            Language::Arabic => Lang::Ar,
            Language::Persian => Lang::Fa,
            Language::Urdu => Lang::Ur,
            Language::English => Lang::En,
            #[allow(unreachable_patterns)]
            _ => Lang::Und,
        };
        #[allow(clippy::cast_possible_truncation)]
        let confidence = *confidence as f32;
        Guess { lang, confidence }
    }
}

/// `whatlang` (trigram profiles), with an allowlist of the four languages.
#[derive(Debug)]
pub struct Whatlang {
    detector: whatlang::Detector,
}

impl Default for Whatlang {
    fn default() -> Self {
        use whatlang::Lang as W;
        Self {
            detector: whatlang::Detector::with_allowlist(vec![W::Ara, W::Pes, W::Urd, W::Eng]),
        }
    }
}

impl Identifier for Whatlang {
    fn identify(&self, text: &str) -> Guess {
        use whatlang::Lang as W;
        let Some(info) = self.detector.detect(text) else {
            return Guess::UNDETERMINED;
        };
        let lang = match info.lang() {
            W::Ara => Lang::Ar,
            W::Pes => Lang::Fa,
            W::Urd => Lang::Ur,
            W::Eng => Lang::En,
            _ => Lang::Und,
        };
        #[allow(clippy::cast_possible_truncation)]
        let confidence = info.confidence() as f32;
        Guess { lang, confidence }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_models_know_the_four_languages() {
        let cases = [
            (
                "قطعت ألبانيا العلاقات الدبلوماسية مع طهران بعد الهجوم الإلكتروني",
                Lang::Ar,
            ),
            (
                "وزارت امور خارجه ایران ادعاهای دولت آلبانی را مردود شمرد",
                Lang::Fa,
            ),
            ("NATO condemned the cyberattack on Albania", Lang::En),
        ];
        for (text, lang) in cases {
            assert_eq!(Lingua::default().identify(text).lang, lang, "lingua: {text}");
            assert_eq!(Whatlang::default().identify(text).lang, lang, "whatlang: {text}");
        }
        assert_eq!(Lingua::default().identify("12 - 34").lang, Lang::Und);
    }
}
