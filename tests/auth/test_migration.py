"""The upgrade keeps what was handed out working: calendar subscriptions and logged-in
devices, though only hashes of their tokens are stored from then on."""

import hashlib
from datetime import datetime

import flask_migrate
import sqlalchemy as sa

from netapp import create_app
from netapp.extensions import db


def _app(tmp_path, url):
    """An app on a database of its own (empty_database_url): the suite's tables stay apart."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                      "SERVER_NAME": "netapp.test"})
    app.instance_path = str(tmp_path)
    return app


def test_upgrade_hashes_feed_tokens_and_keeps_devices_logged_in(tmp_path, empty_database_url):
    app = _app(tmp_path, empty_database_url)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory, revision="0b726f786498")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO \"user\" (id, email, name, password_hash, language, session_token,"
                " active, is_site_admin, created_at) VALUES (1, 'ada@example.com', 'Ada', 'x',"
                " 'da', 'old-session-token', :yes, :no, :now)"),
                {"yes": True, "no": False, "now": datetime(2026, 11, 1)})
            conn.execute(sa.text(
                "INSERT INTO calendar_feed (user_id, token, created_at)"
                " VALUES (1, 'old-feed-token', :now)"), {"now": datetime(2026, 11, 1)})
        # On to head, not just accounts01: the requests below run today's models, which
        # read every column the later revisions add.
        flask_migrate.upgrade(directory=directory, revision="head")
        try:
            with db.engine.connect() as conn:
                feed = conn.execute(sa.text("SELECT token_hash FROM calendar_feed")).one()
                device = conn.execute(sa.text("SELECT user_id, token_hash FROM device_session")
                                      ).one()
                stamp = conn.execute(sa.text("SELECT session_token FROM \"user\"")).scalar()
            assert feed.token_hash == hashlib.sha256(b"old-feed-token").hexdigest()
            assert tuple(device) == (1, hashlib.sha256(b"old-session-token").hexdigest())
            assert stamp != "old-session-token"  # no longer a login, and not left in plain
            # the app of today runs on the schema of today: the later migrations follow
            flask_migrate.upgrade(directory=directory)
            client = app.test_client()
            # The tablet first: these requests share this test's app context, and so the user
            # Flask-Login keeps in its g (the feed's request would leave an anonymous one).
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = "old-session-token", True
            assert client.get("/home").status_code == 200  # the tablet stays logged in
            assert client.get("/meetings/feed/old-feed-token.ics").status_code == 200
        finally:
            db.session.remove()
            flask_migrate.downgrade(directory=directory, revision="base")
            db.engine.dispose()
