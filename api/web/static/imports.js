// Send the chosen file to POST /imports with the session cookie and the page's CSRF
// token; show the counts, or every problem with its row and field, without leaving.
(function () {
  // ":" in English, "\u00a0:" in French: the catalog's, from the page
  const colon = (document.body.dataset.colon || ":") + " ";
  const form = document.getElementById("upload");
  if (!form) return;
  const feedback = document.getElementById("feedback");
  const problems = document.getElementById("problems");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = form.dataset;

  function say(message, ok) {
    feedback.textContent = message;
    feedback.className = ok ? "" : "error";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("file").files[0];
    if (!file) return;
    const dryRun = document.getElementById("dry-run").checked;
    const button = document.getElementById("send");
    button.disabled = true;
    problems.replaceChildren();
    say(text.importing, true);
    try {
      // the page's language: refusals and problems come back in it
      const query = new URLSearchParams({ filename: file.name, dry_run: String(dryRun),
                                          lang: document.documentElement.lang });
      const response = await fetch("/imports?" + query, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/octet-stream", "x-csrf-token": csrf },
        body: file,
      });
      const body = await response.json();
      if (!response.ok) {
        // the message counts the problems; each is listed once, below, with its place
        const error = body.errors ? body.errors[0] : { message: response.statusText };
        say(text.failed + colon + error.message, false);
        for (const p of (error.extensions && error.extensions.problems) || []) {
          const item = document.createElement("li");
          const where = [p.file, p.row != null ? text.row + " " + p.row : null,
                         p.field ? text.field + " " + p.field : null].filter(Boolean).join(", ");
          item.textContent = where + colon + p.message;
          problems.appendChild(item);
        }
        return;
      }
      const c = body.counts;
      say((body.dryRun ? text.checked : text.done) + colon + body.file + " — " +
          [c.created, c.updated, c.unchanged, c.withdrawn, c.skipped].join(" / "), true);
      if (!body.dryRun) setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      say(text.failed + colon + error.message, false);
    } finally {
      button.disabled = false;
    }
  });
})();
