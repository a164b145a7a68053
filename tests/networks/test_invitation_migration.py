"""invite01: addresses invited twice before the unique open address keep their newest
invitation open; the older ones are revoked, so the index can be built."""

from datetime import timedelta

import flask_migrate
import pytest
import sqlalchemy as sa

from netapp import create_app
from netapp.auth.models import utcnow
from netapp.extensions import db
from tests import factories as f


def test_the_migration_keeps_the_newest_of_duplicates_open(tmp_path, empty_database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SERVER_NAME": "netapp.test",
                      "SQLALCHEMY_DATABASE_URI": empty_database_url})
    app.instance_path = str(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory, revision="phases01")
        try:
            now = utcnow()
            network_id = f.network(f.organisation()).id  # the models match phases01's network
            db.session.remove()
            with db.engine.begin() as conn:
                rows = [  # id, email, expires in days, accepted
                    (1, "dup@example.com", 10, False), (2, "Dup@Example.com", 10, False),
                    (3, "old@example.com", -1, False), (4, "used@example.com", 10, True),
                    (5, None, 10, False)]
                for row_id, email, days, used in rows:
                    conn.execute(sa.text(
                        "INSERT INTO invitation (id, network_id, email, token_hash, role, "
                        "participation, created_at, expires_at, accepted_at) VALUES "
                        "(:id, :net, :email, :hash, 'MEMBER', 'CORE', :now, :expires, :used)"),
                        {"id": row_id, "net": network_id, "email": email,
                         "hash": f"h{row_id}", "now": now,
                         "expires": now + timedelta(days=days), "used": now if used else None})
            flask_migrate.upgrade(directory=directory, revision="invite01")
            with db.engine.connect() as conn:
                got = conn.execute(sa.text(
                    "SELECT id, open_email, revoked_at IS NOT NULL FROM invitation ORDER BY id"
                )).all()
            assert [tuple(r) for r in got] == [
                (1, None, True), (2, "dup@example.com", False), (3, None, False),
                (4, None, False), (5, None, False)]
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.execute(sa.text("UPDATE invitation SET open_email = 'dup@example.com' "
                                     "WHERE id = 1"))
            flask_migrate.downgrade(directory=directory, revision="phases01")
            flask_migrate.upgrade(directory=directory, revision="invite01")
        finally:
            db.session.remove()
            flask_migrate.downgrade(directory=directory, revision="base")
            db.engine.dispose()
