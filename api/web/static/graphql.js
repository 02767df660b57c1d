// One mutation through the GraphQL API, as every page script sends it: with the session
// cookie and the page's CSRF token. Answers the mutation's payload; a refused request or
// a payload listing errors is thrown as an Error carrying their messages. Loaded before
// the scripts using it (collab.js, initiative.js, review.js), as `pariscall.mutate`.
window.pariscall = {
  // ":" in English, "\u00a0:" in French: the catalog's, from the page
  colon: (document.body.dataset.colon || ":") + " ",

  async mutate(query, variables) {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
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
  },
};
