//! The entity catalog: reviewed TSV files under `data/entities/`, one entity per line.
//!
//! Columns: `id`, `kind`, `country` (ISO3), `wikidata`, `label`, then the aliases in English, Arabic and
//! Persian, separated by ` | `, and an optional `role`. An alias may carry flags in braces:
//! `{pejorative}` or `{partisan}` (how the name frames the entity), `{weak}` (a name that is also a
//! common word: it counts only when the entity is named another way in the same article), `{adj}`
//! (an adjective or demonym: ألباني، ایرانی، Albanian), `{nominal}` (words that describe the entity
//! rather than name it: an epithet, a common noun, "الخارجية الأميركية"). A line
//! whose id was seen before adds its aliases to that entity, so reviewed additions to a generated
//! file live in a file of their own.

use rasad_model::{EntityKind, Framing, Lang};

use crate::EntityError;

/// The catalog files compiled into the binary, in load order.
const BUILTIN: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../../../data/entities/countries.tsv"),
    ),
    (
        "countries-extra.tsv",
        include_str!("../../../data/entities/countries-extra.tsv"),
    ),
    ("places.tsv", include_str!("../../../data/entities/places.tsv")),
    (
        "organizations.tsv",
        include_str!("../../../data/entities/organizations.tsv"),
    ),
    (
        "government.tsv",
        include_str!("../../../data/entities/government.tsv"),
    ),
    ("media.tsv", include_str!("../../../data/entities/media.tsv")),
    ("cyber.tsv", include_str!("../../../data/entities/cyber.tsv")),
    (
        "cyber-galaxy.tsv",
        include_str!("../../../data/entities/cyber-galaxy.tsv"),
    ),
    ("people.tsv", include_str!("../../../data/entities/people.tsv")),
];

/// One catalogued entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDef {
    pub id: String,
    pub kind: EntityKind,
    /// ISO3 of the state it is or belongs to.
    pub country: Option<String>,
    pub wikidata: Option<String>,
    pub label: String,
    /// Office or function, for people ("foreign minister of Iran").
    pub role: Option<String>,
}

/// One name of an entity in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Index into [`Catalog::entities`].
    pub entity: usize,
    pub lang: Lang,
    pub text: String,
    pub framing: Option<Framing>,
    /// Counts only when the entity is also named by a strong alias in the same article.
    pub weak: bool,
    /// An adjective or demonym of the entity (`{adj}`): ألباني، ایرانی، Albanian.
    pub adjective: bool,
    /// Words that describe the entity rather than name it (`{nominal}`): an epithet, a common
    /// noun, an institution named by its state's adjective ("الخارجية الأميركية").
    pub nominal: bool,
}

/// All entities and their aliases.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub entities: Vec<EntityDef>,
    pub aliases: Vec<Alias>,
    by_id: rustc_hash::FxHashMap<String, usize>,
}

