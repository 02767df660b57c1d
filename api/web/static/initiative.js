// Undo a merge from the merged initiative's page, through the GraphQL API with the
// session cookie and the page's CSRF token; the page then shows the initiative restored.
(function () {
  // ":" in English, "\u00a0:" in French: the catalog's, from the page
  const colon = (document.body.dataset.colon || ":") + " ";
  const box = document.querySelector("[data-merged]");
  if (!box) return;
  const feedback = document.getElementById("feedback");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const button = document.getElementById("unmerge");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({
          query: "mutation($m: ID!, $v: Int!) { unmergeInitiative(merged: $m, mergedVersion: $v) { merged { status } errors { __typename ... on ForbiddenError { message } ... on ConflictError { message } ... on ValidationError { message } } } }",
          variables: { m: box.dataset.merged, v: Number(box.dataset.version) },
        }),
      });
      const body = await response.json();
      if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
      const payload = body.data.unmergeInitiative;
      if (payload.errors.length) throw new Error(payload.errors.map((e) => e.message).join("; "));
      feedback.textContent = box.dataset.done;
      window.location.reload();
    } catch (error) {
      feedback.textContent = box.dataset.failed + colon + error.message;
      feedback.className = "error";
      button.disabled = false;
    }
  });
})();
