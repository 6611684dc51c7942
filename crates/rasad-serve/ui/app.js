// rasad web UI: a hash-routed page over the JSON API.
//
// Safety rule: every string that comes from an article, a title, a name or any other API field is
// put in the page as a text node (el() and text()), never parsed as HTML. There is no innerHTML in
// this file; the server's Content-Security-Policy forbids inline script besides.
"use strict";

const RTL = new Set(["ar", "fa", "ur"]);
const LANG_NAMES = { ar: "Arabic", fa: "Persian", ur: "Urdu", en: "English", und: "undetermined" };
// English glosses of the PLOVER event types and modes rasad codes.
const EVENT_GLOSS = {
  ACCUSE: "accuses", REJECT: "rejects", SANCTION: "sanctions", COERCE: "coerces", THREATEN: "threatens",
  SUPPORT: "supports", AID: "aids", REQUEST: "requests", CONSULT: "consults", AGREE: "agrees",
  ASSAULT: "assaults", PROTEST: "protests", RETREAT: "retreats", COOPERATE: "cooperates",
};
const MODE_GLOSS = {
  allege: "blames / attributes", disapprove: "condemns", deny: "denies", break_relations: "breaks relations",
  expel: "expels diplomats", cyber: "cyber operation", cyber_defence: "cyber defence help",
};
const RESPONSE_GLOSS = {
  diplomatic_rupture: "broke diplomatic relations", expulsion: "expelled diplomats", sanction: "sanctions",
  statement: "statement", threat: "threatened a response", support: "support for the victim",
};
const BASIS_GLOSS = {
  timing: "timing", code_similarity: "code similarity", claim_channel: "claim-of-responsibility channel",
  technical_forensics: "technical forensics", political: "political motive", infrastructure: "infrastructure",
};

// "ACCUSE/allege" → "blames / attributes"; "SUPPORT" → "supports".
function gloss(label) {
  const [type, mode] = String(label).split("/");
  return (mode && MODE_GLOSS[mode]) || EVENT_GLOSS[type] || "";
}

// ---- DOM helpers: text only ----

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else if (key === "onsubmit") node.addEventListener("submit", value);
    else if (key === "href") node.setAttribute("href", safeHref(value));
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Links are to our own pages only (#/…); anything else becomes inert.
function safeHref(value) {
  const s = String(value);
  return s.startsWith("#/") || s.startsWith("/api/") ? s : "#/";
}

function dirOf(lang) {
  return RTL.has(lang) ? "rtl" : lang === "en" ? "ltr" : "auto";
}

function langBadge(lang) {
  return el("span", { class: "badge lang", title: LANG_NAMES[lang] || lang }, lang);
}

function main() {
  return document.getElementById("main");
}

function show(...nodes) {
  const m = main();
  m.replaceChildren(...nodes.flat());
  window.scrollTo(0, 0);
}

function errorBox(err) {
  return el("div", { class: "error", role: "alert" }, String(err && err.message ? err.message : err));
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    throw new Error(`${response.status} ${response.statusText}`);
  }
  if (!response.ok) throw new Error(body && body.error ? body.error.message : `${response.status}`);
  return body;
}

// An article without an outlet is named by its file, without the folders.
function fileName(source) {
  return String(source || "").split(/[\\/]/).pop();
}

function day(value) {
  return value ? String(value).slice(0, 10) : "";
}

// ---- byte offsets: the API gives UTF-8 byte ranges ----

// Cuts `text` at the given byte boundaries and returns [{start, end, text}] pieces.
function pieces(text, boundaries) {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const cuts = [...new Set([0, bytes.length, ...boundaries.filter((b) => b >= 0 && b <= bytes.length)])].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    out.push({ start: cuts[i], end: cuts[i + 1], text: decoder.decode(bytes.subarray(cuts[i], cuts[i + 1])) });
  }
  return out;
}

