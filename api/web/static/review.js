// Confirm, reject, merge or unmerge a duplicate pair through the GraphQL API, with the
// session cookie and the page's CSRF token. After each decision the page shows the
// pair's new state and the actions that state allows (each button lists its states in
// data-states), and the cards their new status, without a reload.
(function () {
  const { colon, mutate } = window.pariscall;
  const box = document.querySelector(".decide[data-a]");
  if (!box) return;
  const feedback = document.getElementById("feedback");
  const a = box.dataset.a, b = box.dataset.b;
  const buttons = Array.from(box.querySelectorAll("button[data-states]"));
  const ERRORS = "errors { __typename ... on ForbiddenError { message } ... on NotFoundError { message } ... on ConflictError { message } ... on ValidationError { message } }";

  function key(word) {
    return word.charAt(0).toUpperCase() + word.slice(1);
  }

  function show(state) {
    box.dataset.state = state;
    for (const shown of document.querySelectorAll(".decision")) {
      shown.textContent = box.dataset["label" + key(state)] || state;
    }
    for (const button of buttons) {
      button.hidden = !button.dataset.states.split(" ").includes(state);
      button.disabled = false;
    }
  }

  function status(card, value) {
    const badge = document.querySelector("#" + card + " .status");
    const word = value.toLowerCase();
    badge.textContent = box.dataset["status" + key(word)] || word;
    badge.className = "badge badge-" + word + " status";
  }

  function say(message, ok) {
    feedback.textContent = message;
    feedback.className = ok ? "" : "error";
  }

  async function decide(kind) {
    for (const button of buttons) button.disabled = true;
    try {
      if (kind === "confirm" || (kind === "merge" && box.dataset.state !== "confirmed")) {
        await mutate("mutation($a: ID!, $b: ID!) { confirmDuplicate(a: $a, b: $b) { candidate { status } " + ERRORS + " } }", { a, b });
        show("confirmed");
      }
      if (kind === "reject") {
        await mutate("mutation($a: ID!, $b: ID!) { rejectDuplicate(a: $a, b: $b) { candidate { status } " + ERRORS + " } }", { a, b });
        show("rejected");
      }
      if (kind === "merge") {
        const version = Number(document.getElementById("card-2").dataset.version);
        const done = await mutate("mutation($s: ID!, $m: ID!, $v: Int!) { mergeInitiatives(survivor: $s, merged: $m, mergedVersion: $v) { merged { status version } survivor { version } " + ERRORS + " } }", { s: a, m: b, v: version });
        status("card-2", done.merged.status);
        box.dataset.merged = b;
        box.dataset.version = done.merged.version;
        document.getElementById("card-2").dataset.version = done.merged.version;
        document.getElementById("card-1").dataset.version = done.survivor.version;
        show("merged");
      }
      if (kind === "unmerge") {
        const merged = box.dataset.merged;
        const done = await mutate("mutation($m: ID!, $v: Int!) { unmergeInitiative(merged: $m, mergedVersion: $v) { merged { status version } survivor { version } " + ERRORS + " } }", { m: merged, v: Number(box.dataset.version) });
        const card = merged === a ? "card-1" : "card-2";
        status(card, done.merged.status);
        document.getElementById(card).dataset.version = done.merged.version;
        document.getElementById(card === "card-1" ? "card-2" : "card-1").dataset.version = done.survivor.version;
        show("confirmed");
      }
      say(box.dataset["done" + key(kind) + (kind.endsWith("e") ? "d" : "ed")] || "OK", true);
    } catch (error) {
      say(box.dataset.failed + colon + error.message, false);
      show(box.dataset.state);
    }
  }

  for (const button of buttons) button.addEventListener("click", () => decide(button.id));
  show(box.dataset.state);
})();
