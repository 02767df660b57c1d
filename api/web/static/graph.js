// The working group's network with Cytoscape.js: initiatives, the recommendations they
// implement and the topics they address. The layout is the same on every load (a fixed
// starting circle, then a force layout that draws no random numbers), nodes grow with
// their links, names show when zoomed in or pointed at, the legend filters by kind and
// the select by status, and a click shows the node's details with a link to its page.
(function () {
  const container = document.getElementById("network");
  const details = document.getElementById("details");
  const filters = document.getElementById("graph-filters");
  const words = container.dataset;
  const colours = { initiative: "#003189", recommendation: "#a04a00", topic: "#1b6e20" };

  function element(tag, text, attributes) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    for (const [name, value] of Object.entries(attributes || {})) made.setAttribute(name, value);
    return made;
  }

  function show(node) {
    const data = node.data();
    details.innerHTML = "";
    details.append(element("h2", data.label));
    const kind = element("p", words["one" + data.kind.charAt(0).toUpperCase() + data.kind.slice(1)], { class: "muted" });
    if (data.status_label) kind.textContent += " · " + data.status_label;
    if (data.language) kind.textContent += " · " + data.language.toUpperCase();
    details.append(kind);
    const facts = element("dl", undefined, { class: "facts" });
    if (data.source) facts.append(element("dt", words.sourceLabel), element("dd", data.source));
    if (data.contributors && data.contributors.length) {
      facts.append(element("dt", words.contributors), element("dd", data.contributors.join(", ")));
    }
    const neighbours = node.neighborhood("node").map((n) => n.data("label")).sort();
    facts.append(element("dt", words.links + " (" + neighbours.length + ")"));
    const list = element("dd");
    list.textContent = neighbours.join(" · ");
    facts.append(list);
    details.append(facts);
    if (data.href) {
      const link = element("p");
      link.append(element("a", words.open, { href: data.href, id: "details-link" }));
      details.append(link);
    }
    details.dataset.selected = node.id();
  }

  fetch(container.dataset.source, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      const elements = data.nodes.map((n) => ({ data: n }))
        .concat(data.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, type: e.type } })));
      const cy = cytoscape({
        container,
        elements,
        wheelSensitivity: 0.3,
        minZoom: 0.2,
        maxZoom: 4,
        style: [
          { selector: "node", style: {
            "background-color": (n) => colours[n.data("kind")],
            width: "mapData(links, 0, 12, 14, 46)", height: "mapData(links, 0, 12, 14, 46)",
            label: "data(label)", "font-size": 12, "min-zoomed-font-size": 13,
            "text-wrap": "wrap", "text-max-width": 140, color: "#1a1a1a",
            "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2,
            "text-valign": "bottom", "text-margin-y": 4 } },
          { selector: "node[kind = 'initiative']", style: { shape: "round-rectangle" } },
          { selector: "node[kind = 'topic']", style: { shape: "diamond" } },
          // Cytoscape rounds the zoom up to a power of two before comparing: 12 px under a
          // 13 px minimum hides names until the view is zoomed in past 1, except the hubs'.
          { selector: "node[links >= 6]", style: { "min-zoomed-font-size": 0, "font-size": 20, "font-weight": "bold" } },
          { selector: "node.pointed, node:selected", style: { "min-zoomed-font-size": 0, "font-size": 22, "z-index": 10 } },
          { selector: "edge", style: { width: 1, "line-color": "#b5b5b5", "curve-style": "bezier", opacity: 0.8 } },
          { selector: ":selected", style: { "border-width": 3, "border-color": "#f2a900" } },
          { selector: ".hidden", style: { display: "none" } },
        ],
        layout: { name: "preset" },
      });
      // A fixed start (nodes on a circle in id order), then a force layout that starts
      // from it instead of from random places: the same picture on every load.
      cy.layout({ name: "circle", sort: (a, b) => (a.id() < b.id() ? -1 : 1), animate: false }).run();
      cy.layout({ name: "cose", randomize: false, animate: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 60, numIter: 1500 }).run();
      cy.fit(undefined, 20);
      window.registryGraph = cy;
      container.dataset.nodes = String(cy.nodes().length);
      for (const count of filters.querySelectorAll(".count")) {
        count.textContent = "(" + cy.nodes("[kind = '" + count.dataset.kind + "']").length + ")";
      }
      cy.on("mouseover", "node", (event) => event.target.addClass("pointed"));
      cy.on("mouseout", "node", (event) => event.target.removeClass("pointed"));
      cy.on("tap", "node", (event) => show(event.target));

      function apply() {
        const kinds = new Set([...filters.querySelectorAll("input[name=kind]:checked")].map((box) => box.value));
        const status = filters.querySelector("#graph-status").value;
        cy.batch(() => {
          cy.nodes().forEach((node) => {
            const kept = kinds.has(node.data("kind")) && (!status || node.data("kind") !== "initiative" || node.data("status") === status);
            node.toggleClass("hidden", !kept);
          });
          // a recommendation or topic no shown initiative links to is hidden too
          cy.nodes("[kind != 'initiative']").forEach((node) => {
            if (!node.hasClass("hidden") && node.neighborhood("node[kind = 'initiative']").filter((n) => !n.hasClass("hidden")).length === 0) {
              node.addClass("hidden");
            }
          });
        });
        container.dataset.shown = String(cy.nodes().filter((n) => !n.hasClass("hidden")).length);
      }
      filters.addEventListener("change", apply);
      apply();
    });
})();
