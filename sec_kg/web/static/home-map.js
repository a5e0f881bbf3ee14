// Draws the home page's map of the Americas: Natural Earth boundaries (world-atlas, TopoJSON) projected by
// d3-geo, the eight States coloured by the measure the select names and linked to their pages. The numbers
// are read from the table below the map (#state-counts), so that map and table cannot disagree; without
// JavaScript, d3 or the boundaries, the table is the page.
document.addEventListener("DOMContentLoaded", async () => {
  const figure = document.getElementById("state-map");
  const table = document.getElementById("state-counts");
  if (!figure || !table || typeof d3 === "undefined" || !d3.geoPath || typeof topojson === "undefined") return;
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 520, HEIGHT = 640, STEPS = 5;
  const states = new Map([...table.querySelectorAll("tbody tr[data-state]")].map((row) => [row.dataset.isoNumeric, {
    code: row.dataset.state, href: row.dataset.href, name: row.querySelector("th").textContent.trim(),
    values: Object.fromEntries([...row.querySelectorAll("td[data-measure]")].map((td) => [td.dataset.measure, Number(td.dataset.value)])),
  }]));
  let world;
  try {
    const response = await fetch(figure.dataset.atlas);
    if (!response.ok) return;
    world = await response.json();
  } catch (error) {
    return;  // no boundaries: the table stays the page
  }
  const countries = topojson.feature(world, world.objects.countries).features;
  const chosen = countries.filter((c) => states.has(c.id));
  const projection = d3.geoEqualEarth().rotate([80, 0])
    .fitExtent([[8, 8], [WIDTH - 8, HEIGHT - 8]], { type: "FeatureCollection", features: chosen });
  const path = d3.geoPath(projection);
  const element = (name, attributes, parent) => {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  };
  const svg = element("svg", { id: "map", class: "map", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group",
                               "aria-labelledby": "map-measure" });
  element("rect", { class: "sea", width: WIDTH, height: HEIGHT }, svg);
  const land = element("g", { class: "land" }, svg);
  for (const country of countries) {
    if (!states.has(country.id)) element("path", { d: path(country) || "" }, land);
  }
  const drawn = [];
  for (const country of chosen) {
    const state = states.get(country.id);
    const link = element("a", { href: state.href, class: "state", "data-state": state.code }, svg);
    const shape = element("path", { d: path(country), "data-state": state.code }, link);
    const title = element("title", {}, shape);
    drawn.push({ state, link, title });
  }
  const select = document.getElementById("map-measure");
  const legend = document.getElementById("map-legend");
  const colour = () => {
    const measure = select.value;
    const top = Math.max(1, ...[...states.values()].map((s) => s.values[measure]));
    const steps = Math.min(STEPS, top + 1);  // one step per number when the numbers are few
    const step = (value) => Math.min(steps - 1, Math.floor((value * steps) / (top + 1)));
    for (const { state, link, title } of drawn) {
      const value = state.values[measure];
      link.setAttribute("class", `state step-${step(value)}`);
      link.dataset.value = value;
      title.textContent = `${state.name}: ${value}`;
      link.setAttribute("aria-label", `${state.name}: ${value}`);
    }
    legend.replaceChildren(...[...Array(steps).keys()].map((i) => {
      const low = Math.ceil((i * (top + 1)) / steps), high = Math.ceil(((i + 1) * (top + 1)) / steps) - 1;
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = `swatch step-${i}`;
      item.append(swatch, ` ${low === high ? low : `${low}–${high}`}`);
      return item;
    }));
  };
  const wanted = new URL(window.location.href).searchParams.get("measure");
  if ([...select.options].some((o) => o.value === wanted)) select.value = wanted;
  select.addEventListener("change", () => {
    colour();
    const url = new URL(window.location.href);  // the address names the measure, so the view can be shared
    url.searchParams.set("measure", select.value);
    window.history.replaceState(null, "", url);
  });
  document.getElementById("map-box").appendChild(svg);
  colour();
  document.getElementById("map-controls").hidden = false;
  figure.hidden = false;
});
