"""The home page panels: evaluate the last meeting; the networks I facilitate."""

from netapp.evaluations import services
from netapp.main.panels import home_panel
from netapp.networks.home import my_memberships, my_organisations
from netapp.networks.models import Role


@home_panel("evaluations/_home.html")
def evaluate_last_meeting(user) -> dict | None:
    """Meetings the user attended whose evaluation is open and not yet answered (one query)."""
    meetings = services.open_for_user(user.id)
    return {"meetings": meetings} if meetings else None


@home_panel("evaluations/_home_networks.html")
def networks_i_run(user) -> dict | None:
    """Links to the evaluations and health of the networks the user runs (shared memberships)."""
    rows = [(m.network_id, m.network.name, m.role) for m in my_memberships(user.id)
            if m.role in (Role.COORDINATOR, Role.FACILITATOR, Role.GUEST)]
    return {"networks": rows} if rows else None


@home_panel("evaluations/_home_org.html")
def organisations_i_advise(user) -> dict | None:
    """The organisation admin's link to every network's health figures (shared with networks)."""
    rows = my_organisations(user.id)
    return {"organisations": rows} if rows else None