// Renders an article's text with evidence marks (spans: [{start, end, fact}]) and, for
// non-English text, the English label of each entity mention after it.
function renderText(text, lang, spans, mentions) {
  const boundaries = [];
  for (const s of spans) boundaries.push(s.start, s.end);
  for (const m of mentions) boundaries.push(m.start, m.end);
  const container = el("div", { class: "text", lang, dir: dirOf(lang) });
  for (const piece of pieces(text, boundaries)) {
    const facts = spans.filter((s) => s.start <= piece.start && piece.end <= s.end).map((s) => s.fact);
    const mention = mentions.find((m) => m.start <= piece.start && piece.end <= m.end);
    let node = document.createTextNode(piece.text);
    if (mention) node = el("span", { class: "ent", title: `${mention.label} (${mention.id})` }, node);
    if (facts.length) {
      node = el("mark", { class: "ev", "data-facts": facts.join(" "), title: "evidence: " + facts.join(", ") }, node);
      node.addEventListener("click", () => activate(facts[0]));
    }
    container.appendChild(node);
    if (mention && mention.end === piece.end && lang !== "en") {
      container.appendChild(el("span", { class: "gloss", lang: "en", dir: "ltr" }, mention.label));
    }
  }
  return container;
}

function mentionsOf(article) {
  const out = [];
  for (const e of article.entities || []) {
    for (const m of e.mentions || []) out.push({ start: m.span.start, end: m.span.end, id: e.id, label: e.label });
  }
  // Outer mentions win over nested ones: keep the first of any overlap, longest first.
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  for (const m of out) if (!kept.length || m.start >= kept[kept.length - 1].end) kept.push(m);
  return kept;
}

// Highlights every mark of one fact, and the fact itself in the record panel.
function activate(fact) {
  document.querySelectorAll(".active").forEach((n) => n.classList.remove("active"));
  const marks = [...document.querySelectorAll("mark.ev")].filter((m) => (m.dataset.facts || "").split(" ").includes(fact));
  marks.forEach((m) => m.classList.add("active"));
  const row = document.querySelector(`[data-fact="${CSS.escape(fact)}"]`);
  if (row) row.classList.add("active");
  if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
}

// ---- actors ----

function actor(id, labels) {
  if (!id) return el("span", { class: "actor muted" }, "unnamed");
  const label = (labels && labels[id]) || id;
  return el("a", { class: "actor", href: `#/entity/${encodeURIComponent(id)}`, title: id }, el("bdi", {}, label));
}

function actors(ids, labels) {
  if (!ids || !ids.length) return [el("span", { class: "muted" }, "—")];
  const out = [];
  ids.forEach((id, i) => {
    if (i) out.push(", ");
    out.push(actor(id, labels));
  });
  return out;
}

function evidenceButton(fact, count) {
  return el("button", { type: "button", onclick: () => activate(fact), title: "Highlight the evidence in the articles" },
    `evidence (${count})`);
}

// ---- pages ----

async function storiesPage(params) {
  const offset = Number(params.get("offset") || 0);
  const data = await api(`/api/stories?limit=50&offset=${offset}`);
  const rows = data.items.map((s) =>
    el("tr", {},
      el("td", { class: "small" }, day(s.last_seen)),
      el("td", {}, el("a", { href: `#/story/${encodeURIComponent(s.id)}`, dir: "auto" }, s.title || s.id)),
      el("td", {}, s.languages.map(langBadge)),
      el("td", { class: "small" }, `${s.outlets.length} outlets (${s.independent_sources} independent)`),
      el("td", { class: "small" }, `${s.articles.length} articles`)));
  show(
    el("h1", {}, "Stories"),
    el("p", { class: "muted" }, `${data.total} stories, latest first. A story is one affair across outlets and languages; syndicated copies are counted once.`),
    el("table", { class: "stories" },
      el("thead", {}, el("tr", {}, el("th", {}, "Last seen"), el("th", {}, "Story"), el("th", {}, "Languages"), el("th", {}, "Outlets"), el("th", {}, "Articles"))),
      el("tbody", {}, rows)),
    pager(data, (o) => `#/?offset=${o}`));
}

