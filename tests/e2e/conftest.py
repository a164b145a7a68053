"""Browser tests: the app served from a thread on loopback, driven by the system Chromium."""

import contextlib
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from netapp import create_app
from netapp.extensions import db
from netapp.live import push
from tests.conftest import chromium_path, own_database

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Never `playwright install`: it downloads a browser, which fails offline; use
    Debian's Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1024, "height": 768},
            "locale": "da-DK"}


@contextlib.contextmanager
def served_app(database_url: str, tmp_path, **config):
    """A real server on 127.0.0.1, for the block, on a database of its own on the suite's
    kind (a SQLite file, so threads share it, or a new PostgreSQL database)."""
    with own_database(database_url, tmp_path) as url, _serving(url, tmp_path, config) as app:
        yield app


@contextlib.contextmanager
def _serving(url: str, tmp_path, config: dict):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "e2e",
        # A stream's planned end (after 240-300 s) makes EventSource reconnect, and htmx logs
        # that as a console error; a long test on a slow machine must not meet it by chance.
        # Tests of reconnecting end their streams on purpose.
        "LIVE_STREAM_SECONDS": 3600,
        "SQLALCHEMY_DATABASE_URI": url,
        **config,
    })
    app.instance_path = str(tmp_path)
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = app.config["LIVE_URL"]  # where links in e-mails point
    try:
        yield app
    finally:
        server.shutdown()
        with app.app_context():
            push.stop(db.engine)  # its database is dropped next
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_app(database_url, tmp_path):
    with served_app(database_url, tmp_path) as app:
        yield app


# A live clock's request gives up after its 2 s timeout (hx-request on the clock elements, the
# only requests with a timeout) and the next trigger asks again: that is how a tablet rides out
# a slow answer, and on a loaded machine an answer can be that slow. htmx logs each timeout as
# two console errors, "htmx:afterRequest, …" then "htmx:timeout, …"; only that pair is let
# through. Every other console error (an aborted request, a failed one, a stream error) counts.
TIMEOUT_PAIR = ("htmx:afterRequest, ", "htmx:timeout, ")


def watch_page(page, problems: list[str] | None = None) -> list[str]:
    """Collect a page's console errors and CSP violations into the returned list (or the
    given one, shared by several pages)."""
    problems = [] if problems is None else problems
    last: dict = {}  # this page's previous console error, to recognise the timeout pair

    def console(message) -> None:
        if message.type != "error":
            return
        text = message.text
        before = last.get("text")
        last["text"] = text
        if (text.startswith(TIMEOUT_PAIR[1]) and before is not None
                and before.startswith(TIMEOUT_PAIR[0]) and before in problems):
            problems.remove(before)
            return
        problems.append(text)

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return problems


@pytest.fixture
def watch(page):
    """Record console errors and CSP violations of the page; assert none at the end."""
    problems = watch_page(page)
    yield problems
    assert problems == [], f"console errors or CSP violations: {problems}"


# What a live page heard and why its clock changed, for tests that must tell push from polling
# without timing it: how often its event stream opened, how many "changed" it heard, and for
# each new clock fragment swapped in, the event that asked for it ("sse:changed" is the push,
# "timer" the clock's own poll, "live-refresh" live.js asking).
PUSH_PROBE = """
window.__push = {opens: 0, changed: 0, swaps: [], timerOff: false};
// push_only(page): from then on the clocks' timer polls are not sent, so whatever new
// comes, came by the stream's word (a poll could otherwise land between a press and its push)
document.addEventListener('htmx:confirm', e => {
  const elt = e.detail.elt;
  if (window.__push.timerOff && elt && elt.hasAttribute && elt.hasAttribute('data-server-now')
      && !e.detail.triggeringEvent) { e.preventDefault(); }
});
document.addEventListener('htmx:sseOpen', () => { window.__push.opens += 1; });
document.addEventListener('htmx:sseMessage', e => {
  if (e.detail && e.detail.type === 'changed') { window.__push.changed += 1; }
});
document.addEventListener('htmx:beforeSwap', e => {
  const d = e.detail, target = d.target;
  if (!target || !target.id || !target.hasAttribute('data-server-now')) { return; }
  if (!d.xhr || d.xhr.status !== 200) { return; }
  const t = d.requestConfig && d.requestConfig.triggeringEvent;
  window.__push.swaps.push({clock: target.id, by: t ? t.type : 'timer'});
});
"""


def probe_push(page) -> None:
    """Record the page's stream and clock swaps (PUSH_PROBE) from its next load on."""
    page.add_init_script(PUSH_PROBE)


def push_only(page) -> None:
    """Stop the page's timer polls of its clocks (see PUSH_PROBE): a change must be pushed."""
    page.evaluate("() => { window.__push.timerOff = true; }")


def push_seen(page) -> dict:
    return page.evaluate("window.__push")


def wait_stream_heard(page, opens: int = 1, timeout: float = 15_000) -> None:
    """Wait until the page's stream has opened `opens` times and said "changed" since the
    page loaded (its first message tells every clock to ask once)."""
    page.wait_for_function(
        # a function, not an expression: the strict CSP forbids evaluating a string
        f"() => window.__push && window.__push.opens >= {opens} && window.__push.changed >= 1",
        timeout=timeout)


def settled(page) -> None:
    """Wait until htmx has no request out and has settled every swap: until then a new form
    is not wired up, and a key pressed or a button clicked that soon would be sent as a plain
    form (or dropped by hx-sync)."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
           ).to_have_count(0)


def shoot(page, name: str) -> None:
    """Keep a screenshot to look at (test-artifacts/ is git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


