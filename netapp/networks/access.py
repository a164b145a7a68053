"""Who may see what: every view loads its network through here, so another network's ids 404."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from netapp.database import prebuilt
from netapp.extensions import db
from netapp.networks.models import Membership, Network, OrganisationAdmin, Role


def membership_of(network_id: int, user_id: int) -> Membership | None:
    """The user's membership of the network, or None."""
    return db.session.scalar(
        _membership_statement(), {"network_id": network_id, "user_id": user_id}
    )


@prebuilt
def _membership_statement() -> sa.Select:
    return sa.select(Membership).where(
        Membership.network_id == sa.bindparam("network_id"),
        Membership.user_id == sa.bindparam("user_id"),
    )


@prebuilt
def _network_statement() -> sa.Select:
    return (
        sa.select(Network, Membership)
        .join(Membership, Membership.network_id == Network.id)
        .where(Network.id == sa.bindparam("network_id"),
               Membership.user_id == sa.bindparam("user_id"))
    )


@prebuilt
def _admin_statement() -> sa.Select:
    return sa.select(OrganisationAdmin.organisation_id).where(
        OrganisationAdmin.user_id == sa.bindparam("user_id")
    )


def network_for(network_id: int, *roles: Role) -> tuple[Network, Membership]:
    """Load a network the current user belongs to (in one of `roles`, if given), else 404/403.

    Not being a member answers 404, so ids of other networks reveal nothing.
    """
    row = db.session.execute(
        _network_statement(), {"network_id": network_id, "user_id": current_user.id}
    ).first()
    return admitted(*(row or (None, None)), roles)


def admitted(network: Network | None, membership: Membership | None,
             roles: tuple[Role, ...] = ()) -> tuple[Network, Membership]:
    """network_for's rule, for a view that loaded the current user's membership itself."""
    if network is None or membership is None:
        abort(404)
    if roles and membership.role not in roles:
        abort(403)
    return network, membership


def admin_organisation_ids(user_id: int) -> list[int]:
    """The organisations this user administers."""
    return list(db.session.scalars(_admin_statement(), {"user_id": user_id}))
