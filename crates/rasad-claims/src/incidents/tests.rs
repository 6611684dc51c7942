//! Golden tests of the incident patterns: one sentence per rule and language, written for the rule
//! (the measured quality is `rasad eval incidents` on real news), and property tests of the readers.

use rasad_model::{Incident, Lang};

use super::PatternMatch;

fn analyse(text: &str, lang: Lang) -> (Vec<Incident>, Vec<PatternMatch>) {
    let entities = rasad_entities::extract(text, lang);
    let quotes = crate::quotes(text, lang, &entities);
    let events = crate::events(text, lang, &entities, &quotes, &[], None);
    let (incidents, _) = crate::incidents(text, lang, &entities, &quotes, &events, &[]);
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
    let text = "وصفت حكومة كوريا الشمالية اتهامات البيت الأبيض بالوقوف وراء الهجوم الإلكتروني بأنها مجرد حملة تشويه.";
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
        ("كانت شركة سوني بيكتشرز للترفيه قد تعرضت قبل أسبوعين لعملية قرصنة إلكترونية.", Lang::Ar),
        (
            "آمریکا کره شمالی را مسئول هک شبکه کامپیوتری شرکت فیلمسازی \"سونی پیکچرز\" اعلام خواهد کرد.",
            Lang::Fa,
        ),
    ] {
        let (incidents, trace) = analyse(text, lang);
        assert_eq!(victims(&incidents), ["company:sony-pictures"], "{text} {trace:?}");
    }
}
