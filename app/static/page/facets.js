// Counts beside the timeline page's type and actor filters, from /events/facets: how many
// events each choice would show with the other filters kept.
"use strict";

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

// Appends each option's count, e.g. "Coup (4)"; the plain label stays in `data-label`.
function showCounts(select, values) {
  const counts = Object.fromEntries(values.filter((v) => v.value !== null).map((v) => [v.value, v.count]));
  for (const option of select.options) {
    if (!option.value) continue;
    option.dataset.label = option.dataset.label || option.textContent;
    option.textContent = `${option.dataset.label} (${counts[option.value] || 0})`;
  }
}

// Fetches and shows the counts for the page's filters (`params`, in `lang`).
async function loadFacets(params, lang) {
  // Type counts leave out the type filter, so that the other types show what they would add;
  // the API already leaves out the actor filter from the actor counts.
  const base = new URLSearchParams(params);
  base.set("lang", lang);
  const withoutType = new URLSearchParams(base);
  withoutType.delete("type");
  const [types, actors] = await Promise.all([
    fetchFacets(withoutType, ["type"]),
    fetchFacets(base, ["actor"]),
  ]);
  showCounts(document.getElementById("filter-type"), types.facets.type);
  showCounts(document.getElementById("filter-actor"), actors.facets.actor);
}

window.loadFacets = loadFacets;
