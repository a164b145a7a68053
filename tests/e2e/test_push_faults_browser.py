"""A live screen's stream that ends (its lifetime) reconnects without a console error and the
screen follows; a stream the server refuses is reported, and polls keep the screen right."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import served_app
from tests.e2e.test_live_browser import _log_in, _press, _room, _tablet

pytestmark = [pytest.mark.browser, pytest.mark.room]
STREAM_S = 1.0  # a stream ends after 0.8–1 s here (300 s in production)


@pytest.fixture
def short_streams_app(database_url, tmp_path):
    """A real server on 127.0.0.1 whose event streams end every second."""
    with served_app(database_url, tmp_path, LIVE_STREAM_SECONDS=STREAM_S) as app:
        yield app


def _streams_opened(page, count: int, timeout_s: float = 15) -> None:
    """Wait until COUNT more event streams of the page have been answered."""
    for _ in range(count):
        with page.expect_response(lambda r: "/events" in r.url and r.status == 200,
                                  timeout=timeout_s * 1000):
            pass


def test_a_stream_that_ends_at_its_lifetime_reconnects_without_a_console_error(
        short_streams_app, page, browser, watch):
    base = short_streams_app.config["LIVE_URL"]
    ids, users = _room(short_streams_app, "presentation")
    problems: list[str] = []
    tablet = _tablet(browser, base, next(iter(users["people"].values())), problems)
    console: list[str] = []
    tablet.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-ready"))
    _streams_opened(tablet, 3)  # it ended and was opened again, twice
    _streams_opened(page, 2)
    # Between reconnects a press still reaches the tablet through its stream at once.
    for button, status in (("Start", "is-running"), ("Pause", "is-paused")):
        _press(page, button)
        expect(tablet.locator("#live-clock")).to_have_class(re.compile(status), timeout=3000)
        _streams_opened(tablet, 1)
    expect(tablet.locator(".live-offline")).to_be_hidden()
    assert problems == [] and console == []  # no error, nor any other line, on reconnects


def test_a_refused_stream_is_reported_and_polls_keep_the_screen_right(
        short_streams_app, page, browser, watch):
    base = short_streams_app.config["LIVE_URL"]
    ids, users = _room(short_streams_app, "presentation")
    problems: list[str] = []
    tablet = _tablet(browser, base, next(iter(users["people"].values())), problems)
    refused: list[str] = []

    def refuse(route):
        refused.append(route.request.url)
        route.fulfill(status=503, body="down for a moment", content_type="text/plain")

    tablet.route(re.compile(r"/live/exercise/\d+/events"), refuse)
    _log_in(page, base, users["facilitator"])
    page.goto(f"{base}/live/exercise/{ids['exercise']}/facilitate")
    tablet.goto(f"{base}/live/exercise/{ids['exercise']}")
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-ready"))
    _press(page, "Start")
    # No stream: the tablet's polls (every 2 s) bring the press, with no notice.
    expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-running"), timeout=5000)
    expect(tablet.locator(".live-offline")).to_be_hidden()
    deadline = time.monotonic() + 10
    while not any("could not be opened" in p for p in problems):
        assert time.monotonic() < deadline, problems
        tablet.wait_for_timeout(100)
    assert refused
    stream_errors = [p for p in problems if "/events" in p or "sseError" in p]
    assert stream_errors and all(
        re.match(r"htmx:sseError: the live stream /live/exercise/\d+/events could not be opened$"
                 r"|Failed to load resource: the server responded with a status of 503", p)
        for p in stream_errors), problems
    assert not any("[object Event]" in p for p in problems)
