//! Golden tests on the seed articles and on sentences written for each rule.

use std::collections::BTreeSet;

use rasad_model::Framing;

use super::*;

fn seed(name: &str) -> String {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(path).unwrap();
    rasad_clean::clean_text(&raw, true).text
}

fn ids(entities: &[Entity]) -> BTreeSet<&str> {
    entities.iter().map(|e| e.id.as_str()).collect()
}

fn find<'e>(entities: &'e [Entity], id: &str) -> &'e Entity {
    entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not found in {:?}", ids(entities)))
}

/// Golden test of the shipped Arabic tagger: an official nobody catalogued is found by the model,
/// gets a transliteration-key id, and the state named in the title before the name.
#[test]
fn the_tagger_finds_uncatalogued_officials_with_their_state() {
    let text = "وقال وزير الأمن البريطاني توم توغندهات إن كوريا الشمالية تقف وراء الهجوم.";
    let found = extract(text, Lang::Ar);
    let minister = find(&found, "person:~tm-tgndt");
    assert!(minister.discovered);
    assert!(minister.is_tagged());
    assert_eq!(minister.kind, EntityKind::Person);
    assert_eq!(minister.country.as_deref(), Some("GBR"));
    assert_eq!(minister.mentions[0].text, "توم توغندهات");
    // Without the tagger, only the catalog's entities.
    let catalog_only = Matcher::builtin().extract_catalog_only(text, Lang::Ar);
    assert!(
        catalog_only.iter().all(|e| !e.is_tagged()),
        "{:?}",
        ids(&catalog_only)
    );
    // A catalogued name is never re-found by the tagger.
    assert!(
        found
            .iter()
            .filter(|e| e.is_tagged())
            .all(|e| e.mentions.iter().all(|m| !m.text.contains("كوريا")))
    );
}

/// Every mention's span points at its text.
fn check_spans(text: &str, entities: &[Entity]) {
    for e in entities {
        for m in &e.mentions {
            assert_eq!(m.span.slice(text), Some(m.text.as_str()), "{}", e.id);
        }
    }
}

#[test]
fn seed_000_persian_embassy_statement() {
    let text = seed("000_d2c4ce68fa1361f3.txt");
    let found = extract(&text, Lang::Fa);
    check_spans(&text, &found);
    let expected = [
        "embassy:irn",
        "country:IRN",
        "city:brussels",
        "igo:nato",
        "group:mek",
        "outlet:jamejam",
        "country:ALB",
        "city:tehran",
        "gov:irn-mfa",
        "gov:alb-government",
        "country:IRQ",
        "country:USA",
        "city:tirana",
    ];
    for id in expected {
        find(&found, id);
    }
    // NATO by its acronym and by its full Persian name.
    let nato: BTreeSet<&str> = find(&found, "igo:nato")
        .mentions
        .iter()
        .map(|m| m.text.as_str())
        .collect();
    assert!(
        nato.contains("ناتو") && nato.contains("سازمان پیمان آتلانتیک شمالی"),
        "{nato:?}"
    );
    // Iranian state media's name for the MEK is flagged pejorative.
    let mek = find(&found, "group:mek");
    assert!(
        mek.mentions
            .iter()
            .all(|m| m.framing == Some(Framing::Pejorative)),
        "{mek:?}"
    );
    assert!(mek.mentions.iter().any(|m| m.text == "منافقین"));
    // "قاعده مند کردن" (regulating) is not al-Qaeda.
    assert!(!ids(&found).contains("group:al-qaeda"));
}

