// Follows the room: a page that shows what the meeting runs (templates/live/_follow.html) goes
// on with the room without a tap. It hears the meeting's event stream (netapp.live.push: a
// "changed" at every move of the programme) and then asks /now where to go; the 3 s poll of
// /now stays as the fallback and steps aside while the stream is alive.
//
// Nothing typed is lost: while any field on the page holds text (or a choice) that is not
// saved, the page does not move. It shows "The room has moved on" with a link there and
// keeps the field as it is; once the text is saved (or emptied), it follows again by itself.
"use strict";
(function () {
  var STREAM_FRESH_MS = 5000;   // a stream heard from this recently is alive (ticks every 2 s)
  var POLL_ANYWAY_MS = 15000;   // with a live stream, /now is still asked this often
  var lastStream = -Infinity;
  var waiting = null;           // where the room went while a draft held the page

  function follower() { return document.querySelector("[data-follow]"); }

  function ask() {
    var el = follower();
    if (el && window.htmx) { window.htmx.trigger(el, "follow-now"); }
  }

  // --- drafts: a field whose value differs from what the page was served with ---------------

  function unsaved(field) {
    if (field.disabled || field.closest("[data-follow], [data-follow-notice]")) { return false; }
    var type = (field.type || "").toLowerCase();
    if (type === "hidden" || type === "submit" || type === "button" || type === "reset") {
      return false;
    }
    if (type === "checkbox" || type === "radio") { return field.checked !== field.defaultChecked; }
    if (field.tagName === "SELECT") {
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].selected !== field.options[i].defaultSelected) { return true; }
      }
      return false;
    }
    if (typeof field.value !== "string") { return false; }
    return field.value.trim() !== (field.defaultValue || "").trim();
  }

  function hasDraft() {
    var fields = document.querySelectorAll("form input, form textarea, form select");
    for (var i = 0; i < fields.length; i++) {
      if (unsaved(fields[i])) { return true; }
    }
    return false;
  }

  // --- the notice while a draft holds the page ------------------------------------------

  function showNotice(target) {
    waiting = target;
    var notice = document.querySelector("[data-follow-notice]");
    if (!notice) { return; }
    var link = notice.querySelector("a");
    if (link) { link.setAttribute("href", target); }
    if (notice.hidden) {
      notice.hidden = false;
      document.body.classList.add("has-follow-notice");
    }
  }

  document.addEventListener("htmx:beforeOnLoad", function (evt) {
    var el = evt.detail.elt;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-follow")) { return; }
    var xhr = evt.detail.xhr;
    var target = xhr && xhr.getResponseHeader("HX-Redirect");
    if (target && hasDraft()) {
      evt.preventDefault();  // htmx would go there now and drop what is being written
      showNotice(target);
    }
  });

  // Saved or emptied: the room's move is followed at once.
  function draftMayBeGone() {
    if (waiting !== null && !hasDraft()) { ask(); }
  }

  document.addEventListener("htmx:afterSettle", draftMayBeGone);
  document.addEventListener("input", draftMayBeGone);

  // --- polls step aside while the stream is alive -----------------------------------------

  // The follower and the programme's clock (which live.js counts down between answers) are
  // told of every move, so their timer polls are only the fallback.
  var askedAt = {};

  document.addEventListener("htmx:confirm", function (evt) {
    var el = evt.detail.elt;
    if (!el || !el.hasAttribute) { return; }
    var key = el.hasAttribute("data-follow") ? "follow" : el.id === "programme-clock" ? el.id : "";
    if (!key || !follower()) { return; }
    var trigger = evt.detail.triggeringEvent;
    var pushed = trigger && (trigger.type === "follow-now" || trigger.type === "live-refresh");
    var now = performance.now();
    if (!pushed && now - lastStream < STREAM_FRESH_MS &&
        now - (askedAt[key] || -Infinity) < POLL_ANYWAY_MS) {
      evt.preventDefault();
      return;
    }
    askedAt[key] = now;
  });

  // --- the meeting's moves: on the page's own stream, or on a stream of its own ------------

  function heard() { lastStream = performance.now(); }

  function moved() {
    heard();
    ask();
    // The programme's own clock on this page shows the move at once, too.
    var clock = document.getElementById("programme-clock");
    if (clock && window.htmx) { window.htmx.trigger(clock, "live-refresh"); }
  }

  // An exercise's screen has one stream already (htmx's SSE extension): it carries the
  // meeting's moves as "moved" (a browser opens only six connections to a server, so a page
  // never holds two streams). A page opening it asks once, as moves may have been missed.
  document.addEventListener("htmx:sseOpen", function (evt) {
    var source = evt.detail && evt.detail.source;
    heard();
    if (!follower()) { return; }
    ask();
    if (!source || source.followHooked) { return; }
    source.followHooked = true;
    source.addEventListener("tick", heard);
    source.addEventListener("changed", heard);
    source.addEventListener("moved", moved);
  });

  function connect() {
    var el = follower();
    var url = el && el.getAttribute("data-follow-stream");
    if (!url || document.querySelector("[sse-connect]") || !window.EventSource) { return; }
    var source = new EventSource(url);
    source.addEventListener("tick", heard);
    source.addEventListener("changed", moved);  // the meeting's own channel: every change
    // A stream the server refused (logged out, kiosk) is not tried again by the browser;
    // the poll goes on and answers with the login or the kiosk.
  }

  document.addEventListener("DOMContentLoaded", connect);
})();
