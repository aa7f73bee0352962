/* The search box in the theme's header: its index is fetched on the first search only, and a query that finds nothing
 * gets a way on.
 *
 * Runs before the theme's bundle (overrides/main.html): it points the theme at javascripts/search-worker.js, which
 * answers with the theme's own engine but loads the index only when a person searches (see that file). Over file://
 * (a preview opened from disk) the theme's own worker is kept.
 *
 * The theme searches when a key is released (keyup). Text also arrives without keys: paste, dictation, a word picked
 * from the suggestions of a phone's keyboard, the commit of a Chinese input method. Every change of the text (`input`)
 * and the end of a composition (`compositionend`) is passed on to the theme as a keyup; while an input method is
 * composing (the pinyin letters before a character is picked) nothing is searched, not even on keyup.
 *
 * When the search worker corrected a query by sound ("底保" → "低保", see search-worker.js), the page offers
 * "您要找的是不是：低保", a button that searches for it.
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

  /* Every change of the text reaches the theme as a keyup, except while an input method composes. */
  function hear(input) {
    var composing = false;
    function search() { input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true })); }
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; search(); });
    input.addEventListener("input", function (ev) { if (!composing && !ev.isComposing) search(); });
    function hold(ev) {   // before the theme's own listeners: no search, and no Enter opening a result, mid-composition
      if (ev.target === input && (composing || ev.isComposing)) ev.stopPropagation();
    }
    document.addEventListener("keyup", hold, true);
    document.addEventListener("keydown", hold, true);
  }

  /* "您要找的是不是：低保" under the result count, while the box holds the query the worker corrected. */
  function offer(meta, input) {
    var box = document.createElement("p");
    box.className = "search-sound md-typeset";
    box.setAttribute("role", "status");
    box.hidden = true;
    meta.insertAdjacentElement("afterend", box);
    var heard = {};
    function show() {
      var query = input.value, sound = heard[query];
      if (!sound || box.getAttribute("data-for") === query + "\n" + sound) { box.hidden = !sound; return; }
      box.textContent = "您要找的是不是：";
      var b = document.createElement("button");
      b.type = "button";
      b.className = "search-sound__word";
      b.textContent = sound;
      b.addEventListener("click", function () {
        input.value = sound;
        input.focus();
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      box.appendChild(b);
      box.setAttribute("data-for", query + "\n" + sound);
      box.hidden = false;
    }
    if (typeof BroadcastChannel === "function")
      new BroadcastChannel("search-sound").onmessage = function (ev) {
        var m = ev.data || {};
        heard[m.query] = m.sound;
        show();
      };
    input.addEventListener("input", show);
    return show;
  }

  function watch() {
    var meta = document.querySelector(".md-search-result__meta");
    var input = document.querySelector("input.md-search__input");
    if (!input) return;
    hear(input);
    if (!meta || !NONE) return;
    var sound = offer(meta, input);
    var box = document.createElement("div");
    box.className = "search-wayon md-typeset";
    box.setAttribute("role", "status");
    box.hidden = true;
    meta.insertAdjacentElement("afterend", box);
    new MutationObserver(function () {
      sound();
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
