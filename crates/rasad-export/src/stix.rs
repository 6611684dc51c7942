//! A STIX 2.1 bundle, shaped as OpenCTI and MISP import it, written object by object:
//!
//! - a `report` per article (name, published, `lang`, the URL as an external reference, every
//!   object the article gives in `object_refs`), `created_by_ref` its outlet's `identity`;
//! - `identity` for organisations, government bodies, outlets and people; `location` for states
//!   (ISO 3166-1 alpha-2 `country`) and cities; `intrusion-set` for threat actors; `malware`;
//!   a `threat-actor` (nation-state) for an accused state or state organ, `located-at` its state;
//! - an `incident` per incident, `targets` its victims; `attributed-to` the accused, one per
//!   attributor, with the attributor as `created_by_ref` (an identity for an attributing state),
//!   `confidence` from the stance and the basis in the description; a `note` quoting each
//!   article's attribution; a denial as an `opinion` (`strongly-disagree`) by the denier's
//!   identity on the attributions it denies, with a `note` quoting it; responses as notes;
//!   `uses` from a group to the malware named with it.
//!
//! Evidence (the article's report and the byte span and text behind each object) is a property
//! extension declared by the bundle's `extension-definition`. Ids are UUIDv5 of rasad's own ids,
//! so exporting twice gives the same ids, and timestamps come from the articles' ingestion times.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::sync::OnceLock;

use rasad_model::{AnalyzedArticle, Entity, EntityKind, Span};
use rasad_store::Store;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{ExportQuery, Joins, Result, Seen};

/// The namespace of rasad's STIX ids (UUIDv5 of `rasad` in the URL namespace).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://example.invalid/rasad/stix")
}

/// A STIX id of `kind` from a rasad key: the same key gives the same id in every export.
#[must_use]
pub fn stix_id(kind: &str, key: &str) -> String {
    format!(
        "{kind}--{}",
        Uuid::new_v5(&namespace(), format!("{kind}:{key}").as_bytes())
    )
}

/// The id of the extension that carries evidence.
#[must_use]
pub fn evidence_extension() -> String {
    stix_id("extension-definition", "rasad-evidence")
}

/// The identity of rasad itself (the creator of derived objects).
fn rasad_identity() -> String {
    stix_id("identity", "rasad")
}

/// Fixed creation time of the objects that describe rasad itself.
const EPOCH: &str = "2026-01-01T00:00:00.000Z";

/// A state's ISO 3166-1 alpha-2 code and English short name, by its alpha-3 code.
fn iso3166(iso3: &str) -> Option<(&'static str, &'static str)> {
    static TABLE: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            include_str!("../../../data/export/iso3166.tsv")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .filter_map(|l| {
                    let mut f = l.split('\t');
                    Some((f.next()?, (f.next()?, f.next().unwrap_or_default())))
                })
                .collect()
        })
        .get(iso3)
        .copied()
}

fn alpha2(iso3: &str) -> Option<&'static str> {
    iso3166(iso3).map(|(a2, _)| a2)
}

fn country_name(iso3: &str) -> Option<&'static str> {
    iso3166(iso3).map(|(_, name)| name)
}

/// A URL as an RFC 3986 URI, which STIX requires: an IRI's non-ASCII letters (Arabic and Persian
/// paths), spaces and the other characters a URI may not hold are percent-encoded as UTF-8; what
/// is already encoded stays as it is.
#[must_use]
pub fn uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_ascii() && !c.is_ascii_control() && !" \"<>\\^`{|}".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// STIX timestamp of milliseconds since 1970.
fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Writes a bundle's objects as they come, each id once, and counts them by type.
#[derive(Debug)]
pub struct StixWriter<W: Write> {
    out: W,
    written: HashSet<String>,
    counts: BTreeMap<String, usize>,
}