function pager(data, link) {
  const nodes = [];
  if (data.offset > 0) nodes.push(el("a", { href: link(Math.max(0, data.offset - data.limit)) }, "← newer"));
  if (data.total !== null && data.offset + data.limit < data.total) nodes.push(el("a", { href: link(data.offset + data.limit) }, "older →"));
  return el("div", { class: "pager" }, nodes);
}

function factRow(fact, children, evidence) {
  return el("div", { class: "fact", "data-fact": fact }, children, evidence && evidence.length ? evidenceButton(fact, evidence.length) : null);
}

function incidentRecord(story, labels, withAttributions = true) {
  const attributions = story.attributions.map((a, i) =>
    factRow(`attr-${i}`, [
      actor(a.attributing_actor, labels), el("span", { class: "arrow" }, " attributes it to "), actor(a.accused_actor, labels),
      el("span", { class: `badge ${a.stance}` }, a.stance),
      a.basis.length ? el("span", { class: "small" }, "basis: ", a.basis.map((b) => BASIS_GLOSS[b] || b).join(", ")) : null,
      el("span", { class: "small muted" }, `${a.articles.length} article${a.articles.length > 1 ? "s" : ""}`),
    ], a.evidence));
  const denials = story.denials.map((d, i) =>
    factRow(`deny-${i}`, [
      actor(d.actor, labels), el("span", { class: "badge deny" }, "denies"),
      d.answers ? [el("span", { class: "small" }, "the attribution by "), actor(d.answers[0], labels), el("span", { class: "small" }, " to "), actor(d.answers[1], labels)] : null,
    ], d.evidence));
  const responses = story.responses.map((r, i) =>
    factRow(`resp-${i}`, [
      actor(r.actor, labels), el("span", { class: "arrow" }, ` ${RESPONSE_GLOSS[r.type] || r.type} `),
      r.target ? [el("span", { class: "arrow" }, "→ "), actor(r.target, labels)] : null,
    ], r.evidence));
  const block = (title, rows, empty) => el("div", { class: "card" }, el("h3", {}, title), rows.length ? rows : el("p", { class: "muted small" }, empty));
  return el("section", { id: "incident" },
    el("h2", {}, "Incident record"),
    el("div", { class: "grid" },
      withAttributions ? block("Attributions: who blamed whom, on what basis", attributions, "No attribution reported.") : null,
      block("Denials", denials, "No denial reported."),
      block("Responses", responses, "No response reported.")));
}

function eventsTable(story, labels) {
  const rows = story.events.map((e, i) =>
    el("tr", { "data-fact": `event-${i}` },
      el("td", {}, el("strong", {}, e.type), " ", el("span", { class: "small muted" }, EVENT_GLOSS[e.type] || "")),
      el("td", { class: "small" }, e.mode ? `${e.mode} (${MODE_GLOSS[e.mode] || e.mode})` : ""),
      el("td", {}, actors(e.sources, labels)),
      el("td", {}, actors(e.targets, labels)),
      el("td", { class: "small" }, e.date || ""),
      el("td", {}, evidenceButton(`event-${i}`, e.evidence.length))));
  return el("section", {},
    el("h2", {}, "Events (PLOVER)"),
    rows.length
      ? el("table", {}, el("thead", {}, el("tr", {}, ["Event", "Mode", "Source", "Target", "Date", ""].map((h) => el("th", {}, h)))), el("tbody", {}, rows))
      : el("p", { class: "muted" }, "No coded events."));
}

function timeline(story, labels) {
  const items = story.timeline.map((t) =>
    el("li", { class: `kind-${t.kind}` },
      el("time", { datetime: day(t.date) }, t.date.length > 10 ? day(t.date) : t.date),
      el("span", { class: "badge" }, t.kind),
      t.kind === "article" ? el("bdi", {}, t.label) : el("strong", {}, t.label),
      t.kind === "event" ? el("span", { class: "small muted" }, ` ${gloss(t.label)}`) : null,
      t.kind !== "article" && t.actors.length ? [" · ", actors(t.actors, labels)] : null));
  return el("section", { id: "timeline" },
    el("h2", {}, "Timeline"),
    items.length ? el("ol", { class: "timeline" }, items) : el("p", { class: "muted" }, "No dated facts."));
}

