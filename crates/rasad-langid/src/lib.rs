//! Language identification for ar, fa, ur and en: per article and per paragraph, with a confidence.
//!
//! The identifier is a trait so that implementations can be measured against each other by the
//! evaluation command (`rasad eval langid`; numbers in docs/evaluation.md). The pipeline uses
//! [`Lingua`], which measured best on single sentences. [`ScriptProfile`] reads the letters that only one of the
//! Arabic-script languages uses (Persian پ چ ژ گ ک ی, Urdu ے ں ٹ ڈ ڑ ہ ھ, Arabic ة ى and the article ال)
//! and the share of Latin letters for English.

mod models;

pub use models::{Lingua, Whatlang};

use rasad_model::{Lang, Paragraph, Span};

/// A language with the identifier's confidence in it, in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    pub lang: Lang,
    pub confidence: f32,
}

impl Guess {
    pub const UNDETERMINED: Guess = Guess {
        lang: Lang::Und,
        confidence: 0.0,
    };
}

/// Identifies the language of a piece of text.
pub trait Identifier: Send + Sync {
    fn identify(&self, text: &str) -> Guess;
}

/// Splits `text` into paragraphs at blank lines and identifies each, falling back to the article's
/// language for paragraphs too short to say.
pub fn paragraphs(text: &str, identifier: &dyn Identifier, article: Guess) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split("\n\n") {
        let end = start + piece.len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            let span = Span::new(start + lead, start + lead + trimmed.len());
            // A one-paragraph text was already identified as a whole.
            let mut guess = if span.start == 0 && span.end == text.len() {
                article
            } else {
                identifier.identify(trimmed)
            };
            if guess.lang == Lang::Und {
                guess = article;
            }
            out.push(Paragraph {
                span,
                lang: guess.lang,
                confidence: guess.confidence,
            });
        }
        start = end + 2;
    }
    out
}

/// Letter-profile identification, fast and dependency-free.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScriptProfile;

/// Fewer letters than this and the identifier says `und`.
pub(crate) const MIN_LETTERS: usize = 3;

/// Whether most letters of `text` (its first 4,000) are in neither the Arabic nor the Latin script:
/// Cyrillic, Hangul, kana, Han, Thai, Bengali … rasad knows no language written in them, and the
/// statistical models, told to choose among ar, fa, ur and en, would name one anyway.
#[must_use]
pub fn foreign_script(text: &str) -> bool {
    let (mut ours, mut other) = (0usize, 0usize);
    for ch in text.chars().filter(|c| c.is_alphabetic()).take(4000) {
        let latin = ch.is_ascii_alphabetic()
            || ('\u{00C0}'..='\u{024F}').contains(&ch)
            || ('\u{1E00}'..='\u{1EFF}').contains(&ch);
        let arabic = matches!(ch, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
        if latin || arabic {
            ours += 1;
        } else {
            other += 1;
        }
    }
    other > ours
}

impl Identifier for ScriptProfile {
    fn identify(&self, text: &str) -> Guess {
        let mut latin = 0usize;
        let mut arabic_script = 0usize;
        let (mut ar, mut fa, mut ur) = (0f32, 0f32, 0f32);
        let mut previous = ' ';
        let mut before_previous = ' ';
        for ch in text.chars() {
            if ch.is_ascii_alphabetic() {
                latin += 1;
            } else if is_arabic_letter(ch) {
                arabic_script += 1;
                match ch {
                    // Persian letters also used in Urdu count for both.
                    'پ' | 'چ' | 'ژ' | 'گ' => {
                        fa += 2.0;
                        ur += 2.0;
                    }
                    '\u{06A9}' | '\u{06CC}' => {
                        fa += 1.0;
                        ur += 1.0;
                    }
                    // Letters Urdu has and Persian does not.
                    'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' | '\u{06C1}' | '\u{06C2}' | '\u{06C3}' | '\u{06BE}' => {
                        ur += 3.0
                    }
                    'ة' | 'ى' | 'إ' => ar += 2.0,
                    'أ' | 'ؤ' => ar += 1.0,
                    // Arabic yeh and kaf, also typed in Persian on Arabic keyboards: weak evidence.
                    '\u{064A}' | '\u{0643}' => ar += 0.5,
                    // The Arabic article at the start of a word.
                    'ل' if previous == 'ا' && !is_arabic_letter(before_previous) => ar += 1.0,
                    _ => {}
                }
            }
            before_previous = previous;
            previous = ch;
        }
        let letters = latin + arabic_script;
        if letters < MIN_LETTERS {
            return Guess::UNDETERMINED;
        }
        #[allow(clippy::cast_precision_loss)]
        let latin_share = latin as f32 / letters as f32;
        if latin_share > 0.5 {
            return Guess {
                lang: Lang::En,
                confidence: latin_share,
            };
        }
        let total = ar + fa + ur;
        if total == 0.0 {
            // Arabic script with no telling letter at all: Arabic is the likeliest reading.
            return Guess {
                lang: Lang::Ar,
                confidence: 0.34,
            };
        }
        let (lang, score) = if ur > fa && ur > ar {
            (Lang::Ur, ur)
        } else if fa >= ar {
            (Lang::Fa, fa)
        } else {
            (Lang::Ar, ar)
        };
        // Shared Persian-Urdu letters count twice in `total`; the confidence uses the winner's share.
        let rival = match lang {
            Lang::Ur => fa.max(ar),
            Lang::Fa => ur.max(ar),
            _ => fa.max(ur),
        };
        Guess {
            lang,
            confidence: (score / (score + rival)).clamp(0.0, 1.0) * (1.0 - latin_share),
        }
    }
}

fn is_arabic_letter(ch: char) -> bool {
    matches!(ch, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lang(text: &str) -> Lang {
        ScriptProfile.identify(text).lang
    }

    #[test]
    fn the_four_languages() {
        assert_eq!(lang("قطعت ألبانيا العلاقات الدبلوماسية مع طهران"), Lang::Ar);
        assert_eq!(
            lang("وزارت امور خارجه ایران ادعاهای دولت آلبانی را مردود شمرد"),
            Lang::Fa
        );
        assert_eq!(lang("پاکستان کے وزیر خارجہ نے کہا ہے کہ"), Lang::Ur);
        assert_eq!(lang("NATO condemned the cyberattack on Albania"), Lang::En);
        assert_eq!(lang("12 34"), Lang::Und);
    }

    #[test]
    fn paragraphs_get_their_own_language() {
        let text = "دان أعضاء حلف شمال الأطلسي الهجوم\n\nNATO allies condemned the attack.";
        let paras = paragraphs(
            text,
            &ScriptProfile,
            Guess {
                lang: Lang::Ar,
                confidence: 1.0,
            },
        );
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].lang, Lang::Ar);
        assert_eq!(paras[1].lang, Lang::En);
        assert_eq!(
            paras[1].span.slice(text),
            Some("NATO allies condemned the attack.")
        );
    }

    proptest! {
        #[test]
        fn paragraph_spans_stay_inside_the_text(text in "\\PC{0,80}(\n\n\\PC{0,40}){0,4}") {
            let guess = ScriptProfile.identify(&text);
            prop_assert!((0.0..=1.0).contains(&guess.confidence));
            for para in paragraphs(&text, &ScriptProfile, guess) {
                prop_assert!(para.span.slice(&text).is_some());
            }
        }
    }
}
