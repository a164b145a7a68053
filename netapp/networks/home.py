"""The home panel's data: five queries, whatever the number of networks; the user's memberships
and organisations are loaded once per request and shared with the other domains' panels."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import g

from netapp.access import per_phase, readable_by
from netapp.auth.models import utcnow
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.meetings.models import Meeting
from netapp.networks.contract import Contract, ContractAcceptance
from netapp.networks.models import (
    JoinRequest,
    Membership,
    Network,
    Organisation,
    OrganisationAdmin,
    Role,
)


def panel(user) -> dict | None:
    """My networks with role, what needs me, and each network's next meeting."""
    now = utcnow()
    statements = _statements()
    memberships = my_memberships(user.id)
    ids = [m.network_id for m in memberships]
    to_accept = set(db.session.scalars(
        statements["to_accept"], {"user_id": user.id, "ids": ids}
    )) - {m.network_id for m in memberships if per_phase(m)}  # only core participants are asked
    coordinated = [m.network_id for m in memberships if m.role == Role.COORDINATOR]
    requests = (  # join requests waiting, for the networks I coordinate (no query if none)
        dict(db.session.execute(statements["requests"], {"ids": coordinated}).all())
        if coordinated else {}
    )
    admin_of = my_organisations(user.id)
    if not memberships and not admin_of:
        return None
    return {
        "memberships": memberships,
        "to_accept": to_accept,
        "requests": requests,
        "next_meetings": next_meetings(ids, now, user.id),
        "admin_of": admin_of[0].id if admin_of else None,
    }


def my_memberships(user_id: int) -> list[Membership]:
    """The user's memberships with their networks, by network name (once per request)."""
    return _once_per_request("home_memberships", user_id, lambda: list(
        db.session.scalars(_statements()["memberships"], {"user_id": user_id})))


def my_organisations(user_id: int) -> list[sa.Row]:
    """(id, name) of the organisations the user administers, by name (once per request)."""
    return _once_per_request("home_organisations", user_id, lambda: db.session.execute(
        _statements()["organisations"], {"user_id": user_id}).all())


def _once_per_request(name: str, user_id: int, load):
    """load() for this user, kept in g for the rest of the request (other panels ask too)."""
    cached = g.get(name)
    if cached is None or cached[0] != user_id:
        cached = (user_id, load())
        setattr(g, name, cached)
    return cached[1]


def next_meetings(network_ids: list[int], now, user_id: int) -> dict[int, Meeting]:
    """The first coming meeting of each network the user may open (a guest facilitator: of
    theirs), in one query (a window function)."""
    if not network_ids:
        return {}
    meetings = db.session.scalars(_statements()["next_meetings"],
                                  {"ids": network_ids, "now": now, "user_id": user_id})
    return {m.network_id: m for m in meetings}


@prebuilt
def _statements() -> dict[str, sa.Select]:
    ids = sa.bindparam("ids", expanding=True)
    accepted = (
        sa.select(ContractAcceptance.id)
        .where(
            ContractAcceptance.network_id == Contract.network_id,
            ContractAcceptance.user_id == sa.bindparam("user_id"),
            ContractAcceptance.version == Contract.version,
        )
        .exists()
    )
    ranked = (
        sa.select(
            Meeting.id,
            sa.func.row_number()
            .over(partition_by=Meeting.network_id, order_by=Meeting.starts_at)
            .label("rank"),
        )
        .where(Meeting.network_id.in_(ids), Meeting.starts_at >= sa.bindparam("now"),
               Meeting.cancelled_at.is_(None),  # the next meeting is one that will happen
               readable_by(sa.bindparam("user_id"), Meeting.id, Meeting.network_id))
        .subquery()
    )
    return {
        "memberships": sa.select(Membership)
        .join(Membership.network)
        .where(Membership.user_id == sa.bindparam("user_id"))
        .options(so.contains_eager(Membership.network))
        .order_by(Network.name),
        "to_accept": sa.select(Contract.network_id).where(Contract.network_id.in_(ids), ~accepted),
        "requests": sa.select(JoinRequest.network_id, sa.func.count(JoinRequest.id))
        .where(JoinRequest.network_id.in_(ids), JoinRequest.decided_at.is_(None))
        .group_by(JoinRequest.network_id),
        "organisations": sa.select(Organisation.id, Organisation.name)
        .join(OrganisationAdmin, OrganisationAdmin.organisation_id == Organisation.id)
        .where(OrganisationAdmin.user_id == sa.bindparam("user_id"))
        .order_by(Organisation.name),
        "next_meetings": sa.select(Meeting)
        .join(ranked, ranked.c.id == Meeting.id)
        .where(ranked.c.rank == 1),
    }
