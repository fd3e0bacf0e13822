/* Page behaviour for every page. The Content-Security-Policy allows no inline script or
   style, so templates describe behaviour with data- attributes and this file wires it up. */
(function () {
  "use strict";

  // <form data-confirm="…"> and <button data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { e.preventDefault(); }
  }, true);
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) { e.preventDefault(); }
  }, true);

  // <select data-autosubmit>: submit its form on change (the language switcher).
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]")) { e.target.form.submit(); }
  });

  // Progress bars: widths come from data-width (percent) instead of a style attribute.
  function sizeBars(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      var width = Math.max(0, Math.min(100, Number(bar.dataset.width) || 0));
      bar.style.width = width + "%";
    });
  }
  sizeBars(document);
  document.body.addEventListener("htmx:afterSwap", function () { sizeBars(document); });

  // Without htmx (or before it loads) changing the district reloads the page with it.
  var district = document.querySelector("select[data-reload-param]");
  if (district) {
    district.addEventListener("change", function (e) {
      if (!window.htmx) { window.location.search = "?" + district.dataset.reloadParam + "=" + encodeURIComponent(e.target.value); }
    });
  }

  // Evaluation sheet: a level button fills the score and saves it like typing would.
  document.querySelectorAll("button.level").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.target);
      input.value = button.dataset.points;
      input.dispatchEvent(new Event("change", {bubbles: true}));
    });
  });

  // Autosave: a failed save (no network in the field) says so next to the indicator.
  var autosave = document.querySelector("[data-autosave-offline]");
  if (autosave) {
    document.body.addEventListener("htmx:sendError", function (e) {
      if (!e.detail.target) { return; }
      var span = document.createElement("span");
      span.className = "text-danger";
      span.textContent = autosave.dataset.autosaveOffline;
      e.detail.target.replaceChildren(span);
    });
    document.body.addEventListener("htmx:responseError", function (e) {
      if (e.detail.target) { e.detail.target.innerHTML = e.detail.xhr.responseText; }
    });
  }
})();