#[test]
fn seed_002_arabic_nato_albania() {
    let raw = std::fs::read_to_string(format!(
        "{}/../../examples/002_69fb2a966d6a8770.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let cleaned = rasad_clean::clean_text(&raw, true);
    let found = extract(&cleaned.text, Lang::Ar);
    check_spans(&cleaned.text, &found);
    for id in [
        "country:ALB",
        "city:tehran",
        "country:IRN",
        "igo:nato",
        "city:washington",
        "city:tirana",
        "person:edi-rama",
        "country:USA",
        "igo:nato-nac",
        "group:mek",
        "city:durres",
    ] {
        find(&found, id);
    }
    let rama = find(&found, "person:edi-rama");
    assert_eq!(rama.country.as_deref(), Some("ALB"));
    assert_eq!(rama.mentions.len(), 2, "إيدي راما and, later, راما: {rama:?}");
    // The MEK under its own name: no framing.
    assert!(
        find(&found, "group:mek")
            .mentions
            .iter()
            .all(|m| m.framing.is_none())
    );
    // Nothing from the page's footer of unrelated headlines (Aramco, Apple, Microsoft, Syria, Russia).
    for furniture in [
        "company:aramco",
        "company:apple",
        "vendor:microsoft",
        "country:SYR",
        "country:RUS",
    ] {
        assert!(
            !ids(&found).contains(furniture),
            "{furniture} came from page furniture"
        );
    }
}

#[test]
fn seed_004_arabic_un_working_group() {
    let text = seed("004_7e47baae7ec09d11.txt");
    let found = extract(&text, Lang::Ar);
    check_spans(&text, &found);
    for id in [
        "country:IRN",
        "igo:un",
        "country:USA",
        "country:ISR",
        "outlet:mehr",
        "country:SGP",
        "igo:un-secretariat",
        "city:new-york",
        "person:majid-takht-ravanchi",
        "malware:stuxnet",
        "igo:un-oewg",
        "igo:unga",
        "igo:nam",
    ] {
        find(&found, id);
    }
    // Israel named as "the Zionist entity": partisan framing, kept per mention.
    let israel = find(&found, "country:ISR");
    assert!(
        israel
            .mentions
            .iter()
            .all(|m| m.framing == Some(Framing::Partisan))
    );
    assert_eq!(
        israel.mentions.first().map(|m| m.text.as_str()),
        Some("الكيان الصهيوني")
    );
    // "like-minded group" and "the new group" are not organisations.
    assert!(
        found.iter().all(|e| !e.id.starts_with("org:")),
        "{:?}",
        ids(&found)
    );
}

#[test]
fn unknown_people_by_their_titles() {
    let ar = "قال وزير الخارجية الألباني، أرمند كوتشي، إن بلاده ستغلق السفارة. وأضاف كوتشي أن القرار نهائي.";
    let found = extract(ar, Lang::Ar);
    let person = find(&found, "person:ارمند-كوتشي");
    assert_eq!(person.kind, EntityKind::Person);
    assert_eq!(person.country.as_deref(), Some("ALB"));
    assert_eq!(person.role.as_deref(), Some("foreign minister (Albania)"));
    let texts: Vec<&str> = person.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["أرمند كوتشي", "كوتشي"]);

    let fa = "سخنگوی وزارت امور خارجه ایران، علی رضایی، گفت که این اتهامات بی‌اساس است.";
    let found = extract(fa, Lang::Fa);
    let person = find(&found, "person:علي-رضايي");
    assert_eq!(person.country.as_deref(), Some("IRN"));
    assert_eq!(
        person.role.as_deref(),
        Some("spokesperson (Ministry of Foreign Affairs of Iran)")
    );

    let en = "The spokesperson for the Iranian Foreign Ministry, Karim Jafari, said the claims were baseless. Jafari added that Tehran would respond.";
    let found = extract(en, Lang::En);
    let person = find(&found, "person:karim-jafari");
    assert_eq!(person.country.as_deref(), Some("IRN"));
    assert_eq!(person.mentions.len(), 2);

    // The title rules take the words after the title up to a stop; the tagger's bounds win where
    // they differ ("النقاب", the veil Shalom lifted, is not his name), and the role stays.
    let found = extract(
        "وكشف وزير الخارجية الإسرائيلي سلفان شالوم النقاب عن خطة جديدة للحكومة.",
        Lang::Ar,
    );
    let person = find(&found, "person:سلفان-شالوم");
    assert_eq!(person.label, "سلفان شالوم");
    assert_eq!(person.role.as_deref(), Some("foreign minister (Israel)"));
    let texts: Vec<&str> = person.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["سلفان شالوم"]);

    // A title followed by a noun phrase is not a person.
    let found = extract(
        "قال الرئيس الإيراني، الذي يزور نيويورك، إن بلاده لن تتراجع.",
        Lang::Ar,
    );
    assert!(
        found.iter().all(|e| e.kind != EntityKind::Person),
        "{:?}",
        ids(&found)
    );
}

#[test]
fn unknown_organisations_and_embassies() {
    let found = extract("وأعلنت شركة سايبر ديفندرز الأمريكية أنها رصدت الهجوم.", Lang::Ar);
    let org = find(&found, "org:سايبر-ديفندرز");
    assert_eq!(org.kind, EntityKind::Organization);
    assert_eq!(org.country.as_deref(), Some("USA"));

    let found = extract(
        "The Albanian embassy in Tehran was closed; the Embassy of Iran in Tirana too.",
        Lang::En,
    );
    // "embassy" needs the state after it; "the Albanian embassy" is the state's adjective before it.
    find(&found, "embassy:irn");
}

