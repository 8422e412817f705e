// Sales forms: a line ticked "Remove" is greyed out; unticking brings it back.
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
})();
