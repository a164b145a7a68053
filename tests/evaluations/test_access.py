"""Who may open what: every evaluations route × seven kinds of visitor, from one table.

A route of the blueprint without a row fails the test, so no new page slips through.
"""

import pytest

from netapp.networks.models import Role
from tests import factories as f
from tests.evaluations.conftest import answer_form

# The facilitator is the network's own (holds no task); the guest is a guest facilitator
# of another meeting of the network.
VISITORS = ["anonymous", "member", "facilitator", "guest", "coordinator", "other_member",
            "other_coordinator", "admin"]
# endpoint, method -> expected status per visitor, in VISITORS order
MATRIX = {
    ("evaluations.index", "GET"): (302, 200, 200, 200, 200, 404, 404, 404),
    ("evaluations.answer", "GET"): (302, 200, 200, 403, 200, 404, 404, 404),
    ("evaluations.answer", "POST"): (302, 302, 302, 403, 302, 404, 404, 404),
    ("evaluations.round", "GET"): (302, 403, 200, 403, 200, 404, 404, 404),
    ("evaluations.open_round", "POST"): (302, 403, 302, 403, 302, 404, 404, 404),
    ("evaluations.close_round", "POST"): (302, 403, 302, 403, 302, 404, 404, 404),
    ("evaluations.qr", "GET"): (302, 403, 200, 403, 200, 404, 404, 404),
    ("evaluations.kiosk", "GET"): (302, 403, 200, 403, 200, 404, 404, 404),
    ("evaluations.kiosk", "POST"): (302, 403, 200, 403, 200, 404, 404, 404),
    ("evaluations.health", "GET"): (302, 403, 403, 403, 200, 404, 404, 404),
    ("evaluations.settings", "GET"): (302, 403, 403, 403, 200, 404, 404, 404),
    ("evaluations.settings", "POST"): (302, 403, 403, 403, 302, 404, 404, 404),
    ("evaluations.export", "GET"): (302, 403, 403, 403, 200, 404, 404, 404),
    ("evaluations.export", "POST"): (302, 403, 403, 403, 200, 404, 404, 404),
    ("evaluations.org", "GET"): (302, 404, 404, 404, 404, 404, 404, 200),
}


def test_every_route_has_a_row(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("evaluations.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == set(MATRIX)


def _url(endpoint: str, world) -> str:
    m, n = world.meeting.id, world.net.id
    return {
        "evaluations.index": f"/evaluations/network/{n}",
        "evaluations.answer": f"/evaluations/meeting/{m}",
        "evaluations.round": f"/evaluations/meeting/{m}/round",
        "evaluations.open_round": f"/evaluations/meeting/{m}/open",
        "evaluations.close_round": f"/evaluations/meeting/{m}/close",
        "evaluations.qr": f"/evaluations/meeting/{m}/qr.svg",
        "evaluations.kiosk": f"/evaluations/meeting/{m}/kiosk",
        "evaluations.health": f"/evaluations/network/{n}/health",
        "evaluations.settings": f"/evaluations/network/{n}/settings",
        "evaluations.export": f"/evaluations/network/{n}/export.csv",
        "evaluations.org": f"/evaluations/org/{world.net.organisation_id}",
    }[endpoint]


def _data(endpoint: str) -> dict:
    return {"evaluations.settings": {"anonymous_text": "y", "check_every": "3"},
            "evaluations.kiosk": answer_form(person="0")}.get(endpoint, answer_form())


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
@pytest.mark.parametrize("visitor", VISITORS)
def test_access(world, client, login_as, endpoint, method, visitor):
    f.evaluation(world.meeting)
    f.attendance(world.meeting, world.other_member)  # even if listed, not of this network
    if visitor == "guest":
        guest = f.member(world.net, Role.GUEST, name="Gitte Guest")
        f.task(f.meeting(world.net), "facilitation", guest)
        login_as(guest)
    elif visitor != "anonymous":
        person = {"member": world.members[0]}.get(visitor) or getattr(world, visitor)
        login_as(person)
    url = _url(endpoint, world)
    response = client.get(url) if method == "GET" else client.post(url, data=_data(endpoint))
    expected = MATRIX[(endpoint, method)][VISITORS.index(visitor)]
    assert response.status_code == expected, (visitor, endpoint, method, response.status_code)
    if visitor == "anonymous":
        assert "/auth/login" in response.headers["Location"]


def test_expired_session_on_the_fragment_gets_hx_redirect(world, client):
    f.evaluation(world.meeting)
    response = client.get(f"/evaluations/meeting/{world.meeting.id}/round",
                          headers={"HX-Request": "true"})
    assert response.status_code == 401 and "/auth/login" in response.headers["HX-Redirect"]


def test_org_overview_of_another_organisation_is_404(world, client, login_as):
    stranger_org = f.organisation()
    login_as(f.org_admin(stranger_org))
    assert client.get(f"/evaluations/org/{world.net.organisation_id}").status_code == 404


def test_get_never_writes(world, client, login_as, app):
    """Opening every page as the coordinator writes nothing (settings default unsaved)."""
    import sqlalchemy as sa

    from netapp.extensions import db

    f.evaluation(world.meeting)
    login_as(world.coordinator)
    writes = []

    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for (endpoint, method) in MATRIX:
            if method == "GET" and endpoint != "evaluations.org":
                client.get(_url(endpoint, world))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert writes == []
