// Purchase (and transfer) line formsets: a "Remove" button ticks the row's DELETE box, hides the row and
// moves focus to the next line (or Add line).
// Without JavaScript the "Remove" checkbox itself is shown and does the same on submit.
// A form marked data-line-keys (a direct purchase or a receipt: stock goes up at once; a
// purchase order's draft, saved half typed) is not sent by Enter in a line: it goes on to the next box, and from a line's last box to
// the next line (a direct purchase adds one, as Add line does; Enter in a receipt's very
// last box records). Found by a QA pass: a quantity and Enter received the first line
// alone, its lot code generated. Ctrl+Enter (Cmd+Enter) records from anywhere.
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
  // A line's boxes: a formset row's, or a row's of a table of lines (a receipt's).
  var LINE_BOX = ["[data-formset-row]", "tbody"].map(function (line) {
    return line + " input:not([type=hidden]):not([type=checkbox]), " + line + " select";
  }).join(", ");
  // On window, so after the picker's own Enter (picker.js, on document): what it chose or
  // looked up is left to it.
  window.addEventListener("keydown", function (event) {
    var box = event.target;
    var form = box.closest && box.closest("form[data-line-keys]");
    if (!form || event.key !== "Enter" || event.isComposing || event.keyCode === 229) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      if (!event.repeat) form.requestSubmit(form.querySelector("button[type=submit]"));
      return;
    }
    // The header's boxes and the buttons: as before.
    if (event.defaultPrevented || event.shiftKey || event.altKey || !box.matches(LINE_BOX)) return;
    if (event.repeat) {
      event.preventDefault();
      return;
    }
    // On to the next line box (app.js's walk, as a count sheet's); past the last one, a
    // new line, or, on a form that takes no more lines (a receipt), Enter records.
    if (window.inventoryNextBox(box, LINE_BOX)) {
      event.preventDefault();
      return;
    }
    var add = form.querySelector("[data-formset-add]");
    if (!add) return;
    event.preventDefault();
    if (!add.disabled) add.click(); // app.js focuses the new line's item
  });
})();
