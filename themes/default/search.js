// runbook search: Hangul character bigrams and ASCII word prefixes, intersected.
// The index is a global set by search-index.js, so the page works from file:// too.
(function () {
  "use strict";
  var doc = document;
  var data = window.RUNBOOK_SEARCH;
  var status = doc.getElementById("rb-status");
  var list = doc.getElementById("rb-results");
  var input = doc.getElementById("rb-q2");
  var top = doc.getElementById("rb-q");
  if (!data || !list) return;

  var PARTICLES = ["에서는", "에서도", "으로는", "에게서", "에서", "으로", "에게", "까지", "부터", "처럼", "보다",
    "하고", "이나", "이랑", "마다", "은", "는", "이", "가", "을", "를", "에", "의", "로", "와", "과", "도", "만", "나"];
  var postings = data.t;
  var ascii = data.a; // sorted ASCII terms
  var cache = {};

  function isHangul(c) { var n = c.charCodeAt(0); return n >= 0xac00 && n <= 0xd7a3; }
  function isWordChar(c) { return /[a-z0-9_]/.test(c); }

  function decode(term) {
    if (cache[term]) return cache[term];
    var d = postings[term];
    if (!d) return null;
    var out = new Array(d.length), acc = 0;
    for (var i = 0; i < d.length; i++) { acc += d[i]; out[i] = acc; }
    cache[term] = out;
    return out;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }
  function union(lists) {
    var seen = {}, out = [];
    for (var i = 0; i < lists.length; i++) for (var j = 0; j < lists[i].length; j++) {
      var v = lists[i][j];
      if (!seen[v]) { seen[v] = true; out.push(v); }
    }
    return out.sort(function (x, y) { return x - y; });
  }
  function asciiPrefix(p) {
    var lo = 0, hi = ascii.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (ascii[mid] < p) lo = mid + 1; else hi = mid; }
    var lists = [];
    for (var i = lo; i < ascii.length && ascii[i].lastIndexOf(p, 0) === 0 && lists.length < 200; i++) {
      lists.push(decode(ascii[i]));
    }
    return union(lists);
  }
  function stripParticle(w) {
    if (w.length < 3) return w;
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = PARTICLES[i];
      if (w.length - p.length >= 2 && w.slice(-p.length) === p) {
        var stem = w.slice(0, -p.length);
        if (isHangul(stem.charAt(stem.length - 1))) return stem;
      }
    }
    return w;
  }
  // Split a query into words: runs of Hangul / other letters, and ASCII words.
  function words(q) {
    var out = [], re = /[a-z0-9_]+|(?:(?![\x00-\x7f])[\p{L}\p{N}])+/gu, m;
    q = q.toLowerCase();
    while ((m = re.exec(q))) out.push(m[0]);
    return out;
  }
  // Candidate entries for one word, or null for "scan everything".
  function candidates(w) {
    if (isWordChar(w.charAt(0))) return asciiPrefix(w);
    if (w.length < 2) return null;
    var acc = null;
    for (var i = 0; i + 1 < w.length; i++) {
      var p = decode(w.slice(i, i + 2)) || [];
      acc = acc === null ? p : intersect(acc, p);
      if (!acc.length) break;
    }
    return acc;
  }
  function search(q) {
    var ws = words(q).map(function (w) { return isWordChar(w.charAt(0)) ? w : stripParticle(w); });
    if (!ws.length) return { words: [], hits: [] };
    var cand = null;
    for (var i = 0; i < ws.length; i++) {
      var c = candidates(ws[i]);
      if (c === null) continue;
      cand = cand === null ? c : intersect(cand, c);
    }
    if (cand === null) { cand = []; for (var k = 0; k < data.d.length; k++) cand.push(k); }
    var hits = [];
    for (var j = 0; j < cand.length; j++) {
      var e = data.d[cand[j]];
      var title = e[1].toLowerCase(), text = e[3].toLowerCase();
      var score = 0, ok = true;
      for (var x = 0; x < ws.length; x++) {
        var w = ws[x];
        var inTitle = title.indexOf(w) >= 0, inText = text.indexOf(w) >= 0;
        if (!inTitle && !inText) {
          if (isWordChar(w.charAt(0))) { ok = false; break; }
          // ASCII handled by prefix; Hangul must occur as a substring.
          ok = false; break;
        }
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      if (ok) hits.push({ i: cand[j], score: score });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
    return { words: ws, hits: hits };
  }
  function snippet(text, ws) {
    var lower = text.toLowerCase(), at = -1, len = 0;
    for (var i = 0; i < ws.length; i++) {
      var p = lower.indexOf(ws[i]);
      if (p >= 0 && (at < 0 || p < at)) { at = p; len = ws[i].length; }
    }
    var frag = doc.createElement("p");
    frag.className = "snippet";
    if (at < 0) { frag.textContent = text.slice(0, 120) + (text.length > 120 ? "…" : ""); return frag; }
    var start = Math.max(0, at - 50), end = Math.min(text.length, at + len + 70);
    frag.appendChild(doc.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var mark = doc.createElement("mark");
    mark.textContent = text.slice(at, at + len);
    frag.appendChild(mark);
    frag.appendChild(doc.createTextNode(text.slice(at + len, end) + (end < text.length ? "…" : "")));
    return frag;
  }
  function show(q) {
    while (list.firstChild) list.removeChild(list.firstChild);
    q = (q || "").trim();
    if (!q) return;
    var r = search(q);
    var max = Math.min(r.hits.length, 100);
    for (var i = 0; i < max; i++) {
      var e = data.d[r.hits[i].i];
      var li = doc.createElement("li");
      li.className = "result";
      var a = doc.createElement("a");
      a.href = e[0];
      a.textContent = e[1];
      var h = doc.createElement("h2");
      h.appendChild(a);
      li.appendChild(h);
      if (e[2] && e[2] !== e[1]) {
        var c = doc.createElement("p");
        c.className = "result-chapter";
        c.textContent = e[2];
        li.appendChild(c);
      }
      li.appendChild(snippet(e[3], r.words));
      list.appendChild(li);
    }
    status.textContent = r.hits.length
      ? "“" + q + "” 검색 결과 " + r.hits.length + "개" + (r.hits.length > max ? " (처음 " + max + "개 표시)" : "")
      : "“" + q + "”에 대한 결과가 없습니다.";
    doc.title = q + " 검색 · " + doc.title.replace(/^.* 검색 · /, "");
  }
  function param(name) {
    var m = new RegExp("[?&]" + name + "=([^&#]*)").exec(location.search);
    if (!m) return "";
    try { return decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { return m[1]; }
  }
  var q = param("q");
  if (input) input.value = q;
  if (top) top.value = q;
  show(q);
  if (input) {
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        show(input.value);
        if (history.replaceState) {
          try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
        }
      }, 120);
    });
    if (!q) input.focus();
  }
})();
