"""A wrong or unreachable DATABASE_URL, and a database that goes away and comes back."""

import time

import pytest
import sqlalchemy as sa

from netapp import create_app, database
from netapp.database import DatabaseUnavailable
from netapp.extensions import db
from tests.pg import Cluster, pg_bin


def test_malformed_database_url_refuses_to_start_in_one_line(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url")
    with pytest.raises(DatabaseUnavailable) as refused:
        create_app()
    assert "DATABASE_URL" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_unreachable_database_refuses_to_start_naming_the_setting(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://netapp:secret@127.0.0.1:1/netapp")
    with pytest.raises(DatabaseUnavailable) as refused:
        create_app()
    message = str(refused.value)
    assert "DATABASE_URL" in message and "does not answer" in message
    assert "secret" not in message  # the password is never printed


@pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL is not installed")
def test_healthz_follows_the_database_down_and_up():
    cluster = Cluster()
    cluster.start()
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "x",
                          "SQLALCHEMY_DATABASE_URI": cluster.url})
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        cluster.stop()
        assert client.get("/healthz").status_code == 503
        cluster.start()
        assert client.get("/healthz").status_code == 200
        with app.app_context():
            db.engine.dispose()
    finally:
        cluster.stop()
        cluster.remove()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path):
    """WAL, busy_timeout and foreign keys on every SQLite connection."""
    import sqlalchemy as sa

    from netapp.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() >= 5000
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("url", "pinged"), [
    ("sqlite://", False),
    ("postgresql+psycopg://netapp@127.0.0.1:1/netapp", True),
])
def test_only_a_database_server_is_pinged_before_each_request(url, pinged):
    """A restarted PostgreSQL must not cost users an error; a SQLite file never restarts."""
    from netapp.database import pinged_on_checkout

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        assert pinged_on_checkout(db.engine) is pinged
    chosen = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                         "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not pinged}})
    with chosen.app_context():
        assert pinged_on_checkout(db.engine) is not pinged


def _server_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite file has no server to end a connection; run with --db postgresql")


def _backend_of_pooled_connection() -> int:
    """The server process of the connection the session used, now back in the pool."""
    pid = db.session.scalar(sa.select(sa.func.pg_backend_pid()))
    db.session.remove()
    return pid


def _pings(monkeypatch) -> list:
    calls: list = []
    real = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: calls.append(1) or real(conn))
    return calls


def test_a_connection_returned_moments_ago_is_reused_without_a_ping(app, monkeypatch):
    _server_only()
    first = _backend_of_pooled_connection()
    pings = _pings(monkeypatch)
    assert _backend_of_pooled_connection() == first
    assert pings == []


def test_a_connection_idle_past_the_bound_is_pinged(app, monkeypatch):
    _server_only()
    _backend_of_pooled_connection()
    monkeypatch.setattr(database, "UNPINGED_SECONDS", -1.0)  # every connection "idle long"
    pings = _pings(monkeypatch)
    _backend_of_pooled_connection()
    assert pings == [1]


def test_a_connection_the_server_ended_in_the_pool_is_replaced_without_an_error(app):
    """A restart ends every backend: the socket of a pooled connection says so at once."""
    _server_only()
    ended = _backend_of_pooled_connection()
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    import psycopg

    with psycopg.connect(url, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [ended]).fetchone()[0]
        for _ in range(500):  # the backend is gone within moments; bounded, not timed
            gone = other.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                                 [ended]).fetchone()[0] == 0
            if gone:
                break
            time.sleep(0.01)
        assert gone
    now = _backend_of_pooled_connection()  # no OperationalError: pinged, then replaced
    assert now != ended


def test_a_request_declared_read_only_cannot_write(app):
    from netapp.database import WriteInReadOnlyRequest, read_only_request
    from tests import factories as f

    network = f.network(f.organisation())
    with app.test_request_context("/"):
        read_only_request()
        network.name = "renamed while reading"
        with pytest.raises(WriteInReadOnlyRequest):
            db.session.flush()
        db.session.rollback()
    db.session.expire_all()
    assert db.session.get(type(network), network.id).name != "renamed while reading"
