"""Screens behind a reverse proxy that closes connections (the real server: gunicorn, gevent):
a proxy that cuts every event stream after a few seconds (standing for nginx's 60 s) and
every idle connection leaves every screen right. The streams reconnect, a press made while a
screen's connections were cut shows when they are back, no error page, no console error from
the app, and the workers answer everyone else at once meanwhile."""

import re
import threading
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shoot
from tests.e2e.faults import CuttingProxy, ProbedServer, demo_database, timed_get
from tests.e2e.test_restart import _device, _seconds

pytestmark = [pytest.mark.browser, pytest.mark.room]
IDLE_S = 3.0         # the proxy closes a connection that carried nothing for this long
STREAM_LIFE_S = 4.0  # and every event stream this long after it began (nginx: 60 s)
HELD_S = 2.0         # the room's Wi-Fi/proxy holds the screens' connections this long
FOLLOW_S = 3.5       # a screen shows a press within: a stream's retry (1 s) and a fetch
ANSWER_BAR_S = 2.0   # the health check beside it all (about 10 ms on an idle machine)
# What Chromium itself logs when the proxy cuts a connection under a request, and what htmx
# logs for a poll the proxy held past live.js's 2 s timeout: the proxy's doing. Nothing else,
# and never a stream's reconnect ("[object Event]", htmx:sseError).
CUT_BY_PROXY = re.compile(
    r"net::ERR_(INCOMPLETE_CHUNKED_ENCODING|EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)"
    r"|^htmx:(timeout|afterRequest|sendError), \[object HTML\w*Element\]$")


def _status(page, status: str, timeout_s: float = FOLLOW_S) -> None:
    expect(page.locator("#live-clock")).to_have_class(re.compile(status),
                                                      timeout=timeout_s * 1000)


def test_screens_behind_a_proxy_that_cuts_streams_stay_right(tmp_path, browser,
                                                             empty_database_url):
    env, exercise_id = demo_database(empty_database_url)
    server = ProbedServer(env, tmp_path, workers=2)
    proxies: list[CuttingProxy] = []
    contexts: list = []
    errors: list[str] = []
    answers: list[float] = []
    measuring = threading.Event()
    try:
        server.start()
        server.wait_probed()
        for path in ("/healthz", "/auth/login") * 6:
            timed_get(server.port, path)
        baseline = server.totals()
        # The facilitator and the room's screens each behind a cutting proxy of their own.
        for _ in range(2):
            proxies.append(CuttingProxy(server.port, IDLE_S, STREAM_LIFE_S))
        runner_base, room_base = (f"http://127.0.0.1:{p.port}" for p in proxies)
        room_proxy = proxies[1]
        runner = _device(browser, runner_base, "facilitator@example.com", errors, contexts)
        runner.goto(f"{runner_base}/live/exercise/{exercise_id}/facilitate")
        tablet = _device(browser, room_base, "medlem@example.com", errors, contexts)
        tablet.goto(f"{room_base}/live/exercise/{exercise_id}")
        projector = tablet.context.new_page()
        projector.on("console", lambda m: m.type == "error" and errors.append(m.text))
        projector.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        projector.goto(f"{room_base}/live/exercise/{exercise_id}/projector")
        screens = (runner, tablet, projector)
        for screen in screens:
            _status(screen, "is-ready", 5)

        def health() -> None:
            while measuring.is_set():
                answers.append(timed_get(server.port, "/healthz")[1])
                time.sleep(0.25)

        measuring.set()
        threading.Thread(target=health, daemon=True).start()

        runner.locator("#live-clock .live-controls").get_by_role(
            "button", name="Start", exact=True).click()
        for screen in screens:
            _status(screen, "is-running")

        # The proxy cuts every stream after STREAM_LIFE_S: presses keep reaching every screen.
        cuts_before = room_proxy.cuts["stream"]
        for button, status in (("Pause", "is-paused"), ("Fortsæt", "is-running")) * 2:
            time.sleep(1.5)
            runner.locator("#live-clock .live-controls").get_by_role(
                "button", name=button, exact=True).click()
            for screen in screens:
                _status(screen, status)
        while room_proxy.cuts["stream"] - cuts_before < 2:  # both screens' streams, at least
            time.sleep(0.2)
        assert proxies[0].cuts["stream"] >= 1

        # Cut while the facilitator presses: the room's connections are closed and held back.
        room_proxy.hold()
        runner.locator("#live-clock .live-controls").get_by_role(
            "button", name="Pause", exact=True).click()
        _status(runner, "is-paused")
        time.sleep(HELD_S)
        for screen in (tablet, projector):
            assert "is-running" in screen.locator("#live-clock").get_attribute("class")
        room_proxy.release()
        released = time.monotonic()
        for screen in (tablet, projector):
            _status(screen, "is-paused")
        print(f"the room showed the press {time.monotonic() - released:.2f} s after the proxy "
              f"let it through; cuts: {[p.cuts for p in proxies]}")
        frozen = _seconds(runner)
        for screen in (tablet, projector):
            assert abs(_seconds(screen) - frozen) <= 1  # the same paused time as the facilitator
            expect(screen.locator(".live-offline")).to_be_hidden()
            expect(screen.locator("input[type=password]")).to_have_count(0)
        shoot(tablet, "proxy-cut-tablet-after")
        measuring.clear()
        assert max(answers) < ANSWER_BAR_S, sorted(answers)[-5:]
        print(f"health checks beside it: {len(answers)}, max {max(answers) * 1000:.0f} ms")

        unexpected = [e for e in errors if not CUT_BY_PROXY.search(e)]
        assert unexpected == [], unexpected
        print(f"console errors of the proxy's doing: {len(errors)}")
    except BaseException:
        server.stop()  # a failure above leaves no server behind
        raise
    finally:
        measuring.clear()
        for context in contexts:
            context.close()
        for proxy in proxies:
            proxy.stop()
    try:
        # The closed screens' streams leave their workers (at their next tick at the latest).
        deadline = time.monotonic() + 10
        # Each worker starts its helpers (the database's watchdog, the push listener) once,
        # at their first use: only the greenlets besides them count.
        while (now := server.totals()).get("listeners") != 0 or (
                now["greenlets"] - now["helpers"] > baseline["greenlets"] - baseline["helpers"]):
            assert time.monotonic() < deadline, (now, baseline, server.tail())
            time.sleep(0.2)
    finally:
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log and "Error handling request" not in log, server.tail()
