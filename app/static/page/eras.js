// The eras for the timeline page: the operations with a known end, from the API in the page's
// language, as a legend above the timeline and as markers beside each year (uses app.js's helpers).
"use strict";

// The eras: operations with a known end, each as its title and its span of years.
async function loadEras() {
  const operations = await getAll(`/events?type=operation&limit=500&lang=${state.lang}`);
  return operations
    .filter((o) => o.end && !o.latest.startsWith("9999"))
    .map((o) => ({ id: o.id, title: o.title, from: o.earliest.slice(0, 4), to: o.latest.slice(0, 4) }));
}

// The legend above the timeline: one band per era, with its label and span.
function drawEras(eras) {
  const list = document.getElementById("eras");
  list.setAttribute("aria-label", TEXT[state.lang].eras);
  list.replaceChildren(
    ...eras.map((era) =>
      el("li", { class: "era", "data-era-id": era.id }, el("span", { class: "era-label" }, era.title), " ", el("span", { class: "era-span" }, `${era.from}–${era.to}`)),
    ),
  );
}

// A year's heading, with a marker for each era under way that year.
function yearHeading(year, eras) {
  const current = eras.filter((era) => era.from <= year && year <= era.to);
  const heading = el("li", { class: "year" }, el("h2", {}, year));
  if (current.length) {
    const markers = el("ul", { class: "eras-now", "aria-label": TEXT[state.lang].eras });
    for (const era of current) markers.append(el("li", { "data-era-id": era.id }, era.title));
    heading.append(markers);
  }
  return heading;
}
