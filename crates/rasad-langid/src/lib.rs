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

/// The language of a whole article: its letters when they plainly say Arabic, Persian or English
/// ([`plain_language`]; confidence 1), else `identifier`'s guess. The statistical model's n-gram
/// lookups were a sixth of the analysis of a long Arabic article.
pub fn article(text: &str, identifier: &dyn Identifier) -> Guess {
    match plain_language(text) {
        Some(lang) => Guess {
            lang,
            confidence: 1.0,
        },
        None => identifier.identify(text),
    }
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
            // A one-paragraph text was already identified as a whole; a paragraph whose letters
            // plainly say the article's language (the letter profile, confident) is not given to
            // the statistical model again.
            let mut guess = if span.start == 0 && span.end == text.len() || plainly(trimmed, article.lang) {
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

/// Letters a paragraph needs for the letter profile to speak for it.
const PLAIN_LETTERS: usize = 20;

/// Whether the letters of `paragraph` plainly say `lang` (see [`Letters::plainly`]).
fn plainly(paragraph: &str, lang: Lang) -> bool {
    enough_letters(paragraph) && Letters::of(paragraph).plainly(lang)
}

/// Whether `text` has the letters the letter profile needs to speak for it.
fn enough_letters(text: &str) -> bool {
    text.chars()
        .filter(|c| is_alphabetic(*c))
        .take(PLAIN_LETTERS)
        .count()
        == PLAIN_LETTERS
}

/// The language whose letters leave no doubt in `text` (see [`Letters::plainly`]): twenty letters or
/// more, none mostly of a script rasad does not read. A whole article that is plainly Arabic,
/// Persian or English need not be given to the statistical model.
#[must_use]
pub fn plain_language(text: &str) -> Option<Lang> {
    if foreign_script(text) || !enough_letters(text) {
        return None;
    }
    let letters = Letters::of(text);
    [Lang::Ar, Lang::Fa, Lang::En]
        .into_iter()
        .find(|l| letters.plainly(*l))
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
    for ch in text.chars().filter(|c| is_alphabetic(*c)).take(4000) {
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

/// What the letter profile counts in a text.
#[derive(Debug, Default)]
struct Letters {
    latin: usize,
    arabic_script: usize,
    ar: f32,
    fa: f32,
    ur: f32,
    /// Evidence from letters Urdu has and Persian does not.
    ur_only: f32,
}

impl Letters {
    fn of(text: &str) -> Self {
        let mut l = Letters::default();
        let mut previous = ' ';
        let mut before_previous = ' ';
        for ch in text.chars() {
            if ch.is_ascii_alphabetic() {
                l.latin += 1;
            } else if is_arabic_letter(ch) {
                l.arabic_script += 1;
                match ch {
                    // Persian letters also used in Urdu count for both.
                    'پ' | 'چ' | 'ژ' | 'گ' => {
                        l.fa += 2.0;
                        l.ur += 2.0;
                    }
                    '\u{06A9}' | '\u{06CC}' => {
                        l.fa += 1.0;
                        l.ur += 1.0;
                    }
                    // Letters Urdu has and Persian does not.
                    'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' | '\u{06C1}' | '\u{06C2}' | '\u{06C3}' | '\u{06BE}' =>
                    {
                        l.ur += 3.0;
                        l.ur_only += 3.0;
                    }
                    'ة' | 'ى' | 'إ' => l.ar += 2.0,
                    'أ' | 'ؤ' => l.ar += 1.0,
                    // Arabic yeh and kaf, also typed in Persian on Arabic keyboards: weak evidence.
                    '\u{064A}' | '\u{0643}' => l.ar += 0.5,
                    // The Arabic article at the start of a word.
                    'ل' if previous == 'ا' && !is_arabic_letter(before_previous) => l.ar += 1.0,
                    _ => {}
                }
            }
            before_previous = previous;
            previous = ch;
        }
        l
    }

    #[allow(clippy::cast_precision_loss)]
    fn latin_share(&self) -> f32 {
        let letters = self.latin + self.arabic_script;
        if letters == 0 {
            0.0
        } else {
            self.latin as f32 / letters as f32
        }
    }

    /// Whether the letters leave no doubt that the text is in `lang`: nine in ten letters Latin
    /// for English; for Arabic and Persian, Arabic script with that language's telling letters
    /// outweighing the others' nine to one (and, for Persian, no letter only Urdu has).
    fn plainly(&self, lang: Lang) -> bool {
        let arabic_script = self.latin_share() <= 0.1;
        match lang {
            Lang::En => self.latin_share() >= 0.9,
            Lang::Ar => arabic_script && self.ar >= 4.0 && self.ar >= 9.0 * self.fa.max(self.ur),
            Lang::Fa => arabic_script && self.ur_only == 0.0 && self.fa >= 4.0 && self.fa >= 9.0 * self.ar,
            _ => false,
        }
    }
}

impl Identifier for ScriptProfile {
    fn identify(&self, text: &str) -> Guess {
        let l = Letters::of(text);
        let (ar, fa, ur) = (l.ar, l.fa, l.ur);
        let letters = l.latin + l.arabic_script;
        if letters < MIN_LETTERS {
            return Guess::UNDETERMINED;
        }
        let latin_share = l.latin_share();
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

/// [`char::is_alphabetic`], answered without the Unicode tables for ASCII and the Arabic letters
/// (the tables were a twentieth of an Arabic article's analysis); tested over every char.
fn is_alphabetic(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphabetic(),
        '\u{0620}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' => true,
        _ => c.is_alphabetic(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_fast_letter_test_agrees_with_the_tables_on_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{:04X}", u32::from(c));
        }
    }

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

    const AR: &str =
        "قطعت ألبانيا العلاقات الدبلوماسية مع إيران بسبب الهجوم الإلكتروني على البنية التحتية الرقمية للحكومة";
    const FA: &str =
        "دولت آلبانی روابط دیپلماتیک خود را با ایران به دلیل حمله سایبری تیرماه قطع کرد و سفیر را اخراج کرد";
    const UR: &str = "البانیہ نے ایران کے ساتھ سفارتی تعلقات منقطع کر دیے ہیں کیونکہ سائبر حملہ ہوا تھا";
    const EN: &str =
        "Albania cut diplomatic ties with Iran over a cyberattack on government services in July";

    #[test]
    fn only_plain_paragraphs_skip_the_model() {
        let (ar, fa, ur, en) = (AR, FA, UR, EN);
        assert!(plainly(ar, Lang::Ar) && !plainly(ar, Lang::Fa));
        assert!(plainly(fa, Lang::Fa) && !plainly(fa, Lang::Ar));
        assert!(
            !plainly(ur, Lang::Fa),
            "Urdu letters keep it from passing as Persian"
        );
        assert!(plainly(en, Lang::En) && !plainly(en, Lang::Ar));
        // Too short to say, and mixed scripts, go to the model.
        assert!(!plainly("NATO", Lang::En));
        assert!(!plainly(&format!("{ar} {en}"), Lang::Ar));
    }

    #[test]
    fn plain_articles_are_named_without_the_model() {
        let (ar, fa, ur, en) = (AR, FA, UR, EN);
        assert_eq!(plain_language(ar), Some(Lang::Ar));
        assert_eq!(plain_language(fa), Some(Lang::Fa));
        assert_eq!(plain_language(en), Some(Lang::En));
        assert_eq!(plain_language(ur), None, "Urdu goes to the model");
        assert_eq!(
            plain_language(&format!("{ar}\n\n{en}")),
            None,
            "mixed goes to the model"
        );
        assert_eq!(plain_language("NATO"), None);
        // Only what is not plain goes to the identifier.
        struct Asked;
        impl Identifier for Asked {
            fn identify(&self, _: &str) -> Guess {
                Guess {
                    lang: Lang::Ur,
                    confidence: 0.5,
                }
            }
        }
        assert_eq!(
            article(ar, &Asked),
            Guess {
                lang: Lang::Ar,
                confidence: 1.0
            }
        );
        assert_eq!(article(ur, &Asked).confidence, 0.5);
        // Mostly Cyrillic with some Latin is no English.
        let ru = "Албания разорвала дипломатические отношения с Ираном после кибератаки NATO EU";
        assert_eq!(plain_language(ru), None);
    }

    proptest::proptest! {
        /// What the letters plainly say, the letter profile says too.
        #[test]
        fn a_plain_language_is_the_profiles(text in "[a-zA-Z ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإپچژگکیےٹа-я]{0,160}") {
            if let Some(plain) = plain_language(&text) {
                proptest::prop_assert_eq!(lang(&text), plain);
            }
        }

        #[test]
        fn a_paragraph_is_plainly_one_language_at_most(text in "[a-zA-Z ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإپچژگکیےٹ]{0,120}") {
            let said = [Lang::Ar, Lang::Fa, Lang::En, Lang::Ur].into_iter().filter(|l| plainly(&text, *l)).count();
            proptest::prop_assert!(said <= 1);
        }
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
