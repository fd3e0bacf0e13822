/* The evaluator's sheet on a tablet or a phone: one tap on a level fills the score and
   saves it (htmx autosave), then moves to the next indicator; a live counter and running
   totals per category and overall; the save state always visible; the page opens at
   the first indicator not yet scored; 1–4 and the arrow keys on a desktop keyboard. */
(function () {
  "use strict";
  var form = document.getElementById("score-sheet");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.score-input"));
  var indicators = Array.prototype.slice.call(form.querySelectorAll("li.indicator"));
  var state = document.getElementById("save-state");
  var current = 0;

  function value(input) {
    var v = parseFloat(input.value);
    return isFinite(v) ? v : null;
  }
  function round(v) { return Math.round(v * 100) / 100; }

  function refresh() {
    var filled = 0, total = 0, byCategory = {};
    inputs.forEach(function (input) {
      var v = value(input);
      var category = input.dataset.category;
      byCategory[category] = byCategory[category] || 0;
      if (v !== null) { filled += 1; total += v; byCategory[category] += v; }
      var points = input.value === "" ? null : String(v);
      input.closest("li").querySelectorAll("button.level").forEach(function (button) {
        var on = points !== null && parseFloat(button.dataset.points) === v;
        button.classList.toggle("active", on);
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
    });
    document.getElementById("sheet-filled").textContent = String(filled);
    document.getElementById("sheet-total").textContent = String(round(total));
    Object.keys(byCategory).forEach(function (category) {
      var cell = document.getElementById("category-total-" + category);
      if (cell) { cell.textContent = String(round(byCategory[category])); }
    });
  }

  function focusIndicator(index, scroll) {
    if (index < 0 || index >= indicators.length) { return; }
    current = index;
    indicators.forEach(function (li, i) { li.classList.toggle("current", i === index); });
    if (scroll) { indicators[index].scrollIntoView({block: "center"}); }
  }

  function choose(button) {
    var input = document.getElementById(button.dataset.target);
    input.value = button.dataset.points;
    input.dispatchEvent(new Event("change", {bubbles: true}));
    refresh();
    var index = indicators.indexOf(input.closest("li"));
    focusIndicator(index + 1, true);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.level");
    if (button && !button.closest("fieldset[disabled]")) { choose(button); }
  });
  form.addEventListener("input", refresh);
  form.addEventListener("focusin", function (event) {
    var li = event.target.closest("li.indicator");
    if (li) { focusIndicator(indicators.indexOf(li), false); }
  });

  // Keyboard on a desktop: 1–4 pick the current indicator's level, arrows move.
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || (tag === "input" && event.target.type !== "number") || event.ctrlKey || event.metaKey ||
        event.altKey || form.querySelector("fieldset[disabled]")) { return; }
    if (/^[1-9]$/.test(event.key) && tag !== "input") {
      var button = indicators[current] && indicators[current].querySelectorAll("button.level")[Number(event.key) - 1];
      if (button) { event.preventDefault(); choose(button); }
    } else if (event.key === "ArrowDown" || event.key === "j") {
      if (tag !== "input") { event.preventDefault(); focusIndicator(current + 1, true); }
    } else if (event.key === "ArrowUp" || event.key === "k") {
      if (tag !== "input") { event.preventDefault(); focusIndicator(current - 1, true); }
    }
  });

  // The save state, for the whole sheet.
  var pending = 0;
  document.body.addEventListener("htmx:beforeRequest", function () {
    pending += 1;
    state.className = "text-secondary";
    state.textContent = form.dataset.saving;
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    pending = Math.max(0, pending - 1);
    if (!e.detail.successful) { return; }
    if (pending === 0) {
      state.className = "text-success";
      state.textContent = form.dataset.saved;
    }
  });
  document.body.addEventListener("htmx:sendError", function (e) {
    var message = form.dataset.offline;
    if (e.detail.target) { e.detail.target.innerHTML = '<span class="text-danger"></span>'; e.detail.target.firstChild.textContent = message; }
    state.className = "text-danger";
    state.textContent = message;
  });
  document.body.addEventListener("htmx:responseError", function (e) {
    if (e.detail.target) { e.detail.target.innerHTML = e.detail.xhr.responseText; }
    state.className = "text-danger";
    state.textContent = e.detail.target ? e.detail.target.textContent : "";
  });

  var submit = form.querySelector("[data-confirm-submit]");
  if (submit) {
    submit.addEventListener("click", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  }

  refresh();
  // Resume where left: open at the first indicator without a score.
  var first = inputs.findIndex(function (input) { return input.value === ""; });
  if (first > 0) { focusIndicator(first, true); } else { focusIndicator(0, false); }
})();