function framing(story, labels) {
  const cards = story.framing.map((f) =>
    el("div", { class: "card" },
      el("h3", { dir: "auto" }, f.outlet),
      el("ul", { class: "small" },
        Object.entries(f.names).map(([id, names]) =>
          el("li", {}, actor(id, labels), ": ", names.map((n, i) => [i ? " | " : "", el("bdi", { dir: "auto" }, n)])))),
      f.verbs.length ? el("p", { class: "small" }, "speech verbs: ", f.verbs.map((v, i) => [i ? "; " : "", el("bdi", { dir: "auto" }, v[1]), ` (${v[2]})`])) : null));
  return el("section", {}, el("h2", {}, "How each outlet named the actors"), el("div", { class: "grid" }, cards));
}

// Every fact's evidence, per article, keyed as the fact rows are ("attr-0", "deny-1" …).
function evidenceByArticle(groups) {
  const spansByArticle = {};
  for (const [prefix, facts] of groups) {
    facts.forEach((f, i) => f.evidence.forEach((e) => {
      (spansByArticle[e.article] = spansByArticle[e.article] || []).push({ start: e.start, end: e.end, fact: `${prefix}-${i}` });
    }));
  }
  return spansByArticle;
}

// The articles side by side, each in its own direction, evidence highlighted.
function articleColumns(articles, rows, labels, spansByArticle) {
  return articles.map((a) => {
    const info = rows.find((x) => x.id === a.id) || {};
    return el("article", { class: "article card", lang: a.lang, dir: dirOf(a.lang), "data-article": a.id },
      el("header", { dir: "ltr", lang: "en" },
        langBadge(a.lang), el("strong", { dir: "auto", title: a.source }, a.outlet || fileName(a.source)), " ",
        el("span", { class: "small muted" }, day(a.published)),
        info.copy_of ? el("span", { class: "badge" }, `copy of ${info.copy_of.slice(0, 12)}`) : null,
        (info.credited || []).length ? el("span", { class: "small muted" }, ` via ${info.credited.map((c) => labels[c] || c).join(", ")}`) : null,
        info.story ? [" ", el("a", { class: "small", href: `#/story/${encodeURIComponent(info.story)}` }, "story")] : null,
        " ", el("a", { class: "small", href: `#/article/${encodeURIComponent(a.id)}` }, "analysis")),
      a.title ? el("h3", { dir: dirOf(a.lang) }, a.title) : null,
      renderText(a.text, a.lang, spansByArticle[a.id] || [], mentionsOf(a)));
  });
}

async function storyPage(id) {
  const story = await api(`/api/stories/${encodeURIComponent(id)}`);
  const labels = story.labels || {};
  const articles = await Promise.all(story.articles.map((a) => api(`/api/articles/${encodeURIComponent(a.id)}`)));
  const spansByArticle = evidenceByArticle([["attr", story.attributions], ["deny", story.denials], ["resp", story.responses], ["event", story.events]]);
  const columns = articleColumns(articles, story.articles, labels, spansByArticle);
  const titles = Object.entries(story.titles || {}).map(([lang, t]) =>
    el("li", {}, langBadge(lang), el("span", { lang, dir: dirOf(lang) }, t)));
  show(
    el("p", { class: "small" }, el("a", { href: "#/" }, "← all stories")),
    el("h1", { dir: "auto" }, story.title || story.id),
    el("p", { class: "muted" },
      `${story.articles.length} articles from ${story.outlets.length} outlets (${story.independent_sources} independent) in `,
      story.languages.map((l) => LANG_NAMES[l] || l).join(", "),
      `; ${day(story.first_seen)} to ${day(story.last_seen)}. Story ${story.id}.`),
    titles.length > 1 ? el("ul", { class: "titles" }, titles) : null,
    incidentRecord(story, labels),
    timeline(story, labels),
    eventsTable(story, labels),
    el("section", { id: "articles" },
      el("h2", {}, "Articles side by side"),
      el("p", { class: "small muted" }, "Highlighted: the evidence of each fact above (click a highlight or an evidence button). Blue labels give the English name of each actor."),
      el("div", { class: "articles" }, columns)),
    el("section", {}, el("h2", {}, "Key entities"),
      el("p", {}, story.entities.map((e) => [actor(e.id, labels), el("span", { class: "small muted" }, ` (${e.articles}) `)]))),
    framing(story, labels));
}

