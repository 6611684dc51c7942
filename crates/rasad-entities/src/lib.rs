//! Entities: the actors, places and things an article names, each resolved to one canonical entity
//! across languages and spellings, with every mention's span and the alias it used.
//!
//! Three parts:
//! - [`catalog`]: the reviewed data files under `data/entities/` (countries from CLDR, then
//!   international bodies, government bodies, outlets, vendors, threat actors, malware, people);
//! - [`phrases`]: the longest-match phrase index over the text layer's tokens, clitics and suffixes
//!   handled through `rasad_normalize::candidates`;
//! - [`titles`]: people and organisations that are not catalogued, found by their titles
//!   ("رئيس الوزراء الألباني، إيدي راما", "سخنگوی وزارت امور خارجه …", "شركة … الأمريكية").
//!
//! An alias shared by several entities (عمان is Oman and Amman) is resolved by the article's other
//! mentions: the entity, or another entity of the same state, named elsewhere wins; the catalog's
//! order breaks a tie. Weak aliases (a name that is also a common word) count only when the entity is
//! named another way too.

pub mod catalog;
pub mod phrases;
pub mod tagger;
pub mod titles;

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use rasad_model::{Entity, EntityKind, Lang, Mention, NameUse, Span};
use rasad_normalize::{Token, shared_tokens};

pub use catalog::{Alias, Catalog, EntityDef};
use phrases::{PhraseIndex, PhraseMatch};
use tagger::{Hint, NameClass, NameTagger, Tagged};

/// Errors of this crate: catalog lines that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EntityError {
    #[error("{file}:{line}: {reason}")]
    Catalog {
        file: String,
        line: usize,
        reason: String,
    },
    /// Training settings that cannot work (checked before any corpus is read).
    #[error("settings: {0}")]
    Settings(String),
}

/// A stage's view of entity recognition: text in, entities out.
pub trait Recognizer {
    fn recognize(&self, text: &str, lang: Lang) -> Vec<Entity>;
}

/// The catalog and its phrase index.
#[derive(Debug, Clone)]
pub struct Matcher {
    catalog: Catalog,
    index: PhraseIndex,
    /// Each alias's folded form, by alias index: made on first use, not at start-up.
    folded: OnceLock<Vec<String>>,
}

/// One catalog match before resolution.
#[derive(Debug, Clone)]
struct Found {
    span: Span,
    tokens: (usize, usize),
    /// Candidate aliases (indices into the catalog's aliases).
    aliases: Vec<usize>,
}

impl Matcher {
    /// Builds the index of a catalog.
    #[must_use]
    pub fn new(catalog: Catalog) -> Self {
        let mut index = PhraseIndex::default();
        for (i, alias) in catalog.aliases.iter().enumerate() {
            index.insert(&alias.text, alias.lang, i);
        }
        Self {
            catalog,
            index,
            folded: OnceLock::new(),
        }
    }