#[test]
fn ambiguous_aliases_follow_context() {
    // عمان is Oman and Amman: a Jordanian context picks the city, an Omani one the sultanate.
    let found = extract("وصل الوزير إلى عمان حيث التقى وزير خارجية الأردن.", Lang::Ar);
    assert!(ids(&found).contains("city:amman"), "{:?}", ids(&found));
    let found = extract("أعلنت سلطنة عمان أن عمان ستستضيف المحادثات.", Lang::Ar);
    assert!(ids(&found).contains("country:OMN") && !ids(&found).contains("city:amman"));
    // A weak alias alone is a common word: الدعم المالي is financial support, not Mali.
    let found = extract("قدمت الدول الدعم المالي للمشروع.", Lang::Ar);
    assert!(!ids(&found).contains("country:MLI"), "{:?}", ids(&found));
}

#[test]
fn case_matters_for_latin_names() {
    let found = extract(
        "The US said it would help us. Jordan Peterson? No: Jordan's king.",
        Lang::En,
    );
    let us = find(&found, "country:USA");
    assert_eq!(us.mentions.len(), 1);
}

/// Adding a spelling to a data file is all it takes: the same parser reads the shipped files, and
/// a line added to one of them is matched.
#[test]
fn an_alias_added_to_a_data_file_is_recognised() {
    let text = "وتسعى شقيپريا إلى تعزيز دفاعاتها.";
    assert!(!ids(&extract(text, Lang::Ar)).contains("country:ALB"));
    let extra = format!(
        "{}\ncountry:ALB\tcountry\t\t\t\t\tشقيپريا\t\n",
        include_str!("../../../data/entities/countries-extra.tsv")
    );
    let mut catalog = Catalog::default();
    for (name, body) in [
        (
            "countries.tsv",
            include_str!("../../../data/entities/countries.tsv"),
        ),
        ("countries-extra.tsv", extra.as_str()),
    ] {
        assert!(catalog.add_file(name, body).is_empty());
    }
    let matcher = Matcher::new(catalog);
    let found = matcher.extract(text, Lang::Ar);
    assert_eq!(find(&found, "country:ALB").mentions[0].text, "شقيپريا");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn any_text_no_panic_and_spans_hold(text in "\\PC{0,300}", lang in 0..4u8) {
            let lang = [Lang::Ar, Lang::Fa, Lang::En, Lang::Und][usize::from(lang)];
            let found = extract(&text, lang);
            for e in &found {
                for m in &e.mentions {
                    prop_assert_eq!(m.span.slice(&text), Some(m.text.as_str()));
                }
            }
        }

        #[test]
        fn catalog_names_in_arabic_text_are_found(i in 0usize..250, clitic in 0..3u8) {
            // Any country's Arabic name, with a conjunction or preposition attached, resolves to it.
            let catalog = Catalog::builtin();
            let countries: Vec<&EntityDef> =
                catalog.entities.iter().filter(|e| e.kind == EntityKind::Country).collect();
            let def = countries[i % countries.len()];
            let index = catalog.index_of(&def.id).unwrap();
            let name = catalog.aliases_of(index).find(|a| a.lang == Lang::Ar && !a.weak).map(|a| a.text.clone());
            prop_assume!(name.is_some());
            let name = name.unwrap();
            let prefix = ["", "و", "في "][usize::from(clitic)];
            let text = format!("وقالت مصادر {prefix}{name} إن الوضع هادئ.");
            let found = extract(&text, Lang::Ar);
            prop_assert!(found.iter().any(|e| e.id == def.id), "{} in {:?}", def.id, ids(&found));
        }
    }
}

/// Catalog names must fit Arabic-script morphology: common words that fold or strip to a name are
/// not that name.
#[test]
fn common_words_are_not_names_they_strip_to() {
    let matcher = Matcher::builtin();
    let ar = matcher.extract_catalog_only(
        "أقامت الولايات المتحدة قاعدة عسكرية على جزيرة في منطقة حرة، وارتفعت السيولة في قطاع الرياضة.",
        Lang::Ar,
    );
    assert_eq!(ids(&ar), BTreeSet::from(["country:USA"]), "{ar:?}");
    let ar = matcher.extract_catalog_only(
        "قال تنظيم القاعدة لقناة الجزيرة إن سيول والرياض بعيدتان، وشركة سعودية.",
        Lang::Ar,
    );
    for id in ["group:al-qaeda", "outlet:al-jazeera", "city:seoul", "city:riyadh"] {
        assert!(ids(&ar).contains(id), "{id} in {:?}", ids(&ar));
    }
    // A state's bare name is its adjective.
    let saudi = find(&ar, "country:SAU");
    assert!(saudi.mentions.iter().all(|m| m.adjective), "{saudi:?}");
    let fa = matcher.extract_catalog_only(
        "ناتوانی دولت در پرداخت یک چک و تروریست‌های داعشی؛ ناتو و سپاه و داعش.",
        Lang::Fa,
    );
    for id in ["igo:nato", "group:isis"] {
        assert!(ids(&fa).contains(id), "{id} in {:?}", ids(&fa));
    }
    assert!(!ids(&fa).contains("country:CZE"), "{:?}", ids(&fa));
    let nato = find(&fa, "igo:nato");
    assert_eq!(nato.mentions.len(), 1, "{nato:?}");
    let isis = find(&fa, "group:isis");
    assert!(
        isis.mentions
            .iter()
            .any(|m| m.adjective && m.text.contains("داعشی"))
    );
    assert!(isis.mentions.iter().any(|m| !m.adjective && m.text == "داعش"));
}

