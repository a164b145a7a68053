"""The data migration that splits the guest facilitator from the network's own facilitator."""

import flask_migrate
import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks import invitations as inv
from netapp.networks.models import Participation, Role
from tests import factories as f
from tests.test_cli import _migration_app


def _roles(table: str) -> list[tuple[str, str]]:
    rows = db.session.execute(sa.text(f"SELECT role, participation FROM {table} ORDER BY id"))  # noqa: S608  # nosec B608
    return [tuple(row) for row in rows]


def test_external_facilitators_become_guests_and_back(tmp_path, empty_database_url):
    app = _migration_app(tmp_path, empty_database_url)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory, revision="0b726f786498")
        net = f.network()
        f.member(net, Role.COORDINATOR)
        own = f.member(net, Role.FACILITATOR)  # a core participant: the network's own
        coach = f.member(net, Role.FACILITATOR)
        db.session.execute(sa.text(
            "UPDATE membership SET participation = 'PHASE' WHERE user_id = :id"), {"id": coach.id})
        invitation = inv.invite_many(net, own, "coach@example.com", "core")[0][0].invitation
        invitation.role, invitation.participation = Role.FACILITATOR, Participation.PHASE
        db.session.commit()
        db.session.remove()

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
