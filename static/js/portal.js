/* After a form comes back with errors, move focus to its error summary, so that a screen
   reader announces it and a keyboard user starts from the list of links to the fields
   (GOV.UK and NAV error summary pattern). The summary has tabindex="-1" and role="alert".
   The same after htmx swaps in a form with errors. Every page works without this file. */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = root && root.querySelector ? root.querySelector(".error-summary") : null;
    if (!summary && root && root.classList && root.classList.contains("error-summary")) {
      summary = root;
    }
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      focusErrorSummary(document);
    });
  } else {
    focusErrorSummary(document);
  }

  // Only a summary inside the swapped content: an unrelated swap must not steal focus.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && !target.isConnected && target.id) {
      target = document.getElementById(target.id); // an outerHTML swap replaced the target
    }
    if (target && target.isConnected) {
      focusErrorSummary(target);
    }
  });
})();
