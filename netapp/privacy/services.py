"""A member's own data: export everything that points to them, and delete the account.

Both walk the models' metadata, so a new table with a reference to a user is covered
without anyone remembering to add it here (a test checks the walk).
"""

from datetime import date, datetime
from enum import Enum

import sqlalchemy as sa

from netapp.auth.models import User
from netapp.extensions import db
from netapp.live import notes
from netapp.live.models import CaseNote
from netapp.networks import coordinators
from netapp.networks.models import CoordinatorHow, Membership, Network, Role

# Columns never exported: secrets that would let someone act as the member.
SECRET_MARKERS = ("password", "token", "hash", "secret")
# Tables with a user reference that the export leaves out on purpose, and why.
LEFT_OUT = {
    "login_failure": "security log without a user reference, deleted after the login window",
}


def user_references() -> list[sa.Column]:
    """Every foreign-key column, in every table, that points to a user."""
    user_id = User.__table__.c.id
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column is user_id
    ]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _row(row, table: sa.Table) -> dict:
    return {
        c.name: _plain(row._mapping[c])
        for c in table.columns
        if not any(marker in c.name for marker in SECRET_MARKERS)
    }


def export(user: User, now: datetime) -> dict:
    """All rows about the user, table by table, as plain JSON-ready values.

    Case notes follow the page: a note for the member from a round still running at `now`
    waits until the round is over, as it does under the group's clock.
    """
    withheld = notes.withheld_from(user.id, now)
    account = db.session.execute(sa.select(User.__table__).where(User.id == user.id)).one()
    data = {"account": _row(account, User.__table__)}
    for column in user_references():
        table = column.table
        rows = db.session.execute(sa.select(table).where(column == user.id)).all()
        if table is CaseNote.__table__:
            rows = [r for r in rows if r.id not in withheld]
        key = table.name if table.name not in data else f"{table.name}.{column.name}"
        data.setdefault(key, [])
        data[key].extend(_row(r, table) for r in rows)
    return data


def networks_left_without_coordinator(user: User) -> list[str]:
    """Names of networks where the user is the only coordinator and others remain."""
    mine = sa.select(Membership.network_id).where(
        Membership.user_id == user.id, Membership.role == Role.COORDINATOR
    )
    coordinators = sa.func.sum(sa.case((Membership.role == Role.COORDINATOR, 1), else_=0))
    stuck = (
        sa.select(Membership.network_id)
        .where(Membership.network_id.in_(mine))
        .group_by(Membership.network_id)
        .having(coordinators == 1, sa.func.count() > 1)
    )
    return list(db.session.scalars(sa.select(Network.name).where(Network.id.in_(stuck))))


def delete_account(user: User) -> None:
    """Delete the user; the database cascades or nulls every reference (see test_privacy).

    Networks where the user was one of several coordinators are told, as for anyone leaving.
    """
    mine = db.session.scalars(sa.select(Membership).where(Membership.user_id == user.id))
    for membership in mine.all():
        coordinators.leaving(membership, CoordinatorHow.DELETED, user)
    db.session.delete(user)
    db.session.flush()
