//! Golden tests: events and incident records read from the seed articles, and sentences written for
//! each rule in each language.

use rasad_model::{DateMention, DateRole, Event, Granularity, Incident, Lang, Span};

use crate::tests::seed;

fn analyse(text: &str, lang: Lang, dates: &[DateMention]) -> (Vec<Event>, Vec<Incident>) {
    let entities = rasad_entities::extract(text, lang);
    let quotes = crate::quotes(text, lang, &entities);
    let events = crate::events(text, lang, &entities, &quotes, dates, None);
    for e in &events {
        let evidence = e.evidence.slice(text).unwrap();
        assert!(!evidence.trim().is_empty(), "{e:?}");
    }
    let (incidents, _) = crate::incidents(text, lang, &entities, &quotes, &events, dates);
    (events, incidents)
}

/// "TYPE/mode sources -> targets", the way the tests write an event.
fn row(e: &Event) -> String {
    format!(
        "{}/{} {} -> {}",
        e.event_type,
        e.mode.as_deref().unwrap_or("-"),
        e.sources.join(","),
        e.targets.join(",")
    )
}

fn rows(events: &[Event]) -> Vec<String> {
    events.iter().map(row).collect()
}

/// Each expected row is found, with evidence containing the given words.
fn expect(text: &str, events: &[Event], expected: &[(&str, &str)]) {
    let got = rows(events);
    for (want, words) in expected {
        let hit = events
            .iter()
            .find(|e| row(e) == *want && e.evidence.slice(text).is_some_and(|s| s.contains(words)));
        assert!(hit.is_some(), "{want} with evidence {words:?} not in {got:#?}");
    }
}

#[test]
fn seed_002_albania_breaks_with_iran_nato_condemns() {
    let text = seed("002_69fb2a966d6a8770.txt");
    let (events, incidents) = analyse(&text, Lang::Ar, &[]);
    expect(
        &text,
        &events,
        &[
            (
                "SANCTION/break_relations country:ALB -> country:IRN",
                "قطعت ألبانيا العلاقات الدبلوماسية مع طهران",
            ),
            (
                "ACCUSE/allege person:edi-rama -> country:IRN",
                "إيدي راما، إيران المسؤولية",
            ),
            (
                "ACCUSE/allege country:USA,country:ALB -> country:IRN",
                "حكومتا واشنطن وتيرانا باللوم فيه على إيران",
            ),
            ("ACCUSE/allege country:USA -> country:IRN", "ألقت واشنطن"),
            ("ACCUSE/disapprove igo:nato -> ", "دان أعضاء حلف شمال الأطلسي"),
            ("COERCE/cyber  -> country:ALB", "الذي استهدف ألبانيا"),
            ("THREATEN/- country:USA -> country:IRN", "لمحاسبة إيران"),
            (
                "ACCUSE/disapprove country:IRN -> country:ALB",
                "نددت طهران بقرار تيرانا",
            ),
            ("REJECT/deny country:IRN -> country:ALB", "بأنها ادعاءات"),
            ("ACCUSE/disapprove igo:nato-nac -> ", "ندين"),
            (
                "AID/cyber_defence igo:nato -> country:ALB",
                "يدعمون ألبانيا في تعزيز قدراتها",
            ),
        ],
    );
    // The NAC's statement is reported by the NAC; the break of relations by the article itself.
    let nac = events
        .iter()
        .find(|e| row(e) == "ACCUSE/disapprove igo:nato-nac -> ")
        .unwrap();
    assert_eq!(nac.reported_by.as_deref(), Some("igo:nato-nac"));
    assert!(nac.context.contains(&"cyber".to_string()));
    // Nothing from the related-stories furniture at the foot of the page (Russian strikes in Syria).
    assert!(
        events
            .iter()
            .all(|e| !e.sources.contains(&"country:RUS".to_string())),
        "{:#?}",
        rows(&events)
    );

    assert_eq!(incidents.len(), 1, "{incidents:#?}");
    let inc = &incidents[0];
    assert_eq!(inc.receivers, ["country:ALB"]);
    for t in ["disruption", "wiper", "data_theft"] {
        assert!(
            inc.incident_types.contains(&t.to_string()),
            "{:?}",
            inc.incident_types
        );
    }
    assert!(
        inc.effects.iter().any(|(e, _)| e.contains("الخدمات العامة")),
        "{:?}",
        inc.effects
    );
    let attributions: Vec<(Option<&str>, Option<&str>)> = inc
        .attributions
        .iter()
        .map(|a| (a.attributing_actor.as_deref(), a.accused_actor.as_deref()))
        .collect();
    for pair in [
        (Some("country:USA"), Some("country:IRN")),
        (Some("country:ALB"), Some("country:IRN")),
        (Some("person:edi-rama"), Some("country:IRN")),
    ] {
        assert!(attributions.contains(&pair), "{pair:?} not in {attributions:?}");
    }
    // Tehran's "baseless claims" deny Albania's attribution, which is therefore disputed.
    let denial = inc.denials.first().unwrap();
    assert_eq!(denial.actor.as_deref(), Some("country:IRN"));
    let denied = &inc.attributions[denial.denies.unwrap()];
    assert_eq!(denied.attributing_actor.as_deref(), Some("country:ALB"));
    assert_eq!(denied.stance, "disputed");
    let responses: Vec<(&str, Option<&str>)> = inc
        .responses
        .iter()
        .map(|r| (r.response_type.as_str(), r.actor.as_deref()))
        .collect();
    for r in [
        ("diplomatic_rupture", Some("country:ALB")),
        ("threat", Some("country:USA")),
        ("statement", Some("igo:nato")),
        ("support", Some("igo:nato")),
    ] {
        assert!(responses.contains(&r), "{r:?} not in {responses:?}");
    }
    // Told twice (lead and body), the rupture is one response.
    assert_eq!(
        responses.iter().filter(|r| r.0 == "diplomatic_rupture").count(),
        1
    );
}

