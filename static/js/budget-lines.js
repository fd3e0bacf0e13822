/* Budget lines: add and remove rows without a round trip, totals and the co-funding
   share kept up as the agency types, and a warning before saving when the total misses
   the approved amount (budget adjustment) or passes the round's per-project cap. */
(function () {
  "use strict";
  function number(input) {
    var value = parseFloat((input && input.value || "").replace(/,/g, ""));
    return isFinite(value) ? value : 0;
  }
  // The words come from the page (data-yuan, data-msg-*: translated in the template); the
  // Chinese here is only the fallback.
  var lang = document.documentElement.lang || "zh-CN";
  var yuanText = "{amount} 元";
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function yuan(value) {
    return fill(yuanText, {amount: value.toLocaleString(lang, {minimumFractionDigits: 2, maximumFractionDigits: 2})});
  }
  document.querySelectorAll(".budget-lines").forEach(function (card) {
    var prefix = card.dataset.prefix;
    var totalForms = card.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var rows = card.querySelector(".budget-rows");
    var target = card.dataset.target ? parseFloat(card.dataset.target) : null;
    var cap = card.dataset.cap ? parseFloat(card.dataset.cap) : null;
    var warning = card.querySelector(".budget-warning");
    yuanText = card.dataset.yuan || yuanText;
    var msgTarget = card.dataset.msgTarget || "预算合计 {total}，须等于立项金额 {target}（相差 {diff}）。";
    var msgCap = card.dataset.msgCap || "申请金额 {total} 超过本轮单项目上限 {cap}，提交时会被退回。";

    function live(row) {
      var remove = row.querySelector("input[name$='-DELETE']");
      return !(remove && remove.checked);
    }
    function update() {
      var total = 0, cofunding = 0;
      rows.querySelectorAll(".budget-line").forEach(function (row) {
        if (!live(row)) { return; }
        total += number(row.querySelector("input[name$='-amount']"));
        cofunding += number(row.querySelector("input[name$='-cofunding_amount']"));
      });
      card.querySelector(".budget-total").textContent = yuan(total);
      card.querySelector(".budget-cofunding").textContent = yuan(cofunding);
      card.querySelector(".budget-share").textContent =
        total + cofunding > 0 ? (cofunding * 100 / (total + cofunding)).toFixed(1) + " %" : "—";
      var messages = [];
      if (target !== null && Math.abs(total - target) >= 0.005) {
        messages.push(fill(msgTarget, {total: yuan(total), target: yuan(target), diff: yuan(target - total)}));
      }
      if (cap !== null && total > cap) {
        messages.push(fill(msgCap, {total: yuan(total), cap: yuan(cap)}));
      }
      warning.textContent = messages.join(" ");
      warning.classList.toggle("d-none", messages.length === 0);
      card.dataset.ok = messages.length === 0 ? "1" : "0";
    }
    card.addEventListener("input", update);
    card.addEventListener("change", update);
    card.querySelector(".budget-add").addEventListener("click", function () {
      var index = Number(totalForms.value);
      var html = card.querySelector("template.budget-empty").innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      var added = rows.lastElementChild.querySelector("select, input:not([type=hidden])");
      if (added) { added.focus(); }
      update();
    });
    rows.addEventListener("click", function (event) {
      var button = event.target.closest(".budget-remove");
      if (!button) { return; }
      var row = button.closest(".budget-line");
      var remove = row.querySelector("input[name$='-DELETE']");
      if (remove) { remove.checked = true; }
      row.classList.add("d-none");
      update();
    });
    var form = card.closest("form");
    if (form) {
      form.addEventListener("submit", function (event) {
        update();
        if (card.dataset.ok === "0" && !form.dataset.warned) {
          // Warn once before saving; a second press saves anyway (the server has the last word).
          event.preventDefault();
          form.dataset.warned = "1";
          warning.scrollIntoView({block: "center"});
        }
      });
    }
    update();
  });
})();
