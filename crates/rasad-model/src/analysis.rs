//! The analysis the extraction stages fill in: dates, entities, quotes, PLOVER events and cyber-incident
//! records. Each fact carries the [`Span`] of its evidence in the article's cleaned text.

use serde::{Deserialize, Serialize};

use crate::Span;

/// Everything the stages found in one article. Empty lists mean "nothing found", never "not run".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    #[serde(default)]
    pub dates: Vec<DateMention>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub incidents: Vec<Incident>,
}

/// The calendar a date was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calendar {
    Gregorian,
    /// Solar Hijri (the Iranian calendar: فروردین … اسفند).
    Persian,
    /// Islamic Hijri, Umm al-Qura reckoning.
    IslamicUmmAlQura,
    /// Islamic Hijri, tabular (civil) reckoning.
    IslamicTabular,
}

/// How precise a normalized date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Year,
    Month,
    Week,
    Day,
    Time,
}

/// What a date is in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DateRole {
    /// A date the text talks about.
    #[default]
    Mention,
    /// The article's own date line.
    Published,
    /// A date in the site's page header: the day the page was rendered, not the article's date.
    Page,
}

/// A date or time expression found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    pub span: Span,
    /// The expression as written.
    pub text: String,
    /// ISO 8601 value at the stated granularity (`2022`, `2022-07`, `2022-09-08`, `2022-09-08T20:00`),
    /// or `None` when the expression could not be resolved (for instance a weekday that contradicts it).
    pub value: Option<String>,
    pub granularity: Granularity,
    pub calendar: Calendar,
    #[serde(default)]
    pub role: DateRole,
    /// Whether the value was resolved against a reference date ("yesterday", "last July").
    #[serde(default)]
    pub relative: bool,
    /// Why a value is missing or uncertain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The kind of a catalogued or discovered entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Country,
    City,
    /// A region, territory or sea that is not a state (Gaza, Crimea, the Persian Gulf).
    Region,
    Igo,
    GovernmentBody,
    ArmedGroup,
    PoliticalGroup,
    Company,
    NewsOutlet,
    ThreatActor,
    Malware,
    Person,
    Organization,
}

/// How an alias frames the entity it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Framing {
    /// A name meant to disparage (منافقین for the MEK).
    Pejorative,
    /// A name that takes a side (الكيان الصهيوني for Israel).
    Partisan,
}

/// What kind of name a sentence uses a mention as, when that differs from its entity's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameUse {
    Person,
    Place,
    Organization,
}

/// One place in the text where an entity is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub span: Span,
    /// The surface form as written in the text.
    pub text: String,
    /// The catalog alias it matched, when it came from the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framing: Option<Framing>,
    /// Whether the name is an adjective or demonym of the entity ("الألبانية", "ایرانی", "Albanian")
    /// rather than its name: "the Iranian attack" names Iran as an attribute, not as an actor.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adjective: bool,
    /// Whether the words describe the entity rather than name it: an epithet ("رهبر معظم انقلاب"
    /// for Khamenei), a common noun the news uses for one body ("مجلس", the assembly), or a
    /// state's institution named by the state's adjective ("الخارجية الأميركية", the American
    /// foreign ministry). Such a mention links its entity like a name does; name annotation
    /// (ANERcorp, PEYMA, ACE's nominal mentions) does not tag these words as a name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nominal: bool,
    /// How the sentence uses the name, where the trained tagger read the same words as another kind
    /// of name than the entity's: a state's full name acting as its government ("جمهوری اسلامی ایران"
    /// announcing something is an organisation in news annotation), a building as a place. The
    /// entity and its id stay the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_as: Option<NameUse>,
}

/// An actor, place or thing, resolved to one canonical id across languages and spellings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical id (`country:ALB`, `igo:nato`, `person:…` for people found by their titles, or
    /// `person:~…`, `org:~…`, `place:~…` with a transliteration key for names the tagger found).
    pub id: String,
    /// Canonical English name.
    pub label: String,
    pub kind: EntityKind,
    /// ISO 3166-1 alpha-3 code, for countries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso3: Option<String>,
    /// The state (ISO3) a person or organisation belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// Role or title, for people found by their titles ("foreign ministry spokesperson").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Whether the entity is not in the catalog but was found in the text by its name's shape
    /// (a title, an organisation's head noun, a name in the place of an attack's victim).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub discovered: bool,
    pub mentions: Vec<Mention>,
}

impl Entity {
    /// Whether the entity is a name the trained tagger found and nothing else knows: its id is a
    /// transliteration key after `~` (`person:~gtrs`).
    #[must_use]
    pub fn is_tagged(&self) -> bool {
        self.id
            .split_once(':')
            .is_some_and(|(_, rest)| rest.starts_with('~'))
    }

