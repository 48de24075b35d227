// runbook site: copy buttons, light/dark switch, keyboard navigation, sidebar toggle, print.
(function () {
  "use strict";
  var doc = document;

  // Copy buttons: copy the text of the step's runbook code.
  function copyText(text, button) {
    function done(ok) {
      var old = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", old);
      button.textContent = ok ? "복사됨" : "복사 실패";
      setTimeout(function () { button.textContent = old; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      return;
    }
    var ta = doc.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    doc.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(ta);
    done(ok);
  }
  var buttons = doc.querySelectorAll("button.copy[data-target]");
  for (var i = 0; i < buttons.length; i++) {
    (function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        var el = doc.getElementById(b.getAttribute("data-target"));
        if (el) copyText(el.textContent, b);
      });
    })(buttons[i]);
  }

  // Sidebar toggle on small screens.
  var toggle = doc.querySelector(".nav-toggle");
  var nav = doc.getElementById("rb-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = doc.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Light/dark switch: overrides the system setting; the choice is kept in localStorage
  // ("runbook-theme") and applied by early.js before the next page is drawn.
  var root = doc.documentElement;
  var themeButton = doc.getElementById("rb-theme");
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function currentTheme() {
    var t = root.getAttribute("data-theme");
    if (t === "light" || t === "dark") return t;
    return systemDark && systemDark.matches ? "dark" : "light";
  }
  function showTheme() {
    if (!themeButton) return;
    var dark = currentTheme() === "dark";
    themeButton.textContent = dark ? "밝게" : "어둡게";
    themeButton.setAttribute("aria-pressed", dark ? "true" : "false");
    themeButton.setAttribute("title", dark ? "밝은 화면으로 바꾸기" : "어두운 화면으로 바꾸기");
  }
  if (themeButton) {
    themeButton.hidden = false;
    themeButton.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("runbook-theme", next); } catch (e) { /* not kept */ }
      showTheme();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", showTheme);
    showTheme();
  }

  // Open the details of a step targeted by the URL fragment.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var el = doc.getElementById(id);
    if (el && el.classList.contains("step")) {
      var d = el.querySelector("details");
      if (d) d.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Keyboard: "/" focuses search, arrows go to the previous/next chapter.
  doc.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (e.key === "/" && !typing) {
      var q = doc.getElementById("rb-q2") || doc.getElementById("rb-q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
      return;
    }
    if (e.key === "Escape" && typing) { t.blur(); return; }
    if (typing || e.shiftKey) return;
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      var a = doc.querySelector(e.key === "ArrowLeft" ? "a[rel=prev]" : "a[rel=next]");
      if (a) { e.preventDefault(); location.href = a.getAttribute("href"); }
    }
  });

  // Print: expand every toggle.
  window.addEventListener("beforeprint", function () {
    var ds = doc.querySelectorAll("details:not([open])");
    for (var i = 0; i < ds.length; i++) { ds[i].setAttribute("open", ""); ds[i].setAttribute("data-print-opened", ""); }
  });
  window.addEventListener("afterprint", function () {
    var ds = doc.querySelectorAll("details[data-print-opened]");
    for (var i = 0; i < ds.length; i++) { ds[i].removeAttribute("open"); ds[i].removeAttribute("data-print-opened"); }
  });
})();
