// Confirm, reject or merge a duplicate pair through the GraphQL API, with the session
// cookie and the page's CSRF token; the answer is shown at once in #feedback.
(function () {
  const box = document.querySelector(".decide");
  if (!box) return;
  const feedback = document.getElementById("feedback");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const a = box.dataset.a, b = box.dataset.b;

  async function call(query, variables) {
    const response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
    const payload = Object.values(body.data)[0];
    if (payload.errors && payload.errors.length) throw new Error(payload.errors.map((e) => e.message).join("; "));
    return payload;
  }

  function say(message, ok) {
    feedback.textContent = message;
    feedback.className = ok ? "" : "error";
  }

  async function decide(kind) {
    for (const button of box.querySelectorAll("button")) button.disabled = true;
    try {
      if (kind === "confirm" || kind === "merge") {
        await call("mutation($a: ID!, $b: ID!) { confirmDuplicate(a: $a, b: $b) { errors { __typename ... on ForbiddenError { message } ... on NotFoundError { message } } } }", { a, b });
      }
      if (kind === "reject") {
        await call("mutation($a: ID!, $b: ID!) { rejectDuplicate(a: $a, b: $b) { errors { __typename ... on ForbiddenError { message } ... on NotFoundError { message } } } }", { a, b });
      }
      if (kind === "merge") {
        const version = Number(document.getElementById("card-2").dataset.version);
        const done = await call("mutation($s: ID!, $m: ID!, $v: Int!) { mergeInitiatives(survivor: $s, merged: $m, mergedVersion: $v) { merged { status } errors { __typename ... on ForbiddenError { message } ... on ConflictError { message } ... on ValidationError { message } } } }", { s: a, m: b, v: version });
        const status = document.querySelector("#card-2 .status");
        status.textContent = done.merged.status === "ARCHIVED" ? box.dataset.archived : done.merged.status.toLowerCase();
        status.className = "badge badge-archived status";
      }
      say(box.dataset["done" + kind.charAt(0).toUpperCase() + kind.slice(1) + (kind === "merge" ? "d" : "ed")] || "OK", true);
    } catch (error) {
      say(box.dataset.failed + ": " + error.message, false);
      for (const button of box.querySelectorAll("button")) button.disabled = false;
    }
  }

  document.getElementById("confirm").addEventListener("click", () => decide("confirm"));
  document.getElementById("reject").addEventListener("click", () => decide("reject"));
  document.getElementById("merge").addEventListener("click", () => decide("merge"));
})();
