// The timeline page's enhancements. The server renders everything the page says, in the
// reader's language (app/templates/); this script only makes it quicker to use: filters
// apply as they change, without a reload, by fetching the same page for the new query and
// swapping in its results; links are copied with one click; the filters open on wide
// screens; the page follows the browser's language when the URL names none.
"use strict";

const LANGUAGES = ["en", "nl", "fr"];
const WIDE = "(min-width: 48rem)";
// The query the results on screen answer. Following a link to a card (`#event-…`) fires
// popstate too, though only the fragment changed: fetching the results again then would
// replace the cards under the reader and push the one jumped to out of view.
let shownQuery = window.location.search;

// The query the form asks for, without the fields left empty.
function formQuery(form) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (String(value).trim()) params.append(name, String(value).trim());
  }
  return params;
}

// Replaces the results and the language links (and with `form`, the filters) with those of
// the page at `url`.
async function show(url, { push = true, form = false } = {}) {
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  status.textContent = results.dataset.loading;
  results.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (!response.ok) {
      const problem = await response.json();
      throw new Error(problem.detail || response.statusText);
    }
    const fetched = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of form ? ["results", "languages", "filters"] : ["results", "languages"]) {
      document.getElementById(id).replaceWith(document.adoptNode(fetched.getElementById(id)));
    }
    if (push) window.history.pushState(null, "", url);
    shownQuery = window.location.search;
    enhance();
    // Back to a card's address: the browser scrolled there before these results arrived.
    const target = !push && window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) target.scrollIntoView();
  } catch (error) {
    status.textContent = `${results.dataset.error} ${error.message}`;
  } finally {
    document.getElementById("results").removeAttribute("aria-busy");
  }
}

async function copy(button) {
  const status = button.nextElementSibling;
  try {
    await navigator.clipboard.writeText(button.dataset.url);
    status.textContent = button.dataset.copied;
  } catch {
    // No clipboard (an insecure origin, a refused permission): offer the address to copy.
    const field = document.createElement("input");
    field.readOnly = true;
    field.value = button.dataset.url;
    status.replaceChildren(`${button.dataset.failed} `, field);
    field.select();
  }
}

// Wires what the server rendered; runs again on every swapped-in part.
function enhance() {
  const form = document.getElementById("filters");
  if (form && !form.dataset.enhanced) {
    form.dataset.enhanced = "true";
    form.addEventListener("submit", (submitted) => {
      submitted.preventDefault();
      if (form.reportValidity()) show(`/?${formQuery(form)}`);
    });
    for (const field of form.querySelectorAll("select, input[type=checkbox], input[type=month]")) {
      field.addEventListener("change", () => form.requestSubmit());
    }
    form.querySelector("a.reset").addEventListener("click", (clicked) => {
      clicked.preventDefault();
      show(clicked.currentTarget.href, { form: true });
    });
  }
  for (const button of document.querySelectorAll("button.copy-link[hidden]")) {
    button.hidden = false;
    button.addEventListener("click", () => copy(button));
  }
  if (form && window.loadFacets) {
    const query = formQuery(form);
    // The counts are a help, not the content: without them the options keep their labels.
    window.loadFacets(query, query.get("lang") || document.documentElement.lang).catch(() => {});
  }
}

// The first of the browser's languages the page has, if the URL names no language.
function browserLanguage() {
  const url = new URL(window.location.href);
  if (url.searchParams.has("lang")) return null;
  for (const tag of navigator.languages || [navigator.language]) {
    const primary = tag.split("-")[0].toLowerCase();
    if (LANGUAGES.includes(primary)) return primary;
  }
  return null;
}

function start() {
  // Links from before the filters moved into the query: `/#lang=nl&actor=takuba`.
  const fragment = window.location.hash.slice(1);
  if (window.location.pathname === "/" && fragment.includes("=")) {
    window.location.replace(`/?${fragment}`);
    return;
  }
  const wanted = browserLanguage();
  if (wanted && wanted !== document.documentElement.lang) {
    const url = new URL(window.location.href);
    url.searchParams.set("lang", wanted);
    window.location.replace(url);
    return;
  }
  const panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia(WIDE).matches) panel.open = true;
  window.addEventListener("popstate", () => {
    if (window.location.search === shownQuery || !document.getElementById("results")) return;
    show(window.location.href, { push: false, form: true });
  });
  enhance();
}

document.addEventListener("DOMContentLoaded", start);
