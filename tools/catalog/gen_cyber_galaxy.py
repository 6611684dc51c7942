#!/usr/bin/env python3
"""Generates data/entities/cyber-galaxy.tsv: threat actors and malware from the MISP galaxy clusters,
as catalog rows (English names only; Arabic and Persian names of the actors the news names are added
by hand in cyber.tsv, which wins over this file).

Sources, all in the MISP galaxy as shipped by PyPI's `pymispgalaxies` (the cluster JSON files are
dual-licensed CC0 1.0 / BSD 2-Clause, https://github.com/MISP/misp-galaxy/blob/main/LICENSE.md):
- threat-actor.json (threat actors with synonyms and their attributed or CFR-suspected sponsor state),
- microsoft-activity-group.json (Microsoft's names: STRONTIUM, HAFNIUM …),
- mitre-intrusion-set.json (MITRE ATT&CK groups),
- mitre-malware.json and mitre-ics-software.json (MITRE ATT&CK software).

Entries that share a name are merged into one row. An entry any of whose names a hand-written catalog
file already lists is left out (the hand row carries the Arabic and Persian names and wins). Names
shorter than four characters, MITRE ids (G0031, S0047) and names with non-Latin decorations are
dropped; a single-word name that is an English dictionary word (/usr/share/dict/words, from Debian's
`wamerican`) is flagged {weak}: it counts only when the article names the entity another way too.

The output is committed. Run it offline from PyPI wheels:

    python3 -m venv /tmp/genv && /tmp/genv/bin/pip install pymispgalaxies pycountry
    /tmp/genv/bin/python tools/catalog/gen_cyber_galaxy.py > data/entities/cyber-galaxy.tsv
"""

import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import pycountry
import pymispgalaxies

ROOT = Path(__file__).resolve().parents[2]
ENTITIES = ROOT / "data" / "entities"
GENERATED = "cyber-galaxy.tsv"

ACTOR_CLUSTERS = ["threat-actor", "microsoft-activity-group", "mitre-intrusion-set"]
MALWARE_CLUSTERS = ["mitre-malware", "mitre-ics-software"]

MITRE_ID = re.compile(r"^[GSC]\d{4}$")
SUFFIX_ID = re.compile(r"\s+-\s+[GSC]\d{4}$")
# CFR names that pycountry does not look up as written.
SPONSORS = {
    "Korea (Democratic People's Republic of)": "PRK",
    "Korea (Republic of)": "KOR",
    "Iran (Islamic Republic of)": "IRN",
    "Russian Federation": "RUS",
    "Russia": "RUS",
    "Taiwan, Province of China": "TWN",
    "Viet Nam": "VNM",
    "Syrian Arab Republic": "SYR",
    "United States": "USA",
    "United Kingdom": "GBR",
    "Palestine": "PSE",
    "Palestine, State of": "PSE",
}


def clusters_dir():
    here = Path(os.path.dirname(pymispgalaxies.__file__))
    return here / "data" / "misp-galaxy" / "clusters"


def key(name):
    """The name as compared: lowercase, spaces, hyphens and dots folded."""
    folded = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\s\-_.]+", " ", folded).strip()


def hand_names():
    """Every alias the hand-written catalog files list (any language), as keys."""
    names = set()
    for path in sorted(ENTITIES.glob("*.tsv")):
        if path.name == GENERATED:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            for cell in fields[4:]:
                for alias in cell.split("|"):
                    alias = re.sub(r"\{[^}]*\}", "", alias).strip()
                    if alias:
                        names.add(key(alias))
    return names


def dictionary():
    path = Path("/usr/share/dict/words")
    if not path.exists():
        sys.exit("needs /usr/share/dict/words (apt-get install wamerican) to flag common words")
    return {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="ignore").splitlines()}


def usable(name):
    name = name.strip()
    if len(name) < 4 or MITRE_ID.match(name):
        return False
    # Latin letters, digits and plain punctuation only (some entries carry decorative scripts).
    return all(c.isascii() or unicodedata.category(c).startswith("L") and ord(c) < 0x250 for c in name)