/// Words that describe an entity link it like its name, marked nominal: an epithet, a common
/// noun, an institution named by its state's adjective. Its proper name stays a name.
#[test]
fn descriptions_link_their_entity_as_nominal_mentions() {
    let found = extract(
        "وقالت الخارجية الأميركية إن وزارة الخارجية الأمريكية ستعلق.",
        Lang::Ar,
    );
    let state = find(&found, "gov:usa-state");
    let nominal: Vec<bool> = state.mentions.iter().map(|m| m.nominal).collect();
    assert!(nominal.contains(&true), "{:?}", state.mentions);
    assert!(
        state
            .mentions
            .iter()
            .any(|m| m.nominal && m.text == "الخارجية الأميركية")
    );

    let found = extract("رهبر معظم انقلاب گفت آیت‌الله خامنه‌ای پیام داد.", Lang::Fa);
    let leader = find(&found, "person:ali-khamenei");
    assert!(
        leader
            .mentions
            .iter()
            .any(|m| m.nominal && m.text == "رهبر معظم انقلاب")
    );
    assert!(
        leader.mentions.iter().any(|m| !m.nominal),
        "{:?}",
        leader.mentions
    );
}

/// A Persian organisation the tagger reads with more words keeps the catalog's id and takes the
/// tagger's span, as Persian annotation writes the name: with its head noun ("گروهک تروریستی داعش"
/// is ISIS), and with its place, which keeps its own mention inside ("حزب الله لبنان").
#[test]
fn a_persian_organisation_takes_the_tagged_span() {
    for (text, id, name, place) in [
        (
            "نیروهای عراقی با گروهک تروریستی داعش در شمال موصل درگیر شدند.",
            "group:isis",
            "گروهک تروریستی داعش",
            None,
        ),
        (
            "دبیرکل حزب الله لبنان در سخنرانی تلویزیونی از مقاومت حمایت کرد.",
            "group:hezbollah",
            "حزب الله لبنان",
            Some("country:LBN"),
        ),
    ] {
        let found = extract(text, Lang::Fa);
        let org = find(&found, id);
        assert_eq!(org.mentions[0].text, name, "{:?}", org.mentions);
        if let Some(place) = place {
            find(&found, place);
        }
    }
}

/// A common noun the catalog reads as one body names another inside a longer name: "مجلس" of
/// "مجلس خبرگان رهبری" is the Assembly of Experts, not the parliament.
#[test]
fn a_nominal_word_inside_a_longer_name_is_not_its_entity() {
    let text = "مجلس شورای اسلامی و مجلس خبرگان رهبری در تهران نشست مشترک برگزار کردند.";
    let found = extract(text, Lang::Fa);
    let majlis = find(&found, "gov:irn-majlis");
    assert!(
        majlis.mentions.iter().all(|m| m.text == "مجلس شورای اسلامی"),
        "{:?}",
        majlis.mentions
    );
}

/// A discovered name's id is its transliteration skeleton; a skeleton of one or two consonants
/// names too many words to stand alone, so it keeps the name's search key too.
#[test]
fn short_skeletons_do_not_join_unrelated_names() {
    let id = |text: &str, class: NameClass| {
        let name = Tagged {
            tokens: (0, 1),
            span: Span {
                start: 0,
                end: text.len(),
            },
            class,
            conjunction: false,
        };
        tagged_entity(text, &name).map(|e| e.id)
    };
    // آسیا (Asia) and سوس (Sousse) share the skeleton `s`; جهان (the world) is `gn`.
    let asia = id("آسیا", NameClass::Location).unwrap();
    assert_ne!(Some(asia.clone()), id("سوس", NameClass::Location));
    assert!(asia.starts_with("place:~s~"), "{asia}");
    // The same short name in Arabic and Persian spelling still shares its id.
    assert_eq!(id("آسيا", NameClass::Location).as_deref(), Some(asia.as_str()));
    assert_eq!(id("کیش", NameClass::Location), id("كيش", NameClass::Location));
    // Three consonants and more stay the bare skeleton, across scripts.
    assert_eq!(id("گوترش", NameClass::Person).as_deref(), Some("person:~gtrs"));
    assert_eq!(id("Guterres", NameClass::Person).as_deref(), Some("person:~gtrs"));
}