// ---- incidents ----

const INCIDENT_FILTERS = [
  ["country", "Receiver country", "IRN"],
  ["accused", "Accused", "country:PRK"],
  ["type", "Type", "disruption"],
  ["year", "Year", "2022"],
  ["lang", "Language", "fa"],
];

async function incidentsPage(params) {
  const offset = Number(params.get("offset") || 0);
  const query = new URLSearchParams();
  for (const [name] of INCIDENT_FILTERS) if (params.get(name)) query.set(name, params.get(name));
  const data = await api(`/api/incidents?limit=50&offset=${offset}&${query}`);
  const form = el("form", { class: "filters", id: "incident-filters", onsubmit: (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [name] of INCIDENT_FILTERS) {
      const v = ev.target.elements[name].value.trim();
      if (v) q.set(name, v);
    }
    location.hash = `#/incidents?${q}`;
  } },
    INCIDENT_FILTERS.map(([name, label, example]) =>
      el("label", {}, `${label} `, el("input", { name, value: params.get(name) || "", placeholder: example, size: 12, dir: "auto" }))),
    el("button", { type: "submit" }, "Filter"));
  const named = (list, n) => list.slice(0, n).map((x, i) => [i ? ", " : "", el("bdi", { title: x.id }, x.label)]);
  const rows = data.items.map((s) =>
    el("tr", {},
      el("td", { class: "small" }, s.start || "?", el("span", { class: "muted" }, s.granularity === "reported" ? " (reported)" : "")),
      el("td", {}, el("a", { href: `#/incident/${encodeURIComponent(s.id)}`, dir: "auto" }, s.name)),
      el("td", { class: "small" }, named(s.receivers, 3)),
      el("td", { class: "small" }, named(s.accused, 3)),
      el("td", { class: "small" }, s.types.join(", ")),
      el("td", {}, s.languages.map(langBadge)),
      el("td", { class: "small" }, `${s.articles} articles, ${s.stories.length} stories`)));
  show(
    el("h1", {}, "Incidents"),
    el("p", { class: "muted" }, `${data.total} incidents, latest reported first. An incident is one cyber operation across its stories, outlets, languages and years.`),
    form,
    el("table", { class: "incidents" },
      el("thead", {}, el("tr", {}, ["Started", "Incident", "Receivers", "Accused", "Type", "Languages", "Coverage"].map((h) => el("th", {}, h)))),
      el("tbody", {}, rows)),
    pager(data, (o) => `#/incidents?offset=${o}&${query}`));
}

// "Who said what, when": the attributions oldest first, with who contests each.
function attributionTimeline(record, labels) {
  const items = record.attributions.map((a, i) =>
    el("li", { "data-fact": `attr-${i}` },
      el("time", { datetime: a.first_reported || "" }, a.first_reported || "undated"),
      " ", actor(a.attributing_actor, labels), el("span", { class: "arrow" }, " attributes it to "), actor(a.accused_actor, labels),
      el("span", { class: `badge ${a.stance}` }, a.stance),
      a.basis.length ? el("span", { class: "small" }, " basis: ", a.basis.map((b) => BASIS_GLOSS[b] || b).join(", ")) : null,
      a.contested_by.length ? el("span", { class: "small contested" }, " · contested by ", actors(a.contested_by, labels)) : null,
      " ", evidenceButton(`attr-${i}`, a.evidence.length)));
  return el("section", { id: "attribution-timeline" },
    el("h2", {}, "Attribution timeline: who said what, when"),
    items.length ? el("ol", { class: "timeline" }, items) : el("p", { class: "muted" }, "No attribution reported."));
}