impl<W: Write> StixWriter<W> {
    /// Starts a bundle with rasad's identity and the evidence extension's definition.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn new(mut out: W, bundle_key: &str) -> Result<Self> {
        writeln!(
            out,
            "{{\"type\":\"bundle\",\"id\":\"{}\",\"objects\":[",
            stix_id("bundle", bundle_key)
        )?;
        let mut w = StixWriter {
            out,
            written: HashSet::new(),
            counts: BTreeMap::new(),
        };
        w.emit(json!({
            "type": "identity", "spec_version": "2.1", "id": rasad_identity(),
            "created": EPOCH, "modified": EPOCH, "name": "rasad",
            "identity_class": "system",
            "description": "rasad: news on state cyber operations in Arabic, Persian and English, coded with evidence spans",
        }))?;
        w.emit(json!({
            "type": "extension-definition", "spec_version": "2.1", "id": evidence_extension(),
            "created_by_ref": rasad_identity(), "created": EPOCH, "modified": EPOCH,
            "name": "rasad evidence",
            "description": "The article (report) and the byte span of its cleaned text that an object was read from, with that text.",
            "schema": "https://example.invalid/rasad/docs/schema.md#stix-evidence",
            "version": "1.0",
            "extension_types": ["property-extension"],
        }))?;
        Ok(w)
    }

    /// Whether an object with this id was written.
    #[must_use]
    pub fn has(&self, id: &str) -> bool {
        self.written.contains(id)
    }

    /// Writes an object unless one with its id was written.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn emit(&mut self, obj: Value) -> Result<()> {
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !self.written.insert(id) {
            return Ok(());
        }
        let kind = obj
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if self.written.len() > 1 {
            self.out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut self.out, &obj)?;
        *self.counts.entry(kind).or_default() += 1;
        Ok(())
    }

    /// Closes the bundle; gives back the writer and the count of objects by type.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn finish(mut self) -> Result<(W, BTreeMap<String, usize>)> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok((self.out, self.counts))
    }
}

/// What a bundle holds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BundleSummary {
    pub seen: Seen,
    /// Objects by STIX type.
    pub objects: BTreeMap<String, usize>,
}

/// Writes the bundle of the articles `query` selects.
///
/// # Errors
/// When the store cannot be read or `out` fails.
pub fn write_bundle<W: Write>(
    store: &Store,
    joins: &Joins,
    query: &ExportQuery,
    bundle_key: &str,
    out: W,
) -> Result<(W, BundleSummary)> {
    let filter = query.resolve(joins)?;
    let mut w = StixWriter::new(out, bundle_key)?;
    let mut seen = Seen::default();
    store.scan(&filter, |a| -> Result<()> {
        seen.note(&a, joins);
        Article::new(&a, joins).write(&mut w)
    })?;
    let (out, objects) = w.finish()?;
    Ok((out, BundleSummary { seen, objects }))
}

/// One article's objects, gathered into its report.
struct Article<'a> {
    a: &'a AnalyzedArticle,
    joins: &'a Joins,
    report: String,
    created: String,
    refs: Vec<String>,
    entities: HashMap<&'a str, &'a Entity>,
}

impl<'a> Article<'a> {
    fn new(a: &'a AnalyzedArticle, joins: &'a Joins) -> Self {
        let created = stamp(crate::tables::millis(&a.article.ingested_at).unwrap_or(0));
        Article {
            a,
            joins,
            report: stix_id("report", a.article.id.as_str()),
            created,
            refs: Vec::new(),
            entities: a.analysis.entities.iter().map(|e| (e.id.as_str(), e)).collect(),
        }
    }

    fn evidence(&self, spans: &[Span]) -> Value {
        let text = &self.a.article.text;
        let list: Vec<Value> = spans
            .iter()
            .map(|s| {
                json!({
                    "report_ref": self.report,
                    "article_id": self.a.article.id.as_str(),
                    "start": s.start, "end": s.end,
                    "text": s.slice(text).unwrap_or_default(),
                })
            })
            .collect();
        json!({ evidence_extension(): { "extension_type": "property-extension", "evidence": list } })
    }

    fn quote(&self, span: Span) -> String {
        span.slice(&self.a.article.text)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// A fresh object's common properties.
    fn base(&self, kind: &str, id: &str, spans: &[Span]) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("type".into(), kind.into());
        m.insert("spec_version".into(), "2.1".into());
        m.insert("id".into(), id.into());
        m.insert("created".into(), self.created.clone().into());
        m.insert("modified".into(), self.created.clone().into());
        if !spans.is_empty() {
            m.insert("extensions".into(), self.evidence(spans));
        }
        m
    }

    fn put(&mut self, w: &mut StixWriter<impl Write>, obj: serde_json::Map<String, Value>) -> Result<String> {
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !self.refs.contains(&id) {
            self.refs.push(id.clone());
        }
        if !w.has(&id) {
            w.emit(Value::Object(obj))?;
        }
        Ok(id)
    }

