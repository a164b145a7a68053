"""The data migration that splits the guest facilitator from the network's own facilitator."""

from datetime import datetime

import flask_migrate
import sqlalchemy as sa

from netapp.extensions import db
from tests.test_cli import _migration_app

_NOW = datetime(2026, 11, 1)


def _old_world() -> None:
    """A coordinator, the network's own facilitator (core) and an external one (per phase),
    and an invitation in the old facilitator-per-phase role, as the old schema held them."""
    with db.engine.begin() as conn:
        run = lambda sql, **values: conn.execute(sa.text(sql), {"now": _NOW, **values})  # noqa: E731
        run("INSERT INTO organisation (id, name, note_retention_days, created_at)"
            " VALUES (1, 'Org', 180, :now)")
        run("INSERT INTO network (id, organisation_id, name, purpose, timezone, is_open,"
            " created_at, difference, focus, target_group, geography, place_note, setup_done)"
            " VALUES (1, 1, 'Net', '', 'Europe/Copenhagen', :no, :now, '', '', '', '', '', :no)",
            no=False)
        for user_id, (role, participation) in enumerate(
                [("COORDINATOR", "CORE"), ("FACILITATOR", "CORE"), ("FACILITATOR", "PHASE")], 1):
            run("INSERT INTO \"user\" (id, email, name, password_hash, language, session_token,"
                " active, is_site_admin, created_at) VALUES (:id, :email, 'P', 'x', 'da', :token,"
                " :yes, :no, :now)", id=user_id, email=f"p{user_id}@example.com",
                token=f"t{user_id}", yes=True, no=False)
            run("INSERT INTO membership (id, network_id, user_id, role, participation, joined_at)"
                " VALUES (:id, 1, :id, :role, :participation, :now)", id=user_id, role=role,
                participation=participation)
        run("INSERT INTO invitation (id, network_id, email, token_hash, inviter_id, role,"
            " participation, created_at, expires_at) VALUES (1, 1, 'coach@example.com', 'h', 2,"
            " 'FACILITATOR', 'PHASE', :now, :now)")


def _roles(table: str) -> list[tuple[str, str]]:
    rows = db.session.execute(sa.text(f"SELECT role, participation FROM {table} ORDER BY id"))  # noqa: S608  # nosec B608
    return [tuple(row) for row in rows]


def test_external_facilitators_become_guests_and_back(tmp_path, empty_database_url):
    app = _migration_app(tmp_path, empty_database_url)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory, revision="0b726f786498")
        _old_world()  # in SQL: today's models describe a later schema than this revision
        flask_migrate.upgrade(directory=directory)
        assert _roles("membership") == [("COORDINATOR", "CORE"), ("FACILITATOR", "CORE"),
                                        ("GUEST", "PHASE")]
        assert _roles("invitation") == [("GUEST", "PHASE")]
        db.session.remove()

        flask_migrate.downgrade(directory=directory, revision="0b726f786498")
        assert [r for r, _p in _roles("membership")] == ["COORDINATOR", "FACILITATOR",
                                                         "FACILITATOR"]
        assert _roles("invitation") == [("FACILITATOR", "PHASE")]
        db.session.remove()
        flask_migrate.downgrade(directory=directory, revision="base")
        db.engine.dispose()
