// Sales forms: a line ticked "Remove" is greyed out; unticking brings it back. And the
// running total of the lines as typed, valued as the server values them: each line's
// quantity times its price (its box, else the item's own price, from the picker),
// rounded to the cent half up, in exact integers.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".sales-line input[type=checkbox][name$='-DELETE']")) return;
    var row = box.closest(".sales-line");
    row.classList.toggle("opacity-50", box.checked);
    row.querySelectorAll("select, input[inputmode=decimal]").forEach(function (field) {
      field.required = false;
    });
  });

  var shown = document.querySelector("[data-sale-total]");
  if (!shown || typeof BigInt === "undefined") return;
  var output = shown.querySelector("output");

  // "2.5" with 3 places -> 2500n; null when it is not a plain number with at most that
  // many places (the server's forms/fields.PLAIN_NUMBER, so ".5" and "5." count too).
  function scaled(text, places) {
    var parts = /^(\d*)(?:\.(\d*))?$/.exec((text || "").trim());
    if (!parts || !(parts[1] || parts[2]) || (parts[2] || "").length > places) return null;
    return BigInt((parts[1] || "0") + (parts[2] || "").padEnd(places, "0"));
  }

  function price(row) {
    var typed = row.querySelector("input[name$='-unit_price']").value.trim();
    if (typed) return scaled(typed, 2);
    var item = row.querySelector("[data-picker-input]");
    var option = item && item._picker && item._picker.option;
    return option && option.value === item.value.trim() ? scaled(option.price, 2) : null;
  }

  function update() {
    var cents = BigInt(0);
    var unpriced = 0;
    shown.closest("form").querySelectorAll("tr.sales-line").forEach(function (row) {
      if (row.querySelector("input[name$='-DELETE']:checked")) return;
      var item = row.querySelector("[data-picker-input]");
      var quantity = scaled(row.querySelector("input[name$='-quantity']").value, 3);
      if (!quantity || !item || !item.value.trim()) return; // not a line yet
      var each = price(row);
      if (each === null) unpriced += 1;
      else cents += (quantity * each + BigInt(500)) / BigInt(1000); // 0.001 x 0.01 -> 0.01
    });
    var text = (cents / BigInt(100)).toString() + "." + (cents % BigInt(100)).toString().padStart(2, "0");
    output.textContent = text + (unpriced ? " (and " + unpriced + " line" + (unpriced > 1 ? "s" : "") +
      " not priced yet)" : "");
    shown.hidden = false;
  }

  ["input", "change", "picker-option"].forEach(function (type) {
    shown.closest("form").addEventListener(type, update);
  });
  update();
})();
