// Purchase line formsets: a "Remove" button ticks the row's DELETE box, hides the row and
// moves focus to the next line (or Add line).
// Without JavaScript the "Remove" checkbox itself is shown and does the same on submit.
(function () {
  "use strict";
  function enhance(root) {
    root.querySelectorAll("[data-formset-row] .js-hide").forEach(function (el) {
      el.classList.add("d-none");
    });
    root.querySelectorAll("[data-formset-row] .js-show").forEach(function (el) {
      el.classList.remove("d-none");
    });
  }
  enhance(document);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-remove]");
    if (button) {
      event.preventDefault();
      var row = button.closest("[data-formset-row]");
      var box = row && row.querySelector("input[type=checkbox][name$='-DELETE']");
      if (box) box.checked = true;
      if (row) {
        // Focus would fall to the page: on to the next line's first box, or Add line.
        var next = row.nextElementSibling;
        while (next && next.classList.contains("d-none")) next = next.nextElementSibling;
        var target = next ? next.querySelector("input:not([type=hidden]), select") : null;
        var list = row.parentElement;
        target = target || document.querySelector("[data-formset-add='" + list.id.replace(/-forms$/, "") + "']");
        row.classList.add("d-none");
        if (target) target.focus();
      }
      return;
    }
    // Rows added by app.js come from the <template>; enhance them once they are in.
    if (event.target.closest("[data-formset-add]")) {
      window.setTimeout(function () { enhance(document); }, 0);
    }
  });
})();
