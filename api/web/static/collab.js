// Forms of the group page (calls, proposals, comments) post to the GraphQL API with the
// session cookie and the page's CSRF token, so permissions and the audit trail are the
// API's own. A form names its mutation (data-mutation), the fixed arguments
// (data-fixed, JSON) and, for mutations taking one input object, its name (data-input).
(function () {
  const { colon, mutate } = window.pariscall;
  const ERRORS = "errors { __typename ... on ForbiddenError { message } ... on ConflictError { message } ... on ValidationError { message field } ... on NotFoundError { message } }";
  const SIGNATURES = {
    openCall: "$input: OpenCallInput!",
    closeCall: "$id: ID!",
    propose: "$input: ProposeInput!",
    acceptProposal: "$id: ID!",
    declineProposal: "$id: ID!, $reason: String!",
    withdrawProposal: "$id: ID!",
    addComment: "$on: Subject!, $body: String!",
  };

  function document_for(name) {
    const signature = SIGNATURES[name];
    const args = signature.split(", ").map((p) => p.split(":")[0].slice(1)).map((a) => a + ": $" + a).join(", ");
    return "mutation(" + signature + ") { " + name + "(" + args + ") { " + ERRORS + " } }";
  }

  function fields(form) {
    const out = {};
    for (const element of form.elements) {
      if (!element.name) continue;
      if (element.multiple) {
        out[element.name] = Array.from(element.selectedOptions).map((o) => o.value);
      } else if (element.value.trim() !== "") {
        out[element.name] = element.value;
      }
    }
    return out;
  }

  async function send(form) {
    const name = form.dataset.mutation;
    const given = Object.assign(JSON.parse(form.dataset.fixed || "{}"), fields(form));
    const variables = form.dataset.input ? { [form.dataset.input]: given } : given;
    await mutate(document_for(name), variables);
  }

  // The buttons come disabled: a form sent before this script takes its submit event
  // would post natively and send nothing. Enabled here, once it is taken.
  for (const form of document.querySelectorAll("form.collab")) {
    const status = document.createElement("p");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      for (const button of form.querySelectorAll("button")) button.disabled = true;
      try {
        await send(form);
        status.className = "";
        status.textContent = document.body.dataset.done || "OK";
        window.location.reload();
      } catch (error) {
        status.className = "error";
        status.textContent = (document.body.dataset.failed || "") + colon + error.message;
        for (const button of form.querySelectorAll("button")) button.disabled = false;
      }
    });
    for (const button of form.querySelectorAll("button")) button.disabled = false;
  }
})();

// Live: a signed-in reader of a group page hears the group's changes over the GraphQL
// subscription (the session cookie signs the socket in: same origin only) and is told
// to reload, with who did what, instead of finding out later.
(function () {
  const live = document.getElementById("live");
  if (!live || !window.WebSocket) return;
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const socket = new WebSocket(scheme + location.host + "/graphql", "graphql-transport-ws");
  socket.addEventListener("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "connection_ack") {
      const query = "subscription { events { kind actor workingGroups } }";
      socket.send(JSON.stringify({ id: "live", type: "subscribe", payload: { query } }));
    } else if (data.type === "next" && data.payload.data) {
      const event = data.payload.data.events;
      if (!event.workingGroups.includes(live.dataset.wg)) return;
      live.querySelector("span").textContent = live.dataset.text + " (" + event.actor + ")";
      live.hidden = false;
    }
  });
})();
