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

// Kiosk mode: the facilitator's PIN form shows only after holding the handle for 1.5 s, so a
// passing tap does not bring it up (the PIN is the lock; this only keeps it out of the way).
(function () {
  var HOLD_MS = 1500;
  var timer = null;
  function reveal(handle) {
    var form = document.getElementById(handle.getAttribute("data-long-press"));
    if (!form) { return; }
    form.hidden = false;
    var field = form.querySelector("input[type=password]");
    if (field) { field.focus(); }
  }
  document.addEventListener("pointerdown", function (evt) {
    var handle = evt.target.closest("[data-long-press]");
    if (!handle) { return; }
    timer = window.setTimeout(function () { reveal(handle); }, HOLD_MS);
  });
  // A keyboard holds Enter or Space on the handle the same 1.5 s (key repeats start no new timer).
  document.addEventListener("keydown", function (evt) {
    var handle = evt.target.closest && evt.target.closest("[data-long-press]");
    if (!handle || (evt.key !== "Enter" && evt.key !== " ")) { return; }
    evt.preventDefault();
    if (timer === null) { timer = window.setTimeout(function () { reveal(handle); }, HOLD_MS); }
  });
  ["pointerup", "pointerleave", "pointercancel", "keyup"].forEach(function (name) {
    document.addEventListener(name, function () { window.clearTimeout(timer); timer = null; });
  });
  document.addEventListener("contextmenu", function (evt) {
    if (evt.target.closest("[data-long-press]")) { evt.preventDefault(); }
  });
})();