    /// A state's location object, from its ISO3 code.
    fn country(
        &mut self,
        w: &mut StixWriter<impl Write>,
        iso3: &str,
        label: Option<&str>,
        spans: &[Span],
    ) -> Result<Option<String>> {
        let Some(a2) = alpha2(iso3) else {
            return Ok(None);
        };
        let id = stix_id("location", &format!("country:{iso3}"));
        if w.has(&id) {
            return self.put(w, self.base("location", &id, &[])).map(Some);
        }
        let mut o = self.base("location", &id, spans);
        o.insert("name".into(), label.or(country_name(iso3)).unwrap_or(iso3).into());
        o.insert("country".into(), a2.into());
        self.put(w, o).map(Some)
    }

    /// The STIX object of an entity the article names; `None` for kinds STIX has no object for
    /// here (a region or a city without its state).
    fn entity(&mut self, w: &mut StixWriter<impl Write>, id: &str) -> Result<Option<String>> {
        let Some(e) = self.entities.get(id).copied() else {
            return Ok(None);
        };
        let spans: Vec<Span> = e.mentions.iter().map(|m| m.span).collect();
        let iso3 = e.iso3.as_deref().or_else(|| e.id.strip_prefix("country:"));
        let (kind, class) = match e.kind {
            EntityKind::Country => return self.country(w, iso3.unwrap_or_default(), Some(&e.label), &spans),
            EntityKind::City | EntityKind::Region => {
                let Some(a2) = e.country.as_deref().and_then(alpha2) else {
                    return Ok(None);
                };
                let sid = stix_id("location", &e.id);
                let mut o = self.base("location", &sid, &spans);
                o.insert("name".into(), e.label.clone().into());
                if e.kind == EntityKind::City {
                    o.insert("city".into(), e.label.clone().into());
                }
                o.insert("country".into(), a2.into());
                return self.put(w, o).map(Some);
            }
            EntityKind::ThreatActor => ("intrusion-set", None),
            EntityKind::Malware => ("malware", None),
            EntityKind::Person => ("identity", Some("individual")),
            _ => ("identity", Some("organization")),
        };
        let sid = stix_id(kind, &e.id);
        if w.has(&sid) {
            return self.put(w, self.base(kind, &sid, &[])).map(Some);
        }
        let mut o = self.base(kind, &sid, &spans);
        o.insert("name".into(), e.label.clone().into());
        match kind {
            "malware" => {
                o.insert("is_family".into(), true.into());
            }
            "identity" => {
                o.insert("identity_class".into(), class.unwrap_or("organization").into());
                let sector = match e.kind {
                    EntityKind::GovernmentBody => Some("government-national"),
                    EntityKind::NewsOutlet => Some("communications"),
                    _ => None,
                };
                if let Some(s) = sector {
                    o.insert("sectors".into(), json!([s]));
                }
                if let Some(role) = &e.role {
                    o.insert("roles".into(), json!([role]));
                }
            }
            _ => {}
        }
        if let Some(wd) = &e.wikidata {
            // Wikidata ids are ASCII, so the URL is a URI as it stands.
            o.insert(
                "external_references".into(),
                json!([{ "source_name": "wikidata", "external_id": wd, "url": format!("https://www.wikidata.org/wiki/{wd}") }]),
            );
        }
        let sid = self.put(w, o)?;
        // Where an organisation or a person belongs.
        if kind != "malware"
            && let Some(home) = e.country.clone()
            && let Some(loc) = self.country(w, &home, None, &[])?
        {
            self.relation(w, "located-at", &sid, &loc, None, &[])?;
        }
        Ok(Some(sid))
    }

    /// The identity an actor speaks as (`created_by_ref`, an opinion's author): its own identity,
    /// or for a state the identity of its government.
    fn speaker(&mut self, w: &mut StixWriter<impl Write>, id: &str) -> Result<Option<String>> {
        let Some(e) = self.entities.get(id).copied() else {
            return Ok(None);
        };
        match e.kind {
            EntityKind::Country => {
                let sid = stix_id("identity", &e.id);
                let mut o = self.base("identity", &sid, &[]);
                o.insert("name".into(), format!("Government of {}", e.label).into());
                o.insert("identity_class".into(), "organization".into());
                o.insert("sectors".into(), json!(["government-national"]));
                let sid = self.put(w, o)?;
                let iso3 = e
                    .iso3
                    .clone()
                    .or_else(|| e.id.strip_prefix("country:").map(str::to_string));
                if let Some(loc) = iso3.and_then(|c| self.country(w, &c, Some(&e.label), &[]).transpose()) {
                    let loc = loc?;
                    self.relation(w, "located-at", &sid, &loc, None, &[])?;
                }
                Ok(Some(sid))
            }
            EntityKind::ThreatActor | EntityKind::Malware | EntityKind::City | EntityKind::Region => Ok(None),
            _ => self.entity(w, id),
        }
    }

