// Runs in <head> before the page is drawn: marks that scripts run, and applies the reader's
// light/dark choice (saved by site.js) so the other theme never flashes.
(function () {
  var root = document.documentElement;
  root.className = "js";
  try {
    var t = localStorage.getItem("runbook-theme");
    if (t === "light" || t === "dark") root.setAttribute("data-theme", t);
  } catch (e) { /* storage unavailable: the system setting applies */ }
})();
