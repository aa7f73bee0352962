/* The header's controls in words (字号 and 高对比度, remembered across pages), voice reading (朗读) with the browser's
   own speech synthesis, the targets table filter and the quotes behind a tap. No external requests. */
(function () {
  var KEY = "siping-text-size";
  var LABELS = [["标准", "标准字号"], ["大", "大字号"], ["特大", "特大字号"]];
  function apply(step) {
    if (step > 0) document.documentElement.setAttribute("data-text-size", String(step));
    else document.documentElement.removeAttribute("data-text-size");
    document.querySelectorAll(".text-size button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-step") === String(step) ? "true" : "false");
    });
  }
  function stored() {
    try { return parseInt(localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { return 0; }
  }
  apply(stored());

  // 字号：标准 大 特大 and the palette toggle, side by side in one box of the header (a second row on phones)
  function controls() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".site-controls")) return;
    var box = document.createElement("div");
    box.className = "site-controls";
    var group = document.createElement("div");
    group.className = "text-size";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "字号");
    var caption = document.createElement("span");
    caption.className = "text-size__caption";
    caption.setAttribute("aria-hidden", "true");
    caption.textContent = "字号：";
    group.appendChild(caption);
    LABELS.forEach(function (label, step) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label[0];
      b.title = label[1];
      b.setAttribute("aria-label", label[1]);
      b.setAttribute("data-step", String(step));
      b.addEventListener("click", function () {
        try { localStorage.setItem(KEY, String(step)); } catch (e) { /* private mode */ }
        apply(step);
      });
      group.appendChild(b);
    });
    box.appendChild(group);
    var palette = inner.querySelector('[data-md-component="palette"]');
    if (palette) box.appendChild(contrastButton(palette));
    var search = inner.querySelector(".md-search");
    inner.insertBefore(box, search ? search.previousElementSibling || search : null);
    apply(stored());
  }

  // 高对比度：one button that says its state in words and in aria-pressed ("高对比度：开" when on). It works the theme's
  // palette radios, which stay in the page (hidden, out of the tab order): the theme applies and remembers the palette.
  function contrastButton(palette) {
    var on = palette.querySelector('input[data-md-color-scheme="contrast"]');
    var off = palette.querySelector('input[data-md-color-scheme]:not([data-md-color-scheme="contrast"])');
    var b = document.createElement("button");
    b.type = "button";
    b.className = "contrast-toggle";
    function show() {
      var pressed = document.body.getAttribute("data-md-color-scheme") === "contrast";
      b.setAttribute("aria-pressed", pressed ? "true" : "false");
      b.textContent = "高对比度：" + (pressed ? "开" : "关");
    }
    b.addEventListener("click", function () {
      var input = b.getAttribute("aria-pressed") === "true" ? off : on;
      if (input) input.click();
      show();
    });
    palette.querySelectorAll("input, label").forEach(function (e) { e.setAttribute("tabindex", "-1"); });
    palette.hidden = true;
    new MutationObserver(show).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    show();
    return b;
  }

  // 朗读: speechSynthesis with a zh-CN voice, in sentence-sized parts (long utterances stop early in some browsers)
  var NO_SPEECH = "这个浏览器不能朗读。可以换用手机或电脑自带的浏览器，或使用系统的读屏功能。";
  var NO_VOICE = "这台设备没有中文（普通话）语音，不能朗读。可以在手机或电脑的“设置”里添加中文语音后再试，或使用系统的读屏功能。";
  // not read: whatever a page marks data-read-skip (ids, download links, in-page navigation), navigation, controls, charts
  var SKIP = "[data-read-skip], nav, .read-aloud, .headerlink, .md-source-file, .download-record, script, style, svg, figure";
  var BLOCK = /^(P|LI|H[1-6]|TR|DIV|BLOCKQUOTE|DT|DD|TABLE|UL|OL|SECTION|DETAILS|SUMMARY|FIGCAPTION|BR|HR)$/;
  function chineseVoice(voices) {
    var zh = voices.filter(function (v) { return /^(zh|cmn)([-_]|$)/i.test(v.lang || ""); });
    var cn = zh.filter(function (v) { return /^(zh|cmn)[-_](hans[-_])?cn$/i.test(v.lang || ""); });
    return cn[0] || zh[0] || null;
  }
  function withVoice(synth, done) {
    var voices = synth.getVoices() || [];
    if (voices.length) return done(chineseVoice(voices));
    var finished = false;
    function finish() { if (finished) return; finished = true; done(chineseVoice(synth.getVoices() || [])); }
    if (synth.addEventListener) synth.addEventListener("voiceschanged", finish, { once: true });
    setTimeout(finish, 1500);  // some browsers load their voices late; none after this means none
  }
  function collect(node, out) {
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === 3) { out.push(child.nodeValue); return; }
      if (child.nodeType !== 1 || child.matches(SKIP) || child.hidden || getComputedStyle(child).display === "none") return;
      var block = BLOCK.test(child.tagName);
      if (block) out.push("\n");
      else if (child.tagName === "TD" || child.tagName === "TH") out.push("，");
      collect(child, out);
      if (block) out.push("\n");
    });
  }
  function readableText(root) {
    var out = [];
    collect(root, out);
    return out.join("").replace(/[ \t\u00a0]+/g, " ").replace(/ ?\n[\s]*/g, "\n").replace(/^，|\n，/g, "\n").trim();
  }
  function pieces(text) {
    var out = [], current = "";
    text.split(/(?<=[。！？；!?;\n])/).forEach(function (s) {
      s = s.trim();
      if (!s) return;
      if (current && (current + s).length > 120) { out.push(current); current = ""; }
      current += (current && !/[。！？；!?;]$/.test(current) ? "。" : "") + s;
    });
    if (current) out.push(current);
    return out;
  }
  function readAloud() {
    document.querySelectorAll("[data-read-aloud]").forEach(function (box) {
      if (box.querySelector("button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "read-aloud__button";
      button.setAttribute("aria-pressed", "false");
      button.textContent = "朗读本页";
      var status = document.createElement("p");
      status.className = "read-aloud__status";
      status.setAttribute("role", "status");
      box.appendChild(button);
      box.appendChild(status);
      var reading = false;
      function stopped(message) {
        reading = false;
        button.textContent = "朗读本页";
        button.setAttribute("aria-pressed", "false");
        status.textContent = message || "";
      }
      window.addEventListener("pagehide", function () { if (reading && window.speechSynthesis) window.speechSynthesis.cancel(); });
      button.addEventListener("click", function () {
        var synth = window.speechSynthesis;
        if (!synth || typeof window.SpeechSynthesisUtterance === "undefined") { stopped(NO_SPEECH); return; }
        if (reading) { synth.cancel(); stopped("已停止朗读。"); return; }
        var which = box.getAttribute("data-read-aloud");
        var root = which === "article" ? box.closest("article") : document.querySelector(which);
        if (!root) return;
        status.textContent = "正在准备朗读……";
        withVoice(synth, function (voice) {
          if (!voice) { stopped(NO_VOICE); return; }
          var parts = pieces(readableText(root));
          if (!parts.length) { stopped(); return; }
          synth.cancel();
          reading = true;
          button.textContent = "停止朗读";
          button.setAttribute("aria-pressed", "true");
          status.textContent = "正在朗读。再按一次按钮停止。";
          parts.forEach(function (text, i) {
            var u = new window.SpeechSynthesisUtterance(text);
            u.lang = "zh-CN";
            try { u.voice = voice; } catch (e) { /* lang alone picks the voice */ }
            u.rate = 0.9;
            if (i === parts.length - 1) u.onend = function () { if (reading) stopped(); };
            u.onerror = function (event) { if (reading && event && event.error !== "interrupted" && event.error !== "canceled") stopped("朗读中断了，请再试一次。"); };
            synth.speak(u);
          });
        });
      });
    });
  }

  function filters() {
    document.querySelectorAll("select[data-filter-table]").forEach(function (select) {
      var table = document.getElementById(select.getAttribute("data-filter-table"));
      if (!table) return;
      select.addEventListener("change", function () {
        table.querySelectorAll("tbody tr").forEach(function (row) {
          row.hidden = !!select.value && row.getAttribute("data-domain") !== select.value;
        });
      });
    });
  }
  function quotes() {
    // in the wide table every quote is open; on a phone (cards) each waits behind a tap on 原文
    if (!window.matchMedia || !window.matchMedia("(min-width: 45em)").matches) return;
    document.querySelectorAll("details.quote-tap").forEach(function (d) { d.open = true; });
  }
  function scrollers() {
    // a table or chart wider than a phone scrolls inside its box; the keyboard must be able to scroll it too
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset figure").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.tagName === "FIGURE" ? "图表，可左右滑动" : "表格，可左右滑动");
    });
  }
  function cardLabels() {
    // a Markdown table becomes one card per row on a phone (extra.css): each cell is labelled with its column's heading
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (heads.length < 2) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }
  function names() {
    // Material's search overlay has role="dialog" but no name; screen readers announce it as "搜索".
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (d) {
      d.setAttribute("aria-label", "搜索");
    });
  }
  function init() { controls(); cardLabels(); readAloud(); filters(); quotes(); names(); scrollers(); }
  window.addEventListener("load", scrollers);  // the theme wraps its tables after the page is parsed
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
