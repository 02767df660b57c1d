// Filter the working group's initiatives by text and status, as the user types.
(function () {
  const text = document.getElementById("filter-text");
  const status = document.getElementById("filter-status");
  const rows = Array.from(document.querySelectorAll("#initiatives tbody tr"));
  function apply() {
    const words = text.value.trim().toLowerCase();
    const wanted = status.value;
    for (const row of rows) {
      const show = (!words || row.dataset.text.includes(words)) && (!wanted || row.dataset.status === wanted);
      row.hidden = !show;
    }
  }
  text.addEventListener("input", apply);
  status.addEventListener("change", apply);
})();