async function incidentPage(id) {
  const record = await api(`/api/incidents/${encodeURIComponent(id)}`);
  const labels = record.labels || {};
  const articles = await Promise.all(record.article_list.map((a) => api(`/api/articles/${encodeURIComponent(a.id)}`)));
  const spansByArticle = evidenceByArticle([["attr", record.attributions], ["deny", record.denials], ["resp", record.responses]]);
  const receivers = record.victims.map((v) =>
    el("li", {}, actor(v.id, labels), el("span", { class: "small muted" }, ` ${v.category}${v.country ? ", " + v.country : ""} · `),
      v.names.map((n, i) => [i ? " | " : "", el("bdi", { dir: "auto" }, n)]),
      el("span", { class: "small muted" }, ` (${v.articles.length} articles)`)));
  const stories = [...new Set(record.article_list.map((a) => a.story).filter(Boolean))];
  show(
    el("p", { class: "small" }, el("a", { href: "#/incidents" }, "← all incidents")),
    el("h1", { dir: "auto" }, record.name),
    el("p", { class: "muted" },
      `Started ${record.start || "?"} (${record.granularity}); ${record.articles} articles in `,
      record.languages.map((l) => LANG_NAMES[l] || l).join(", "),
      `, reported ${day(record.first_seen)} to ${day(record.last_seen)}. Incident ${record.id}.`),
    record.types.length ? el("p", {}, "Type: ", record.types.map((t) => el("span", { class: "badge" }, t))) : null,
    el("section", { id: "receivers" }, el("h2", {}, "Receivers"),
      receivers.length ? el("ul", {}, receivers) : el("p", { class: "muted" }, "No receiver named.")),
    attributionTimeline(record, labels),
    incidentRecord(record, labels, false),
    el("section", { id: "stories" }, el("h2", {}, "Stories"),
      el("ul", {}, stories.map((s) => el("li", {}, el("a", { href: `#/story/${encodeURIComponent(s)}` }, s), " ",
        el("span", { class: "small muted" }, `${record.article_list.filter((a) => a.story === s).length} articles`))))),
    el("section", { id: "articles" },
      el("h2", {}, "Articles side by side"),
      el("p", { class: "small muted" }, "Highlighted: the evidence of each fact above (click a highlight or an evidence button)."),
      el("div", { class: "articles" }, articleColumns(articles, record.article_list, labels, spansByArticle))),
    framing(record, labels));
}

async function articlePage(id) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  const labels = {};
  for (const e of a.entities || []) labels[e.id] = e.label;
  const spans = [];
  const facts = [];
  (a.events || []).forEach((e, i) => {
    spans.push({ start: e.evidence.start, end: e.evidence.end, fact: `event-${i}` });
    facts.push(factRow(`event-${i}`, [el("strong", {}, e.type), e.mode ? el("span", { class: "small" }, ` ${e.mode}`) : null, " ",
      actors(e.sources, labels), el("span", { class: "arrow" }, " → "), actors(e.targets, labels),
      e.negated ? el("span", { class: "badge deny" }, "negated") : null], [e.evidence]));
  });
  (a.quotes || []).forEach((q, i) => {
    spans.push({ start: q.span.start, end: q.span.end, fact: `quote-${i}` });
    facts.push(factRow(`quote-${i}`, [actor(q.speaker, labels), " ", el("bdi", { dir: "auto" }, q.verb), el("span", { class: "badge" }, q.stance)], [q.span]));
  });
  show(
    a.story ? el("p", { class: "small" }, el("a", { href: `#/story/${encodeURIComponent(a.story)}` }, "← its story")) : null,
    a.incident ? el("p", { class: "small" }, el("a", { href: `#/incident/${encodeURIComponent(a.incident)}` }, "its incident")) : null,
    el("h1", { dir: dirOf(a.lang), lang: a.lang }, a.title || a.source),
    el("p", { class: "muted" }, langBadge(a.lang), `${a.outlet || fileName(a.source)} · ${day(a.published) || "date unknown"} · ${a.id}`),
    el("div", { class: "grid" },
      el("div", { class: "card" }, el("h3", {}, "Events and quotes"), facts.length ? facts : el("p", { class: "muted" }, "None coded.")),
      el("article", { class: "article card", lang: a.lang, dir: dirOf(a.lang) }, renderText(a.text, a.lang, spans, mentionsOf(a)))));
}