    /// The matcher over the built-in catalog, built once.
    pub fn builtin() -> &'static Matcher {
        static MATCHER: OnceLock<Matcher> = OnceLock::new();
        // Errors are the shipped files' business: `builtin_catalog_is_clean` keeps them empty.
        MATCHER.get_or_init(|| Matcher::new(Catalog::parse_builtin().0))
    }

    #[must_use]
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The folded form of every alias, by alias index.
    fn folded(&self) -> &[String] {
        self.folded.get_or_init(|| {
            self.catalog
                .aliases
                .iter()
                .map(|a| rasad_normalize::search_key(&a.text).text)
                .collect()
        })
    }

    /// Catalog entities only, resolved, with their mentions.
    fn catalog_mentions(
        &self,
        text: &str,
        tokens: &[Token],
        lang: Lang,
    ) -> Vec<(usize, Mention, (usize, usize))> {
        let found: Vec<Found> = self
            .index
            .find_all(text, tokens, lang)
            .into_iter()
            .map(
                |PhraseMatch {
                     start,
                     end,
                     span,
                     values,
                 }| Found {
                    span,
                    tokens: (start, end),
                    aliases: values,
                },
            )
            .collect();
        let alias = |i: usize| self.catalog.aliases.get(i);
        // Entities named unambiguously by a strong alias somewhere in the text.
        let mut strong: HashSet<usize> = HashSet::new();
        for f in &found {
            let entities: HashSet<usize> = f
                .aliases
                .iter()
                .filter_map(|&a| alias(a))
                .filter(|a| !a.weak)
                .map(|a| a.entity)
                .collect();
            if entities.len() == 1 {
                strong.extend(entities);
            }
        }
        let strong_states: HashSet<&str> = strong
            .iter()
            .filter_map(|&e| self.catalog.entities.get(e))
            .filter_map(|e| e.country.as_deref())
            .collect();
        let mut out = Vec::new();
        for f in found {
            let options: Vec<(usize, &Alias)> = f
                .aliases
                .iter()
                .filter_map(|&a| Some((a, alias(a)?)))
                .filter(|(_, a)| !a.weak || strong.contains(&a.entity))
                .collect();
            let chosen = options.iter().copied().max_by_key(|(_, a)| {
                let def = self.catalog.entities.get(a.entity);
                let same_state = def
                    .and_then(|d| d.country.as_deref())
                    .is_some_and(|c| strong_states.contains(c));
                // Named elsewhere, then of a state named elsewhere, then the article's language,
                // then catalog order (earlier first).
                (
                    strong.contains(&a.entity),
                    same_state,
                    a.lang == lang,
                    std::cmp::Reverse(a.entity),
                )
            });
            let Some((chosen_index, chosen)) = chosen else {
                continue;
            };
            let Some(surface) = f.span.slice(text) else {
                continue;
            };
            let words = chosen_tokens(tokens, f.tokens);
            let state = self
                .catalog
                .entities
                .get(chosen.entity)
                .is_some_and(|d| d.kind == EntityKind::Country);
            let folded = self.folded().get(chosen_index).map_or("", String::as_str);
            let adjective = match fit(folded, &words, lang, chosen.adjective) {
                Fit::Name => chosen.adjective,
                Fit::Adjective => true,
                // "شركة سعودية": a state's name without its article is its feminine adjective.
                Fit::WithoutArticle if state => true,
                Fit::WithoutArticle | Fit::No => continue,
            };
            out.push((
                chosen.entity,
                Mention {
                    span: f.span,
                    text: surface.to_string(),
                    alias: Some(chosen.text.clone()),
                    framing: chosen.framing,
                    adjective,
                    nominal: chosen.nominal,
                    used_as: None,
                },
                f.tokens,
            ));
        }
        out
    }

    /// Every entity of `text`: catalogued ones, people and organisations found by their titles, and
    /// the names the language's trained tagger finds that neither of those did.
    #[must_use]
    pub fn extract(&self, text: &str, lang: Lang) -> Vec<Entity> {
        let tokens = shared_tokens(text);
        self.extract_tokens(text, &tokens, lang, tagger::builtin(lang))
    }

    /// Every entity of `text` with the given tagger (or none): for scoring a model before it ships.
    #[must_use]
    pub fn extract_with(&self, text: &str, lang: Lang, tagger: Option<&dyn NameTagger>) -> Vec<Entity> {
        self.extract_tokens(text, &shared_tokens(text), lang, tagger)
    }

    /// Whether `surface` folds to one of the catalogued entity `id`'s aliases.
    fn names_entity(&self, id: &str, surface: &str) -> bool {
        let Some(index) = self.catalog.index_of(id) else {
            return false;
        };
        let key = rasad_normalize::search_key(surface).text;
        self.catalog
            .aliases
            .iter()
            .zip(self.folded())
            .any(|(a, folded)| a.entity == index && *folded == key)
    }

    /// The catalog's and title rules' entities only, without the trained tagger.
    #[must_use]
    pub fn extract_catalog_only(&self, text: &str, lang: Lang) -> Vec<Entity> {
        self.extract_tokens(text, &shared_tokens(text), lang, None)
    }

    /// What the catalog and title rules say of each token: the tagger's hints, the same in
    /// training as when tagging.
    #[must_use]
    pub fn hints(&self, text: &str, tokens: &[Token], lang: Lang) -> Vec<Hint> {
        hints_of(&self.extract_tokens(text, tokens, lang, None), tokens)
    }

    fn extract_tokens(
        &self,
        text: &str,
        tokens: &[Token],
        lang: Lang,
        tagger: Option<&dyn NameTagger>,
    ) -> Vec<Entity> {
        let found = self.catalog_mentions(text, tokens, lang);
        let mut by_id: BTreeMap<String, Entity> = BTreeMap::new();
        let mut catalogued: Vec<titles::Known<'_>> = Vec::with_capacity(found.len());
        for (entity, mention, range) in found {
            let Some(def) = self.catalog.entities.get(entity) else {
                continue;
            };
            catalogued.push(titles::Known { def, tokens: range });
            by_id
                .entry(def.id.clone())
                .or_insert_with(|| entity_of(def))
                .mentions
                .push(mention);
        }
        let mut titled: Vec<String> = Vec::new();
        for entity in titles::discover(text, tokens, lang, &catalogued) {
            if !entity.id.starts_with("embassy:") && entity.discovered {
                titled.push(entity.id.clone());
            }
            add_entity(&mut by_id, entity);
        }
        if let Some(tagger) = tagger {
            let hints = hints_of(by_id.values(), tokens);
            let names = tagger.tag(text, tokens, &hints);
            // A person or organisation the title rules found after a title or head noun stands
            // only where the tagger, which saw the title as a hint, finds a name of the same class
            // in those words: what follows "رئيس" is not always a person ("رئيس اتاق بازرگانی").
            // Where the tagger's name has other bounds, the name takes the tagger's: the
            // rules take the words after a title up to a stop, and so reach past the name ("سلفان
            // شالوم النقاب", Silvan Shalom [lifted] the veil) or stop short of it (5-fold CV,
            // combined: ANERcorp 0.779 to 0.783, persons 0.738 to 0.749; PEYMA 0.818 to 0.820).
            // English moves by a name or two either way (ECB+ recall, dev 0.481 to 0.480, test
            // 0.442 to 0.443).
            for id in &titled {
                let Some(mut entity) = by_id.remove(id) else {
                    continue;
                };
                let class = hint_class(entity.kind);
                let mut bounds = None;
                entity.mentions.retain_mut(|m| {
                    let Some(n) = names
                        .iter()
                        .find(|n| Some(n.class) == class && n.span.overlaps(&m.span))
                    else {
                        return false;
                    };
                    if n.span != m.span
                        && let Some(surface) = n.span.slice(text)
                    {
                        m.span = n.span;
                        m.text = surface.to_string();
                        bounds.get_or_insert(n.tokens);
                    }
                    true
                });
                if entity.mentions.is_empty() {
                    continue;
                }
                // The entity is named after its (first) re-bounded mention, as the rules name it.
                if let (Some(range), Some(first)) = (bounds, entity.mentions.first()) {
                    let prefix = entity.id.split_once(':').map_or("person", |(p, _)| p);
                    entity.id = format!("{prefix}:{}", titles::slug(tokens, range));
                    entity.label = first.text.clone();
                }
                add_entity(&mut by_id, entity);
            }
            // A mention within a longer tagged name gives way to it in two cases. A person's name
            // within a place name is the place's, not a mention of the person: "شهرستان هریس" (Heris
            // county) is not Kamala Harris, "مطار الملك خالد" not the king. A nominal word within
            // any name is that name's head noun, not the entity it describes alone: "مجلس" of
            // "مجلس خبرگان" (the Assembly of Experts, not the parliament), "کنگره" of "کنگره
            // سالیانه"; the tagged name stands on its own.
            let within = |m: &Mention, places_only: bool| {
                names.iter().any(|n| {
                    (!places_only || n.class == NameClass::Location)
                        && n.span.contains(&m.span)
                        && n.span != m.span
                })
            };
            by_id.retain(|_, entity| {
                let person = entity.kind == EntityKind::Person;
                entity
                    .mentions
                    .retain(|m| !((person && within(m, true)) || (m.nominal && within(m, false))));
                !entity.mentions.is_empty()
            });
            let taken: Vec<(Span, bool)> = by_id
                .values()
                .flat_map(|e| {
                    let place = matches!(
                        e.kind,
                        EntityKind::Country | EntityKind::City | EntityKind::Region
                    );
                    e.mentions.iter().map(move |m| (m.span, place))
                })
                .collect();
            for name in names {
                // A name the catalog or titles already have, in part or whole, stays theirs: a
                // longer name around a catalogued one ("مكتب التحقيقات الفيدرالي الأمريكي") would
                // hide the state or body the catalog knows. One exception: an organisation (or
                // person) named after a place ("دانشگاه تهران", "ارتش سوریه", "بانک ملی ایران") is a
                // name of its own, beside the place it holds, which keeps its own id. (On PEYMA's
                // dev tenth 0.743 to 0.760, Arabic 0.706 to 0.714; letting any longer name stand
                // also lost Arabic names and joined fewer articles into their incidents.)
                let clash = taken.iter().any(|(s, place)| {
                    let overlaps = s.overlaps(&name.span);
                    let holds_place = *place
                        && name.class != NameClass::Location
                        && name.span.contains(s)
                        && *s != name.span;
                    overlaps && !holds_place
                });
                if clash {
                    // The same words read as another kind of name ("جمهوری اسلامی ایران" acting as
                    // the government, an organisation in news annotation): the catalog's entity keeps
                    // them, and the mention says how the sentence uses them. (PEYMA's dev tenth, exact
                    // spans, catalog plus tagger: 0.793 to 0.801.)
                    for entity in by_id.values_mut() {
                        let Some(class) = hint_class(entity.kind) else {
                            continue;
                        };
                        let catalogued = !entity.discovered;
                        for m in entity.mentions.iter_mut().filter(|m| !m.adjective) {
                            if m.span == name.span && class != name.class {
                                m.used_as = Some(name_use(name.class));
                            } else if lang == Lang::Fa
                                && catalogued
                                && class == name.class
                                && matches!(
                                    class,
                                    NameClass::Location | NameClass::Person | NameClass::Organization
                                )
                                && name.span.contains(&m.span)
                                && m.span != name.span
                                && alone_in(&taken, m.span, &name)
                                && let Some(surface) = name.span.slice(text)
                            {
                                // A Persian place, person or organisation the tagger reads with
                                // more words around it, the same one: "استان بوشهر", "شهر تهران",
                                // "سید عباس عراقچی", "گروهک تروریستی داعش", "سازمان صداوسیما". The
                                // mention takes the tagger's span (5-fold CV on PEYMA's train
                                // split 0.752 to 0.761 with the person narrowing below, 0.775 to
                                // 0.778 with organisations; in Arabic and English it cost
                                // attributions of the incidents dev set: Arabic pairs F1 0.775 to
                                // 0.753).
                                m.span = name.span;
                                m.text = surface.to_string();
                            } else if (lang == Lang::Ar || name.class == NameClass::Person)
                                && catalogued
                                && class == name.class
                                && m.span.contains(&name.span)
                                && m.span != name.span
                                && let Some(surface) = name.span.slice(text)
                                && self.names_entity(&entity.id, surface)
                            {
                                // Only where the inner name is itself one of the entity's names:
                                // "حلف الناتو" within "مجلس حلف الناتو" is NATO, not its council.
                                // The name within a catalogued Arabic phrase ("هآرتس" of "صحيفة
                                // هآرتس", "غزة" of "قطاع غزة", "حزب الله" of "حزب الله اللبناني"):
                                // the mention is the name itself, as the Arabic tagger learnt from
                                // ANERcorp (dev 0.720 to 0.736). Not in Persian, whose annotators
                                // keep the head noun in the name ("خبرگزاری روسی اسپوتنیک") and
                                // where narrowing lost an attribution of the incidents dev set.
                                m.span = name.span;
                                m.text = surface.to_string();
                            }
                        }
                    }
                    continue;
                }
                let Some(mut entity) = tagged_entity(text, &name) else {
                    continue;
                };
                // English names come from capitals, not from a model that read the words around
                // them, and English writes a state's adjective before all kinds of names ("Dutch
                // IT service companies, VelzArt Techniek"): an English person's state comes only
                // from the title rules.
                if name.class == NameClass::Person && lang != Lang::En {
                    entity.country = affiliation(text, tokens, &catalogued, name.tokens.0);
                }
                add_entity(&mut by_id, entity);
            }
        }
        let mut entities: Vec<Entity> = by_id.into_values().collect();
        for e in &mut entities {
            e.mentions.sort_by_key(|m| (m.span.start, m.span.end));
            e.mentions.dedup_by_key(|m| m.span);
        }
        // First mentioned first: the reading order an analyst expects.
        entities.sort_by_key(|e| e.mentions.first().map_or(usize::MAX, |m| m.span.start));
        entities
    }
}

