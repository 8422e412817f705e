// The quick sale's keys at the till (sales/quick.html, and a sales order's draft, which
// [data-record] saves): a sale of several items goes scan, quantity, Enter, scan,
// quantity, Enter, ..., and Enter on the empty line records it.
// - Enter in a line's quantity (or price) box goes to the next line's item box (a line is
//   added with the Add line button, as a click would, when there is none below). No submit.
// - A code scanned into a quantity box (text that is no number, or a fast run of keys, as a
//   scanner types: a barcode is digits too) leaves with Enter for the first empty item box
//   below, where the picker resolves it as a scan typed there; the quantity gets back what
//   it held before the code, or 1 when that was nothing (a line scanned sells one).
// - Enter on the form's refusal as a whole (focused by app.js: a sale sent again after
//   Back) sends it again, as the refusal asks.
// - Enter in an empty item box records the sale when a line has an item, else does nothing.
//   Enter in a filled one the picker leaves alone goes on to its quantity.
// - Ctrl+Enter (Cmd+Enter) anywhere in the form records the sale, as Record sale does.
// The picker's own Enter (choosing, a scan) comes first: what it handled is left alone. IME
// composition is ignored. Without this script Enter submits the form, as on any page.
(function () {
  "use strict";
  var SCAN_GAP = 80; // ms: a scanner's keys come closer together than a hand's
  var SCAN_MIN = 6; // characters: shorter fast runs are typing (a quantity), not a code
  var MODIFIERS = ["Shift", "Control", "Alt", "AltGraph", "Meta", "CapsLock"];
  var run = { text: "", box: null, before: "", at: 0 }; // the keys typed in one fast run
  var lastRun = run; // the run that the last Enter ended
  var pendingEnter = null; // an Enter meant for where the picker puts the keys typed ahead

  function formOf(el) {
    return el && el.closest ? el.closest("form[data-quick-keys]") : null;
  }
  function isQuantity(el) { return !!el.matches && el.matches(".sales-line input[name$='-quantity']"); }
  function isItem(el) { return !!el.matches && el.matches(".sales-line [data-picker-input]"); }
  function isPrice(el) { return !!el.matches && el.matches(".sales-line input[name$='-unit_price']"); }
  function itemOf(row) { return row.querySelector("[data-picker-input]"); }
  function removed(row) { return !!row.querySelector("input[name$='-DELETE']:checked"); }
  function lines(form) { return Array.prototype.slice.call(form.querySelectorAll("tr.sales-line")); }

  // What a hand types as a quantity, right or wrong ("2", "1,5", "-1": the server explains),
  // as opposed to a code: letters, or more digits than a quantity holds (11 before the point).
  function numberish(text) {
    text = text.trim();
    return /^[-+]?[\d.,\s]*$/.test(text) && (text.split(".")[0].match(/\d/g) || []).length <= 11;
  }

  // The first line below `row` not ticked Remove; with `empty`, whose item box is empty.
  // None: add one, with the Add line button's own code (app.js), which focuses its item box.
  function lineBelow(form, row, empty) {
    var all = lines(form);
    var below = all.slice(all.indexOf(row) + 1).filter(function (line) {
      return !removed(line) && (!empty || !itemOf(line).value.trim());
    });
    if (below.length) return below[0];
    var add = form.querySelector("[data-formset-add]");
    if (add) add.click();
    var rows = lines(form);
    return rows.length > all.length ? rows[rows.length - 1] : null; // none at the 50-line limit
  }

  function toNextLine(form, row) {
    var next = lineBelow(form, row, false);
    if (!next) return;
    var item = itemOf(next);
    item.focus();
    item.select(); // a scan replaces what it holds, as after a choice (app.js, nextBox)
  }

  function record(form) {
    var button = form.querySelector("[data-record]");
    if (button && !button.disabled) form.requestSubmit(button);
  }

  // The code in a quantity box and what the box held before it, or null for a quantity.
  function scanned(box) {
    var value = box.value;
    var scan = lastRun.text.length >= SCAN_MIN ? lastRun : null;
    if (scan && box === scan.box) return { code: scan.text, before: scan.before };
    if (scan && value.slice(-scan.text.length) === scan.text) {
      // Keys typed while the picker was still answering, put here by it (picker.js, carry).
      return { code: scan.text, before: value.slice(0, -scan.text.length) };
    }
    if (numberish(value)) return null;
    var good = box._quickGood || "";
    if (value.indexOf(good) === 0) return { code: value.slice(good.length), before: good };
    return { code: value, before: good };
  }

  // A line scanned with no quantity typed is one of the item, as at any till.
  function oneIfBlank(box, row) {
    if (!box.value.trim() && itemOf(row).value.trim()) box.value = "1";
    box._quickGood = box.value;
    box.dispatchEvent(new Event("input", { bubbles: true })); // the running total (sales.js)
  }

  function enterInQuantity(form, box) {
    var scan = scanned(box);
    var row = box.closest("tr.sales-line");
    if (!scan || !scan.code.trim()) {
      oneIfBlank(box, row);
      return toNextLine(form, row);
    }
    box.value = numberish(scan.before) ? scan.before.trim() : "";
    oneIfBlank(box, row);
    var target = lineBelow(form, row, true);
    if (!target) return;
    var input = itemOf(target);
    input.focus();
    input.value = scan.code.trim();
    // As a scanner types it there: the text, then Enter (the picker looks it up, chooses
    // and goes on to the quantity, or says "No match." and keeps the code selected). After
    // the picker has set up a line just added (its MutationObserver, a microtask queued first).
    Promise.resolve().then(function () {
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    });
  }

  function enterInItem(form, box) {
    if (box.value.trim()) {
      // Chosen before (with the mouse, or the list closed): on to its quantity, as after a choice.
      if (window.inventoryNextBox) window.inventoryNextBox(box);
      return;
    }
    var sold = lines(form).some(function (row) { return !removed(row) && itemOf(row).value.trim(); });
    if (sold) record(form); // an empty line after the items: the sale is done
  }

  // Keys of one fast run, wherever they were typed (the picker keeps those typed before its
  // answer and puts them in the quantity box after): a scan when long enough.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!event.isTrusted || !formOf(box)) return;
    if (MODIFIERS.indexOf(event.key) >= 0) return; // a scanner's Shift for a capital letter
    var now = event.timeStamp;
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (now - run.at > SCAN_GAP || !run.text) {
        run = { text: "", box: box, before: box.value || "", at: now };
      }
      run.text += event.key;
      run.at = now;
      return;
    }
    if (event.key === "Enter") lastRun = run;
    run = { text: "", box: null, before: "", at: 0 };
    pendingEnter = null;
    var state = box._picker;
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.isComposing &&
        state && state.chooseOnAnswer && state.ahead) {
      // Enter after keys typed before the search answered: it is theirs, for the box they go
      // to once the item is chosen (its quantity), not a second Enter for this box.
      event.preventDefault();
      event.stopPropagation();
      pendingEnter = { from: box, run: lastRun };
    }
  }, true);

  // After the picker's own handling (picker.js, loaded before this script).
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    var form = formOf(box);
    if (!event.isTrusted || !form || event.key !== "Enter") return;
    if (event.isComposing || event.keyCode === 229) return; // an IME confirming a word
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      record(form);
      return;
    }
    if (event.defaultPrevented || event.shiftKey || event.altKey) return;
    if (box.matches("[data-sale-refused]") && !event.repeat) {
      // The form refused as a whole has the focus (app.js), e.g. a sale sent again with
      // other content after Back: Enter sends it again, as its message asks.
      event.preventDefault();
      return enterInItem(form, { value: "" });
    }
    if (!isQuantity(box) && !isItem(box) && !isPrice(box)) return; // the header's boxes: as before
    event.preventDefault();
    if (event.repeat) return; // a held Enter would add line after line, or post twice
    if (isQuantity(box)) enterInQuantity(form, box);
    else if (isItem(box)) enterInItem(form, box);
    else toNextLine(form, box.closest("tr.sales-line"));
  });

  // The keys typed ahead landed in the box after the choice: now their Enter.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (isQuantity(box) && numberish(box.value)) box._quickGood = box.value;
    if (!pendingEnter || event.isTrusted) return;
    var pending = pendingEnter;
    pendingEnter = null; // back in its own box (the search failed): that Enter is dropped
    if (box === pending.from || !isQuantity(box) || !formOf(box)) return;
    lastRun = pending.run;
    enterInQuantity(formOf(box), box);
  });

  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (!isQuantity(box)) return;
    box._quickGood = numberish(box.value) ? box.value : (/^\s*\d*\.?\d*/.exec(box.value) || [""])[0];
  });
})();
