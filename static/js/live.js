// netapp live exercises: counts the server's clock down between answers, signals the end of a
// step, keeps the screen awake and shows when the connection is lost. The server owns the
// clock: each clock fragment brings the step's end (data-ends-at, ISO UTC, empty while paused:
// then data-remaining holds the frozen seconds) and the server's time (data-server-now); a
// 204 brings only the time, in X-Server-Now; the page's event stream (htmx's SSE extension,
// netapp.live.push) says "changed" when the exercise changed, and "tick" with the time between.
// This script only draws what those say.
"use strict";
(function () {
  var OFFLINE_AFTER_MS = 6000;   // no good answer for this long: show the notice
  var STREAM_FRESH_MS = 5000;    // a stream heard from this recently is alive (ticks every 2 s)
  var POLL_ANYWAY_MS = 20000;    // with a live stream, a clock still polls this often
  var END_SLACK_S = 1.5;         // a step replaced this close to its end did end: signal it
  var AWAY_MS = 15000;           // a screen hidden this long catches up when it is shown

  // The server's time is read on the monotonic clock: offset = server time - performance.now()
  // at the moment a sample arrives. A device whose wall clock is set (or jumps) mid-meeting
  // moves nothing, as performance.now() does not follow it. Latency only makes a sample too
  // small (the server's "now" is older than its arrival), so the largest recent one is best.
  var samples = [];
  var MAX_SAMPLES = 8;
  var lastGood = performance.now();   // last answer of any kind from the server
  var lastStream = -Infinity;         // last event on the page's stream
  var hiddenSince = null;
  var askedAt = {};      // per clock element id: when it last asked the server
  var steps = {};        // per clock (data-clock): the step shown and whether its end was signalled
  var lastRound = {};    // sparring round per clock, to refresh the notes panel when it changes
  var audio = null;
  var wakeLock = null;

  function sample(serverNow) {
    var server = Date.parse(serverNow || "");
    if (isNaN(server)) { return; }
    samples.push(server - performance.now());
    if (samples.length > MAX_SAMPLES) { samples.shift(); }
  }

  function serverTime() {
    return performance.now() + (samples.length ? Math.max.apply(null, samples) : 0);
  }

  function good() {
    lastGood = performance.now();
    document.body.classList.remove("is-offline");
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

  function refresh(el) {
    var root = el.closest("[hx-get]");
    if (root && window.htmx) { window.htmx.trigger(root, "live-refresh"); }
  }

  function tick() {
    var now = serverTime();
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
      if (running && left <= 0) { el.classList.add("is-over"); }
      observe(el, left, running);
    }
    if (performance.now() - lastGood > OFFLINE_AFTER_MS) {
      document.body.classList.add("is-offline");
    }
  }

  // --- the end of a step: once, whether the count reached 0 here or the next step came first -

  function observe(el, left, running) {
    var clock = el.getAttribute("data-clock") || el.id;
    var id = el.getAttribute("data-step-id") || "";
    var seen = steps[clock];
    if (!seen || seen.id !== id) {
      // Another step is shown: the one before ended without its signal here if it was
      // running with (almost) no time left, e.g. auto-advance answered before the count hit 0.
      if (seen && !seen.signalled && seen.hadTime && seen.running && seen.left <= END_SLACK_S) {
        alertEnd(el);
      }
      seen = steps[clock] = { id: id, signalled: false, hadTime: left > 0, running: running,
                              left: left };
    }
    if (running && left <= 0 && !seen.signalled && seen.hadTime) {
      seen.signalled = true;
      alertEnd(el);
      refresh(el);  // the server moves on (auto-advance) or says the time is up
    }
    if (left > 0) { seen.hadTime = true; }
    seen.running = running;
    seen.left = left;
  }

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
    var withSound = !!(sound && sound.getAttribute("data-sound") === "1");
    if (withSound) { beep(); }
    // Chrome refuses (and complains) before the first tap, so ask only after one.
    var tapped = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && tapped) { navigator.vibrate([250, 120, 250]); }
    document.dispatchEvent(new CustomEvent("live:step-end", {
      detail: { clock: el.getAttribute("data-clock"), sound: withSound } }));
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

  // --- requests: polls step aside while the stream is alive; none waits on a hung one -------

  function isClock(elt) {
    return elt && elt.hasAttribute && elt.hasAttribute("data-server-now") &&
      elt.hasAttribute("hx-get");
  }

  document.addEventListener("htmx:confirm", function (evt) {
    var elt = evt.detail.elt;
    if (!isClock(elt) || evt.detail.triggeringEvent) { return; }  // only the timer's polls
    // A request still waiting is never aborted (htmx logs an abort as an error): hx-sync
    // "this:queue last" runs the newest trigger after it; a 2 s timeout (one poll) ends a hung one.
    var now = performance.now();
    var streamAlive = now - lastStream < STREAM_FRESH_MS;
    if (streamAlive && now - (askedAt[elt.id] || -Infinity) < POLL_ANYWAY_MS) {
      evt.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    // A poll of the notes panel must not wipe a note being written.
    if (elt && elt.id === "live-notes" && evt.detail.requestConfig &&
        evt.detail.requestConfig.verb === "get" && hasDraft(elt)) {
      evt.preventDefault();
      return;
    }
    if (isClock(elt)) { askedAt[elt.id] = performance.now(); }
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var xhr = evt.detail.xhr;
    if (evt.detail.successful) { good(); }
    // 204: the fragment is still current (the server says so with its time in a header).
    if (xhr && xhr.status === 204) { sample(xhr.getResponseHeader("X-Server-Now")); }
  });

  // --- the event stream: a change makes every clock ask (sse:changed); "tick" is the time ----

  function heard(evt) {
    lastStream = performance.now();
    good();
    sample(evt.data);
  }

  document.addEventListener("htmx:sseOpen", function (evt) {
    var source = evt.detail && evt.detail.source;
    lastStream = performance.now();
    if (!source || source.liveHooked) { return; }
    source.liveHooked = true;
    source.addEventListener("tick", heard);
    source.addEventListener("changed", heard);
  });

  // --- the stream's own reconnects are quiet; a stream that cannot be opened is reported once -
  // EventSource reports every end of its stream as an "error" event, and htmx's SSE extension
  // logs each one as a console error ("[object Event]"). A stream that ends after it was open
  // (its lifetime, a worker that stops, a proxy that cuts it) is normal: the browser reconnects
  // by itself after the stream's `retry`, and this screen's polls and offline notice (above) do
  // not depend on it. Only a stream that cannot be opened reaches the extension: once an outage
  // when the browser keeps retrying (the server is down), each time when the browser gave up
  // (a refused answer: the extension then opens a new stream later), with a message that says so.

  function quietEventSource(url) {
    var source = new EventSource(url, { withCredentials: true });
    var handler = null;
    var open = false;       // opened since the last error: an error now is a normal end
    var reported = false;   // this outage was reported already
    Object.defineProperty(source, "onerror", {
      configurable: true,
      get: function () { return handler; },
      set: function (fn) { handler = fn; }
    });
    source.addEventListener("open", function () { open = true; reported = false; });
    source.addEventListener("error", function () {
      var retrying = source.readyState !== EventSource.CLOSED;
      var ended = open;
      open = false;
      if (retrying && (ended || reported)) { return; }
      reported = true;
      var failure = new Error("the live stream " + url + " could not be opened" +
                              (retrying ? "; the browser keeps trying" : ""));
      failure.name = "htmx:sseError";
      if (handler) { handler.call(source, failure); }
    });
    return source;
  }

  if (window.htmx) { window.htmx.createEventSource = quietEventSource; }

  // --- back after a while: catch up without reloading the page or logging in again ---------

  function catchUp() {
    samples = [];  // the monotonic clock may have stood still while the device slept
    var roots = document.querySelectorAll("[data-server-now][hx-get]");
    for (var i = 0; i < roots.length; i++) { window.htmx.trigger(roots[i], "live-refresh"); }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      hiddenSince = performance.now();
      return;
    }
    keepAwake();
    if (hiddenSince !== null && performance.now() - hiddenSince > AWAY_MS) { catchUp(); }
    hiddenSince = null;
  });
  window.addEventListener("online", catchUp);

  document.addEventListener("pointerdown", unlockAudio, { passive: true });
  document.addEventListener("keydown", unlockAudio);
  document.addEventListener("DOMContentLoaded", function () {
    var roots = document.querySelectorAll("[data-server-now]");
    for (var i = 0; i < roots.length; i++) { arrived(roots[i]); }
    keepAwake();
    tick();
    window.setInterval(tick, 250);
  });
})();