    /// The object an attribution accuses: a threat actor's intrusion set, malware, or a
    /// nation-state `threat-actor` for a state or a state organ (located at its state).
    fn accused(&mut self, w: &mut StixWriter<impl Write>, id: &str) -> Result<Option<String>> {
        let Some(e) = self.entities.get(id).copied() else {
            return Ok(None);
        };
        if matches!(e.kind, EntityKind::ThreatActor | EntityKind::Malware) {
            return self.entity(w, id);
        }
        let sid = stix_id("threat-actor", &e.id);
        let spans: Vec<Span> = e.mentions.iter().map(|m| m.span).collect();
        let fresh = !w.has(&sid);
        let mut o = self.base("threat-actor", &sid, if fresh { &spans } else { &[] });
        o.insert("name".into(), e.label.clone().into());
        let state = matches!(e.kind, EntityKind::Country | EntityKind::GovernmentBody);
        o.insert(
            "threat_actor_types".into(),
            json!([if state { "nation-state" } else { "unknown" }]),
        );
        let sid = self.put(w, o)?;
        let home = e
            .iso3
            .clone()
            .or_else(|| e.country.clone())
            .or_else(|| e.id.strip_prefix("country:").map(str::to_string));
        if let Some(home) = home
            && let Some(loc) = self.country(w, &home, None, &[])?
        {
            self.relation(w, "located-at", &sid, &loc, None, &[])?;
        }
        Ok(Some(sid))
    }

    fn relation(
        &mut self,
        w: &mut StixWriter<impl Write>,
        rel: &str,
        source: &str,
        target: &str,
        extra: Option<(&str, serde_json::Map<String, Value>)>,
        spans: &[Span],
    ) -> Result<String> {
        let key = match &extra {
            Some((k, _)) => format!("{rel}|{source}|{target}|{k}"),
            None => format!("{rel}|{source}|{target}"),
        };
        let id = stix_id("relationship", &key);
        let mut o = self.base("relationship", &id, if w.has(&id) { &[] } else { spans });
        o.insert("relationship_type".into(), rel.into());
        o.insert("source_ref".into(), source.into());
        o.insert("target_ref".into(), target.into());
        if let Some((_, props)) = extra {
            o.extend(props);
        }
        self.put(w, o)
    }

    fn note(
        &mut self,
        w: &mut StixWriter<impl Write>,
        key: &str,
        abstract_: String,
        span: Span,
        refs: Vec<String>,
    ) -> Result<String> {
        let id = stix_id("note", &format!("{}|{key}", self.a.article.id.as_str()));
        let mut o = self.base("note", &id, &[span]);
        o.insert("abstract".into(), abstract_.into());
        o.insert("content".into(), format!("«{}»", self.quote(span)).into());
        if let Some(outlet) = &self.a.article.outlet {
            o.insert("authors".into(), json!([outlet]));
        }
        o.insert("created_by_ref".into(), rasad_identity().into());
        let mut refs = refs;
        refs.push(self.report.clone());
        o.insert("object_refs".into(), json!(refs));
        self.put(w, o)
    }

    fn label(&self, id: Option<&str>) -> String {
        id.map_or_else(
            || "unnamed".to_string(),
            |id| {
                self.entities
                    .get(id)
                    .map_or_else(|| id.to_string(), |e| e.label.clone())
            },
        )
    }

