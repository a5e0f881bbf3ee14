// Draws the network of /network pages with Cytoscape.js and its fcose layout (labels counted in the node sizes,
// so they do not overlap) from the JSON the server embeds. The legend's checkboxes hide kinds of node and link,
// in the drawing and in the table of links; clicking a node brings it and its neighbours to the front.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("network");
  const filters = document.getElementById("network-filters");
  const shown = (selector) => new Set([...filters.querySelectorAll(selector)].filter((c) => c.checked)
    .map((c) => c.dataset.nodeKind || c.dataset.linkKind));
  const rowsShown = (nodes, links) => {
    for (const row of document.querySelectorAll("#edges tbody tr")) {
      row.hidden = !(nodes.has(row.dataset.sourceKind) && nodes.has(row.dataset.targetKind) && links.has(row.dataset.linkKind));
    }
  };
  if (!box || typeof cytoscape === "undefined") {
    if (box) box.hidden = true;
    filters.addEventListener("change", () => rowsShown(shown("[data-node-kind]"), shown("[data-link-kind]")));
    return;
  }
  const colour = (kind) => {  // the legend's colours, so that drawing and legend cannot disagree
    const dot = filters.querySelector(`.dot[data-kind="${kind}"]`);
    return dot ? getComputedStyle(dot).backgroundColor : "#8a8a8a";
  };
  const cy = cytoscape({
    container: box,
    elements: JSON.parse(document.getElementById("network-elements").textContent),
    minZoom: 0.2, maxZoom: 3, wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 9, "text-wrap": "wrap", "text-max-width": 130,
                                   "text-valign": "bottom", "text-margin-y": 3, "text-background-color": "#fff",
                                   "text-background-opacity": 0.85, "text-background-padding": 1,
                                   "background-color": (n) => colour(n.data("kind")), "width": 16, "height": 16 } },
      { selector: "edge", style: { "width": 1, "line-color": "#c5ccd3", "target-arrow-shape": "triangle",
                                   "target-arrow-color": "#c5ccd3", "curve-style": "bezier", "font-size": 8, "color": "#5f6b76" } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "node.focus", style: { "width": 26, "height": 26, "border-width": 3, "border-color": "#1d2329",
                                         "font-size": 12, "font-weight": "bold", "z-index": 10 } },
      { selector: "edge.near", style: { "label": "data(label)", "line-color": "#5f6b76", "target-arrow-color": "#5f6b76",
                                        "text-background-color": "#fff", "text-background-opacity": 0.85, "z-index": 9 } },
      { selector: ".hidden", style: { "display": "none" } },
    ],
  });
  const layout = () => cy.elements(":visible").layout(typeof cytoscapeFcose === "undefined"
    ? { name: "cose", animate: false, nodeDimensionsIncludeLabels: true }
    : { name: "fcose", animate: false, quality: "proof", randomize: true, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: 12000, idealEdgeLength: 110, nodeSeparation: 120, packComponents: true, padding: 20 });
  const panel = document.getElementById("network-focus");
  const focusOn = (node) => {
    cy.elements().removeClass("faded focus near");
    if (!node) { panel.hidden = true; cy.fit(cy.elements(":visible"), 20); return; }
    const near = node.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    near.edges().addClass("near");
    node.addClass("focus");
    const link = document.getElementById("focus-link");
    link.textContent = node.data("label");
    link.href = node.data("href");
    panel.hidden = false;
    cy.animate({ fit: { eles: near, padding: 40 }, duration: 300 });
    const url = new URL(window.location.href);
    url.searchParams.set("focus", node.id());
    window.history.replaceState(null, "", url);
  };
  const applyFilters = () => {
    const nodes = shown("[data-node-kind]");
    const links = shown("[data-link-kind]");
    cy.nodes().forEach((n) => { n.toggleClass("hidden", !nodes.has(n.data("kind"))); });
    cy.edges().forEach((e) => { e.toggleClass("hidden", !links.has(e.data("kind"))); });
    rowsShown(nodes, links);
    cy.fit(cy.elements(":visible"), 20);
  };
  filters.addEventListener("change", applyFilters);
  document.getElementById("focus-clear").addEventListener("click", () => focusOn(null));
  cy.on("tap", "node", (event) => focusOn(event.target));
  cy.on("tap", (event) => { if (event.target === cy) focusOn(null); });
  layout().run();
  const chosen = cy.nodes().filter((n) => n.data("focus"));
  if (chosen.length) focusOn(chosen[0]);
  window.secKgNetwork = cy;
});