#[test]
fn seed_000_iranian_embassy_rejects_nato_accusations() {
    let text = seed("000_d2c4ce68fa1361f3.txt");
    let (events, incidents) = analyse(&text, Lang::Fa, &[]);
    expect(
        &text,
        &events,
        &[
            ("REJECT/deny embassy:irn -> ", "اتهام های بی اساس"),
            (
                "ACCUSE/allege igo:nato -> country:IRN",
                "اتهامات بی پایه و اساس علیه ایران",
            ),
            ("COERCE/cyber  -> country:ALB", "حمله سایبری به آلبانی"),
            ("COERCE/cyber igo:nato -> country:IRN", "توسط متحدان و شرکای ناتو"),
            (
                "AID/cyber_defence igo:nato -> country:ALB",
                "از آلبانی در تقویت توانمندی های دفاع سایبری",
            ),
            (
                "ACCUSE/allege country:ALB -> country:IRN",
                "به بهانه دست داشتن ایران",
            ),
            (
                "SANCTION/break_relations country:ALB -> country:IRN",
                "مناسبات دیپلماتیک خود با تهران را قطع کرد",
            ),
            (
                "REJECT/deny gov:irn-mfa -> gov:alb-government",
                "با مردود شمردن ادعاهای",
            ),
            (
                "REQUEST/- embassy:irn -> igo:nato",
                "از کشورهای عضو ناتو می خواهیم",
            ),
        ],
    );
    // The embassy's request is reported by the embassy (its quote), not by the outlet.
    let request = events.iter().find(|e| e.event_type == "REQUEST").unwrap();
    assert_eq!(request.reported_by.as_deref(), Some("embassy:irn"));
    // "این سازمان و اعضایش به جای انتساب اتهام های بی اساس علیه ایران": the accusers are only "this
    // organisation", so the embassy is not made to accuse Iran.
    assert!(!rows(&events).contains(&"ACCUSE/allege embassy:irn -> country:IRN".to_string()));

    let albania = incidents
        .iter()
        .find(|i| i.receivers == ["country:ALB"])
        .unwrap_or_else(|| panic!("{incidents:#?}"));
    let by_albania = albania
        .attributions
        .iter()
        .position(|a| a.attributing_actor.as_deref() == Some("country:ALB"))
        .unwrap();
    assert_eq!(
        albania.attributions[by_albania].accused_actor.as_deref(),
        Some("country:IRN")
    );
    // The foreign ministry's denial names the Albanian government: it denies Albania's attribution.
    let mfa = albania
        .denials
        .iter()
        .find(|d| d.actor.as_deref() == Some("gov:irn-mfa"))
        .unwrap();
    assert_eq!(mfa.denies, Some(by_albania));
    assert!(
        albania
            .responses
            .iter()
            .any(|r| r.response_type == "diplomatic_rupture" && r.target.as_deref() == Some("country:IRN"))
    );
    // Iran's own claim to be the victim of attacks by NATO's allies is another incident.
    assert!(incidents.iter().any(|i| i.receivers == ["country:IRN"]));
}

