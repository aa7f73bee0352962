/* Text-size control (remembered across pages) and the targets table filter. No external requests. */
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
  function control() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner || inner.querySelector(".text-size")) return;
    var group = document.createElement("div");
    group.className = "text-size";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "字号");
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
    var search = inner.querySelector(".md-search");
    inner.insertBefore(group, search);
    apply(stored());
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
  function names() {
    // Material's search overlay has role="dialog" but no name; screen readers announce it as "搜索".
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (d) {
      d.setAttribute("aria-label", "搜索");
    });
  }
  function init() { control(); filters(); names(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
