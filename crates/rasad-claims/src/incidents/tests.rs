//! Golden tests of the incident patterns: one sentence per rule and language, written for the rule
//! (the measured quality is `rasad eval incidents` on real news), and property tests of the readers.

use rasad_model::{Incident, Lang};

use super::PatternMatch;

fn analyse(text: &str, lang: Lang) -> (Vec<Incident>, Vec<PatternMatch>) {
    let entities = rasad_entities::extract(text, lang);
    let quotes = crate::quotes(text, lang, &entities);
    let events = crate::events(text, lang, &entities, &quotes, &[], None);
    // As the pipeline calls it: names only the tagger found are actors only as people of a state.
    let incidents = crate::events_and_incidents(text, lang, &entities, &quotes, &[], None).incidents;
    let trace = super::trace(text, lang, &entities, &quotes, &events);
    (incidents, trace)
}

/// "by -> accused" for every attribution that is not a claim, `-` for no one.
fn pairs(incidents: &[Incident]) -> Vec<String> {
    let mut out: Vec<String> = incidents
        .iter()
        .flat_map(|i| &i.attributions)
        .filter(|a| !a.is_claim())
        .map(|a| {
            format!(
                "{} -> {}",
                a.attributing_actor.as_deref().unwrap_or("-"),
                a.accused_actor.as_deref().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn victims(incidents: &[Incident]) -> Vec<String> {
    let mut out: Vec<String> = incidents.iter().flat_map(|i| i.receivers.clone()).collect();
    out.sort();
    out.dedup();
    out
}

fn claims(incidents: &[Incident]) -> Vec<String> {
    let mut out: Vec<String> = incidents
        .iter()
        .flat_map(|i| &i.attributions)
        .filter(|a| a.is_claim())
        .filter_map(|a| a.accused_actor.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn denials(incidents: &[Incident]) -> Vec<String> {
    let mut out: Vec<String> = incidents
        .iter()
        .flat_map(|i| &i.denials)
        .filter_map(|d| d.actor.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_description_as_a_smear_campaign_is_the_describers_denial() {
    let text =
        "وصفت حكومة كوريا الشمالية اتهامات البيت الأبيض بالوقوف وراء الهجوم الإلكتروني بأنها مجرد حملة تشويه.";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert_eq!(denials(&incidents), ["country:PRK"], "{trace:#?}");
}

#[test]
fn neither_confirming_nor_denying_is_no_denial() {
    let text = "The spokesman for North Korea's United Nations delegation neither confirmed nor denied involvement in the hacking of Sony Pictures.";
    let (incidents, trace) = analyse(text, Lang::En);
    assert!(denials(&incidents).is_empty(), "{incidents:#?} {trace:#?}");
    let text = "المتحدث باسم الخارجية الروسية لم يؤكد أو ينفي ضلوع موسكو في الهجوم الإلكتروني.";
    let (incidents, _) = analyse(text, Lang::Ar);
    assert!(denials(&incidents).is_empty(), "{incidents:#?}");
}

#[test]
fn a_state_that_backs_a_group_does_not_claim_for_it() {
    let text = "Hackers stole $90 million from the Nobitex exchange, and a group linked to Israel is now claiming responsibility for the hack. An Israel-linked hacking group has claimed responsibility for the cyberattack.";
    let (incidents, trace) = analyse(text, Lang::En);
    assert!(claims(&incidents).is_empty(), "{trace:#?}");
}

#[test]
fn words_describing_a_known_victim_are_not_names() {
    for (text, lang) in [
        (
            "ظهرت تكهنات حول هجوم إلكتروني من قبل كوريا الشمالية ضد شركة الأفلام الأميركية \"سوني بكتشرز إنترتينمنت\".",
            Lang::Ar,
        ),
        (
            "كانت شركة سوني بيكتشرز للترفيه قد تعرضت قبل أسبوعين لعملية قرصنة إلكترونية.",
            Lang::Ar,
        ),
        (
            "آمریکا کره شمالی را مسئول هک شبکه کامپیوتری شرکت فیلمسازی \"سونی پیکچرز\" اعلام خواهد کرد.",
            Lang::Fa,
        ),
    ] {
        let (incidents, trace) = analyse(text, lang);
        assert_eq!(victims(&incidents), ["company:sony-pictures"], "{text} {trace:?}");
    }
}

#[test]
fn arabic_accusations_and_their_speakers() {
    // VSO with adverbs between the accuser and the accused.
    let text = "اتهمت وزارة الخارجية الإيرانية اليوم الاثنين رسميا إسرائيل بالوقوف وراء الهجوم الإلكتروني على منشأة نطنز النووية.";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert_eq!(pairs(&incidents), ["gov:irn-mfa -> country:ISR"], "{trace:#?}");
    assert_eq!(victims(&incidents), ["city:natanz"]);

    // The one who speaks stands inside the accusation's words.
    let text = "تعرضت شركة سوني بيكتشرز لهجوم إلكتروني، أرجعته الدوائر الأمريكية إلى كوريا الشمالية.";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert_eq!(pairs(&incidents), ["country:USA -> country:PRK"], "{trace:#?}");
    assert_eq!(victims(&incidents), ["company:sony-pictures"]);

    // A sentence that goes on with a pronoun keeps the speaker of the one before.
    let text = "قالت شركة مايكروسوفت إنها رصدت هجوما إلكترونيا على خوادم البريد. وأضافت أن مجموعة هافنيوم تقف وراء الهجوم.";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert_eq!(
        pairs(&incidents),
        ["vendor:microsoft -> actor:hafnium"],
        "{trace:#?}"
    );

    // Attacks "in" a state do not accuse it.
    let text = "اتهمت وزارة العدل الأمريكية سبعة قراصنة إيرانيين بشن هجمات إلكترونية في الولايات المتحدة.";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert!(
        !pairs(&incidents).iter().any(|p| p.ends_with("country:USA")),
        "{trace:#?}"
    );
}

#[test]
fn english_speakers_victims_and_lists() {
    // A headline that opens with a name and a colon is that name's word.
    let text = "Microsoft: Chinese hackers are exploiting Exchange Server flaws to steal emails";
    let (incidents, trace) = analyse(text, Lang::En);
    assert_eq!(
        pairs(&incidents),
        ["vendor:microsoft -> country:CHN"],
        "{trace:#?}"
    );

    // The malware before the attack words is no victim's name.
    let text = "The US has blamed North Korea for the WannaCry cyber attack that hit the NHS.";
    let (incidents, trace) = analyse(text, Lang::En);
    assert_eq!(pairs(&incidents), ["country:USA -> country:PRK"], "{trace:#?}");
    assert_eq!(victims(&incidents), ["gov:gbr-nhs"], "{trace:#?}");

    // A list of victims, one-word names included.
    let text = "Hackers breached the casino's network. Target, Neiman Marcus, and Home Depot were all attacked this year.";
    let (incidents, trace) = analyse(text, Lang::En);
    let found = victims(&incidents);
    for v in ["org:target", "org:neiman-marcus", "org:home-depot"] {
        assert!(found.iter().any(|f| f == v), "{v} not in {found:?} {trace:#?}");
    }
}

#[test]
fn persian_speakers_and_claims() {
    // The minister speaks, not the outlet he spoke to.
    let text = "وزیر امنیت بریتانیا در مصاحبه با بی بی سی اعلام کرد که عامل حمله سایبری واناکرای هکرهای کره شمالی بودند.";
    let (incidents, trace) = analyse(text, Lang::Fa);
    assert_eq!(pairs(&incidents), ["country:GBR -> country:PRK"], "{trace:#?}");

    // "This group" is the group named before.
    let text = "گروه هکری موسوم به «Codebreakers» بانک سپه را هک کرد. این گروه مدعی شده که اطلاعات ۴۲ میلیون مشتری بانک سپه را در اختیار دارد.";
    let (incidents, trace) = analyse(text, Lang::Fa);
    assert_eq!(claims(&incidents), ["actor:codebreakers"], "{trace:#?}");
    assert_eq!(victims(&incidents), ["company:bank-sepah"], "{trace:#?}");
}

#[test]
fn arabic_claims_through_a_group_phrase() {
    let text = "وقد زعمت مجموعة الهاكرز المؤيدة لإسرائيل المسماة \"Predatory Sparrow\" أنها دمرت جميع بيانات بنك سپه في هجوم إلكتروني.";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert_eq!(claims(&incidents), ["actor:predatory-sparrow"], "{trace:#?}");
}

#[test]
fn an_arabic_article_is_no_preposition() {
    // "الأمريكي" carries the article, not a preposition: the judiciary speaks, in every order.
    for text in [
        "القضاء الأمريكي أعلن توجيه الاتهام إلى سبعة إيرانيين بشن هجمات إلكترونية.",
        "وقال القضاء الأمريكي إن إيرانيين شنوا هجمات إلكترونية.",
        "أعلن القضاء الأمريكي أن إيرانيين شنوا هجمات إلكترونية.",
    ] {
        let (incidents, trace) = analyse(text, Lang::Ar);
        assert_eq!(
            pairs(&incidents),
            ["country:USA -> country:IRN"],
            "{text} {trace:?}"
        );
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn words(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Ar => vec![
                "اتهمت",
                "واشنطن",
                "بيونغ",
                "يانغ",
                "كوريا",
                "الشمالية",
                "بالوقوف",
                "وراء",
                "الهجوم",
                "الإلكتروني",
                "على",
                "شركة",
                "سوني",
                "بيكتشرز",
                "\"",
                "«",
                "»",
                "،",
                ".",
                "نفت",
                "مجموعة",
                "المسماة",
                "تبنت",
                "وأضاف",
                "أن",
                "في",
                "الأمريكية",
                "مسؤول",
                "بنك",
                "تعرضت",
                "لهجوم",
                "قراصنة",
                "روس",
                "المجموعة",
            ],
            Lang::Fa => vec![
                "آمریکا",
                "کره",
                "ی",
                "شمالی",
                "را",
                "به",
                "حمله",
                "سایبری",
                "متهم",
                "کرد",
                "بانک",
                "سپه",
                "هک",
                "شد",
                "این",
                "گروه",
                "مدعی",
                "شده",
                "که",
                "«",
                "»",
                "،",
                ".",
                "تکذیب",
                "وزیر",
                "بریتانیا",
                "با",
                "گفت",
            ],
            _ => vec![
                "The",
                "US",
                "blamed",
                "North",
                "Korea",
                "for",
                "the",
                "WannaCry",
                "cyberattack",
                "on",
                "Sony",
                "Pictures",
                ",",
                ".",
                "denied",
                "Microsoft",
                ":",
                "Chinese",
                "hackers",
                "a",
                "group",
                "called",
                "Hafnium",
                "claimed",
                "responsibility",
                "the",
                "company",
                "was",
                "hit",
                "and",
                "Target",
                "said",
            ],
        }
    }

    proptest! {
        /// Cue words, names and punctuation in any order: no panic, every match and record over
        /// the text, no one accused by itself.
        #[test]
        fn pattern_words_in_any_order(picks in proptest::collection::vec(0..64usize, 0..40), lang in 0..3u8) {
            let lang = [Lang::Ar, Lang::Fa, Lang::En][usize::from(lang)];
            let vocabulary = words(lang);
            let text = picks
                .iter()
                .filter_map(|&p| vocabulary.get(p % vocabulary.len()).copied())
                .collect::<Vec<_>>()
                .join(" ");
            let (incidents, trace) = analyse(&text, lang);
            for m in &trace {
                prop_assert!(m.span.slice(&text).is_some(), "{m:?}");
            }
            for i in &incidents {
                for v in &i.victims {
                    prop_assert!(v.evidence.slice(&text).is_some());
                }
                for a in &i.attributions {
                    prop_assert!(a.evidence.slice(&text).is_some());
                    if !a.is_claim() {
                        prop_assert!(a.attributing_actor.is_none() || a.attributing_actor != a.accused_actor, "{a:?}");
                    }
                }
                for d in &i.denials {
                    prop_assert!(d.evidence.slice(&text).is_some());
                }
            }
        }
    }
}

#[test]
fn persian_victims_in_a_list_with_their_states() {
    // Each organisation stands "in" its state; the words between a head noun and a known name
    // describe it.
    let text = "جمهوری اسلامی ایران ویروسی به اسم “شامون” را برای حمله سایبری طراحی کرده است که هزاران دستگاه کامپیوتر در شرکت ملی نفت “آرامکو” در عربستان و شرکت “راسگاز” در قطر را آلوده کرده است.";
    let (incidents, trace) = analyse(text, Lang::Fa);
    assert_eq!(
        victims(&incidents),
        ["company:aramco", "company:rasgas"],
        "{trace:?}"
    );
    // "American banks" are the United States, not Bank of America.
    let text = "حمله سایبری گسترده ایران علیه بانکهای آمریکایی";
    let (incidents, trace) = analyse(text, Lang::Fa);
    assert_eq!(victims(&incidents), ["country:USA"], "{trace:?}");
}

#[test]
fn a_long_arabic_list_of_victims() {
    let text = "وذكر أن القضاء الأمريكي أعلن توجيه الاتهام في قضية هجمات معلوماتية. ومن ابرز الجهات المستهدفة بورصة وول ستريت ومؤشر ناسداك ومصارف \"اي ان جي\" و\"كابيتال وان\" و\"بنك اوف أميركا\".";
    let (incidents, trace) = analyse(text, Lang::Ar);
    assert_eq!(
        victims(&incidents),
        [
            "company:bank-of-america",
            "company:capital-one",
            "company:ing",
            "company:nasdaq",
            "company:nyse"
        ],
        "{trace:?}"
    );
}
