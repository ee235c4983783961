/* PTĐV: the small behaviours of every page. The Content-Security-Policy allows no inline
   script or handler attribute (onclick=, onchange=...), so pages declare behaviour with
   data- attributes and this file wires them:
   - the phone menu folds behind a button (without JavaScript it stays open);
   - <select data-autosubmit> submits its form on change;
   - <input type="checkbox" data-check-all="NAME"> ticks every checkbox name=NAME;
   - <form data-confirm="question"> asks before submitting. */
(function () {
  "use strict";
  function menu() {
    var h = document.querySelector("header.top"), b = h && h.querySelector(".menu-toggle");
    if (!b) return;
    b.hidden = false;
    h.classList.add("js-menu");
    b.addEventListener("click", function () {
      b.setAttribute("aria-expanded", h.classList.toggle("menu-open"));
    });
  }
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("select[data-autosubmit]") && t.form) t.form.submit();
    if (t.matches && t.matches("input[data-check-all]")) {
      var name = t.getAttribute("data-check-all");
      document.querySelectorAll("input[type=checkbox]").forEach(function (c) {
        if (c.name === name) c.checked = t.checked;
      });
    }
  });
  document.addEventListener("submit", function (e) {
    var f = e.target, q = f.getAttribute && f.getAttribute("data-confirm");
    if (q && !window.confirm(q)) e.preventDefault();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", menu);
  else menu();
})();
