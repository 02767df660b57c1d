// Undo a merge from the merged initiative's page, through the GraphQL API with the
// session cookie and the page's CSRF token; the page then shows the initiative restored.
(function () {
  const { colon, mutate } = window.pariscall;
  const box = document.querySelector("[data-merged]");
  if (!box) return;
  const feedback = document.getElementById("feedback");
  const button = document.getElementById("unmerge");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await mutate(
        "mutation($m: ID!, $v: Int!) { unmergeInitiative(merged: $m, mergedVersion: $v) { merged { status } errors { __typename ... on ForbiddenError { message } ... on ConflictError { message } ... on ValidationError { message } } } }",
        { m: box.dataset.merged, v: Number(box.dataset.version) },
      );
      feedback.textContent = box.dataset.done;
      window.location.reload();
    } catch (error) {
      feedback.textContent = box.dataset.failed + colon + error.message;
      feedback.className = "error";
      button.disabled = false;
    }
  });
})();
