"""The home page panels: evaluate the last meeting; the networks I facilitate."""

import sqlalchemy as sa

from netapp.evaluations import services
from netapp.extensions import db
from netapp.main.panels import home_panel
from netapp.networks.models import Membership, Network, Organisation, OrganisationAdmin, Role


@home_panel("evaluations/_home.html")
def evaluate_last_meeting(user) -> dict | None:
    """Meetings the user attended whose evaluation is open and not yet answered (one query)."""
    meetings = services.open_for_user(user.id)
    return {"meetings": meetings} if meetings else None


@home_panel("evaluations/_home_networks.html")
def networks_i_run(user) -> dict | None:
    """Links to the evaluations and health of the networks the user runs (one query)."""
    rows = db.session.execute(
        sa.select(Network.id, Network.name, Membership.role)
        .join(Membership, Membership.network_id == Network.id)
        .where(Membership.user_id == user.id,
               Membership.role.in_([Role.COORDINATOR, Role.FACILITATOR]))
        .order_by(Network.name)
    ).all()
    return {"networks": rows} if rows else None


@home_panel("evaluations/_home_org.html")
def organisations_i_advise(user) -> dict | None:
    """The organisation admin's link to every network's health figures (one query)."""
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .join(OrganisationAdmin, OrganisationAdmin.organisation_id == Organisation.id)
        .where(OrganisationAdmin.user_id == user.id)
        .order_by(Organisation.name)
    ).all()
    return {"organisations": rows} if rows else None
