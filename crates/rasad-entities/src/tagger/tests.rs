//! The tagger's tests: corpus tags to labels, labels to names, a tiny model learning its sentences, the shipped models parsing, and names well formed on any text.

use rasad_normalize::tokenize;

use super::*;

/// BIO tags written short: 0 outside, then B and I of person (1, 2), place (3, 4) and
/// organisation (5, 6).
fn bio(codes: &[u8]) -> Vec<Bio> {
    codes
        .iter()
        .map(|&c| {
            let class = [NameClass::Person, NameClass::Location, NameClass::Organization]
                .get(usize::from(c.saturating_sub(1) / 2))
                .copied();
            match (c, class) {
                (0, _) | (_, None) => Bio::Out,
                (c, Some(class)) if c % 2 == 1 => Bio::Begin(class),
                (_, Some(class)) => Bio::Inside(class),
            }
        })
        .collect()
}

#[test]
fn corpus_tags_become_labels() {
    use NameClass::{Location, Organization, Person};
    assert_eq!(Bio::of_tag("B-PERS"), Bio::Begin(Person));
    assert_eq!(Bio::of_tag("I_PER"), Bio::Inside(Person));
    assert_eq!(Bio::of_tag("B-LOC"), Bio::Begin(Location));
    assert_eq!(Bio::of_tag("I-ORG"), Bio::Inside(Organization));
    for outside in ["B-MISC", "O", "B_DAT", "", "B-", "I"] {
        assert_eq!(Bio::of_tag(outside), Bio::Out, "{outside}");
    }
    assert_eq!(Bio::Begin(Person).continued(), Bio::Inside(Person));
    assert_eq!(Bio::Inside(Location).continued(), Bio::Inside(Location));
    assert_eq!(Bio::Out.continued(), Bio::Out);
    // BIO tags to labels: B-PER I-PER I-PER O B-LOC B-LOC I-ORG (a stray inside) I-ORG.
    let labels = from_bio(&bio(&[1, 2, 2, 0, 3, 3, 6, 6]));
    let names: Vec<&str> = labels.iter().map(|l| LABELS[usize::from(*l)]).collect();
    assert_eq!(
        names,
        ["B-PER", "I-PER", "L-PER", "O", "U-LOC", "U-LOC", "B-ORG", "L-ORG"]
    );
    assert_eq!(NameClass::Location.label(Part::Unit), 8);
    assert_eq!(part_of(10), Some((NameClass::Organization, Part::Inside)));
    assert_eq!(part_of(0), None);
    assert_eq!(part_of(13), None);
}

#[test]
fn labels_become_names() {
    let tokens = tokenize("قال أنطونيو غوتيريش في نيويورك");
    // O B-PER L-PER O U-LOC
    let names = spans(&tokens, &[0, 1, 3, 0, 8]);
    assert_eq!(names.len(), 2);
    assert_eq!(names[0].tokens, (1, 3));
    assert_eq!(names[0].class, NameClass::Person);
    assert_eq!(names[1].tokens, (4, 5));
    // Malformed sequences still give names: a stray inside label after another class starts a
    // new name; a U closes at once; a name open at the end closes there.
    let names = spans(&tokens, &[8, 2, 3, 4, 1]);
    assert_eq!(
        names.iter().map(|n| n.tokens).collect::<Vec<_>>(),
        vec![(0, 1), (1, 3), (3, 4), (4, 5)]
    );
    // Labels and names agree both ways on well-formed sequences.
    let labels = from_bio(&bio(&[0, 1, 2, 0, 3]));
    assert_eq!(
        spans(&tokens, &labels)
            .iter()
            .map(|n| n.tokens)
            .collect::<Vec<_>>(),
        vec![(1, 3), (4, 5)]
    );
}

#[test]
fn a_tiny_model_learns_its_sentences() {
    let lang = Lang::Ar;
    let data = [
        ("قال غوتيريش إن الأمم المتحدة", vec![0, 1, 0, 0, 0]),
        ("وقال غوتيريش للصحفيين", vec![0, 1, 0]),
        ("زار غوتيريش بيروت", vec![0, 1, 3]),
    ];
    let examples: Vec<Example> = data
        .iter()
        .map(|(text, labels)| {
            let tokens = tokenize(text);
            let hints = vec![Hint::None; tokens.len()];
            example(text, &tokens, &hints, &bio(labels), lang, &Clusters::default())
        })
        .collect();
    let file = train(&examples, 5, 1, 0.0, "test model");
    let tagger = Tagger::new(lang, &file, Clusters::default()).expect("the trained file parses");
    assert!(!tagger.model().is_empty());
    let text = "قال غوتيريش اليوم";
    let tokens = tokenize(text);
    let names = tagger.tag(text, &tokens, &vec![Hint::None; tokens.len()]);
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].class, NameClass::Person);
    assert_eq!(names[0].span.slice(text), Some("غوتيريش"));
}

