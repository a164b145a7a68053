// Evaluations: one submit per tap, and the health report's print button (no inline code).
"use strict";

// A double tap sends the form once; the server also keeps one answer per member.
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  if (!form.hasAttribute("data-once")) { return; }
  if (form.dataset.sent === "1") { evt.preventDefault(); return; }
  form.dataset.sent = "1";
  window.setTimeout(function () {
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  }, 0);
});

document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) { window.print(); }
});
