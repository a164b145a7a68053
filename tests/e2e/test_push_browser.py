"""Push in real browsers: a press reaches two tablets and the projector at once; a server
that stops answering shows the notice within 6 s and the screens recover by themselves; a
device clock that jumps moves nothing; the end of a step is signalled exactly once."""

import re
import time

import pytest
from playwright.sync_api import expect

from netapp.extensions import db
from netapp.live.models import Exercise
from tests.e2e.conftest import (
    probe_push,
    push_only,
    push_seen,
    settled,
    shoot,
    wait_stream_heard,
    watch_page,
)
from tests.e2e.test_live_browser import _log_in, _press, _room, _seconds, _tablet

pytestmark = [pytest.mark.browser, pytest.mark.room]
# The figure itself (p50/p95 with 17 screens a room) is in bench/RESULTS.md. Here a press is
# proved pushed by what brought each screen its new clock: a fragment asked for on the stream's
# "changed", not by the clock's own poll. The time bar only catches a push gone badly slow; it
# has a margin for a loaded CI machine, where four screens' requests queue for two cores.
PUSH_BAR_S = 4.0
# Chromium logs a request that a test's route cut off; that is the test's doing.
CUT_OFF = re.compile(r"net::ERR_(FAILED|ABORTED|CONNECTION_REFUSED|CONNECTION_RESET)|"
                     r"^htmx:(sseError|afterRequest|sendError|sendAbort|timeout)\b|JSHandle@object")
OFFLINE_NOTICE_S = 7.5
STEP_ENDS = ("window.__ends = []; document.addEventListener('live:step-end', "
             "e => window.__ends.push(e.detail.clock));")


def _stream_open(page) -> None:
    """Wait until the page's event stream has been heard (its first 'changed')."""
    with page.expect_response(lambda r: "/events" in r.url, timeout=5000):
        pass