impl Catalog {
    /// The catalog built into the binary: the one the built-in [`Matcher`](crate::Matcher) owns.
    /// Lines that do not parse are skipped; the `builtin_catalog_is_clean` test keeps the shipped
    /// files free of them.
    pub fn builtin() -> &'static Catalog {
        crate::Matcher::builtin().catalog()
    }

    /// Parses the built-in files, returning every problem found.
    pub fn parse_builtin() -> (Catalog, Vec<EntityError>) {
        let mut catalog = Catalog::default();
        let mut errors = Vec::new();
        for (name, text) in BUILTIN {
            errors.extend(catalog.add_file(name, text));
        }
        (catalog, errors)
    }

    /// Adds the entities of one TSV file; returns the lines that could not be read.
    pub fn add_file(&mut self, name: &str, text: &str) -> Vec<EntityError> {
        let mut errors = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Err(reason) = self.add_line(line) {
                errors.push(EntityError::Catalog {
                    file: name.to_string(),
                    line: n + 1,
                    reason,
                });
            }
        }
        errors
    }

    fn add_line(&mut self, line: &str) -> Result<(), String> {
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or("");
        if fields.len() < 8 {
            return Err(format!("{} columns, expected at least 8", fields.len()));
        }
        let id = field(0);
        if id.is_empty() || id.contains(char::is_whitespace) {
            return Err(format!("bad id {id:?}"));
        }
        let kind = parse_kind(field(1)).ok_or_else(|| format!("unknown kind {:?}", field(1)))?;
        let country = non_empty(field(2));
        if let Some(c) = &country
            && (c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(format!("country {c:?} is not an ISO3 code"));
        }
        let wikidata = non_empty(field(3));
        if let Some(q) = &wikidata
            && !(q.starts_with('Q') && q.len() > 1 && q.bytes().skip(1).all(|b| b.is_ascii_digit()))
        {
            return Err(format!("wikidata {q:?} is not a QID"));
        }
        // Aliases are read before anything is stored, so that a bad line leaves no half entity.
        let mut aliases = Vec::new();
        for (column, lang) in [(5, Lang::En), (6, Lang::Ar), (7, Lang::Fa)] {
            for raw in field(column).split('|') {
                let raw = raw.trim();
                if !raw.is_empty() {
                    aliases.push(parse_alias(raw, 0, lang)?);
                }
            }
        }
        let entity = match self.by_id.get(id) {
            Some(&known) => {
                let def = self.entities.get_mut(known).ok_or("index out of range")?;
                if def.kind != kind {
                    return Err(format!("{id} was {:?} and is now {kind:?}", def.kind));
                }
                def.country = def.country.take().or(country);
                def.wikidata = def.wikidata.take().or(wikidata);
                if def.role.is_none() {
                    def.role = non_empty(field(8));
                }
                known
            }
            None => {
                let label = field(4);
                if label.is_empty() {
                    return Err(format!("{id} has no label"));
                }
                self.entities.push(EntityDef {
                    id: id.to_string(),
                    kind,
                    country,
                    wikidata,
                    label: label.to_string(),
                    role: non_empty(field(8)),
                });
                let index = self.entities.len() - 1;
                self.by_id.insert(id.to_string(), index);
                index
            }
        };
        for mut alias in aliases {
            alias.entity = entity;
            if !self
                .aliases
                .iter()
                .any(|a| a.entity == entity && a.text == alias.text && a.lang == alias.lang)
            {
                self.aliases.push(alias);
            }
        }
        Ok(())
    }

    /// The entity with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&EntityDef> {
        self.by_id.get(id).and_then(|&i| self.entities.get(i))
    }

    /// The index of the entity with this id.
    #[must_use]
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Aliases of one entity.
    pub fn aliases_of(&self, entity: usize) -> impl Iterator<Item = &Alias> {
        self.aliases.iter().filter(move |a| a.entity == entity)
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

fn parse_alias(raw: &str, entity: usize, lang: Lang) -> Result<Alias, String> {
    let mut text = raw;
    let mut framing = None;
    let mut weak = false;
    let mut adjective = false;
    let mut nominal = false;
    while let Some(open) = text.rfind('{') {
        let flag = text
            .get(open..)
            .and_then(|f| f.strip_prefix('{'))
            .and_then(|f| f.strip_suffix('}'))
            .ok_or_else(|| format!("unclosed flag in {raw:?}"))?;
        match flag {
            "pejorative" => framing = Some(Framing::Pejorative),
            "partisan" => framing = Some(Framing::Partisan),
            "weak" => weak = true,
            "adj" => adjective = true,
            "nominal" => nominal = true,
            other => return Err(format!("unknown flag {{{other}}} in {raw:?}")),
        }
        text = text.get(..open).unwrap_or("").trim_end();
    }
    if text.is_empty() {
        return Err(format!("empty alias in {raw:?}"));
    }
    Ok(Alias {
        entity,
        lang,
        text: text.to_string(),
        framing,
        weak,
        adjective,
        nominal,
    })
}

/// The `kind` column's words.
#[must_use]
pub fn parse_kind(s: &str) -> Option<EntityKind> {
    Some(match s {
        "country" => EntityKind::Country,
        "city" => EntityKind::City,
        "region" => EntityKind::Region,
        "igo" => EntityKind::Igo,
        "government_body" => EntityKind::GovernmentBody,
        "armed_group" => EntityKind::ArmedGroup,
        "political_group" => EntityKind::PoliticalGroup,
        "company" => EntityKind::Company,
        "news_outlet" => EntityKind::NewsOutlet,
        "threat_actor" => EntityKind::ThreatActor,
        "malware" => EntityKind::Malware,
        "person" => EntityKind::Person,
        "organization" => EntityKind::Organization,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_is_clean() {
        let (catalog, errors) = Catalog::parse_builtin();
        assert!(errors.is_empty(), "{errors:#?}");
        let countries = catalog
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Country)
            .count();
        let others = catalog.entities.len() - countries;
        assert!(countries >= 250, "{countries} countries");
        assert!(others >= 400, "{others} other entities");
        // Every country has a name in all three languages.
        for (i, e) in catalog.entities.iter().enumerate() {
            if e.kind == EntityKind::Country {
                for lang in [Lang::En, Lang::Ar, Lang::Fa] {
                    assert!(
                        catalog.aliases_of(i).any(|a| a.lang == lang),
                        "{} has no {lang:?} name",
                        e.id
                    );
                }
            }
        }
    }

    #[test]
    fn flags_and_merging() {
        let mut catalog = Catalog::default();
        let errors = catalog.add_file(
            "t.tsv",
            "group:mek\tarmed_group\tIRN\tQ1\tMEK\tMEK\tمجاهدي خلق\tمنافقین {pejorative}\n\
             group:mek\tarmed_group\t\t\t\tMKO\t\tسازمان مجاهدین خلق | منافقین کوردل {pejorative} {nominal}\n\
             x\tplanet\t\t\tX\t\t\t\n\
             y\tcountry\tirn\t\tY\t\t\t\n\
             z\tcountry\t\t\tZ\tZed {odd}\t\t\n",
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(catalog.entities.len(), 1);
        let names: Vec<(&str, Option<Framing>)> = catalog
            .aliases_of(0)
            .map(|a| (a.text.as_str(), a.framing))
            .collect();
        assert_eq!(
            names,
            [
                ("MEK", None),
                ("مجاهدي خلق", None),
                ("منافقین", Some(Framing::Pejorative)),
                ("MKO", None),
                ("سازمان مجاهدین خلق", None),
                ("منافقین کوردل", Some(Framing::Pejorative))
            ]
        );
        let nominal: Vec<bool> = catalog.aliases_of(0).map(|a| a.nominal).collect();
        assert_eq!(nominal, [false, false, false, false, false, true]);
    }
}
