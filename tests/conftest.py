"""Fixtures: a fresh app per test on in-memory SQLite, a client, and login_as."""

import os
import re
import shutil

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from netapp import create_app
from netapp.extensions import db


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production: no `g` or session leaks
    from the test's context (Flask would otherwise reuse the pushed one)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def pytest_addoption(parser):
    parser.addoption(
        "--db", default=os.environ.get("NETAPP_TEST_DB", "sqlite"),
        choices=["sqlite", "postgresql"],
        help="run the suite on in-memory SQLite (default) or PostgreSQL "
             "(NETAPP_TEST_DATABASE_URL, else a throwaway cluster)",
    )


@pytest.fixture(scope="session")
def database_url(request):
    """The database every test's app uses."""
    if request.config.getoption("--db") == "sqlite":
        yield "sqlite://"
    elif os.environ.get("NETAPP_TEST_DATABASE_URL"):
        yield os.environ["NETAPP_TEST_DATABASE_URL"]
    else:
        from tests.pg import pg_bin, throwaway_cluster

        if pg_bin() is None:
            if os.environ.get("NETAPP_REQUIRE_POSTGRES") == "true":
                pytest.exit("CI requires PostgreSQL: apt-get install postgresql", returncode=1)
            pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
        with throwaway_cluster() as url:
            yield url


@pytest.fixture
def app(tmp_path, database_url):
    """A new app and empty database for each test; CSRF off except where a test turns it on."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "netapp.test",
        }
    )
    app.test_client_class = FreshContextClient
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    with app.app_context():
        db.create_all()
        yield app
        db.session.rollback()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()  # every test has its own engine: close its pool


@pytest.fixture(autouse=True)
def get_never_writes():
    """SECURITY.md: a GET (or HEAD) request that writes to the database fails the test.

    Only requests the app really dispatches count (marked on `request_started`), not a
    `test_request_context()` a test opens to call a service directly.
    """
    from flask import g, has_request_context, request, request_started
    from sqlalchemy.orm import Session

    def mark(sender, **extra):
        g.dispatched = True

    def reading(where: str) -> None:
        if has_request_context() and request.method in ("GET", "HEAD") and g.get("dispatched"):
            raise AssertionError(f"GET {request.path} writes to the database ({where})")

    def before_flush(session, _context, _instances):
        if session.new or session.dirty or session.deleted:
            reading("flush")

    def orm_execute(state):
        if state.is_insert or state.is_update or state.is_delete:
            reading("statement")

    request_started.connect(mark)
    sa.event.listen(Session, "before_flush", before_flush)
    sa.event.listen(Session, "do_orm_execute", orm_execute)
    yield
    request_started.disconnect(mark)
    sa.event.remove(Session, "before_flush", before_flush)
    sa.event.remove(Session, "do_orm_execute", orm_execute)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log a user in through the real login form (password from the factories)."""

    def _login(user, remember=False):
        from tests.factories import PASSWORD

        client.post("/auth/logout")  # the login form sends someone logged in home instead
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": PASSWORD, "remember": "y" if remember else ""},
        )
        assert response.status_code == 302, response.text
        return client

    return _login


@pytest.fixture
def outbox(app):
    """The .eml files the mailer wrote, parsed, oldest first."""
    from email import policy
    from email.parser import BytesParser
    from pathlib import Path

    def _read():
        folder = Path(app.instance_path) / "outbox"
        files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
        return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]

    return _read


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside the block: `with count_queries() as n: ...; n()`."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        statements = []

        def listener(conn, cursor, statement, *args):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", statement, re.I):
                statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield lambda: len(statements)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return _count


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Skip browser tests without Chromium, except on CI where they are required."""
    if chromium_path():
        return
    if os.environ.get("NETAPP_REQUIRE_BROWSER") == "true":
        raise pytest.UsageError("CI requires Chromium for browser tests: apt-get install chromium")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
