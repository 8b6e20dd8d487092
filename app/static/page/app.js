// The built-in timeline page: a reference frontend that uses only the public API.
"use strict";

const TEXT = {
  en: {
    title: "France in the Sahel",
    intro: "A sourced timeline from Operation Serval to the end of Barkhane.",
    skip: "Skip to the timeline",
    docs: "API documentation",
    filters: "Filters",
    actor: "Actor",
    "any-actor": "All actors",
    type: "Type",
    "any-type": "All types",
    from: "From",
    to: "To",
    "date-hint": "Dates as YYYY, YYYY-MM or YYYY-MM-DD.",
    apply: "Apply",
    reset: "Reset",
    footer: "Every event cites its sources. Data and API:",
    list: "Events in date order",
    loading: "Loading…",
    count: (n) => (n === 1 ? "1 event" : `${n} events`),
    none: "No events match these filters.",
    details: "Figures and sources",
    figures: "Figures",
    sources: "Sources",
    disputed: "Sources disagree",
    actors: "Actors",
    error: "The timeline could not be loaded:",
    eras: "Operations under way",
    key: "Key moment",
    roles: {},
  },
  nl: {
    title: "Frankrijk in de Sahel",
    intro: "Een tijdlijn met bronnen, van Operatie Serval tot het einde van Barkhane.",
    skip: "Naar de tijdlijn",
    docs: "API-documentatie",
    filters: "Filters",
    actor: "Actor",
    "any-actor": "Alle actoren",
    type: "Soort",
    "any-type": "Alle soorten",
    from: "Van",
    to: "Tot",
    "date-hint": "Datums als JJJJ, JJJJ-MM of JJJJ-MM-DD.",
    apply: "Toepassen",
    reset: "Wissen",
    footer: "Elke gebeurtenis vermeldt haar bronnen. Data en API:",
    list: "Gebeurtenissen in volgorde van datum",
    loading: "Laden…",
    count: (n) => (n === 1 ? "1 gebeurtenis" : `${n} gebeurtenissen`),
    none: "Geen gebeurtenissen voor deze filters.",
    details: "Cijfers en bronnen",
    figures: "Cijfers",
    sources: "Bronnen",
    disputed: "Bronnen spreken elkaar tegen",
    actors: "Betrokkenen",
    error: "De tijdlijn kon niet worden geladen:",
    eras: "Lopende operaties",
    key: "Sleutelmoment",
    roles: {
      initiator: "initiatiefnemer", target: "doelwit", announcer: "aankondiger",
      participant: "deelnemer", contributor: "bijdrager", signatory: "ondertekenaar", subject: "onderwerp", publisher: "uitgever",
    },
  },
  fr: {
    title: "La France au Sahel",
    intro: "Une chronologie sourcée, de l'opération Serval à la fin de Barkhane.",
    skip: "Aller à la chronologie",
    docs: "Documentation de l'API",
    filters: "Filtres",
    actor: "Acteur",
    "any-actor": "Tous les acteurs",
    type: "Type",
    "any-type": "Tous les types",
    from: "Du",
    to: "Au",
    "date-hint": "Dates au format AAAA, AAAA-MM ou AAAA-MM-JJ.",
    apply: "Appliquer",
    reset: "Effacer",
    footer: "Chaque événement cite ses sources. Données et API :",
    list: "Événements par ordre chronologique",
    loading: "Chargement…",
    count: (n) => (n === 1 ? "1 événement" : `${n} événements`),
    none: "Aucun événement ne correspond à ces filtres.",
    details: "Chiffres et sources",
    figures: "Chiffres",
    sources: "Sources",
    disputed: "Les sources divergent",
    actors: "Acteurs",
    error: "La chronologie n'a pas pu être chargée :",
    eras: "Opérations en cours",
    key: "Moment clé",
    roles: {
      initiator: "initiateur", target: "cible", announcer: "annonceur",
      participant: "participant", contributor: "contributeur", signatory: "signataire", subject: "sujet", publisher: "éditeur",
    },
  },
};
const LANGUAGES = Object.keys(TEXT);

const state = { lang: "en", actor: "", type: "", from: "", to: "" };
let typeLabels = {};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function getJSON(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

// Follows `next` links until the last page.
async function getAll(path) {
  const items = [];
  let next = path;
  while (next) {
    const page = await getJSON(next);
    items.push(...page.items);
    next = page.next;
  }
  return items;
}

function query(extra = {}) {
  const params = new URLSearchParams({ lang: state.lang, ...extra });
  for (const name of ["actor", "type", "from", "to"]) {
    if (state[name]) params.set(name, state[name]);
  }
  return params;
}

// The filters live in the fragment (`/#lang=nl&actor=takuba`), which the server never sees.
function readLocation() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const lang = params.get("lang");
  if (LANGUAGES.includes(lang)) state.lang = lang;
  for (const name of ["actor", "type", "from", "to"]) state[name] = params.get(name) || "";
}