async function entityPage(id) {
  const data = await api(`/api/entities/${encodeURIComponent(id)}`);
  const e = data.entity;
  const rows = data.names.map((n) =>
    el("tr", {}, el("td", { dir: "auto" }, n.outlet), el("td", {}, el("bdi", { dir: "auto" }, n.name)),
      el("td", { class: "small" }, n.framing || ""), el("td", { class: "small" }, String(n.mentions))));
  show(
    el("h1", { dir: "auto" }, e.label),
    el("p", { class: "muted" }, `${e.kind} · ${e.id} · named in ${e.articles} articles (${e.mentions} mentions)`),
    el("h2", {}, "Names each outlet used"),
    el("table", {}, el("thead", {}, el("tr", {}, ["Outlet", "Name", "Framing", "Mentions"].map((h) => el("th", {}, h)))), el("tbody", {}, rows)),
    el("h2", {}, "Stories"),
    data.stories.length
      ? el("ul", {}, data.stories.map((s) => el("li", {}, el("a", { href: `#/story/${encodeURIComponent(s.id)}`, dir: "auto" }, s.title || s.id), " ", s.languages.map(langBadge))))
      : el("p", { class: "muted" }, "None."));
}

async function entitiesPage(params) {
  const kind = params.get("kind") || "";
  const data = await api(`/api/entities?limit=200&kind=${encodeURIComponent(kind)}`);
  show(
    el("h1", {}, "Entities"),
    el("table", {}, el("thead", {}, el("tr", {}, ["Entity", "Kind", "Articles", "Mentions"].map((h) => el("th", {}, h)))),
      el("tbody", {}, data.items.map((e) => el("tr", {},
        el("td", {}, el("a", { href: `#/entity/${encodeURIComponent(e.id)}`, dir: "auto" }, e.label), " ", el("span", { class: "small muted" }, e.id)),
        el("td", { class: "small" }, e.kind), el("td", {}, String(e.articles)), el("td", {}, String(e.mentions)))))));
}

function snippet(s) {
  if (!s) return null;
  const boundaries = s.highlights.flat();
  const p = el("p", { class: "snippet", dir: "auto" });
  for (const piece of pieces(s.text, boundaries)) {
    const hit = s.highlights.some(([a, b]) => a <= piece.start && piece.end <= b);
    p.appendChild(hit ? el("mark", {}, piece.text) : document.createTextNode(piece.text));
  }
  return p;
}

