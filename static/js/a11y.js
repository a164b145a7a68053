// netapp's accessibility helpers for htmx swaps: focus stays where it was, and changes that
// matter are read out by screen readers. Nothing here fetches or polls; it only listens to
// htmx's swap events, whichever transport brought the new HTML.
"use strict";
(function () {
  // --- focus across swaps ----------------------------------------------------------------
  // htmx puts focus back on an element with the same id. When that element is gone or
  // disabled (Start became Pause; the Move up button of an item now at the top), focus goes
  // to the element its (or its form's) data-focus-after names (an item's form → the item's
  // Change),
  // else to the control at the same place in the same [data-focus-group], or the nearest
  // one that can take it, instead of falling to <body>.

  var pending = null;

  function usable(el) {
    return el && !el.disabled && !el.hidden && el.getClientRects().length > 0;
  }

  function controls(group) {
    return Array.prototype.slice.call(
      group.querySelectorAll("button, a[href], input:not([type=hidden]), select, textarea"));
  }

  function findGroup(name) {
    var groups = document.querySelectorAll("[data-focus-group]");
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].getAttribute("data-focus-group") === name) { return groups[i]; }
    }
    return null;
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var active = document.activeElement;
    var target = evt.detail.target;
    if (!evt.detail.shouldSwap || !active || active === document.body || !target ||
        !target.contains(active)) { return; }
    var group = active.closest("[data-focus-group]");
    var after = active.closest("[data-focus-after]");
    pending = {
      id: active.id || null,
      after: after ? after.getAttribute("data-focus-after") : null,
      group: group ? group.getAttribute("data-focus-group") : null,
      index: group ? controls(group).indexOf(active) : -1,
      at: Date.now()
    };
  });

  function restore() {
    var was = pending;
    pending = null;
    if (!was || Date.now() - was.at > 2000) { return; }  // a swap that never settled
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) { return; }
    var el = was.id ? document.getElementById(was.id) : null;
    if (!usable(el) && was.after) { el = document.getElementById(was.after); }
    if (!usable(el) && was.group) {
      var group = findGroup(was.group);
      var list = group ? controls(group) : [];
      el = null;
      for (var step = 0; step < list.length && !el; step++) {
        var after = list[was.index + step];
        var before = list[was.index - step];
        if (usable(after)) { el = after; } else if (usable(before)) { el = before; }
      }
    }
    if (usable(el)) { el.focus({ preventScroll: true }); }
  }

  document.addEventListener("htmx:afterSettle", restore);

  // --- a polite live region for what the room must hear -----------------------------------
  // Elements with data-announce carry the sentence that says what they show (who has the
  // word, the phase, that time is up). The region itself is never swapped, so a screen
  // reader hears a change; what was on the page when it loaded is not read out again.

  var heard = {};

  function keyOf(el) {
    return el.getAttribute("data-announce-key") || el.id || "";
  }

  function collect(root, announce) {
    var found = [];
    if (root.hasAttribute && root.hasAttribute("data-announce")) { found.push(root); }
    if (root.querySelectorAll) {
      found.push.apply(found, root.querySelectorAll("[data-announce]"));
    }
    var news = [];
    for (var i = 0; i < found.length; i++) {
      var key = keyOf(found[i]);
      var text = found[i].getAttribute("data-announce");
      if (text && heard[key] !== text) {
        if (announce && heard[key] !== undefined) { news.push(text); }
        heard[key] = text;
      }
    }
    return news;
  }

  function say(lines) {
    var region = document.getElementById("announcer");
    if (!region || !lines.length) { return; }
    // Emptied first, then filled a moment later: the same words said twice are read twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = lines.join(". "); }, 50);
  }

  document.addEventListener("htmx:load", function (evt) {
    say(collect(evt.detail.elt, true));
  });
  document.addEventListener("DOMContentLoaded", function () { collect(document, false); });
})();
