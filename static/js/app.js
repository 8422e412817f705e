// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Disable submit buttons once a form is sent, so a double click sends one request
  // (the server's idempotency token makes a second one harmless anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.allowResubmit !== undefined) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // Ask before a destructive action (cancelling an order, reversing a movement): a button
  // with data-confirm="Cancel SO-000050?" submits only once the dialog is accepted. On
  // click, so a refusal never reaches the submit handler that disables the buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
  // A document's Print button (templates/inventory/print/): the browser's print dialog,
  // where Save as PDF is one of the printers. Without JavaScript, its own Print does it.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  // Formsets: a button with data-formset-add="prefix" clones the empty form template.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    addLine(button, true);
  });
  function addLine(button, focus) {
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var target = document.getElementById(prefix + "-forms");
    if (!total || !template || !target) return;
    var index = parseInt(total.value, 10);
    // The server refuses more rows than MAX_NUM_FORMS: say so here instead of after posting.
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (max && index >= parseInt(max.value, 10)) {
      button.disabled = true;
      button.title = "A document can have at most " + max.value + " lines.";
      return;
    }
    // Its index in the names; its number (index + 1, never renumbered) in what its boxes
    // are called: "Quantity, line 3" (forms/common.py, LineNamesMixin).
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__line__/g, String(index + 1));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    // The new line's first box (its item), ready for typing or a scan.
    var row = target.lastElementChild;
    var first = row && row.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea"
    );
    if (first && focus) first.focus();
  }
  // A form refused with every line removed comes back with none to type in (a removed
  // line is only its hidden mark): one blank line, as a new form has (found by a QA pass).
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var rows = document.getElementById(button.dataset.formsetAdd + "-forms");
    if (rows && !Array.prototype.some.call(rows.children, shown)) addLine(button, false);
  });

  // Enter moves on to the form's next box, its text selected, instead of submitting: after
  // a picker's choice (picker.js), and in boxes marked data-enter-next (a count sheet's
  // Found boxes, filled one after another). In the last box Enter submits as usual.
  // `only`: the boxes to go on to (a count sheet's Found boxes, not its Note after them).
  function nextBox(box, only) {
    if (!box.form) return false;
    var boxes = Array.prototype.filter.call(box.form.elements, function (el) {
      return (el === box || el.matches(only || "input:not([type=hidden]), select, textarea")) &&
        !el.disabled && shown(el);
    });
    var next = boxes[boxes.indexOf(box) + 1];
    if (!next) return false;
    next.focus();
    if (next.select) next.select();
    return true;
  }
  window.inventoryNextBox = nextBox;
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-enter-next]")) return;
    if (nextBox(box, "[data-enter-next]")) event.preventDefault();
  });

  // A refused form comes back with its errors, and focus would start at the top of the
  // page: a keyboard or screen-reader user would have to hunt for what to fix. Put focus
  // on the first field marked invalid (Bootstrap's is-invalid, Django's aria-invalid) or,
  // when only the form as a whole was refused, on its error summary; in view either way.
  // A page with no error is left alone.
  function shown(el) {
    return el.getClientRects().length > 0;
  }

  function fieldToFix(marked) {
    var control = marked.matches("input, select, textarea")
      ? marked
      : marked.querySelector("input, select, textarea"); // a group marked as a whole
    if (!control || control.disabled || control.type === "hidden" || !shown(control)) return null;
    return control;
  }

  function focusFirstError() {
    // Autofocus is for a fresh form: a field to fix takes its place (the register form's
    // second password), but a refusal of the whole form keeps it (the login form).
    var autofocus = document.querySelector("[autofocus]");
    var active = document.activeElement;
    if (active && active !== document.body && active !== autofocus) return;
    var target = null;
    var marked = document.querySelectorAll("form [aria-invalid=true], form .is-invalid");
    for (var i = 0; i < marked.length && !target; i += 1) target = fieldToFix(marked[i]);
    if (!target && autofocus) return;
    var summary = document.querySelector("form .alert-danger, form .errorlist.nonfield");
    // A fresh form marked data-focus-first: its first box, ready for typing or a scan.
    var fresh = !target && !summary && document.querySelector("form[data-focus-first]");
    if (fresh) {
      var boxes = fresh.querySelectorAll("input:not([type=hidden]), select, textarea");
      for (var k = 0; k < boxes.length && !target; k += 1) target = fieldToFix(boxes[k]);
      if (target) return target.focus(); // where it is: the top of the page stays in view
    }
    if (!target) {
      // Non-field errors: the templates' alert, or Django's own <ul class="errorlist nonfield">.
      var summaries = document.querySelectorAll("form .alert-danger, form .errorlist.nonfield");
      for (var j = 0; j < summaries.length && !target; j += 1) {
        if (shown(summaries[j])) target = summaries[j];
      }
      // Not a control: -1 makes it focusable from here without adding it to the Tab order.
      if (target && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    }
    if (!target) return;
    // Said first when the page is announced (WCAG's advice for a refused form).
    if (document.title.indexOf("Error: ") !== 0) document.title = "Error: " + document.title;
    target.focus({ preventScroll: true });
    // Centred, so its label above and its message below are in view too (focus() alone
    // may leave it at the very edge, under the phone's keyboard); at once, not with
    // Bootstrap's smooth scrolling, as the page is only now appearing.
    target.scrollIntoView({ block: "center", behavior: "instant" });
    // Its text selected, so typing the correction replaces it (9999 did become 99996).
    if (target.select && target.matches("input:not([type=checkbox]):not([type=radio])")) {
      target.select();
    }
  }
  // Once the page's other scripts have run: picker.js, loaded after this one, changes the
  // height of what is above the field (it hides the no-script hints), which would scroll
  // it away again.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
