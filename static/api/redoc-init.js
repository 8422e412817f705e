// Start Redoc on the schema named by the page (a file: the CSP forbids inline scripts).
(function () {
  "use strict";
  var root = document.getElementById("redoc");
  // Search runs in a blob: web worker, which the CSP does not allow; the rest works.
  Redoc.init(root.dataset.schemaUrl, { disableSearch: true, hideDownloadButton: false }, root);
})();