def country_of(meta):
    code = meta.get("country")
    if isinstance(code, str) and len(code) == 2:
        found = pycountry.countries.get(alpha_2=code.upper())
        if found:
            return found.alpha_3
    sponsor = meta.get("cfr-suspected-state-sponsor")
    if isinstance(sponsor, str) and sponsor:
        if sponsor in SPONSORS:
            return SPONSORS[sponsor]
        try:
            return pycountry.countries.lookup(sponsor).alpha_3
        except LookupError:
            return None
    return None


def entries(names):
    """(label, [names], country) of every value of the clusters."""
    out = []
    for cluster in names:
        data = json.loads((clusters_dir() / f"{cluster}.json").read_text(encoding="utf-8"))
        for value in data.get("values", []):
            label = SUFFIX_ID.sub("", value.get("value", "")).strip()
            meta = value.get("meta", {}) or {}
            synonyms = [s for s in meta.get("synonyms", []) or [] if isinstance(s, str)]
            all_names = [n.strip() for n in [label, *synonyms] if usable(n)]
            if all_names:
                out.append((all_names[0], all_names, country_of(meta)))
    return out


def merge(items):
    """Union of the entries that share a name; a state only where the merged entries agree."""
    groups = []  # [label, names(list), keys(set), countries(set)]
    by_key = {}
    for label, names, country in items:
        keys = {key(n) for n in names}
        hits = {id(g): g for k in keys if (g := by_key.get(k)) is not None}
        if hits:
            target, *rest = list(hits.values())
            for other in rest:
                target[1].extend(other[1])
                target[2] |= other[2]
                target[3] |= other[3]
                for k in other[2]:
                    by_key[k] = target
                groups.remove(other)
        else:
            target = [label, [], set(), set()]
            groups.append(target)
        target[1].extend(names)
        target[2] |= keys
        if country:
            target[3].add(country)
        for k in keys:
            by_key[k] = target
    return groups


def slug(label):
    s = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def rows(prefix, kind, groups, hand, words, taken):
    out = []
    skipped = 0
    for label, names, keys, countries in sorted(groups, key=lambda g: g[0].lower()):
        if keys & hand:
            skipped += 1
            continue
        ident = f"{prefix}:{slug(label)}"
        if not slug(label) or ident in taken:
            continue
        taken.add(ident)
        seen = set()
        aliases = []
        for n in names:
            k = key(n)
            if k in seen:
                continue
            seen.add(k)
            weak = " " not in k and k.replace(" ", "") in words
            aliases.append(f"{n} {{weak}}" if weak else n)
        country = next(iter(countries)) if len(countries) == 1 else ""
        out.append("\t".join([ident, kind, country, "", label, " | ".join(aliases), "", ""]))
    return out, skipped


def main():
    hand = hand_names()
    words = dictionary()
    taken = set()
    actors, skipped_actors = rows("actor", "threat_actor", merge(entries(ACTOR_CLUSTERS)), hand, words, taken)
    malware, skipped_malware = rows("malware", "malware", merge(entries(MALWARE_CLUSTERS)), hand, words, taken)
    version = getattr(pymispgalaxies, "__version__", "")
    print(f"# GENERATED by tools/catalog/gen_cyber_galaxy.py from the MISP galaxy (pymispgalaxies {version}).")
    print("# Clusters: " + ", ".join(ACTOR_CLUSTERS + MALWARE_CLUSTERS) + ". Licence: CC0 1.0 / BSD 2-Clause.")
    print("# Do not edit by hand: an actor or malware named in the news belongs in cyber.tsv with its Arabic and")
    print("# Persian names; any entry sharing a name with a hand-written row is left out of this file.")
    print("# id\tkind\tcountry\twikidata\tlabel\ten\tar\tfa")
    for line in actors + malware:
        print(line)
    print(
        f"{len(actors)} actors ({skipped_actors} left to hand rows), "
        f"{len(malware)} malware ({skipped_malware} left to hand rows)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
