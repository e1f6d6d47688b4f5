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

/* Oslo Sans after the largest paint: the page shows its text at once in the fallback (Arial
   scaled to Oslo Sans' metrics, css/portal.css), and links the faces (font-display: swap)
   once the browser has painted its largest content and the page has loaded, so the faces
   never stand in the way of the page's first view. A browser that does not report its
   largest paint links them once the page has loaded; a page loaded out of sight (no paint is
   reported there) gets them a moment later all the same. Coming from another of the portal's
   pages, the fonts are in the browser's cache and are linked at once. Nothing is stored on
   the visitor's device. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="portal-fonts"]');
  if (!meta) {
    return;
  }

  function link() {
    if (document.getElementById("portal-fonts")) {
      return;
    }
    var sheet = document.createElement("link");
    sheet.id = "portal-fonts";
    sheet.rel = "stylesheet";
    sheet.href = meta.content;
    document.head.appendChild(sheet);
  }

  var fromPortal = false;
  try {
    fromPortal = !!document.referrer && new URL(document.referrer).origin === location.origin;
  } catch (error) {
    fromPortal = false;
  }
  if (fromPortal) {
    link();
    return;
  }

  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  var painted = types.indexOf("largest-contentful-paint") < 0;
  var loaded = document.readyState === "complete";

  function linkWhenReady() {
    if (painted && loaded) {
      setTimeout(link, 0);
    }
  }

  if (!painted) {
    var observer = new PerformanceObserver(function (list) {
      if (list.getEntries().length) {
        painted = true;
        observer.disconnect();
        linkWhenReady();
      }
    });
    observer.observe({ type: "largest-contentful-paint", buffered: true });
  }

  function onLoad() {
    loaded = true;
    linkWhenReady();
    setTimeout(link, 3000);
  }

  if (loaded) {
    onLoad();
  } else {
    window.addEventListener("load", onLoad);
  }
})();