impl Recognizer for Matcher {
    fn recognize(&self, text: &str, lang: Lang) -> Vec<Entity> {
        self.extract(text, lang)
    }
}

/// The entities of `text` with the built-in catalog.
#[must_use]
pub fn extract(text: &str, lang: Lang) -> Vec<Entity> {
    Matcher::builtin().extract(text, lang)
}

/// Whether `mention` is the only taken span that overlaps `name`.
/// A place inside an organisation's or person's name does not count: "حزب الله لبنان" holds
/// Lebanon and is still Hezbollah's name.
fn alone_in(taken: &[(Span, bool)], mention: Span, name: &Tagged) -> bool {
    taken.iter().all(|(s, place)| {
        *s == mention
            || !s.overlaps(&name.span)
            || (*place && name.class != NameClass::Location && name.span.contains(s))
    })
}

/// The first and last tokens' keys of a match.
fn chosen_tokens(tokens: &[Token], (start, end): (usize, usize)) -> [&str; 2] {
    let key = |i: Option<usize>| i.and_then(|i| tokens.get(i)).map_or("", |t| t.key.as_str());
    [key(Some(start)), key(end.checked_sub(1))]
}

/// How an Arabic-script alias fits the words it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// As the alias says (a name, or the catalog's own adjective).
    Name,
    /// A Persian name with the nisba ending ("داعشی", "اروپایی"): an adjective of the entity, as
    /// the catalog's demonyms are.
    Adjective,
    /// A name with the article matched a word without it.
    WithoutArticle,
    No,
}