#[test]
fn shipped_models_parse() {
    for (name, file) in [
        ("ar", include_str!("../../../../data/entities/tagger-ar.tsv")),
        ("fa", include_str!("../../../../data/entities/tagger-fa.tsv")),
    ] {
        assert!(Model::parse(file).is_ok(), "{name} model is malformed");
    }
    for lang in [Lang::Ar, Lang::Fa] {
        let lexicon = Tagger::builtin_lexicon(lang).expect("the shipped lexicon parses");
        assert!(
            lexicon.len() > 1000,
            "{lang:?}: the models were trained with a lexicon"
        );
        assert!(Tagger::builtin(lang).is_some());
    }
}

/// The lexicon reaches the features: "صدام", mostly a person across SaudiNewsNet, gives the word
/// its person bucket and its neighbour the same as the word before.
#[test]
fn the_lexicon_gives_features() {
    let lexicon = Tagger::builtin_lexicon(Lang::Ar).expect("the shipped lexicon parses");
    let [person, _, _] = lexicon.get("صدام").expect("a frequent name in SaudiNewsNet");
    assert!(person >= 2, "mostly a person in the corpus: {person}");
    let text = "قال صدام ذلك";
    let tokens = tokenize(text);
    let mut words = features::words(text, &tokens, &[], Lang::Ar, &|_| None);
    features::set_lexicon(&mut words, &lexicon);
    let mut names = std::collections::HashMap::new();
    let mut sink = features::Sink::new(Some(&mut names));
    features::emission(&words, 1, &mut sink);
    let mut after = features::Sink::new(None);
    features::emission(&words, 2, &mut after);
    let wanted = format!("lx=PER{person}");
    assert!(
        names.values().any(|n| *n == wanted),
        "{wanted} among the word's features"
    );
    assert!(
        after
            .hashes
            .contains(&features::hash(&format!("lx-1=PER{person}")))
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Any text: names lie inside the text, on token boundaries, in order, without overlap.
    #[test]
    fn names_are_well_formed(text in "\\PC{0,200}") {
        well_formed(&text)?;
    }

    /// English-shaped text: capitalised words, acronyms, connectors, initials, possessives,
    /// contractions and punctuation, which the English rules look at.
    #[test]
    fn english_shaped_names_are_well_formed(
        words in proptest::collection::vec(
            "([A-Z][a-z]{0,7}('s)?|[a-z]{1,6}|[A-Z]{2,4}|of|the|Mr\\.|[A-Z]\\.|[,.:\"’-]|n’t|[0-9]{1,3})",
            0..40,
        )
    ) {
        well_formed(&words.join(" "))?;
    }
}

/// Names lie inside the text, on token boundaries, in order, without overlap, for every language.
fn well_formed(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
    let tokens = tokenize(text);
    let hints = vec![Hint::None; tokens.len()];
    for lang in [Lang::Ar, Lang::Fa, Lang::En] {
        let Some(tagger) = super::builtin(lang) else {
            continue;
        };
        let mut last_end = 0;
        for n in tagger.tag(text, &tokens, &hints) {
            proptest::prop_assert!(n.tokens.0 < n.tokens.1 && n.tokens.1 <= tokens.len());
            proptest::prop_assert!(n.tokens.0 >= last_end);
            proptest::prop_assert!(n.span.slice(text).is_some());
            let (Some(first), Some(last)) = (tokens.get(n.tokens.0), tokens.get(n.tokens.1 - 1)) else {
                return Err(proptest::test_runner::TestCaseError::fail("token range"));
            };
            proptest::prop_assert!(first.span.start == n.span.start && n.span.end <= last.span.end);
            proptest::prop_assert!(n.span.start < n.span.end);
            last_end = n.tokens.1;
        }
    }
    Ok(())
}

#[test]
fn a_surname_alone_follows_the_full_name() {
    let tokens = tokenize("دیلما روسف گفت روسف و رئیس مجلس دیلما روسف را دید و محمد رفت");
    let hints = vec![Hint::None; tokens.len()];
    // The tagger found the first full name and "محمد" as a person.
    let mut names = spans(&tokens, &[1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0]);
    surnames(&tokens, &hints, &|_| true, &mut names);
    let found: Vec<(usize, usize)> = names.iter().map(|n| n.tokens).collect();
    // The lone surname, and the full name again as a whole; a given name alone propagates nothing.
    assert_eq!(found, vec![(0, 2), (3, 4), (7, 9), (12, 13)]);
    assert!(names.iter().all(|n| n.class == NameClass::Person));
    // Nothing where the word is common to the model, or where the catalog says something.
    let mut names = spans(&tokens, &[1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    surnames(&tokens, &hints, &|_| false, &mut names);
    assert_eq!(names.len(), 1);
    let mut hinted = hints.clone();
    hinted[3] = Hint::Begin(NameClass::Location);
    let mut names = spans(&tokens, &[1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    surnames(&tokens, &hinted, &|_| true, &mut names);
    assert_eq!(
        names.iter().map(|n| n.tokens).collect::<Vec<_>>(),
        vec![(0, 2), (7, 9)]
    );
    // A surname of two words: the end of the full name is taken whole, and a lone word the tagger
    // took for a person before the last one joins it.
    let tokens = tokenize("محمد مایلی کهن گفت مایلی کهن و مایلی کهن رفت");
    let hints = vec![Hint::None; tokens.len()];
    let mut names = spans(&tokens, &[1, 2, 3, 0, 0, 0, 0, 4, 0, 0]);
    surnames(&tokens, &hints, &|_| true, &mut names);
    assert_eq!(
        names.iter().map(|n| n.tokens).collect::<Vec<_>>(),
        vec![(0, 3), (4, 6), (7, 9)]
    );
    assert!(names.iter().all(|n| n.class == NameClass::Person));
    // A full name whose words repeat: the lone word taken first is not reached back into by the
    // full name ending on the next word (found by the property test on "the the …").
    let tokens = tokenize("روسف روسف گفت روسف روسف");
    let hints = vec![Hint::None; tokens.len()];
    let mut names = spans(&tokens, &[0, 0, 0, 1, 3]);
    surnames(&tokens, &hints, &|_| true, &mut names);
    assert_eq!(
        names.iter().map(|n| n.tokens).collect::<Vec<_>>(),
        vec![(0, 1), (1, 2), (3, 5)]
    );
}

/// A joined conjunction is marked where what follows it is plainly a name's first word, and the
/// name's own span starts after it; a name that begins with the letter keeps it.
#[test]
fn a_joined_conjunction_is_not_part_of_the_name() {
    let text = "التقى وعادل الجبير وليد المعلم والدمام وجازان ووزير";
    let tokens = tokenize(text);
    let name = |from: usize, to: usize, class: NameClass| {
        let (first, last) = (&tokens[from], &tokens[to - 1]);
        Tagged {
            tokens: (from, to),
            span: Span::new(first.span.start, last.span.end),
            class,
            conjunction: false,
        }
    };
    let mut names = vec![
        name(1, 3, NameClass::Person),
        name(3, 5, NameClass::Person),
        name(5, 6, NameClass::Location),
        name(6, 7, NameClass::Location),
        name(7, 8, NameClass::Person),
    ];
    // The lexicon: جازان is inside place names across the news; "زير" is no name.
    let lexicon = Lexicon::parse("جازان\t40\t0\t38\t0\n").unwrap();
    let mut given: std::collections::HashSet<String> =
        ["عادل", "سام"].map(String::from).into_iter().collect();
    trim_conjunction(text, &tokens, &lexicon, &given, &mut names);
    let own: Vec<&str> = names.iter().map(|n| n.name_span().slice(text).unwrap()).collect();
    // عادل is a given name; الدمام has the article; جازان is in the lexicon; وليد begins with
    // the letter ("ليد" names nobody), and "وزير" (a minister) is no name after the و.
    assert_eq!(own, ["عادل الجبير", "وليد المعلم", "الدمام", "جازان", "ووزير"]);
    // The spans the catalog meets are as the tagger found them.
    assert_eq!(names[0].span.slice(text), Some("وعادل الجبير"));
    assert!(names[0].conjunction && !names[1].conjunction);
    // وسام is a given name as a whole, though سام is one too: it keeps its first letter.
    let text = "التقى وسام حداد";
    let tokens = tokenize(text);
    let mut wisam = vec![Tagged {
        tokens: (1, 3),
        span: Span::new(tokens[1].span.start, tokens[2].span.end),
        class: NameClass::Person,
        conjunction: false,
    }];
    trim_conjunction(text, &tokens, &lexicon, &given, &mut wisam);
    assert!(
        wisam[0].conjunction,
        "without وسام in the list, the rest is a given name"
    );
    given.insert("وسام".to_string());
    trim_conjunction(text, &tokens, &lexicon, &given, &mut wisam);
    assert!(!wisam[0].conjunction);
}