#[test]
fn seed_004_iran_victim_of_us_and_israeli_attacks() {
    let text = seed("004_7e47baae7ec09d11.txt");
    let (events, incidents) = analyse(&text, Lang::Ar, &[]);
    expect(
        &text,
        &events,
        &[
            (
                "COERCE/cyber country:USA,country:ISR -> country:IRN",
                "كانت بلادنا ضحية",
            ),
            (
                "COERCE/cyber country:USA,country:ISR -> country:IRN",
                "إيران كانت ضحية لهجمات إلكترونية",
            ),
        ],
    );
    let envoy = events
        .iter()
        .find(|e| e.reported_by.as_deref() == Some("person:majid-takht-ravanchi"))
        .unwrap();
    assert_eq!(envoy.event_type, "COERCE");
    assert_eq!(incidents.len(), 1);
    let inc = &incidents[0];
    assert_eq!(inc.receivers, ["country:IRN"]);
    assert!(inc.actors.contains(&"malware:stuxnet".to_string()));
    assert!(inc.attributions.iter().any(|a| {
        a.attributing_actor.as_deref() == Some("person:majid-takht-ravanchi")
            && a.accused_actor.as_deref() == Some("country:ISR")
    }));
}

#[test]
fn word_orders_and_languages() {
    let cases: [(&str, Lang, &str); 8] = [
        (
            "اتهمت واشنطن طهران بشن هجمات.",
            Lang::Ar,
            "ACCUSE/allege country:USA -> country:IRN",
        ),
        (
            "قطعت المغرب العلاقات مع إيران.",
            Lang::Ar,
            "SANCTION/break_relations country:MAR -> country:IRN",
        ),
        (
            "فرضت الولايات المتحدة عقوبات جديدة على إيران.",
            Lang::Ar,
            "SANCTION/- country:USA -> country:IRN",
        ),
        (
            "آمریکا ایران را متهم کرد.",
            Lang::Fa,
            "ACCUSE/allege country:USA -> country:IRN",
        ),
        (
            "ایران روابط خود با آلبانی را قطع کرد.",
            Lang::Fa,
            "SANCTION/break_relations country:IRN -> country:ALB",
        ),
        (
            "Albania cut diplomatic ties with Iran on Wednesday.",
            Lang::En,
            "SANCTION/break_relations country:ALB -> country:IRN",
        ),
        (
            "The United States and Albania blamed Iran for the attack.",
            Lang::En,
            "ACCUSE/allege country:USA,country:ALB -> country:IRN",
        ),
        (
            "Microsoft said the cyberattack on Albania used a wiper.",
            Lang::En,
            "COERCE/cyber  -> country:ALB",
        ),
    ];
    for (text, lang, want) in cases {
        let (events, _) = analyse(text, lang, &[]);
        assert!(
            rows(&events).iter().any(|r| r == want),
            "{text}: {want} not in {:#?}",
            rows(&events)
        );
    }
}