/// How an Arabic-script alias (`folded`, its search key) fits the first and last words it matched,
/// beyond what folding and clitic stripping allow (demonyms, which inflect freely, always fit):
/// - a name with the article needs the article ("القاعدة" is not "قاعدة عسكرية", "الجزيرة" not
///   "جزيرة", "الحرة" not "منطقة حرة"), after a proclitic too ("بالجزيرة", "للجزيرة");
/// - in Arabic, a name does not take the feminine ending (or "his"): "سيولة" (liquidity) is not
///   "سيول" (Seoul), "الرياضة" (sport) not "الرياض";
/// - in Persian, a name does not take the plural "ان": "ناتوانی" (disability) is not NATO, and a
///   name with the nisba ending is an adjective.
fn fit(folded: &str, [first, last]: &[&str; 2], lang: Lang, adjective: bool) -> Fit {
    if adjective || !matches!(lang, Lang::Ar | Lang::Fa) {
        return Fit::Name;
    }
    let tail = folded.split_whitespace().last().unwrap_or_default();
    if lang == Lang::Ar
        && !tail.is_empty()
        && *last != tail
        && last.strip_suffix('ه').is_some_and(|rest| rest.ends_with(tail))
    {
        return Fit::No;
    }
    // "ناتوان" (weak) and "ناتوانی" are not NATO, "سپاهان" is not the Guards.
    if lang == Lang::Fa
        && !tail.is_empty()
        && last
            .strip_suffix("ان")
            .or_else(|| last.strip_suffix("اني"))
            .is_some_and(|rest| rest == tail)
    {
        return Fit::No;
    }
    if let Some(head) = folded.split_whitespace().next()
        && let Some(stem) = head.strip_prefix("ال").filter(|s| s.chars().count() >= 2)
        && let Some(at) = first.rfind(stem)
        && !first.get(..at).is_some_and(|before| before.ends_with('ل'))
    {
        return Fit::WithoutArticle;
    }
    if lang == Lang::Fa && rasad_normalize::persian::is_nisba(last, tail) {
        return Fit::Adjective;
    }
    Fit::Name
}

