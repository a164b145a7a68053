"""A migration that rebuilds a table (SQLite's batch mode copies it, drops the old one and
renames the copy) must not take the rows that point at it along: with foreign keys on,
dropping the old table deletes every row that cascades from it."""

import flask_migrate
import sqlalchemy as sa

from netapp import create_app, demo
from netapp.extensions import db

# Tables whose rows hang on a rebuilt table by ON DELETE CASCADE.
DEPENDENTS = ("sparring_group", "interview_pair", "membership", "attendance", "agenda_item")


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608  # nosec B608
                for t in DEPENDENTS}


def test_down_and_up_through_rebuilt_tables_keeps_every_row(tmp_path, empty_database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SERVER_NAME": "netapp.test",
                      "SQLALCHEMY_DATABASE_URI": empty_database_url})
    app.instance_path = str(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory)
        try:
            assert demo.seed()
            db.session.commit()
            db.session.remove()
            before = _counts()
            assert all(before.values()), before  # the demo fills every one of them
            # room01 rebuilds the exercise table on SQLite (its foreign keys change)
            flask_migrate.downgrade(directory=directory, revision="calendar01")
            flask_migrate.upgrade(directory=directory)
            assert _counts() == before
        finally:
            db.session.remove()
            flask_migrate.downgrade(directory=directory, revision="base")
            db.engine.dispose()
