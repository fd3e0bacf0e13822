// Photo viewer: a link with data-photo-viewer="<gallery>" opens its href (the full photo) in
// the #photo-viewer Bootstrap modal; previous/next walk the links of the same gallery, the
// arrow keys too. Without JavaScript the link simply opens the photo.
(function () {
  "use strict";
  var modalEl = document.getElementById("photo-viewer");
  if (!modalEl || !window.bootstrap) { return; }
  var modal = bootstrap.Modal.getOrCreateInstance(modalEl);
  var img = modalEl.querySelector(".photo-viewer-img");
  var caption = modalEl.querySelector(".photo-viewer-caption");
  var counter = modalEl.querySelector(".photo-viewer-counter");
  var original = modalEl.querySelector(".photo-viewer-original");
  var prev = modalEl.querySelector("[data-photo-prev]");
  var next = modalEl.querySelector("[data-photo-next]");
  var items = [];
  var index = 0;

  function show(i) {
    index = (i + items.length) % items.length;
    var link = items[index];
    img.src = link.getAttribute("href");
    img.alt = link.dataset.caption || "";
    caption.textContent = link.dataset.caption || "";
    counter.textContent = (index + 1) + " / " + items.length;
    original.href = link.getAttribute("href");
    prev.disabled = next.disabled = items.length < 2;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-photo-viewer]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    items = Array.prototype.slice.call(
      document.querySelectorAll('a[data-photo-viewer="' + link.dataset.photoViewer + '"]'));
    show(items.indexOf(link));
    modal.show();
  });
  prev.addEventListener("click", function () { show(index - 1); });
  next.addEventListener("click", function () { show(index + 1); });
  modalEl.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(index - 1); }
    if (event.key === "ArrowRight") { show(index + 1); }
  });
  modalEl.addEventListener("hidden.bs.modal", function () { img.removeAttribute("src"); });
})();
