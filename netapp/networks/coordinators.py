"""Changes of a network's coordinators: made in one place, kept as a short history on the
network page, and e-mailed to the coordinators, old and new.

Every path that gives or takes the coordinator role (the organisation admin appointing,
a coordinator changing a role or handing on, an invitation, leaving, removal, deleting an
account) goes through `set_role` or `leaving`, so no change of who can read the network's
content is ever silent.
"""


import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import g

from netapp import audit, mail
from netapp.auth.models import User
from netapp.extensions import db
from netapp.networks.models import (
    CoordinatorChange,
    CoordinatorHow,
    Membership,
    Network,
    Participation,
    Role,
)

HISTORY_LENGTH = 10


def _record(membership: Membership, became: bool, how: CoordinatorHow,
            by: User | None) -> CoordinatorChange:
    """Store one change and keep its id for the e-mail sent after the request."""
    change = CoordinatorChange(network_id=membership.network_id, user_id=membership.user_id,
                               became=became, how=how, by_id=by.id if by else None)
    db.session.add(change)
    db.session.flush()
    g.setdefault("coordinator_changes", []).append(change.id)
    return change


def set_role(membership: Membership, role: Role, participation: Participation,
             how: CoordinatorHow, by: User | None) -> CoordinatorChange | None:
    """Give the membership its role; a change to or from coordinator is recorded."""
    was = membership.role == Role.COORDINATOR
    before = membership.role
    membership.role, membership.participation = role, participation
    db.session.flush()
    if before != role:
        audit.record("role.changed", membership.user_id, network=membership.network_id,
                     role=f"{getattr(before, 'value', before)}->{role.value}", how=how.value)
    if was != (role == Role.COORDINATOR):
        return _record(membership, role == Role.COORDINATOR, how, by)
    return None


def leaving(membership: Membership, how: CoordinatorHow,
            by: User | None) -> CoordinatorChange | None:
    """Before a membership is deleted: a coordinator who goes is recorded."""
    audit.record("membership.ended", membership.user_id, network=membership.network_id,
                 role=membership.role.value, how=how.value)
    if membership.role == Role.COORDINATOR:
        return _record(membership, False, how, by)
    return None


def history(network_id: int, limit: int = HISTORY_LENGTH) -> list[CoordinatorChange]:
    """The network's latest coordinator changes, newest first, with the people loaded."""
    return list(db.session.scalars(
        sa.select(CoordinatorChange)
        .where(CoordinatorChange.network_id == network_id)
        .options(so.joinedload(CoordinatorChange.user), so.joinedload(CoordinatorChange.by))
        .order_by(CoordinatorChange.at.desc(), CoordinatorChange.id.desc())
        .limit(limit)
    ))


def _coordinators(network_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == network_id, Membership.role == Role.COORDINATOR)
        .order_by(User.name)
    ))


def announce(change_ids: list[int]) -> int:
    """E-mail committed changes to each network's coordinators and to the people changed.

    Ids of changes that were rolled back find nothing, so only what happened is told.
    Returns the number of e-mails sent.
    """
    changes = db.session.scalars(
        sa.select(CoordinatorChange)
        .where(CoordinatorChange.id.in_(set(change_ids)))
        .options(so.joinedload(CoordinatorChange.user), so.joinedload(CoordinatorChange.by))
        .order_by(CoordinatorChange.id)
    ).all()
    by_network: dict[int, list[CoordinatorChange]] = {}
    for change in changes:
        by_network.setdefault(change.network_id, []).append(change)
    sent = 0
    for network_id, its_changes in by_network.items():
        network = db.session.get(Network, network_id)
        coordinators = _coordinators(network_id)
        people = {u.id: u for u in coordinators}
        people |= {c.user.id: c.user for c in its_changes if c.user is not None}
        for person in people.values():
            mail.send_template(person, "networks/email/coordinators", network=network,
                               changes=its_changes, coordinators=coordinators)
            sent += 1
    return sent


def announce_after_request(response):
    """Tell the coordinators after the view has committed (any blueprint may change them)."""
    change_ids = g.pop("coordinator_changes", None)
    if change_ids:
        db.session.rollback()  # what the view did not commit is undone, and never told
        announce(change_ids)
        db.session.commit()  # the notices are queued; the mail worker sends them
    return response