async function searchPage(params) {
  const fields = ["q", "lang", "event", "entity", "outlet", "from", "to"];
  const values = Object.fromEntries(fields.map((f) => [f, params.get(f) || ""]));
  const input = (name, attrs) => el("label", {}, name, el("input", { name, value: values[name], ...attrs }));
  const select = (name, options) => el("label", {}, name,
    el("select", { name }, options.map(([v, label]) => el("option", { value: v, selected: v === values[name] }, label))));
  const form = el("form", { class: "filters", onsubmit: (ev) => {
    ev.preventDefault();
    const data = new FormData(ev.target);
    const query = new URLSearchParams();
    for (const [k, v] of data.entries()) if (v) query.set(k, v);
    location.hash = `#/search?${query}`;
  } },
    input("q", { type: "search", dir: "auto", size: 40, placeholder: "words in Arabic, Persian or English" }),
    select("lang", [["", "any language"], ["ar", "Arabic"], ["fa", "Persian"], ["en", "English"]]),
    select("event", [["", "any event"], ...Object.keys(EVENT_GLOSS).map((k) => [k, k])]),
    input("entity", { placeholder: "country:IRN" }),
    input("outlet", {}),
    input("from", { type: "date" }),
    input("to", { type: "date" }),
    el("button", { type: "submit" }, "Search"));
  const any = fields.some((f) => values[f]);
  if (!any) {
    show(el("h1", {}, "Search"), form);
    return;
  }
  const query = new URLSearchParams();
  for (const f of fields) if (values[f]) query.set(f, values[f]);
  query.set("limit", "50");
  const data = await api(`/api/search?${query}`);
  const hits = data.items.map((h) =>
    el("div", { class: "hit" },
      el("div", {}, langBadge(h.lang),
        el("a", { href: h.story ? `#/story/${encodeURIComponent(h.story)}` : `#/article/${encodeURIComponent(h.id)}`, dir: "auto" }, h.title || h.id),
        " ", el("span", { class: "small muted" }, `${h.outlet || ""} ${day(h.published)}`),
        " ", el("a", { class: "small", href: `#/article/${encodeURIComponent(h.id)}` }, "article")),
      snippet(h.snippet)));
  show(el("h1", {}, "Search"), form, el("p", { class: "muted" }, `${data.total} articles`), hits);
}

async function sourcesPage() {
  const data = await api("/api/sources");
  const when = (v) => (v ? v.replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "Z") : "—");
  const head = ["Source", "Kind", "Last poll", "Last success", "Next poll", "Polls", "Errors", "Items seen", "Stored", "Last error"];
  const rows = data.items.map((s) => el("tr", { class: s.last_error ? "failing" : "" },
    el("td", {}, el("strong", { dir: "auto" }, s.name), el("br"),
      el("a", { class: "small", href: s.url, dir: "ltr" }, s.url)),
    el("td", { class: "small" }, s.kind),
    el("td", { class: "small" }, when(s.last_poll)),
    el("td", { class: "small" }, when(s.last_success)),
    el("td", { class: "small" }, when(s.next_poll)),
    el("td", {}, String(s.polls)),
    el("td", {}, `${s.errors}${s.consecutive_errors ? ` (${s.consecutive_errors} in a row)` : ""}`),
    el("td", {}, String(s.items_seen)),
    el("td", {}, String(s.items_ingested)),
    el("td", { class: "small", dir: "auto" }, s.last_error || "")));
  show(
    el("h1", {}, "Sources"),
    data.items.length
      ? el("table", {}, el("thead", {}, el("tr", {}, head.map((h) => el("th", {}, h)))), el("tbody", {}, rows))
      : el("p", { class: "muted" }, "No watched sources. Run `rasad serve --watch sources.toml` or `rasad watch sources.toml`."));
}

// ---- routing ----

async function route() {
  const hash = location.hash || "#/";
  const [path, query] = hash.slice(1).split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "story" && parts[1]) await storyPage(parts[1]);
    else if (parts[0] === "incidents") await incidentsPage(params);
    else if (parts[0] === "incident" && parts[1]) await incidentPage(parts[1]);
    else if (parts[0] === "article" && parts[1]) await articlePage(parts[1]);
    else if (parts[0] === "entity" && parts[1]) await entityPage(parts[1]);
    else if (parts[0] === "entities") await entitiesPage(params);
    else if (parts[0] === "search") await searchPage(params);
    else if (parts[0] === "sources") await sourcesPage();
    else await storiesPage(params);
    document.body.dataset.page = parts[0] || "stories";
  } catch (err) {
    show(errorBox(err));
  }
}

window.addEventListener("hashchange", route);
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("quick-search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = document.getElementById("quick-q").value.trim();
    location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });
  route();
});