/// The model's word for a tagger class.
fn name_use(class: NameClass) -> NameUse {
    match class {
        NameClass::Person => NameUse::Person,
        NameClass::Location => NameUse::Place,
        NameClass::Organization => NameUse::Organization,
    }
}

/// The hint class of an entity kind; malware is no name class.
fn hint_class(kind: EntityKind) -> Option<NameClass> {
    match kind {
        EntityKind::Person => Some(NameClass::Person),
        EntityKind::Country | EntityKind::City | EntityKind::Region => Some(NameClass::Location),
        EntityKind::Malware => None,
        _ => Some(NameClass::Organization),
    }
}

/// Each token's hint from the entities found so far.
fn hints_of<'a>(entities: impl IntoIterator<Item = &'a Entity>, tokens: &[Token]) -> Vec<Hint> {
    let mut hints = vec![Hint::None; tokens.len()];
    for entity in entities {
        let class = hint_class(entity.kind);
        for mention in &entity.mentions {
            let mut first = true;
            for (hint, token) in hints.iter_mut().zip(tokens) {
                if token.span.start < mention.span.start || token.span.end > mention.span.end {
                    continue;
                }
                *hint = match (mention.adjective, class, first) {
                    (true, _, _) => Hint::Adjective,
                    (false, Some(c), true) => Hint::Begin(c),
                    (false, Some(c), false) => Hint::Inside(c),
                    (false, None, _) => Hint::None,
                };
                first = false;
            }
        }
    }
    hints
}

