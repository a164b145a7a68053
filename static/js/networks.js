// networks: print the contract, and select a shared link when it is focused.
"use strict";

document.addEventListener("click", function (evt) {
  var el = evt.target.closest("[data-print]");
  if (el) { evt.preventDefault(); window.print(); }
});

document.addEventListener("focusin", function (evt) {
  if (evt.target.matches(".copy-link input")) { evt.target.select(); }
});
