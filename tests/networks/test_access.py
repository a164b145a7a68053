"""Every route of the networks blueprint, for every kind of visitor.

A route without a row here fails the test, so a new page cannot slip through unchecked.
"""

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks import invitations as inv
from netapp.networks.models import Invitation, JoinRequest, Membership
from tests import factories as f

WHO = ("anonymous", "member", "facilitator", "coordinator", "other", "admin")
OK, LOGIN = "ok", "login"

# endpoint: (method, expected per WHO). "ok" means 200 or a redirect inside the feature.
MATRIX = {
    # Token routes: the token is the key; anyone holding it may look.
    "networks.invitation": ("GET", (OK, OK, OK, OK, OK, OK)),
    "networks.join": ("GET", (LOGIN, OK, OK, OK, OK, OK)),
    "networks.network": ("GET", (LOGIN, OK, OK, OK, 404, 404)),
    "networks.members": ("GET", (LOGIN, OK, OK, OK, 404, 404)),
    "networks.composition": ("GET", (LOGIN, OK, 403, OK, 404, 404)),
    "networks.contract": ("GET", (LOGIN, OK, OK, OK, 404, 404)),
    "networks.accept_contract": ("POST", (LOGIN, OK, OK, OK, 404, 404)),
    "networks.create_contract": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.edit_contract": ("GET", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.add_rule": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.rule_action": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.setup": ("GET", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.invitations": ("GET", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.invitation_link": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.invitation_action": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.join_link": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.decide_request": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.change_role": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.remove_member": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.hand_on": ("POST", (LOGIN, 403, 403, OK, 404, 404)),
    "networks.leave": ("POST", (LOGIN, OK, OK, OK, 404, 404)),
    "networks.new": ("GET", (LOGIN, 403, 403, OK, OK, OK)),
    "networks.profile": ("GET", (LOGIN, OK, OK, OK, OK, OK)),
    "networks.org_home": ("GET", (LOGIN, 404, 404, 404, 404, OK)),
    "networks.org": ("GET", (LOGIN, 404, 404, 404, 404, OK)),
    "networks.org_new": ("GET", (LOGIN, 404, 404, 404, 404, OK)),
    "networks.org_coordinators": ("GET", (LOGIN, 404, 404, 404, 404, OK)),
    "networks.org_unappoint": ("POST", (LOGIN, 404, 404, 404, 404, OK)),
    # Only the addressee of the invitation may answer it; others see 404.
}


CHANGES_WHO = (
    "networks.leave",
    "networks.remove_member",
    "networks.hand_on",
    "networks.org_unappoint",
)


def _url(app, endpoint, w, ids):
    values = {
        "network_id": w.a.id,
        "organisation_id": w.org.id,
        "step": 1,
        "token": ids["token"],
        "invitation_id": ids["invitation"],
        "action": "revoke",
        "request_id": ids["request"],
        "decision": "decline",
        "membership_id": ids["membership"],
        "rule_id": ids["rule"],
        "answer": "decline",
    }
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    if endpoint == "networks.rule_action":
        values["action"] = "down"
    if endpoint == "networks.join":
        values["token"] = ids["join"]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def test_every_route_has_a_row(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("networks.")}
    assert endpoints == set(MATRIX)


@pytest.mark.parametrize("who", WHO)
def test_access_matrix(app, client, login_as, world, who):
    w = world
    w.a.is_open = True
    inv.rotate_join_token(w.a)
    outgoing = inv.invite_many(w.a, w.coordinator, "guest@example.com", "core")[0][0]
    request = JoinRequest(network_id=w.a.id, user_id=f.user().id)
    db.session.add(request)
    db.session.commit()
    target = db.session.scalar(sa.select(Membership).where(Membership.user_id == w.member.id))
    ids = {
        "token": outgoing.token,
        "invitation": outgoing.invitation.id,
        "request": request.id,
        "membership": target.id,
        "rule": w.contract_a.rules[0].id,
        "join": w.a.join_token,
    }
    person = {
        "member": w.member,
        "facilitator": w.facilitator,
        "coordinator": w.coordinator,
        "other": w.other,
        "admin": w.admin,
    }.get(who)
    if person:
        login_as(person)
    column = WHO.index(who)
    for endpoint, (method, expected) in MATRIX.items():
        if endpoint in CHANGES_WHO:
            continue  # they change who is who; checked below, one at a time
        url = _url(app, endpoint, w, ids)
        response = client.open(url, method=method)
        _check(response, expected[column], endpoint, who)


@pytest.mark.parametrize("endpoint", CHANGES_WHO)
@pytest.mark.parametrize("who", WHO)
def test_access_matrix_for_membership_changes(app, client, login_as, world, who, endpoint):
    w = world
    target = db.session.scalar(sa.select(Membership).where(Membership.user_id == w.coordinator.id))
    if endpoint in ("networks.remove_member", "networks.hand_on"):
        target = db.session.scalar(sa.select(Membership).where(Membership.user_id == w.member.id))
    ids = {
        "token": "x",
        "invitation": 0,
        "request": 0,
        "membership": target.id,
        "rule": 0,
        "join": "x",
    }
    person = {
        "member": w.member,
        "facilitator": w.facilitator,
        "coordinator": w.coordinator,
        "other": w.other,
        "admin": w.admin,
    }.get(who)
    if person:
        login_as(person)
    response = client.post(_url(app, endpoint, w, ids))
    _check(response, MATRIX[endpoint][1][WHO.index(who)], endpoint, who)


def _check(response, expected, endpoint, who):
    where = f"{endpoint} as {who}: {response.status_code} {response.headers.get('Location')}"
    if expected == LOGIN:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], where
    elif expected == OK:
        assert response.status_code in (200, 302), where
        assert "/auth/login" not in response.headers.get("Location", ""), where
    else:
        assert response.status_code == expected, where


def test_other_networks_ids_answer_404(client, login_as, world):
    w = world
    login_as(w.coordinator)
    other_rule = w.contract_b.rules[0].id
    b_member = db.session.scalar(sa.select(Membership).where(Membership.user_id == w.other.id))
    assert client.post(f"/networks/{w.a.id}/contract/rules/{other_rule}/up").status_code == 404
    assert client.post(f"/networks/{w.a.id}/members/{b_member.id}/remove").status_code == 404
    assert client.get(f"/networks/{w.b.id}").status_code == 404
    assert client.get("/networks/99999/members").status_code == 404
    b_invitation = inv.invite_many(w.b, w.other, "x@example.com", "core")[0][0].invitation
    db.session.commit()
    assert (
        client.post(f"/networks/{w.a.id}/invitations/{b_invitation.id}/revoke").status_code == 404
    )
    assert db.session.get(Invitation, b_invitation.id).revoked_at is None