#[test]
fn negation_is_marked() {
    let (events, _) = analyse("Albania did not cut ties with Iran.", Lang::En, &[]);
    // "did not" stands before "cut": the event is kept, negated.
    let (e_ar, _) = analyse("لم تقطع ألبانيا العلاقات مع إيران.", Lang::Ar, &[]);
    let neg: Vec<bool> = events.iter().chain(&e_ar).map(|e| e.negated).collect();
    assert!(!neg.is_empty() && neg.iter().all(|n| *n), "{events:#?} {e_ar:#?}");
    let (fa, _) = analyse("ایران روابط خود با آلبانی را قطع نکرد.", Lang::Fa, &[]);
    assert!(
        fa.iter().any(|e| e.event_type == "SANCTION" && e.negated),
        "{fa:#?}"
    );
}

#[test]
fn precision_first_no_actor_no_event() {
    // A verb pattern whose actors are not known makes no event.
    for (text, lang) in [
        ("قطعت الحكومة العلاقات مع جارتها.", Lang::Ar),
        ("They cut ties with their neighbours.", Lang::En),
        ("این کشور روابط خود را قطع کرد.", Lang::Fa),
    ] {
        let (events, incidents) = analyse(text, lang, &[]);
        assert!(events.is_empty(), "{text}: {events:#?}");
        assert!(incidents.is_empty());
    }
    // An actor without a pattern is no event either.
    let (events, _) = analyse("إيران وألبانيا والناتو في الأخبار.", Lang::Ar, &[]);
    assert!(events.is_empty(), "{events:#?}");
}

#[test]
fn the_date_comes_from_the_sentence() {
    let text = "Albania cut diplomatic ties with Iran on Wednesday. NATO condemned the attack.";
    let at = text.find("Wednesday").unwrap();
    let dates = [DateMention {
        span: Span::new(at, at + "Wednesday".len()),
        text: "Wednesday".into(),
        value: Some("2022-09-07".into()),
        granularity: Granularity::Day,
        calendar: rasad_model::Calendar::Gregorian,
        role: DateRole::Mention,
        relative: true,
        note: None,
    }];
    let (events, _) = analyse(text, Lang::En, &dates);
    let cut = events.iter().find(|e| e.event_type == "SANCTION").unwrap();
    assert_eq!(cut.date.as_deref(), Some("2022-09-07"));
    let condemned = events.iter().find(|e| e.event_type == "ACCUSE").unwrap();
    assert_eq!(condemned.date, None);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_text_no_panic_and_evidence_holds(text in "\\PC{0,300}", lang in 0..4u8) {
            let lang = [Lang::Ar, Lang::Fa, Lang::En, Lang::Und][usize::from(lang)];
            let entities = rasad_entities::extract(&text, lang);
            let quotes = crate::quotes(&text, lang, &entities);
            let events = crate::events(&text, lang, &entities, &quotes, &[], None);
            for e in &events {
                prop_assert!(e.evidence.slice(&text).is_some());
                prop_assert!(!e.sources.is_empty() || !e.targets.is_empty());
            }
            let (incidents, found) = crate::incidents(&text, lang, &entities, &quotes, &events, &[]);
            for e in &found {
                prop_assert!(e.mentions.iter().all(|m| m.span.slice(&text).is_some()));
            }
            for i in incidents {
                for s in &i.evidence {
                    prop_assert!(s.slice(&text).is_some());
                }
            }
        }

        #[test]
        fn claim_words_around_actors_never_panic(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("قطعت"), Just("ألبانيا"), Just("العلاقات"), Just("مع"), Just("طهران"), Just("و"),
                    Just("حمّل"), Just("إيران"), Just("المسؤولية"), Just("الهجوم"), Just("الإلكتروني"),
                    Just("\""), Just("،"), Just("."), Just("قال"), Just("إن"), Just("لم"), Just("بلادنا"),
                ],
                0..40,
            )
        ) {
            let text = words.join(" ");
            let (events, _) = analyse(&text, Lang::Ar, &[]);
            for e in events {
                prop_assert!(e.sources.iter().all(|s| !e.targets.contains(s)));
            }
        }
    }
}