    fn write(mut self, w: &mut StixWriter<impl Write>) -> Result<()> {
        let art = &self.a.article;
        let outlet = art.outlet.as_ref().map(|o| {
            let id = stix_id("identity", &format!("outlet:{o}"));
            let mut m = self.base("identity", &id, &[]);
            m.insert("name".into(), o.clone().into());
            m.insert("identity_class".into(), "organization".into());
            m.insert("sectors".into(), json!(["communications"]));
            m.insert("description".into(), "News outlet".into());
            (id, m)
        });
        if let Some((id, m)) = outlet.clone()
            && !w.has(&id)
        {
            w.emit(Value::Object(m))?;
        }
        for e in &self.a.analysis.entities {
            self.entity(w, &e.id)?;
        }
        self.incidents(w)?;
        let mut o = self.base("report", &self.report, &[]);
        o.insert(
            "name".into(),
            art.title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| art.source.clone())
                .into(),
        );
        let published = art
            .published
            .as_deref()
            .and_then(crate::tables::millis)
            .or_else(|| crate::tables::millis(&art.ingested_at))
            .unwrap_or(0);
        o.insert("published".into(), stamp(published).into());
        o.insert("report_types".into(), json!(["threat-report"]));
        if art.lang != rasad_model::Lang::Und {
            o.insert("lang".into(), art.lang.code().into());
        }
        let description: String = art.text.chars().take(1000).collect();
        o.insert("description".into(), description.into());
        let mut ext = vec![json!({ "source_name": "rasad", "external_id": art.id.as_str() })];
        if let Some(url) = &art.url {
            ext.insert(
                0,
                json!({ "source_name": art.outlet.clone().unwrap_or_else(|| "source".into()), "url": uri(url) }),
            );
        }
        o.insert("external_references".into(), json!(ext));
        let creator = outlet.as_ref().map_or_else(rasad_identity, |(id, _)| id.clone());
        o.insert("created_by_ref".into(), creator.clone().into());
        let mut refs = std::mem::take(&mut self.refs);
        if refs.is_empty() {
            refs.push(creator);
        }
        o.insert("object_refs".into(), json!(refs));
        w.emit(Value::Object(o))
    }

    fn incidents(&mut self, w: &mut StixWriter<impl Write>) -> Result<()> {
        let id = self.a.article.id.as_str();
        let Some(incident) = self.joins.incident_of(id).map(str::to_string) else {
            return Ok(());
        };
        let inc = stix_id("incident", &incident);
        if !w.has(&inc) {
            let mut o = self.base("incident", &inc, &[]);
            let summary = self.joins.incidents.summary(&incident);
            o.insert(
                "name".into(),
                summary
                    .map_or_else(|| incident.clone(), |s| s.name.clone())
                    .into(),
            );
            if let Some(s) = summary {
                let mut d = format!("rasad incident {incident}");
                if let Some(start) = &s.start {
                    d.push_str(&format!("; started {start} ({})", s.granularity));
                }
                if !s.types.is_empty() {
                    d.push_str(&format!("; type {}", s.types.join(", ")));
                }
                d.push_str(&format!(
                    "; {} articles in {}",
                    s.articles,
                    s.languages.join(", ")
                ));
                o.insert("description".into(), d.into());
                if !s.types.is_empty() {
                    o.insert("labels".into(), json!(s.types));
                }
            }
            o.insert(
                "external_references".into(),
                json!([{ "source_name": "rasad", "external_id": incident }]),
            );
            w.emit(Value::Object(o))?;
        }
        if !self.refs.contains(&inc) {
            self.refs.push(inc.clone());
        }
        for (r, rec) in self.a.analysis.incidents.iter().enumerate() {
            for v in &rec.victims {
                let target = match self.entity(w, &v.id)? {
                    Some(t) => t,
                    None => {
                        let sid = stix_id("identity", &v.id);
                        let mut o = self.base("identity", &sid, &[v.evidence]);
                        o.insert("name".into(), v.name.clone().into());
                        o.insert("identity_class".into(), "organization".into());
                        self.put(w, o)?
                    }
                };
                self.relation(w, "targets", &inc, &target, None, &[v.evidence])?;
            }
            // A group and the malware named with it.
            let groups: Vec<&String> = rec
                .actors
                .iter()
                .filter(|a| self.kind(a) == Some(EntityKind::ThreatActor))
                .collect();
            let malware: Vec<&String> = rec
                .actors
                .iter()
                .filter(|a| self.kind(a) == Some(EntityKind::Malware))
                .collect();
            for g in &groups {
                for m in &malware {
                    if let (Some(gs), Some(ms)) = (self.entity(w, g)?, self.entity(w, m)?) {
                        self.relation(w, "uses", &gs, &ms, None, &rec.evidence)?;
                    }
                }
            }
            let mut rels: Vec<Option<String>> = Vec::new();
            for (i, at) in rec.attributions.iter().enumerate() {
                let Some(accused) = at.accused_actor.as_deref() else {
                    rels.push(None);
                    continue;
                };
                let Some(target) = self.accused(w, accused)? else {
                    rels.push(None);
                    continue;
                };
                let attributor = at.attributing_actor.as_deref();
                let by = match attributor {
                    Some(a) => self.speaker(w, a)?,
                    None => None,
                };
                let confidence = match (at.is_claim(), at.stance.as_str(), at.hedged) {
                    (_, _, true) => 30,
                    (true, _, _) => 70,
                    (_, "asserted", _) => 75,
                    (_, "disputed", _) => 25,
                    _ => 50,
                };
                let mut desc = if at.is_claim() {
                    format!("{} claims the incident", self.label(attributor))
                } else {
                    format!(
                        "{} attributes the incident to {} ({})",
                        attributor.map_or_else(|| "The press".to_string(), |a| self.label(Some(a))),
                        self.label(Some(accused)),
                        at.stance
                    )
                };
                if !at.basis.is_empty() {
                    desc.push_str(&format!("; basis: {}", at.basis.join(", ")));
                }
                let mut props = serde_json::Map::new();
                props.insert("description".into(), desc.clone().into());
                props.insert("confidence".into(), confidence.into());
                props.insert(
                    "created_by_ref".into(),
                    by.clone().unwrap_or_else(rasad_identity).into(),
                );
                let key = attributor.unwrap_or("reported").to_string();
                let rel = self.relation(
                    w,
                    "attributed-to",
                    &inc,
                    &target,
                    Some((&key, props)),
                    &[at.evidence],
                )?;
                self.note(w, &format!("r{r}a{i}"), desc, at.evidence, vec![rel.clone()])?;
                rels.push(Some(rel));
            }
            for (i, d) in rec.denials.iter().enumerate() {
                let denied: Vec<String> = match d.denies.and_then(|k| rels.get(k).cloned().flatten()) {
                    Some(rel) => vec![rel],
                    None => rels.iter().flatten().cloned().collect(),
                };
                let refs = if denied.is_empty() {
                    vec![inc.clone()]
                } else {
                    denied
                };
                let who = self.label(d.actor.as_deref());
                let author = match d.actor.as_deref() {
                    Some(a) => self.speaker(w, a)?,
                    None => None,
                };
                let oid = stix_id("opinion", &format!("{id}|r{r}d{i}"));
                let mut o = self.base("opinion", &oid, &[d.evidence]);
                o.insert("opinion".into(), "strongly-disagree".into());
                o.insert("explanation".into(), self.quote(d.evidence).into());
                o.insert("authors".into(), json!([who]));
                if let Some(a) = author {
                    o.insert("created_by_ref".into(), a.into());
                }
                o.insert("object_refs".into(), json!(refs));
                let oid = self.put(w, o)?;
                let mut note_refs = refs.clone();
                note_refs.push(oid);
                self.note(
                    w,
                    &format!("r{r}d{i}"),
                    format!("{who} denies the attribution"),
                    d.evidence,
                    note_refs,
                )?;
            }
            for (i, resp) in rec.responses.iter().enumerate() {
                let abstract_ = format!(
                    "Response: {} by {}{}",
                    resp.response_type,
                    self.label(resp.actor.as_deref()),
                    resp.target
                        .as_deref()
                        .map(|t| format!(" against {}", self.label(Some(t))))
                        .unwrap_or_default()
                );
                self.note(
                    w,
                    &format!("r{r}p{i}"),
                    abstract_,
                    resp.evidence,
                    vec![inc.clone()],
                )?;
            }
        }
        Ok(())
    }

    fn kind(&self, id: &str) -> Option<EntityKind> {
        self.entities.get(id).map(|e| e.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_uris() {
        assert_eq!(
            uri("http://aawsat.com/home/article/410826/بريطانيا-أربعة"),
            "http://aawsat.com/home/article/410826/%D8%A8%D8%B1%D9%8A%D8%B7%D8%A7%D9%86%D9%8A%D8%A7-%D8%A3%D8%B1%D8%A8%D8%B9%D8%A9"
        );
        assert_eq!(
            uri("https://x.example/a b?q=\"1\"#f"),
            "https://x.example/a%20b?q=%221%22#f"
        );
        assert_eq!(uri("https://x.example/%D8%A8"), "https://x.example/%D8%A8");
    }

    #[test]
    fn ids_are_uuid_v5_of_rasad_keys() {
        let id = stix_id("report", "0123abcd");
        assert_eq!(id, stix_id("report", "0123abcd"));
        assert_ne!(id, stix_id("report", "0123abce"));
        let uuid = Uuid::parse_str(id.strip_prefix("report--").unwrap()).unwrap();
        assert_eq!(uuid.get_version_num(), 5);
    }
}