def test_two_tablets_and_the_projector_see_a_press_at_once(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation")
    problems: list[str] = []
    emails = list(users["people"].values())
    first, second = (_tablet(browser, base, email, problems) for email in emails[:2])
    projector = first.context.new_page()
    watch_page(projector, problems)
    screens = {"tablet 1": first, "tablet 2": second, "projector": projector}
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    for name, screen in screens.items():
        probe_push(screen)
        path = "/projector" if name == "projector" else ""
        screen.goto(f"{base}/live/exercise/{ids['exercise']}{path}")
        expect(screen.locator("#live-clock")).to_have_class(re.compile("is-ready"))
    for screen in screens.values():  # every stream open and past its first "changed"
        wait_stream_heard(screen)
        settled(screen)
        push_only(screen)

    def pushed(button: str, name: str, screen, before: int) -> None:
        """The first new clock after the press came on the stream's word, not by a poll (a
        later poll may bring a whole fragment again when its 30 s window turns)."""
        swaps = push_seen(screen)["swaps"][before:]
        assert swaps and swaps[0]["by"] == "sse:changed", (button, name, swaps)

    for button, status in (("Start", "is-running"), ("Pause", "is-paused"),
                           ("Fortsæt", "is-running"), ("Næste", "is-running")):
        before = {name: len(push_seen(screen)["swaps"]) for name, screen in screens.items()}
        pressed = time.monotonic()
        _press(page, button)
        for name, screen in screens.items():
            expect(screen.locator("#live-clock")).to_have_class(
                re.compile(status), timeout=PUSH_BAR_S * 1000)
            if button == "Næste":
                expect(screen.locator("#live-clock")).to_contain_text(
                    "Taler 2 af 12", timeout=PUSH_BAR_S * 1000)
            pushed(button, name, screen, before[name])
        took = time.monotonic() - pressed
        assert took < PUSH_BAR_S, f"{button}: the last screen showed it after {took:.2f} s"
        settled(page)  # the pressed clock's new controls are wired up before the next press
    assert abs(_seconds(first) - _seconds(projector)) <= 1
    projector.set_viewport_size({"width": 1920, "height": 1080})
    box = projector.locator("#live-clock").bounding_box()
    assert box["width"] > 1800 and box["height"] > 950  # the projector fills the screen
    digits = projector.locator("#live-clock > [data-countdown]").bounding_box()
    assert digits["height"] > 300  # a third of the screen: read from the back of the room
    shoot(projector, "push-projector-1920")
    assert problems == []


def test_a_server_that_never_answers_shows_the_notice_within_6_s_and_recovers(
        live_app, page, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation")
    _log_in(page, base, users["facilitator"])
    held: list = []
    hanging = {"on": True}

    def hang(route):
        if hanging["on"]:
            held.append(route)  # never answered while the Wi-Fi is "captive"
        else:
            route.continue_()

    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    _press(page, "Start")
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-running"))
    page.route(re.compile(r"/live/exercise/\d+/(clock|events)"), hang)
    page.reload()  # the page itself loads; its stream and polls get no answer at all
    loaded = time.monotonic()
    # live.js shows it 6 s after the last answer (the page's own load), checked every 0.25 s;
    # the rest is margin for a loaded machine's timers.
    expect(page.locator(".live-offline")).to_be_visible(timeout=OFFLINE_NOTICE_S * 1000)
    assert time.monotonic() - loaded <= OFFLINE_NOTICE_S
    expect(page.locator(".live-offline")).to_have_text("Forbindelsen er væk – forbinder igen…")
    countdown = page.locator("#live-clock [data-countdown]")
    ticking = countdown.inner_text()
    # the clock keeps counting down meanwhile (expect waits without holding the route handler
    # back, as a Python sleep would)
    expect(countdown).not_to_have_text(ticking, timeout=5000)
    assert _seconds(page) < int(ticking.split(":")[0]) * 60 + int(ticking.split(":")[1])
    polls_held = len(held)
    deadline = time.monotonic() + 10  # a hung request does not stop the next one
    while len(held) <= polls_held and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert len(held) > polls_held
    shoot(page, "push-offline-notice")

    hanging["on"] = False  # the network answers again, the held requests too
    for route in held:
        route.continue_()
    expect(page.locator(".live-offline")).to_be_hidden(timeout=6000)
    _press(page, "Pause")  # the controls work without a reload or a new login
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-paused"))
    assert "/auth/login" not in page.url
    watch[:] = [p for p in watch if not CUT_OFF.search(p)]


def test_a_device_clock_moved_by_30_s_changes_nothing_shown(live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation", seconds=300)
    problems: list[str] = []
    tablet = _tablet(browser, base, next(iter(users["people"].values())), problems)
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    _press(page, "Start")
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-running"))
    time.sleep(1.5)
    before, since = _seconds(tablet), time.monotonic()
    # The device's wall clock is corrected forward by 30 s (what a tablet's NTP does).
    tablet.evaluate("(() => { const real = Date.now.bind(Date);"
                    " Date.now = () => real() + 30000; })()")
    for _ in range(4):
        time.sleep(0.8)
        assert abs(_seconds(tablet) - _seconds(page)) <= 1
    went_by = time.monotonic() - since  # about 3.2 s; more on a loaded machine, never 30
    assert before - _seconds(tablet) <= went_by + 2
    _press(page, "Pause")  # an answer with the server's time arrives: still the same
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-paused"))
    assert abs(_seconds(tablet) - _seconds(page)) <= 1
    assert problems == []


def test_the_end_of_a_step_is_signalled_once_whichever_comes_first(
        live_app, page, browser, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation", seconds=3, auto_advance=True)
    with live_app.app_context():  # speakers 1 and 2 have 3 s and 4 s, the rest 30 s
        db.session.get(Exercise, ids["exercise"]).durations = [3, 4] + [30] * 10
        db.session.commit()
        db.session.remove()
    problems: list[str] = []
    tablet = _tablet(browser, base, next(iter(users["people"].values())), problems)
    tablet.add_init_script(STEP_ENDS)
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-ready"))
    _press(page, "Start")
    # Step 1 runs out and auto-advance brings step 2: one signal for the end of step 1.
    expect(tablet.locator("#live-clock")).to_contain_text("Taler 2 af 12", timeout=15_000)
    tablet.wait_for_function("() => window.__ends.length >= 1")
    time.sleep(0.5)  # and no second one
    assert tablet.evaluate("window.__ends.length") == 1
    # Step 2: the facilitator moves on about a second before its end, so the next step
    # usually arrives before the count reaches 0 here. Server and browser share this machine's
    # clock, so the time left is read from the step's end.
    settled(page)
    tablet.wait_for_function(
        "() => { const c = document.querySelector('#live-clock');"
        " return c && c.dataset.step === '1'"
        " && Date.parse(c.dataset.endsAt) - Date.now() <= 1200; }", timeout=10_000)
    with page.expect_response(lambda r: "/control/next" in r.url):
        _press(page, "Næste")
    settled(page)
    # On a machine so slow that the press arrived after step 2's end, auto-advance had already
    # brought step 3 and the press brought step 4: step 2 still ended once, by its count.
    shown = page.locator("#live-clock").get_attribute("data-step")
    assert shown in ("2", "3"), shown
    if shown == "2":
        expect(tablet.locator("#live-clock")).to_contain_text("Taler 3 af 12", timeout=5000)
        # A step ended early by a press with time left is no end of its time: no signal.
        _press(page, "Næste")
    expect(tablet.locator("#live-clock")).to_contain_text("Taler 4 af 12", timeout=5000)
    time.sleep(0.5)
    assert tablet.evaluate("window.__ends.length") == 2
    assert problems == []


def test_a_change_heard_while_the_clock_asks_waits_its_turn_without_an_error(
        live_app, page, watch):
    # A press's own answer and its echo on the stream ask for the clock within milliseconds.
    # The second waits for the first instead of aborting it (htmx logs an abort as an error).
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation")
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-ready"))
    settled(page)
    # The clock's own 2 s timeout would end the held request if this machine is slow to get
    # through the steps below; the queueing is what is tested here, so the wait is longer.
    page.evaluate("""document.querySelector('#live-clock')
                     .setAttribute('hx-request', '{"timeout": 30000}')""")
    held: list = []
    page.route(re.compile(r"/live/exercise/\d+/clock\?"), lambda route: held.append(route))

    def wait_held(count: int) -> None:
        deadline = time.monotonic() + 10
        while len(held) < count and time.monotonic() < deadline:
            page.wait_for_timeout(50)  # (a Python sleep would hold the route handler back)
        assert len(held) == count

    page.evaluate("htmx.trigger('#live-clock', 'live-refresh')")
    wait_held(1)
    page.evaluate("htmx.trigger('#live-clock', 'live-refresh')")  # the stream's "changed"
    page.wait_for_timeout(300)
    assert len(held) == 1  # not sent beside the first, and the first not cut off
    held[0].continue_()
    wait_held(2)  # the newest trigger went next
    held[1].continue_()
    page.unroute(re.compile(r"/live/exercise/\d+/clock\?"))
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-ready"))


# Records each AudioContext live.js makes and each tone it plays, to tell that a step's end
# sounded on the context the page's first tap unlocked.
AUDIO_PROBE = """
window.__audio = {contexts: [], tones: 0};
const Made = window.AudioContext;
window.AudioContext = function (...args) {
  const context = new Made(...args);
  window.__audio.contexts.push(context);
  const tone = context.createOscillator.bind(context);
  context.createOscillator = () => { window.__audio.tones += 1; return tone(); };
  return context;
};
"""


def test_settings_are_saved_in_place_and_the_next_step_end_sounds(live_app, page, watch):
    base = live_app.config["LIVE_URL"]
    ids, users = _room(live_app, "presentation", seconds=3)
    page.add_init_script(AUDIO_PROBE)
    page.add_init_script(STEP_ENDS)
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    expect(page.locator("#live-clock")).to_have_attribute("data-sound", "0")
    page.get_by_text("Indstillinger", exact=True).click()  # the first tap unlocks the sound
    page.evaluate("() => { window.__kept = true; }")  # gone if the page were loaded again
    page.get_by_label("Kort lyd, når tiden er gået").check()
    page.get_by_role("button", name="Gem indstillinger").click()
    expect(page.get_by_role("status").filter(has_text="Indstillingerne er gemt.")).to_be_visible()
    expect(page.get_by_label("Kort lyd, når tiden er gået")).to_be_checked()
    expect(page.locator("#live-clock")).to_have_attribute("data-sound", "1", timeout=5000)
    _press(page, "Start")
    page.wait_for_function("() => window.__ends.length >= 1", timeout=15_000)
    heard = page.evaluate("() => ({kept: window.__kept === true, tones: window.__audio.tones,"
                          " contexts: window.__audio.contexts.map(c => c.state)})")
    # one context, made at the tap and still running: the step's end played its two tones
    assert heard == {"kept": True, "tones": 2, "contexts": ["running"]}, heard
