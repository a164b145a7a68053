"""Fixtures: an app with an empty database for each test, a client, and login_as."""

import copy
import os
import random
import re
import shutil
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy.dialects.postgresql import REGCLASS

from netapp import create_app
from netapp.extensions import db
from netapp.live import push

# Every property test draws the same examples on every run and keeps no example database:
# a run passes or fails the same way each time, on any machine.
settings.register_profile("netapp", derandomize=True, database=None)
settings.load_profile("netapp")


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


# What every test's app is built with; a test that needs other settings says so with
# @pytest.mark.own_app(KEY=value) and gets an app of its own.
TEST_CONFIG = {
    "TESTING": True,
    "LIVE_STREAM_SECONDS": 0.2,  # a live event stream ends at once: the tests read it whole
    "SECRET_KEY": "test-secret",
    "WTF_CSRF_ENABLED": False,
    "SERVER_NAME": "netapp.test",
}


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "own_app(**settings): the test gets an app of its own, built with these settings on "
        "top of the test defaults (for a test that changes config or adds a route)",
    )


def build_app(database_url: str, **settings):
    """An app with the test defaults, on the given database (its schema is not created)."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **settings})
    app.test_client_class = FreshContextClient
    return app


def empty_tables() -> None:
    """Delete every row, children before parents, and restart the ids at 1: the state of a
    freshly created schema, at a fraction of the cost of dropping and creating it."""
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # An open transaction elsewhere that holds a table makes this fail, not hang.
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        restart = _restart_ids(conn)
        if restart is not None:
            conn.execute(restart)


_restarts: dict = {}


def _restart_ids(conn):
    """The statement that puts the database's id counters back to 1 (looked up once)."""
    key = conn.engine.url
    if key not in _restarts:
        if conn.dialect.name == "postgresql":
            names = [conn.execute(sa.select(sa.func.pg_get_serial_sequence(
                         sa.func.quote_ident(t.name), c.name))).scalar()
                     for t in db.metadata.sorted_tables for c in t.primary_key.columns]
            calls = [sa.func.setval(sa.cast(sa.literal(n), REGCLASS), 1, False)
                     for n in names if n]
            _restarts[key] = sa.select(*calls) if calls else None
        else:  # SQLite gives a rowid table max(id) + 1; only AUTOINCREMENT tables keep a count
            counted = conn.execute(sa.text(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
            )).first()
            _restarts[key] = sa.text("DELETE FROM sqlite_sequence") if counted else None
    return _restarts[key]


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    """One app for every test that keeps to the test defaults; its schema is created once."""
    app = build_app(database_url)
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        db.drop_all()  # a NETAPP_TEST_DATABASE_URL may hold an older run's tables
        db.create_all()
    # A first request closes the app for set-up (Flask then refuses new routes and hooks),
    # so a test cannot change it for the tests after it without being told.
    app.test_client().get("/healthz")
    yield app
    with app.app_context():
        push.stop(db.engine)  # a throwaway server stops with the suite: stop listening first
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _snapshot(app) -> tuple[dict, set]:
    try:
        config = copy.deepcopy(dict(app.config))
    except Exception:  # a value that cannot be copied is compared as it is
        config = dict(app.config)
    return config, set(app.view_functions)


@pytest.fixture
def app(request, database_url, tmp_path):
    """An app and an empty database for each test; CSRF off except where a test turns it on.

    The app is shared by every test that keeps to the test defaults: its tables are emptied
    before each test and its instance folder (the mail outbox) is the test's own. A test
    marked own_app gets an app of its own with its settings. A test that changes the shared
    app's config fails, naming the keys, and the config is put back for the tests after it.
    """
    marker = request.node.get_closest_marker("own_app")
    app = request.getfixturevalue("shared_app")  # on a server, it creates the schema
    if marker is not None:
        app = build_app(database_url, **marker.kwargs)
    app.instance_path = str(tmp_path / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    before = _snapshot(app) if marker is None else None
    with app.app_context():
        if marker is not None and database_url == "sqlite://":
            db.create_all()  # a new in-memory database; a server's schema is there already
        empty_tables()
        yield app
        db.session.rollback()
        db.session.remove()
        if marker is not None:
            empty_tables()
            db.engine.dispose()  # this app has an engine of its own: close its pool
    if before is not None:
        _check_unchanged(app, before)


def _check_unchanged(app, before) -> None:
    """Fail a test that changed the shared app, and undo the change for the tests after it."""
    config, views = before
    changed = sorted(k for k in set(config) | set(app.config)
                     if k not in config or k not in app.config or app.config[k] != config[k])
    added = sorted(set(app.view_functions) - views)
    if changed:
        app.config.clear()
        app.config.update(config)
    if changed or added:
        pytest.fail(
            f"the test changed the shared app (config {changed}, routes {added}): mark it "
            "@pytest.mark.own_app(KEY=value) to get an app of its own", pytrace=False)


@contextmanager
def own_database(database_url: str, folder: Path):
    """A database of its own, without tables, for a test that builds the schema itself or
    shares it between threads: a SQLite file, or a new database on the suite's PostgreSQL
    server (never the shared one, whose schema the other tests use)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{folder / 'own.sqlite'}"
        return
    name = f"netapp_own_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(database_url).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """own_database for one test."""
    with own_database(database_url, tmp_path) as url:
        yield url


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


# The moment a frozen clock shows: 10 s into one of the live clock's 30-second poll windows.
FROZEN_NOW = datetime(2026, 11, 22, 9, 0, 10)


@pytest.fixture
def frozen_clock(monkeypatch):
    """netapp's clock stands still at FROZEN_NOW until the test moves it with
    `frozen_clock.advance(seconds=...)`. Every module reads the time through
    netapp.auth.models.utcnow, which asks that module's `datetime` for now()."""
    import netapp.auth.models

    clock = SimpleNamespace(now=FROZEN_NOW)
    clock.advance = lambda **delta: setattr(clock, "now", clock.now + timedelta(**delta))

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return clock.now if tz is None else clock.now.replace(tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(netapp.auth.models, "datetime", FrozenDatetime)
    return clock


@pytest.fixture(autouse=True)
def seeded_draws(monkeypatch):
    """The draws netapp makes by chance (sparring groups, interview pairs, a shuffled speaking
    order) come from a generator seeded the same in every test: a test sees the same groups
    on every run, and "shuffle again" still gives new ones within a test."""
    from netapp.live import exercises, grouping

    draws = random.Random(2026)

    def seeded(seed=None):
        return random.Random(draws.getrandbits(32) if seed is None else seed)

    monkeypatch.setattr(grouping, "random", SimpleNamespace(Random=seeded))
    monkeypatch.setattr(exercises, "secrets", SimpleNamespace(SystemRandom=seeded))


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
    """The e-mails queued in the outbox table, parsed as a mail client would, oldest first."""
    from email import policy
    from email.parser import BytesParser

    from netapp.mail.models import OutgoingMail

    def _read():
        rows = db.session.scalars(sa.select(OutgoingMail.message).order_by(OutgoingMail.id))
        return [BytesParser(policy=policy.default).parsebytes(raw) for raw in rows]

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