/// The state of a tagged person, from a state or state body named in the words just before the
/// name in the same clause ("وزير الأمن البريطاني بن والاس", "المتحدثة باسم الخارجية الروسية ماريا
/// زاخاروفا"): at most three words between, no sentence punctuation or quotation mark.
fn affiliation(
    text: &str,
    tokens: &[Token],
    catalogued: &[titles::Known<'_>],
    start: usize,
) -> Option<String> {
    let name_start = tokens.get(start)?.span.start;
    catalogued
        .iter()
        .filter(|k| k.tokens.1 <= start && start - k.tokens.1 <= 3)
        .filter(|k| matches!(k.def.kind, EntityKind::Country | EntityKind::GovernmentBody))
        .filter(|k| {
            let end = tokens
                .get(k.tokens.1.saturating_sub(1))
                .map_or(name_start, |t| t.span.end);
            text.get(end..name_start)
                .is_some_and(|between| !between.chars().any(|c| ".!?؟:;\"«»“”()".contains(c)))
        })
        .max_by_key(|k| k.tokens.1)
        .and_then(|k| k.def.country.clone())
}

/// Adds `entity` to the text's entities: its mentions join an entity of the same id already there.
fn add_entity(by_id: &mut BTreeMap<String, Entity>, entity: Entity) {
    match by_id.get_mut(&entity.id) {
        Some(known) => known.mentions.extend(entity.mentions),
        None => {
            by_id.insert(entity.id.clone(), entity);
        }
    }
}

/// Transliteration skeletons of fewer consonants than this are too short to name one entity.
const SHORT_SKELETON: usize = 3;

/// A discovered entity for a tagged name. People, places and organisations named in several
/// scripts share an id when their transliteration keys agree (`person:~gtrs` for غوتيريش,
/// گوترش and Guterres); a skeleton of one or two consonants adds the name's search key
/// (`place:~s~اسيا`).
fn tagged_entity(text: &str, name: &Tagged) -> Option<Entity> {
    // The mention is the name itself, without a joined conjunction ("وعادل الجبير" is عادل الجبير).
    let span = name.name_span();
    let surface = span.slice(text)?.to_string();
    let (prefix, kind) = match name.class {
        NameClass::Person => ("person", EntityKind::Person),
        NameClass::Location => ("place", EntityKind::City),
        NameClass::Organization => ("org", EntityKind::Organization),
    };
    let key = tagger::translit::key(&surface)?;
    // A skeleton of one or two consonants is shared by many different words (آسیا, Asia, and
    // Sousse are both `s`; جهان, the world, is `gn`), so such a short one keeps the name's search
    // key as well: the same short name still shares its id across Arabic and Persian spellings,
    // no longer with every other name of its skeleton.
    let id = if key.chars().filter(|c| *c != '-').count() < SHORT_SKELETON {
        let written = rasad_normalize::search_key(&surface).text.replace(' ', "-");
        format!("{prefix}:~{key}~{written}")
    } else {
        format!("{prefix}:~{key}")
    };
    Some(Entity {
        id,
        label: surface.clone(),
        kind,
        iso3: None,
        country: None,
        wikidata: None,
        role: None,
        discovered: true,
        mentions: vec![Mention {
            span,
            text: surface,
            alias: None,
            framing: None,
            adjective: false,
            nominal: false,
            used_as: None,
        }],
    })
}

fn entity_of(def: &EntityDef) -> Entity {
    Entity {
        id: def.id.clone(),
        label: def.label.clone(),
        kind: def.kind,
        iso3: (def.kind == EntityKind::Country)
            .then(|| def.country.clone())
            .flatten(),
        country: def.country.clone(),
        wikidata: def.wikidata.clone(),
        role: def.role.clone(),
        discovered: false,
        mentions: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
