"""A gunicorn restart during a live round: tablets resume
within two polls, still logged in, on the same clock – after a graceful reload (HUP) and
after a full stop and start (TERM) of the real server on a file database."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.e2e.conftest import (
    probe_push,
    push_only,
    push_seen,
    settled,
    shoot,
    wait_stream_heard,
)

pytestmark = [pytest.mark.browser, pytest.mark.room]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "sparring-demo"  # the demo's documented password
TWO_POLLS = 5.0  # seconds: tablets poll every 2 s, plus a request's time
RESUME_S = TWO_POLLS + 5  # the bar to find a restarted server, with a margin for a loaded CI
# What Chromium and htmx log for a poll that finds no server: expected while it is down.
NETWORK_FAILURE = re.compile(
    r"net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE)|^htmx:(afterRequest|sendError)\b"
    r"|^htmx:(sseError|timeout|sendAbort)\b|^\[object Event\]$")
# What htmx's SSE extension logs when a stream ends and EventSource reconnects (a worker that
# stops ends its streams at once): the screens carry on, on a new worker's stream.
# While the new workers boot, a request waits in the listening socket's queue: live.js gives
# up on it after 4 s and a newer poll replaces it (htmx logs both); nothing fails.
STREAM_RECONNECT = re.compile(
    r"^htmx:(sseError|afterRequest|timeout|sendAbort)\b|^\[object Event\]$")
OFFLINE_NOTICE_S = 7.5  # live.js shows it after 6 s without any answer
CSP_PROBE = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


class Server:
    """gunicorn with the project's settings on 127.0.0.1, started and stopped by its pid.

    The port is the test's for its whole run: a socket of its own holds it (bound with
    SO_REUSEPORT, never listening), and gunicorn binds it beside that with --reuse-port. No
    other program gets it between a stop and the next start, and while gunicorn is down a
    connection is refused, as with no server at all.
    """

    def __init__(self, env: dict, log: Path) -> None:
        self.holder = socket.socket()
        self.holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        self.holder.bind(("127.0.0.1", 0))
        self.env, self.port, self.log = env, self.holder.getsockname()[1], log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "2",
                 "--reuse-port", "--bind", f"127.0.0.1:{self.port}", "netapp:create_app()"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        """Until /healthz answers (a safety stop only: a loaded machine boots slowly)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn exited:\n{self.tail()}"
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.1)
        raise AssertionError(f"/healthz did not answer 200 in {timeout} s:\n{self.tail()}")

    def workers(self) -> set[int]:
        """The master's current worker processes (from /proc)."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.proc.pid:
                found.add(int(stat.parent.name))
        return found

    def signal(self, sig: signal.Signals) -> None:
        os.kill(self.proc.pid, sig)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.holder.close()
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.holder.close()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _demo_database(url: str, seconds: float = 60) -> tuple[dict, int]:
    """The empty database at `url` migrated and seeded; the environment to serve it and the
    demo's round."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETAPP_", "FLASK_"))}
    env.update(
        DATABASE_URL=url,
        NETAPP_SECRET_KEY="restart-test-secret",
        NETAPP_PUBLIC_URL="http://127.0.0.1",
        NETAPP_SESSION_COOKIE_SECURE="false",
        NETAPP_REMEMBER_COOKIE_SECURE="false",
    )
    for command in ("init-db", "seed-demo"):
        subprocess.run([sys.executable, "-m", "flask", "--app", "netapp", command],
                       cwd=ROOT, env=env, check=True, capture_output=True, timeout=seconds)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT id FROM exercise WHERE kind = 'PRESENTATION' "
                                   "AND status = 'ready'")).first()
    engine.dispose()
    assert row, "the demo has no presentation round ready"
    return env, row[0]


