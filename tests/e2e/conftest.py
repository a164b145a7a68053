"""Browser tests: the app served from a thread on loopback, driven by the system Chromium."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from netapp import create_app
from netapp.extensions import db
from tests.conftest import chromium_path

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


@pytest.fixture
def live_app(tmp_path):
    """A real server on 127.0.0.1 with a file database, so threads share it."""
    app = create_app({
        "TESTING": True, "SECRET_KEY": "e2e",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
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
            db.session.remove()
            db.engine.dispose()


def watch_page(page) -> list[str]:
    """Collect a page's console errors and CSP violations into the returned list."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
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


def shoot(page, name: str) -> None:
    """Keep a screenshot to look at (test-artifacts/ is git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


