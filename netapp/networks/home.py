"""The home panel's data: six queries, whatever the number of networks."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings.models import Meeting
from netapp.networks.access import admin_organisation_ids
from netapp.networks.contract import Contract, ContractAcceptance
from netapp.networks.models import Invitation, JoinRequest, Membership, Network, Role


def panel(user) -> dict | None:
    """My networks with role, what needs me, and each network's next meeting."""
    now = utcnow()
    memberships = list(
        db.session.scalars(
            sa.select(Membership)
            .join(Membership.network)
            .where(Membership.user_id == user.id)
            .options(so.contains_eager(Membership.network))
            .order_by(Network.name)
        )
    )
    ids = [m.network_id for m in memberships]
    invitations = list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                sa.func.lower(Invitation.email) == user.email.lower(),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.declined_at.is_(None),
                Invitation.expires_at > now,
                Invitation.network_id.not_in(ids),
            )
            .options(so.joinedload(Invitation.network), so.joinedload(Invitation.inviter))
        )
    )
    accepted = (
        sa.select(ContractAcceptance.id)
        .where(
            ContractAcceptance.network_id == Contract.network_id,
            ContractAcceptance.user_id == user.id,
            ContractAcceptance.version == Contract.version,
        )
        .exists()
    )
    to_accept = set(
        db.session.scalars(
            sa.select(Contract.network_id).where(Contract.network_id.in_(ids), ~accepted)
        )
    )
    coordinated = [m.network_id for m in memberships if m.role == Role.COORDINATOR]
    requests = dict(
        db.session.execute(
            sa.select(JoinRequest.network_id, sa.func.count(JoinRequest.id))
            .where(JoinRequest.network_id.in_(coordinated), JoinRequest.decided_at.is_(None))
            .group_by(JoinRequest.network_id)
        ).all()
    )
    admin_of = admin_organisation_ids(user.id)
    if not memberships and not invitations and not admin_of:
        return None
    return {
        "memberships": memberships,
        "invitations": invitations,
        "to_accept": to_accept,
        "requests": requests,
        "next_meetings": next_meetings(ids, now),
        "admin_of": admin_of[0] if admin_of else None,
    }


def next_meetings(network_ids: list[int], now) -> dict[int, Meeting]:
    """The first coming meeting of each network, in one query (a window function)."""
    if not network_ids:
        return {}
    ranked = (
        sa.select(
            Meeting.id,
            sa.func.row_number()
            .over(partition_by=Meeting.network_id, order_by=Meeting.starts_at)
            .label("rank"),
        )
        .where(Meeting.network_id.in_(network_ids), Meeting.starts_at >= now)
        .subquery()
    )
    meetings = db.session.scalars(
        sa.select(Meeting).join(ranked, ranked.c.id == Meeting.id).where(ranked.c.rank == 1)
    )
    return {m.network_id: m for m in meetings}
