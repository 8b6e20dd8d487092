// Counts for the timeline page, from /events/facets: a histogram of events by year above the
// timeline (click a bar to filter to its year) and counts beside the type and actor filters.
"use strict";

const FACET_TEXT = {
  en: { histogram: "Events by year", bar: (year, n) => `${year}: ${n === 1 ? "1 event" : `${n} events`}` },
  nl: { histogram: "Gebeurtenissen per jaar", bar: (year, n) => `${year}: ${n} ${n === 1 ? "gebeurtenis" : "gebeurtenissen"}` },
  fr: { histogram: "Événements par année", bar: (year, n) => `${year} : ${n} ${n === 1 ? "événement" : "événements"}` },
};

// `/events/facets` for `params` (URLSearchParams of filters), counting by `names`.
async function fetchFacets(params, names) {
  const query = new URLSearchParams(params);
  for (const name of names) query.append("facet", name);
  query.set("facet_size", "100");
  const response = await fetch(`/events/facets?${query}`, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

// Draws one bar per year, as a button that calls `choose(year)`; empty years are bars of 0.
function drawHistogram(container, histogram, lang, choose) {
  const text = FACET_TEXT[lang];
  const highest = Math.max(1, ...histogram.buckets.map((b) => b.count));
  const bars = histogram.buckets.map((bucket, index) => {
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.setProperty("height", `${(100 * bucket.count) / highest}%`);
    const label = document.createElement("span");
    label.className = "year";
    // Every fifth year and the last are written under the axis; each bar names itself.
    if (index % 5 === 0 || index === histogram.buckets.length - 1) label.textContent = bucket.value;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "bucket";
    button.dataset.year = bucket.value;
    button.dataset.count = String(bucket.count);
    button.title = text.bar(bucket.value, bucket.count);
    button.setAttribute("aria-label", text.bar(bucket.value, bucket.count));
    button.append(bar, label);
    button.addEventListener("click", () => choose(bucket.value));
    return button;
  });
  container.setAttribute("aria-label", text.histogram);
  container.replaceChildren(...bars);
}

// Appends each option's count, e.g. "Coup (4)"; the plain label stays in `data-label`.
function showCounts(select, values) {
  const counts = Object.fromEntries(values.filter((v) => v.value !== null).map((v) => [v.value, v.count]));
  for (const option of select.options) {
    if (!option.value) continue;
    option.dataset.label = option.dataset.label || option.textContent;
    option.textContent = `${option.dataset.label} (${counts[option.value] || 0})`;
  }
}

// Fetches and draws the histogram and filter counts for the page's filters.
async function loadFacets(params, lang, choose) {
  // Type counts leave out the type filter, so that the other types show what they would add;
  // the API already leaves out the actor filter from the actor counts.
  const withoutType = new URLSearchParams(params);
  withoutType.delete("type");
  const [types, rest] = await Promise.all([
    fetchFacets(withoutType, ["type"]),
    fetchFacets(params, ["actor", "date"]),
  ]);
  showCounts(document.getElementById("filter-type"), types.facets.type);
  showCounts(document.getElementById("filter-actor"), rest.facets.actor);
  drawHistogram(document.getElementById("histogram"), rest.facets.date, lang, choose);
}

window.loadFacets = loadFacets;
