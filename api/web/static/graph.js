// The working group's network (initiatives, recommendations, topics) with Cytoscape.js:
// zoom and pan with the mouse or touch, click (or tap) a node to see its details.
(function () {
  const container = document.getElementById("network");
  const details = document.getElementById("details");
  const colours = { initiative: "#003189", recommendation: "#8a3b00", topic: "#1b6e20" };
  fetch(container.dataset.source, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      const elements = data.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } }))
        .concat(data.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, type: e.type } })));
      const cy = cytoscape({
        container,
        elements,
        layout: { name: "cose", animate: false },
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: { "background-color": (n) => colours[n.data("kind")], label: "data(label)", "font-size": 8, "text-wrap": "ellipsis", "text-max-width": 90, color: "#1a1a1a" } },
          { selector: "node[kind = 'initiative']", style: { shape: "round-rectangle", width: 18, height: 18 } },
          { selector: "edge", style: { width: 1, "line-color": "#9a9a9a", "curve-style": "bezier" } },
          { selector: ":selected", style: { "border-width": 3, "border-color": "#f2a900" } },
        ],
      });
      window.registryGraph = cy;
      container.dataset.nodes = String(cy.nodes().length);
      cy.on("tap", "node", (event) => {
        const node = event.target;
        const links = node.connectedEdges().map((e) => e.data("type")).length;
        details.innerHTML = "";
        const title = document.createElement("h2");
        title.textContent = node.data("label");
        const meta = document.createElement("p");
        meta.textContent = node.data("kind") + " · " + node.id() + " · " + links + " link(s)";
        details.append(title, meta);
        details.dataset.selected = node.id();
      });
    });
})();
