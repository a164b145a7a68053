// netapp live exercises: counts the server's clock down between polls, alerts at the end of
// a step, keeps the screen awake and shows when the connection is lost. The server owns the
// clock: every poll (htmx, every 2 s) brings the step's end (data-ends-at, ISO UTC, empty
// while paused: then data-remaining holds the frozen seconds) and the server's time
// (data-server-now); when nothing changed, a 204 brings only the time, in X-Server-Now.
// This script only draws what those say, corrected for the device's clock.
"use strict";
(function () {
  // Offset = server time - device time, sampled when a fragment arrives. Network latency can
  // only make a sample too small (the server's "now" is older than the moment of receipt),
  // so the largest recent sample is the best estimate; a few samples let it follow a device
  // whose clock is set during the meeting.
  var samples = [];
  var MAX_SAMPLES = 8;
  var lastLeft = {};     // seconds left at the previous tick, per step, to see the end arrive
  var lastRound = {};    // sparring round per clock, to refresh the notes panel when it changes
  var audio = null;
  var wakeLock = null;

  function sample(serverNow) {
    var server = Date.parse(serverNow || "");
    if (isNaN(server)) { return; }
    samples.push(server - Date.now());
    if (samples.length > MAX_SAMPLES) { samples.shift(); }
  }

  function offset() {
    return samples.length ? Math.max.apply(null, samples) : 0;
  }

  function format(seconds) {
    var whole = Math.max(0, Math.ceil(seconds - 1e-6));
    var m = Math.floor(whole / 60);
    var s = whole % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function secondsLeft(el, now) {
    var endsAt = Date.parse(el.getAttribute("data-ends-at") || "");
    if (!isNaN(endsAt)) { return (endsAt - now) / 1000; }
    return parseFloat(el.getAttribute("data-remaining") || "0");
  }

  function tick() {
    var now = Date.now() + offset();
    var clocks = document.querySelectorAll("[data-ends-at]");
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      var left = secondsLeft(el, now);
      var display = el.querySelector("[data-countdown]");
      if (display) {
        var text = format(left);
        if (display.textContent !== text) { display.textContent = text; }
      }
      var running = el.getAttribute("data-ends-at") !== "";
      var key = el.getAttribute("data-step-key") || el.id;
      var before = lastLeft[key];
      lastLeft[key] = left;
      if (running && left <= 0) {
        el.classList.add("is-over");
        if (before !== undefined && before > 0) { alertEnd(el); }
      }
    }
  }

  // --- end of a step: sound (if the facilitator turned it on) and vibration ------------------

  function unlockAudio() {
    // Browsers only let a page play sound after a tap, so the context is made on the first one.
    try {
      if (!audio) {
        var Context = window.AudioContext || window.webkitAudioContext;
        if (Context) { audio = new Context(); }
      }
      if (audio && audio.state === "suspended") { audio.resume(); }
    } catch (e) { audio = null; }
  }

  function beep() {
    if (!audio || audio.state !== "running") { return; }
    var start = audio.currentTime;
    [0, 0.35].forEach(function (delay) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + delay);
      gain.gain.exponentialRampToValueAtTime(0.35, start + delay + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + delay + 0.3);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(start + delay);
      osc.stop(start + delay + 0.32);
    });
  }

  function alertEnd(el) {
    var sound = el.closest("[data-sound]");
    if (sound && sound.getAttribute("data-sound") === "1") { beep(); }
    // Chrome refuses (and complains) before the first tap, so ask only after one.
    var tapped = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && tapped) { navigator.vibrate([250, 120, 250]); }
  }

  // --- keep the screen awake while a live page is open -------------------------------------

  function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") { return; }
    if (wakeLock && !wakeLock.released) { return; }
    navigator.wakeLock.request("screen").then(function (lock) { wakeLock = lock; })
      .catch(function () { wakeLock = null; });  // unsupported or refused: the clock still runs
  }

  // --- the sparring notes panel refreshes when the round changes (never over a draft) -------

  function hasDraft(panel) {
    var area = panel.querySelector("[data-draft]");
    return (area && area.value.trim() !== "") || panel.contains(document.activeElement);
  }

  function watchRound(root) {
    var round = root.getAttribute("data-round");
    if (round === null) { return; }
    var before = lastRound[root.id];
    lastRound[root.id] = round;
    var panel = document.getElementById("live-notes");
    if (before !== undefined && before !== round && panel && !hasDraft(panel) && window.htmx) {
      window.htmx.trigger(panel, "live-refresh");
    }
  }

  function arrived(root) {
    if (root.hasAttribute && root.hasAttribute("data-server-now")) {
      sample(root.getAttribute("data-server-now"));
      watchRound(root);
    }
  }

  document.addEventListener("htmx:load", function (evt) { arrived(evt.detail.elt); });

  // A poll of the notes panel must not wipe a note being written.
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    if (elt && elt.id === "live-notes" && evt.detail.requestConfig &&
        evt.detail.requestConfig.verb === "get" && hasDraft(elt)) {
      evt.preventDefault();
    }
  });

  // --- lost connection: a small notice; polling goes on and the notice goes when it answers --

  function offline() { document.body.classList.add("is-offline"); }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
  document.addEventListener("htmx:responseError", function (evt) {
    if (evt.detail.xhr && evt.detail.xhr.status >= 500) { offline(); }
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.successful) { document.body.classList.remove("is-offline"); }
    // 204: the fragment is still current (the server says so with its time in a header).
    var xhr = evt.detail.xhr;
    if (xhr && xhr.status === 204) { sample(xhr.getResponseHeader("X-Server-Now")); }
  });

  document.addEventListener("pointerdown", unlockAudio, { passive: true });
  document.addEventListener("keydown", unlockAudio);
  document.addEventListener("visibilitychange", keepAwake);
  document.addEventListener("DOMContentLoaded", function () {
    var roots = document.querySelectorAll("[data-server-now]");
    for (var i = 0; i < roots.length; i++) { arrived(roots[i]); }
    keepAwake();
    tick();
    window.setInterval(tick, 250);
  });
})();
