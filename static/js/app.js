// netapp's page script: no inline code anywhere, so a strict CSP holds.
"use strict";

// Every htmx request carries the CSRF token from the page's <meta>.
document.addEventListener("htmx:configRequest", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { evt.detail.headers["X-CSRFToken"] = meta.content; }
});

// Buttons marked data-confirm ask before they submit.
document.addEventListener("click", function (evt) {
  var el = evt.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { evt.preventDefault(); }
});