def _device(browser, base: str, email: str, errors: list[str], contexts: list):
    """A tablet's own context at 1024×768, logged in without "remember me"."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="da-DK")
    contexts.append(context)
    page = context.new_page()
    page.add_init_script(CSP_PROBE)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.goto(f"{base}/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/home")
    return page


def _seconds(page) -> int:
    minutes, seconds = page.locator("#live-clock [data-countdown]").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def _answered_poll(page, timeout: float = TWO_POLLS) -> float:
    """Wait for the tablet's next answered clock poll (a new fragment, or 204: still
    current); seconds it took."""
    started = time.monotonic()
    with page.expect_response(lambda r: "/clock" in r.url and r.status in (200, 204),
                              timeout=timeout * 1000):
        pass
    return time.monotonic() - started


def _still_following(page, url: str, ends_at: str, expected: float) -> None:
    """Same page, no login, the clock running to the same end, the time as the wall says."""
    assert page.url == url
    expect(page.locator("input[type=password]")).to_have_count(0)
    expect(page.locator("#live-clock")).to_have_class(re.compile("is-running"))
    expect(page.locator(".live-offline")).to_be_hidden()
    assert page.locator("#live-clock").get_attribute("data-ends-at") == ends_at
    assert abs(_seconds(page) - expected) <= 2, (_seconds(page), expected)


def test_tablets_resume_after_gunicorn_reload_and_restart(tmp_path, browser,
                                                          empty_database_url):
    env, exercise_id = _demo_database(empty_database_url)
    server = Server(env, tmp_path / "gunicorn.log")
    base = f"http://127.0.0.1:{server.port}"
    errors: list[str] = []
    contexts: list = []
    try:
        server.start()
        runner = _device(browser, base, "facilitator@example.com", errors, contexts)
        runner.goto(f"{base}/live/exercise/{exercise_id}/facilitate")
        tablet = _device(browser, base, "medlem@example.com", errors, contexts)
        probe_push(tablet)
        url = f"{base}/live/exercise/{exercise_id}"
        tablet.goto(url)
        expect(tablet.locator("#live-clock")).to_contain_text("Venter på start")

        runner.locator("#live-clock .live-controls").get_by_role(
            "button", name="Start", exact=True).click()
        expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-running"),
                                                            timeout=3000)
        time.sleep(1.2)
        assert abs(_seconds(runner) - _seconds(tablet)) <= 1
        ends_at = tablet.locator("#live-clock").get_attribute("data-ends-at")
        remaining, at = _seconds(tablet), time.monotonic()
        assert ends_at and 110 <= remaining <= 120
        shoot(tablet, "restart-tablet-before")

        # HUP: gunicorn replaces its workers; the listening socket stays open.
        old_workers = server.workers()
        assert len(old_workers) == 2
        server.signal(signal.SIGHUP)
        # How long two new workers take to boot depends on the machine's load (CI shares its
        # cores); the bar is that no poll fails meanwhile, so the wait is only a safety stop.
        deadline = time.monotonic() + 60
        while server.workers() & old_workers or len(server.workers()) < 2:
            assert time.monotonic() < deadline, f"workers not replaced:\n{server.tail()}"
            time.sleep(0.1)
        # The streams of the old workers ended and reconnected to the new ones at once (a
        # clock then polls only every 20 s): the tablet shows no notice and follows.
        tablet.wait_for_timeout(TWO_POLLS * 1000)
        _still_following(tablet, url, ends_at, remaining - (time.monotonic() - at))
        # the reload is invisible: not one failed poll, only streams that moved on
        assert [e for e in errors if not STREAM_RECONNECT.search(e)] == [], "\n".join(errors)

        # TERM: the server is gone; the tablet says it is reconnecting and keeps polling.
        server.signal(signal.SIGTERM)
        # Its workers end their streams once successors could have booted and may take up to
        # graceful_timeout (20 s) to go; the wait is only a safety stop on a loaded machine.
        server.proc.wait(timeout=60)
        opens = push_seen(tablet)["opens"]

        expect(tablet.locator(".live-offline")).to_be_visible(timeout=OFFLINE_NOTICE_S * 1000)
        expect(tablet.locator(".live-offline")).to_have_text(
            "Forbindelsen er væk – forbinder igen…")
        shoot(tablet, "restart-tablet-offline")
        time.sleep(1)  # at least one more failed poll

        server.start()  # a new master on the same port and database
        expect(tablet.locator(".live-offline")).to_be_hidden(timeout=RESUME_S * 1000)
        _still_following(tablet, url, ends_at, remaining - (time.monotonic() - at))
        shoot(tablet, "restart-tablet-after")

        # The facilitator's session and CSRF token survived too: the controls still work.
        expect(runner.locator("#live-clock")).to_have_class(re.compile("is-running"),
                                                            timeout=RESUME_S * 1000)
        # The tablet's stream is back (EventSource retries after 1 s, longer after failures).
        wait_stream_heard(tablet, opens=opens + 1, timeout=30_000)
        settled(runner)
        settled(tablet)
        push_only(tablet)
        before = len(push_seen(tablet)["swaps"])
        runner.locator("#live-clock .live-controls").get_by_role(
            "button", name="Pause", exact=True).click()
        expect(tablet.locator("#live-clock")).to_have_class(re.compile("is-paused"),
                                                            timeout=RESUME_S * 1000)
        swaps = push_seen(tablet)["swaps"][before:]  # pushed again, not found by a poll
        assert swaps and swaps[0]["by"] == "sse:changed", swaps
        assert runner.url.endswith("/facilitate")
        shoot(runner, "restart-facilitator-after")

        for page in (runner, tablet):
            assert page.evaluate("window.__csp") == []
        unexpected = [e for e in errors if not NETWORK_FAILURE.search(e)]
        assert unexpected == [], f"{unexpected}\n{server.tail()}"
        assert "Traceback" not in server.log.read_text()
    finally:
        for context in contexts:  # first, so no keep-alive poll holds up the shutdown
            context.close()
        server.stop()
        print(server.tail())  # shown when the test fails
