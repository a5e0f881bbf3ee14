// Draws the network of /network pages with Cytoscape.js from the JSON the server embeds; the edge table
// below it already lists the same edges for readers without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("network");
  if (!box || typeof cytoscape === "undefined") { if (box) box.hidden = true; return; }
  const colours = { law: "#b8336a", body: "#0b5cad", institution: "#2a9d55", policy: "#e07b00", other: "#8a8a8a" };
  const cy = cytoscape({
    container: box,
    elements: JSON.parse(document.getElementById("network-elements").textContent),
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 8, "text-wrap": "ellipsis", "text-max-width": 120,
                                   "background-color": (n) => colours[n.data("kind")] || colours.other, "width": 14, "height": 14 } },
      { selector: "edge", style: { "label": "data(label)", "font-size": 6, "color": "#5f6b76", "width": 1, "line-color": "#c5ccd3",
                                   "target-arrow-shape": "triangle", "target-arrow-color": "#c5ccd3", "curve-style": "bezier" } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 90 },
  });
  cy.on("tap", "node", (event) => { window.location.href = event.target.data("href"); });
  window.secKgNetwork = cy;
});
