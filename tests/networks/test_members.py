"""Roles, rotation, leaving, the last coordinator, and what the directory shows."""

import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks import invitations as inv
from netapp.networks.models import Invitation, Membership, Role
from tests import factories as f
from tests.submits import once


def _membership(user):
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))


def test_last_coordinator_cannot_leave_or_be_demoted(client, login_as, world):
    w = world
    login_as(w.coordinator)
    me = _membership(w.coordinator)
    r = client.post(f"/networks/{w.a.id}/leave", follow_redirects=True)
    assert "hand the role on" in r.text
    client.post(f"/networks/{w.a.id}/members/{me.id}/role", data={"position": "core"})
    db.session.refresh(me)
    assert me.role == Role.COORDINATOR


def test_hand_on_then_leave(client, login_as, world):
    w = world
    login_as(w.coordinator)
    target = _membership(w.member)
    client.post(f"/networks/{w.a.id}/members/{target.id}/hand-on")
    db.session.expire_all()
    assert _membership(w.member).role == Role.COORDINATOR
    assert _membership(w.coordinator).role == Role.MEMBER
    assert client.post(f"/networks/{w.a.id}/leave").headers["Location"].endswith("/home")
    assert _membership(w.coordinator) is None


def test_coordinator_changes_roles_and_removes(client, login_as, world):
    w = world
    login_as(w.coordinator)
    target = _membership(w.member)
    client.post(f"/networks/{w.a.id}/members/{target.id}/role", data={"position": "phase"})
    db.session.refresh(target)
    assert target.participation.value == "phase"
    client.post(f"/networks/{w.a.id}/members/{target.id}/role", data={"position": "boss"})
    db.session.refresh(target)
    assert target.role == Role.MEMBER
    client.post(f"/networks/{w.a.id}/members/{target.id}/remove")
    assert _membership(w.member) is None


def test_directory_shows_only_what_members_share(client, login_as, world):
    w = world
    f.profile(w.member, phone="11 22 33 44", share_phone=True, share_email=False)
    f.profile(w.coordinator, phone="99 88 77 66", share_phone=False, share_email=True)
    login_as(w.member)
    page = client.get(f"/networks/{w.a.id}/members").text
    assert "11 22 33 44" in page and "99 88 77 66" not in page
    assert w.coordinator.email in page and f"mailto:{w.member.email}" not in page
    client.post("/auth/logout")
    login_as(f.member(w.a, Role.GUEST, name="Gitte Guest"))  # an external coach: names only
    page = client.get(f"/networks/{w.a.id}/members").text
    assert w.member.name in page and "11 22 33 44" not in page and w.coordinator.email not in page
    client.post("/auth/logout")
    login_as(w.facilitator)  # the network's own facilitator sees what members share
    page = client.get(f"/networks/{w.a.id}/members").text
    assert "11 22 33 44" in page and w.coordinator.email in page


def test_a_shared_phone_number_dials_without_its_spaces(client, login_as, world):
    """A tel: address takes no spaces (the Nu validator refuses them); what is shown stays as
    typed, and text with no digits is shown without a link."""
    w = world
    f.profile(w.member, phone="+45 11 22-33 44", share_phone=True)
    f.profile(w.coordinator, phone="ring: \"<b>\"", share_phone=True)
    login_as(w.member)
    page = client.get(f"/networks/{w.a.id}/members").text
    assert '<a href="tel:+4511223344">+45 11 22-33 44</a>' in page
    assert "ring: &#34;&lt;b&gt;&#34;" in page and 'href="tel:"' not in page


def test_org_admin_sees_figures_and_appoints(client, login_as, world, outbox):
    w = world
    f.meeting(w.a)
    login_as(w.admin)
    page = client.get(f"/networks/org/{w.org.id}").text
    assert "Network A" in page and "Cora Coordinator" in page
    assert "Sparring on everyday leadership." not in page  # no content, figures only
    r = client.post(
        f"/networks/org/{w.org.id}/new", data={"once": once(),
                                               "name": "Fresh", "coordinator": "boss@example.com"}
    )
    assert r.status_code == 302
    assert f.to(outbox()[-1]) == "boss@example.com"
    client.post(
        f"/networks/org/{w.org.id}/networks/{w.a.id}/coordinators",
        data={"coordinator": w.member.email},
    )
    assert _membership(w.member).role == Role.COORDINATOR
    me = _membership(w.coordinator)
    client.post(f"/networks/org/{w.org.id}/networks/{w.a.id}/coordinators/{me.id}")
    db.session.refresh(me)
    assert me.role == Role.MEMBER
    assert client.get(f"/networks/{w.a.id}").status_code == 404  # not a member by that role


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
