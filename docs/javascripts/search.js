/* The search box in the theme's header: its index is fetched on the first search only, and a query that finds nothing
 * gets a way on.
 *
 * Runs before the theme's bundle (overrides/main.html): it points the theme at javascripts/search-worker.js, which
 * answers with the theme's own engine but loads the index only when a person searches (see that file). Over file://
 * (a preview opened from disk) the theme's own worker is kept.
 *
 * When the theme says a query found nothing, a short message follows with the ways on: the everyday words the site
 * knows that are closest to the query (from search/words.json, i.e. datapackage/vocabulary.csv), the audience pages
 * and the domains.
 */
(function () {
  "use strict";
  var el = document.getElementById("__config");
  if (!el || location.protocol === "file:") return;
  var config = JSON.parse(el.textContent);
  var base = new URL(config.base, location.href);
  var worker = new URL("search-worker.js", document.currentScript.src);
  worker.searchParams.set("theme", new URL(config.search, location.href).href);
  worker.searchParams.set("base", base.href);
  config.search = worker.href;
  el.textContent = JSON.stringify(config);

  var NONE = (config.translations || {})["search.result.none"];
  var words = null;

  function vocabulary() {
    if (!words)
      words = fetch(new URL("search/words.json", base)).then(function (res) { return res.json(); });
    return words;
  }

  /* Character pairs and characters shared with the query: how close an everyday word is to what was typed. */
  function closeness(query, word) {
    var score = 0;
    for (var i = 0; i < word.length; i++) {
      if (query.indexOf(word[i]) >= 0) score += 1;
      if (i + 1 < word.length && query.indexOf(word.slice(i, i + 2)) >= 0) score += 2;
    }
    return score / (word.length + 1);
  }

  function link(text, page, title) {
    var a = document.createElement("a");
    a.href = new URL(page, base).href;
    a.textContent = text;
    if (title) a.title = title;
    return a;
  }

  function group(label, links) {
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(label));
    links.forEach(function (a, i) {
      if (i) p.appendChild(document.createTextNode("、"));
      p.appendChild(a);
    });
    return p;
  }

  function wayOn(box, query, data) {
    var seen = {};
    var close = data.suggest
      .map(function (s) { return { s: s, score: closeness(query, s[0]) }; })
      .filter(function (x) { return x.score > 0; })
      .sort(function (a, b) { return b.score - a.score; })
      .filter(function (x) { return seen[x.s[1]] ? false : (seen[x.s[1]] = true); })
      .slice(0, 6);
    box.textContent = "";
    var head = document.createElement("p");
    head.className = "search-wayon__head";
    head.textContent = "没有找到“" + query + "”。换一个说法试试，或者从这里找：";
    box.appendChild(head);
    if (close.length)
      box.appendChild(group("相近的说法：", close.map(function (x) {
        return link(x.s[0] + "（" + x.s[2] + "）", x.s[1]);
      })));
    box.appendChild(group("按人群：", data.audiences.map(function (a) { return link(a[0], a[1]); })));
    box.appendChild(group("按领域：", data.domains.map(function (d) { return link(d[0], d[1]); })));
    box.hidden = false;
  }

  function watch() {
    var meta = document.querySelector(".md-search-result__meta");
    var input = document.querySelector("input.md-search__input");
    if (!meta || !input || !NONE) return;
    var box = document.createElement("div");
    box.className = "search-wayon md-typeset";
    box.setAttribute("role", "status");
    box.hidden = true;
    meta.insertAdjacentElement("afterend", box);
    new MutationObserver(function () {
      var query = input.value.trim();
      if (meta.textContent.trim() !== NONE || !query) {
        box.hidden = true;
        return;
      }
      vocabulary().then(function (data) {
        if (meta.textContent.trim() === NONE && input.value.trim() === query) wayOn(box, query, data);
      });
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