function writeLocation() {
  const params = query();
  if (state.lang === "en") params.delete("lang");
  const fragment = params.toString();
  window.history.replaceState(null, "", `${window.location.pathname}${fragment ? `#${fragment}` : ""}`);
}

function translatePage() {
  const text = TEXT[state.lang];
  document.documentElement.lang = state.lang;
  document.title = `${text.title} – Sahel Timeline API`;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = text[node.dataset.i18n];
  }
  document.getElementById("timeline").setAttribute("aria-label", text.list);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === state.lang));
  }
}

function fillSelect(select, options, selected) {
  const first = select.options[0];
  select.replaceChildren(first);
  for (const [value, label] of options) {
    select.append(el("option", { value }, label));
  }
  select.value = selected;
}

async function loadChoices() {
  const [types, actors] = await Promise.all([
    getJSON(`/event-types?lang=${state.lang}`),
    getAll(`/actors?limit=500&lang=${state.lang}`),
  ]);
  typeLabels = Object.fromEntries(types.map((t) => [t.id, t.label]));
  fillSelect(
    document.getElementById("filter-type"),
    types.filter((t) => t.count > 0).map((t) => [t.id, t.label]),
    state.type,
  );
  const sorted = actors.map((a) => [a.id, a.name]).sort((a, b) => a[1].localeCompare(b[1], state.lang));
  fillSelect(document.getElementById("filter-actor"), sorted, state.actor);
}

// EDTF dates as readers write them: "c. January 2013", "24 May 2021?", "2010s".
const DATE_WORDS = {
  en: { about: "c.", decade: (y) => `${y}s`, seasons: ["spring", "summer", "autumn", "winter"] },
  nl: { about: "rond", decade: (y) => `jaren ${y}`, seasons: ["voorjaar", "zomer", "najaar", "winter"] },
  fr: { about: "vers", decade: (y) => `années ${y}`, seasons: ["printemps", "été", "automne", "hiver"] },
};

function oneDate(value) {
  const words = DATE_WORDS[state.lang];
  const qualifier = /[?~%]$/.test(value) ? value.slice(-1) : "";
  const [year, month, day] = (qualifier ? value.slice(0, -1) : value).split("-");
  let text;
  if (year.includes("X")) {
    text = year.endsWith("XX") ? `${year.replace(/X/g, "0")}–${year.replace(/X/g, "9")}` : words.decade(year.replace("X", "0"));
  } else if (month && Number(month) >= 21) {
    text = `${words.seasons[Number(month) - 21]} ${year}`;
  } else if (!month || month === "XX") {
    text = year;
  } else {
    const name = new Date(Date.UTC(Number(year), Number(month) - 1, 1)).toLocaleString(state.lang, { month: "long", timeZone: "UTC" });
    text = !day || day === "XX" ? `${name} ${year}` : `${Number(day)} ${name} ${year}`;
  }
  if (qualifier === "~" || qualifier === "%") text = `${words.about} ${text}`;
  return qualifier === "?" || qualifier === "%" ? `${text}?` : text;
}

function dateLabel(event) {
  if (event.end === null) return oneDate(event.start);
  if (event.end === "..") return `${oneDate(event.start)} –`;
  if (event.end === "") return `${oneDate(event.start)} – ?`;
  return `${oneDate(event.start)} – ${oneDate(event.end)}`;
}

function renderDetails(container, event) {
  const text = TEXT[state.lang];
  const parts = [];
  if (event.figures.length) {
    parts.push(el("h4", {}, text.figures));
    const list = el("ul", { class: "figures" });
    for (const figure of event.figures) {
      const qualifier = figure.qualifier === "stated" ? "" : ` (${figure.qualifier.replace("_", " ")})`;
      const item = el("li", {}, el("strong", {}, figure.value.toLocaleString(state.lang)), `${qualifier} ${figure.description}`);
      if (figure.as_of) item.append(` — ${figure.as_of}`);
      if (figure.disputed) item.append(" ", el("span", { class: "disputed" }, text.disputed));
      for (const dispute of figure.disputes) item.append(el("p", { class: "dispute" }, dispute.note));
      list.append(item);
    }
    parts.push(list);
  }
  parts.push(el("h4", {}, text.sources));
  const sources = el("ul", { class: "sources" });
  for (const citation of event.citations) {
    const source = citation.source;
    const cite = source.url
      ? el("a", { href: source.url, rel: "noopener" }, source.title || source.publisher)
      : source.title || source.publisher;
    const meta = [source.title ? source.publisher : null, source.published].filter(Boolean).join(", ");
    sources.append(
      el("li", {}, el("blockquote", { lang: source.language }, citation.quote), el("cite", {}, cite), meta ? ` (${meta})` : ""),
    );
  }
  parts.push(sources);
  for (const dispute of event.disputes) {
    parts.push(el("p", { class: "dispute" }, el("strong", {}, `${text.disputed}: `), dispute.note));
  }
  container.replaceChildren(...parts);
}

