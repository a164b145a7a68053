"""A wrong or unreachable DATABASE_URL, and a database that goes away and comes back."""

import pytest

from netapp import create_app
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
