/* PTĐV: the date field (dd/mm/yyyy). Every <input data-datepicker> (core.forms.VNDateField)
   stays a text box one can type into — "02092022", "2/9/2022" or "02-09-2022" become
   "02/09/2022" when the field is left — and gets a calendar button beside it: a month grid
   with the previous/next month, Monday first, today marked; a click on a day fills the box.
   No inline script or style (strict CSP); the labels come from data- attributes. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function parse(text) {
    var s = (text || "").trim(), m;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) return mk(+m[3], +m[2], +m[1]);
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(s))) return mk(+m[1], +m[2], +m[3]);
    if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(s))) return mk(+m[1], +m[2], +m[3]);
    if ((m = /^(\d)(\d{2})(\d{4})$/.exec(s))) return mk(+m[1], +m[2], +m[3]);
    return null;
  }
  function mk(d, m, y) {
    var x = new Date(y, m - 1, d);
    return x.getFullYear() === y && x.getMonth() === m - 1 && x.getDate() === d ? x : null;
  }
  function tidy(input) {  // a year-first date (2022-09-02) is left as typed: it is unambiguous
    var d = parse(input.value);
    if (d && !/^\d{4}-/.test(input.value.trim())) input.value = fmt(d);
  }
  var MONTHS = "Tháng 1,Tháng 2,Tháng 3,Tháng 4,Tháng 5,Tháng 6,Tháng 7,Tháng 8,Tháng 9,Tháng 10,Tháng 11,Tháng 12";
  var DAYS = "T2,T3,T4,T5,T6,T7,CN";

  function build(input) {
    if (input.dataset.pickerReady) return;
    input.dataset.pickerReady = "1";
    var wrap = document.createElement("span");
    wrap.className = "datepicker";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "datepicker-toggle";
    btn.textContent = "📅";
    btn.setAttribute("aria-label", input.getAttribute("data-datepicker") || "Lịch");
    btn.setAttribute("aria-expanded", "false");
    wrap.appendChild(btn);
    var pop = document.createElement("div");
    pop.className = "datepicker-pop";
    pop.hidden = true;
    wrap.appendChild(pop);
    var shown = null;
    var months = (input.getAttribute("data-months") || MONTHS).split(",");
    var days = (input.getAttribute("data-days") || DAYS).split(",");

    function render() {
      var y = shown.getFullYear(), m = shown.getMonth();
      var chosen = parse(input.value), today = new Date();
      pop.textContent = "";
      var head = document.createElement("div");
      head.className = "datepicker-head";
      var prev = document.createElement("button");
      prev.type = "button"; prev.textContent = "‹"; prev.className = "datepicker-prev";
      var next = document.createElement("button");
      next.type = "button"; next.textContent = "›"; next.className = "datepicker-next";
      var title = document.createElement("span");
      title.textContent = months[m] + " / " + y;
      head.appendChild(prev); head.appendChild(title); head.appendChild(next);
      pop.appendChild(head);
      prev.addEventListener("click", function () { shown = new Date(y, m - 1, 1); render(); });
      next.addEventListener("click", function () { shown = new Date(y, m + 1, 1); render(); });
      var grid = document.createElement("div");
      grid.className = "datepicker-grid";
      days.forEach(function (d) {
        var c = document.createElement("span"); c.className = "datepicker-dow"; c.textContent = d;
        grid.appendChild(c);
      });
      var first = new Date(y, m, 1), lead = (first.getDay() + 6) % 7;
      for (var i = 0; i < lead; i++) grid.appendChild(document.createElement("span"));
      var last = new Date(y, m + 1, 0).getDate();
      for (var d = 1; d <= last; d++) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = d;
        b.setAttribute("data-day", fmt(new Date(y, m, d)));
        if (chosen && chosen.getFullYear() === y && chosen.getMonth() === m && chosen.getDate() === d) b.className = "chosen";
        if (today.getFullYear() === y && today.getMonth() === m && today.getDate() === d) b.className += " today";
        grid.appendChild(b);
      }
      pop.appendChild(grid);
    }
    function open() {
      shown = parse(input.value) || new Date();
      shown = new Date(shown.getFullYear(), shown.getMonth(), 1);
      render();
      pop.hidden = false;
      btn.setAttribute("aria-expanded", "true");
    }
    function close() { pop.hidden = true; btn.setAttribute("aria-expanded", "false"); }
    btn.addEventListener("click", function () { if (pop.hidden) open(); else close(); });
    pop.addEventListener("click", function (e) {
      var day = e.target.getAttribute && e.target.getAttribute("data-day");
      if (day) {
        input.value = day;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        close();
        input.focus();
      }
    });
    input.addEventListener("blur", function () { tidy(input); });
    // a click elsewhere closes the calendar (a month button re-renders the grid, so its
    // target is no longer in the page by then: that is not "elsewhere")
    document.addEventListener("click", function (e) {
      if (document.contains(e.target) && !wrap.contains(e.target)) close();
    });
    wrap.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  }
  function all(root) {
    (root || document).querySelectorAll("input[data-datepicker]").forEach(build);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { all(); });
  else all();
  document.addEventListener("htmx:afterSwap", function (e) { all(e.target); });
})();
