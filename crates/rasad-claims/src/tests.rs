//! Golden tests: quotes read from the seed articles and from sentences written for each rule.

use rasad_model::{Lang, Quote, Stance};

/// A seed article from examples/, cleaned as the pipeline cleans it.
pub(crate) fn seed(name: &str) -> String {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(path).unwrap();
    rasad_clean::clean_text(&raw, true).text
}

fn run(text: &str, lang: Lang) -> Vec<Quote> {
    let entities = rasad_entities::extract(text, lang);
    let found = crate::quotes(text, lang, &entities);
    for q in &found {
        assert_eq!(q.span.slice(text), Some(q.text.as_str()));
        assert_eq!(q.verb_span.slice(text), Some(q.verb.as_str()));
    }
    found
}

/// (speaker, verb, stance, direct, the quote's first words).
type Row<'a> = (Option<&'a str>, &'a str, Stance, bool, &'a str);

fn check(found: &[Quote], expected: &[Row<'_>]) {
    let got: Vec<String> = found
        .iter()
        .map(|q| {
            format!(
                "{:?} {} {:?} {} {}",
                q.speaker, q.verb, q.stance, q.direct, q.text
            )
        })
        .collect();
    assert_eq!(found.len(), expected.len(), "{got:#?}");
    for (q, (speaker, verb, stance, direct, start)) in found.iter().zip(expected) {
        assert_eq!(q.speaker.as_deref(), *speaker, "{got:#?}");
        assert_eq!(q.verb, *verb, "{got:#?}");
        assert_eq!(q.stance, *stance, "{got:#?}");
        assert_eq!(q.direct, *direct, "{got:#?}");
        assert!(
            q.text.starts_with(start),
            "{:?} should start with {start:?}",
            q.text
        );
    }
}

#[test]
fn seed_002_rama_nato_and_tehran() {
    let found = run(&seed("002_69fb2a966d6a8770.txt"), Lang::Ar);
    check(
        &found,
        &[
            (
                Some("person:edi-rama"),
                "قال",
                Stance::Assert,
                true,
                "هدد بشل الخدمات العامة",
            ),
            // "نددت طهران … ووصفت مبررات ألبانيا … بأنها ادعاءات": Tehran described, not Albania.
            (
                Some("city:tehran"),
                "وصفت",
                Stance::Assert,
                false,
                "ادعاءات لا أساس لها",
            ),
            (Some("igo:nato-nac"), "قال", Stance::Assert, true, "ندين بشدة"),
            // "وأضاف أن": the North Atlantic Council again.
            (
                Some("igo:nato-nac"),
                "أضاف",
                Stance::Assert,
                true,
                "حلف شمال الأطلسي والحلفاء يدعمون",
            ),
        ],
    );
}

#[test]
fn seed_004_iranian_envoy_at_the_un() {
    let found = run(&seed("004_7e47baae7ec09d11.txt"), Lang::Ar);
    check(
        &found,
        &[
            // "قال سفير ومندوب إيران الدائم لدى الامم المتحدة:" names the office, not the man.
            (
                Some("country:IRN"),
                "قال",
                Stance::Assert,
                true,
                "لقد كانت بلادنا ضحية",
            ),
            (
                Some("outlet:mehr"),
                "أفادت",
                Stance::Assert,
                false,
                "بدأ الاجتماع الأول",
            ),
            (
                Some("person:majid-takht-ravanchi"),
                "أشار",
                Stance::Assert,
                false,
                "إيران كانت ضحية",
            ),
            (
                Some("person:majid-takht-ravanchi"),
                "قائلا",
                Stance::Assert,
                false,
                "مبادئ إيران التوجيهية",
            ),
            (
                Some("person:majid-takht-ravanchi"),
                "قال",
                Stance::Assert,
                false,
                "من أجل تحقيق المبادئ",
            ),
        ],
    );
    // "ومن الجدير بالذكر أن" (it is worth mentioning that) is the reporter's aside, not a quote.
    assert!(found.iter().all(|q| !q.text.starts_with("وفدنا")));
}

#[test]
fn seed_000_persian_embassy_statement() {
    let found = run(&seed("000_d2c4ce68fa1361f3.txt"), Lang::Fa);
    let by_verb = |verb: &str| found.iter().filter(|q| q.verb == verb).collect::<Vec<_>>();
    let declared = by_verb("تصریح کرد");
    assert_eq!(declared.len(), 2, "{found:#?}");
    assert!(
        declared
            .iter()
            .all(|q| q.speaker.as_deref() == Some("embassy:irn") && q.stance == Stance::Confirm)
    );
    assert!(declared[0].text.starts_with("این سازمان و اعضایش"));
    let stressed = by_verb("تأکید کرد");
    assert_eq!(stressed.len(), 1);
    assert_eq!(stressed[0].speaker.as_deref(), Some("gov:irn-mfa"));
    assert!(
        stressed[0]
            .text
            .starts_with("جمهوری اسلامی ایران به عنوان یکی از کشورهای هدف")
    );
    // The statement quoted with "آمده است:" has no named speaker in its sentence; rasad does not guess.
    assert!(by_verb("آمده است").iter().all(|q| q.speaker.is_none()));
    // Nothing is spoken by the outlet that reports it (به گزارش جام جم آنلاین).
    assert!(
        found
            .iter()
            .all(|q| q.speaker.as_deref() != Some("outlet:jamejam"))
    );
}

#[test]
fn stances_and_word_orders() {
    check(
        &run(
            "ونفت وزارة الخارجية الإيرانية أن تكون طهران وراء الهجوم.",
            Lang::Ar,
        ),
        &[(
            Some("gov:irn-mfa"),
            "نفت",
            Stance::Deny,
            false,
            "تكون طهران وراء الهجوم",
        )],
    );
    check(
        &run("وزعمت واشنطن أن إيران تقف وراء الهجوم.", Lang::Ar),
        &[(
            Some("city:washington"),
            "زعمت",
            Stance::Claim,
            false,
            "إيران تقف وراء الهجوم",
        )],
    );
    check(
        &run("ناصر کنعانی ادعا کرد که آلبانی دروغ می‌گوید.", Lang::Fa),
        &[(
            Some("person:nasser-kanaani"),
            "ادعا کرد",
            Stance::Claim,
            false,
            "آلبانی دروغ می‌گوید",
        )],
    );
    check(
        &run(
            "Iran's foreign ministry denied that it was behind the attack. It added that the claims were baseless.",
            Lang::En,
        ),
        &[
            (
                Some("gov:irn-mfa"),
                "denied",
                Stance::Deny,
                false,
                "it was behind the attack",
            ),
            (
                Some("gov:irn-mfa"),
                "added",
                Stance::Assert,
                false,
                "the claims were baseless",
            ),
        ],
    );
    check(
        &run("NATO condemned the attack: \"We stand with Albania.\"", Lang::En),
        &[(
            Some("igo:nato"),
            "condemned",
            Stance::Condemn,
            true,
            "We stand with Albania",
        )],
    );
}

#[test]
fn a_verb_that_introduces_nothing_is_not_a_quote() {
    assert!(run("نددت طهران بقرار تيرانا قطع العلاقات.", Lang::Ar).is_empty());
    assert!(run("The minister said nothing.", Lang::En).is_empty());
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_text_no_panic_and_spans_hold(text in "\\PC{0,300}", lang in 0..4u8) {
            let lang = [Lang::Ar, Lang::Fa, Lang::En, Lang::Und][usize::from(lang)];
            let entities = rasad_entities::extract(&text, lang);
            for q in crate::quotes(&text, lang, &entities) {
                prop_assert_eq!(q.span.slice(&text), Some(q.text.as_str()));
                prop_assert_eq!(q.verb_span.slice(&text), Some(q.verb.as_str()));
            }
        }

        #[test]
        fn quoted_speech_with_a_verb_is_found(words in proptest::collection::vec("[a-z]{2,8}", 1..8)) {
            let said = words.join(" ");
            let text = format!("Albania said: \"{said}\".");
            let entities = rasad_entities::extract(&text, Lang::En);
            let found = crate::quotes(&text, Lang::En, &entities);
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(found[0].text.as_str(), said.as_str());
            prop_assert_eq!(found[0].speaker.as_deref(), Some("country:ALB"));
        }
    }
}
