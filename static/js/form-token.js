// Keep the one-time token of this page's form in the address bar (?token=…), without a
// reload. Back and reload then ask the server for that address, the form comes back
// with the same token, and submitting it again records nothing new (see
// inventory/views/form_tokens.py for why the browser's cache cannot be relied on).
(function () {
  "use strict";
  // Only a page whose one token-bearing form posts to the page itself: detail pages
  // with several small forms posting elsewhere keep their addresses.
  var inputs = Array.prototype.filter.call(
    document.querySelectorAll("form[method=post] input[name=idempotency_key]"),
    function (input) {
      var action = input.form.getAttribute("action");
      return action === null || action === "";
    }
  );
  if (inputs.length === 1 && inputs[0].value && window.history.replaceState) {
    var url = new URL(window.location.href);
    if (url.searchParams.get("token") !== inputs[0].value) {
      url.searchParams.set("token", inputs[0].value);
      window.history.replaceState(window.history.state, "", url.toString());
    }
  }
  // Back may also restore the page as it was left (the back/forward cache), with its
  // submit buttons still disabled by app.js after the first submit. The token is the
  // same, so let the person submit again: the server answers "already recorded".
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    inputs.forEach(function (input) {
      input.form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    });
  });
})();