function renderEvent(event) {
  const text = TEXT[state.lang];
  const article = el("article", { class: "event", id: `event-${event.id}` });
  const heading = el("h3", {}, event.title);
  const meta = el(
    "p",
    { class: "meta" },
    el("time", { datetime: /^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$/.test(event.start) ? event.start : event.earliest }, dateLabel(event)),
    " ",
    el("span", { class: "badge" }, typeLabels[event.type] || event.type),
  );
  if (event.disputed) meta.append(" ", el("span", { class: "badge disputed" }, text.disputed));
  if (event.importance === 3) meta.append(" ", el("span", { class: "badge key" }, text.key));
  article.append(meta, heading, el("p", {}, event.summary));
  if (event.actors.length) {
    const actors = el("p", { class: "actors" }, el("span", { class: "label" }, `${text.actors}: `));
    event.actors.forEach((actor, index) => {
      if (index) actors.append(", ");
      actors.append(`${actor.name} (${text.roles[actor.role] || actor.role})`);
    });
    article.append(actors);
  }
  const details = el("details", {}, el("summary", {}, text.details));
  const body = el("div", { class: "details-body" });
  details.append(body);
  details.addEventListener("toggle", async () => {
    if (!details.open || body.dataset.loaded) return;
    body.textContent = text.loading;
    try {
      renderDetails(body, await getJSON(`${event.url}?lang=${state.lang}`));
      body.dataset.loaded = "true";
    } catch (error) {
      body.textContent = `${text.error} ${error.message}`;
    }
  });
  article.append(details);
  const classes = `entry type-${event.type}${event.importance === 3 ? " key-moment" : ""}`;
  return el("li", { class: classes, "data-event-id": event.id }, article);
}

async function loadEvents() {
  const text = TEXT[state.lang];
  const status = document.getElementById("status");
  const timeline = document.getElementById("timeline");
  status.textContent = text.loading;
  timeline.setAttribute("aria-busy", "true");
  try {
    const [events, eras] = await Promise.all([getAll(`/events?${query({ limit: 500 })}`), loadEras()]);
    drawEras(eras);
    const items = [];
    let year = null;
    for (const event of events) {
      const eventYear = event.earliest.slice(0, 4);
      if (eventYear !== year) {
        year = eventYear;
        items.push(yearHeading(year, eras));
      }
      items.push(renderEvent(event));
    }
    timeline.replaceChildren(...items);
    status.textContent = events.length ? text.count(events.length) : text.none;
    await window.loadFacets(query(), state.lang, filterToYear);
  } catch (error) {
    timeline.replaceChildren();
    status.textContent = `${text.error} ${error.message}`;
  } finally {
    timeline.removeAttribute("aria-busy");
  }
}

// A histogram bar's click: the events of that year.
function filterToYear(year) {
  const form = document.getElementById("filters");
  form.from.value = year;
  form.to.value = year;
  form.requestSubmit();
}

async function refresh({ choices = false } = {}) {
  writeLocation();
  translatePage();
  try {
    if (choices) await loadChoices();
  } catch (error) {
    document.getElementById("status").textContent = `${TEXT[state.lang].error} ${error.message}`;
  }
  await loadEvents();
}

function start() {
  readLocation();
  const form = document.getElementById("filters");
  form.from.value = state.from;
  form.to.value = state.to;
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    if (!form.reportValidity()) return;
    for (const name of ["actor", "type", "from", "to"]) state[name] = form[name].value.trim();
    refresh();
  });
  form.addEventListener("reset", () => {
    for (const name of ["actor", "type", "from", "to"]) state[name] = "";
    window.setTimeout(() => refresh(), 0);
  });
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      state.lang = button.dataset.lang;
      refresh({ choices: true });
    });
  }
  refresh({ choices: true });
}

document.addEventListener("DOMContentLoaded", start);