    /// The state a capital stands for in this news ("نددت طهران" is Iran), as `country:ISO3`: only
    /// cities with the `capital` role and a state.
    #[must_use]
    pub fn capital_of(&self) -> Option<String> {
        if self.kind == EntityKind::City && self.role.as_deref() == Some("capital") {
            self.country.as_ref().map(|c| format!("country:{c}"))
        } else {
            None
        }
    }
}

/// The stance a speech verb takes towards what is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Assert,
    /// The reporter keeps a distance ("claimed", "زعم", "ادعا کرد").
    Claim,
    Deny,
    Reject,
    Condemn,
    Confirm,
    Warn,
    Demand,
}

/// Who said what, with the speech verb and its stance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Entity id of the speaker, or `None` when it could not be resolved.
    pub speaker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_span: Option<Span>,
    /// The speech verb as written.
    pub verb: String,
    pub verb_span: Span,
    pub stance: Stance,
    /// What was said.
    pub text: String,
    pub span: Span,
    /// Whether the quote is direct (in quotation marks) rather than reported speech.
    #[serde(default)]
    pub direct: bool,
}

/// A PLOVER-coded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// PLOVER category (`ACCUSE`, `REJECT`, `SANCTION`, `COERCE` …).
    #[serde(rename = "type")]
    pub event_type: String,
    /// PLOVER mode (`cyber`, `deny`, `break_relations` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Entity ids of the actors.
    pub sources: Vec<String>,
    /// Entity ids of the targets.
    pub targets: Vec<String>,
    /// PLOVER contexts (`cyber`, `diplomatic` …).
    #[serde(default)]
    pub context: Vec<String>,
    /// ISO 8601 date from the date stage, when one applies.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub negated: bool,
    /// Who reports it: the outlet, the wire or a quoted speaker (entity id or outlet name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
    /// The CAMEO code, where one fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    pub evidence: Span,
}

/// Who attributed an incident to whom, on what basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Who makes the attribution; `None` when the text names no one (anonymous sources, "experts",
    /// the outlet's own voice).
    pub attributing_actor: Option<String>,
    pub accused_actor: Option<String>,
    /// The evidence the text gives: `technical_forensics`, `timing`, `claim_channel`,
    /// `code_similarity`, `political`.
    #[serde(default)]
    pub basis: Vec<String>,
    /// EuRepoC's attribution basis, from who attributes: `receiver_government`, `third_party_state`,
    /// `it_security`, `international_organization`, `media` (an outlet, or no one named),
    /// `attacker_confirms` (a claim of responsibility: the accused speaks for itself).
    #[serde(default)]
    pub attributor_type: String,
    /// `asserted`, `reported` or `disputed`.
    pub stance: String,
    /// Whether the words say it with doubt ("believed", "likely", "قد يكون", "احتمالا").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hedged: bool,
    /// The words that carry the attribution as written ("blamed", "تقف وراء", "منتسب به").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    pub evidence: Span,
}

impl Attribution {
    /// Whether this is a claim of responsibility (the accused names itself).
    #[must_use]
    pub fn is_claim(&self) -> bool {
        self.attributor_type == "attacker_confirms"
    }
}

/// A victim of an incident (EuRepoC's receiver) as the text names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Victim {
    /// Entity id (catalogued or discovered).
    pub id: String,
    /// The name as written.
    pub name: String,
    /// The state it belongs to (ISO3), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// EuRepoC receiver category: `state_institutions`, `critical_infrastructure`, `corporate`,
    /// `media`, `international_organization`, `social_groups`, `state` (a state as a whole).
    pub category: String,
    pub evidence: Span,
}

/// A denial, linked to the attribution it denies (its index in [`Incident::attributions`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denial {
    pub actor: Option<String>,
    pub denies: Option<usize>,
    pub evidence: Span,
}

/// A response to an incident: `diplomatic_rupture`, `expulsion`, `statement`, `sanction`, `support`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    #[serde(rename = "type")]
    pub response_type: String,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub evidence: Span,
}

/// A cyber-incident record in the spirit of EuRepoC, with its attribution chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// Entity ids of the victims (EuRepoC's receivers), in the order of [`Incident::victims`].
    pub receivers: Vec<String>,
    /// The victims with their names as written, states and receiver categories.
    #[serde(default)]
    pub victims: Vec<Victim>,
    #[serde(default)]
    pub receiver_sectors: Vec<String>,
    /// `disruption`, `data_theft`, `wiper`, `ransomware`, `hijacking` …
    #[serde(default)]
    pub incident_types: Vec<String>,
    /// Effects as reported, each with its evidence.
    #[serde(default)]
    pub effects: Vec<(String, Span)>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub operation: Option<String>,
    /// Entity ids of named groups or malware.
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub attributions: Vec<Attribution>,
    #[serde(default)]
    pub responses: Vec<Response>,
    #[serde(default)]
    pub denials: Vec<Denial>,
    pub evidence: Vec<Span>,
}
