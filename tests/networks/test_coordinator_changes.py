"""Who coordinates a network never changes silently: the organisation admin cannot make
herself coordinator, and every change is kept, shown on the network page and e-mailed to
the coordinators, old and new."""

import re

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks import invitations as inv
from netapp.networks.models import CoordinatorChange, CoordinatorHow, Membership, Network, Role
from tests import factories as f
from tests.submits import once


def membership(person, network) -> Membership:
    db.session.expire_all()
    return db.session.scalar(sa.select(Membership).where(
        Membership.user_id == person.id, Membership.network_id == network.id))


def changes() -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(CoordinatorChange).order_by(CoordinatorChange.id))
    return [(c.user_id, c.became, c.how, c.by_id) for c in rows]


def recipients(outbox) -> set[str]:
    return {f.to(m) for m in outbox() if "coordinators of" in m["Subject"]}


def coordinators_url(w) -> str:
    return f"/networks/org/{w.org.id}/networks/{w.a.id}/coordinators"


@pytest.mark.parametrize("typed", ["same", "shouting"])
def test_the_admin_cannot_appoint_herself(client, login_as, world, typed):
    w = world
    login_as(w.admin)
    email = w.admin.email if typed == "same" else f"  {w.admin.email.upper()} "
    response = client.post(coordinators_url(w), data={"coordinator": email})
    assert response.status_code == 200 and "You cannot appoint yourself" in response.text
    new = client.post(f"/networks/org/{w.org.id}/new",
                      data={"once": once(), "name": "Her own", "coordinator": email})
    assert new.status_code == 200 and "You cannot appoint yourself" in new.text
    assert membership(w.admin, w.a) is None and changes() == []
    assert db.session.scalar(sa.select(Network).where(Network.name == "Her own")) is None
    # and so she reads nothing of the network's content
    assert client.get(f"/networks/{w.a.id}").status_code == 404
    assert client.get(f"/networks/{w.a.id}/members").status_code == 404
    assert client.get(f"/evaluations/network/{w.a.id}/health").status_code == 404


def test_appointing_a_friend_is_shown_and_told(client, login_as, world, outbox):
    w = world
    login_as(w.admin)
    client.post(coordinators_url(w), data={"coordinator": w.member.email})
    assert changes() == [(w.member.id, True, CoordinatorHow.APPOINTED, w.admin.id)]
    assert recipients(outbox) == {w.coordinator.email, w.member.email}
    [message] = [m for m in outbox() if f.to(m) == w.coordinator.email]
    body = message.get_body(("plain",)).get_content()
    assert "Mads Member became coordinator (by Alma Admin)" in body
    assert "Cora Coordinator" in body and "Mads Member" in body.split("Coordinators now:")[1]
    assert "Mads Member became coordinator" in client.get(coordinators_url(w)).text
    login_as(w.coordinator)
    page = client.get(f"/networks/{w.a.id}").text
    assert "Changes of coordinators" in page and "Mads Member became coordinator" in page
    assert "appointed by the organisation's admin: Alma Admin" in page
    login_as(w.member)  # every member sees the history, not only coordinators
    assert "Mads Member became coordinator" in client.get(f"/networks/{w.a.id}").text


def test_the_admin_taking_the_role_is_recorded(client, login_as, world, outbox):
    w = world
    f.member(w.a, Role.COORDINATOR, person=None, name="Carl Second")
    login_as(w.admin)
    target = membership(w.coordinator, w.a)
    client.post(f"{coordinators_url(w)}/{target.id}")
    assert changes() == [(w.coordinator.id, False, CoordinatorHow.UNAPPOINTED, w.admin.id)]
    assert w.coordinator.email in recipients(outbox)  # the one who lost the role is told
    assert len(recipients(outbox)) == 2


def test_a_coordinator_changing_roles_is_recorded(client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    mads = membership(w.member, w.a)
    url = f"/networks/{w.a.id}/members/{mads.id}/role"
    client.post(url, data={"position": "coordinator"})
    client.post(url, data={"position": "phase"})  # a change that is not about coordinating
    client.post(url, data={"position": "coordinator"})
    client.post(url, data={"position": "core"})
    assert changes() == [(w.member.id, True, CoordinatorHow.ROLE, w.coordinator.id),
                         (w.member.id, False, CoordinatorHow.ROLE, w.coordinator.id)] * 2
    facilitator = membership(w.facilitator, w.a)
    client.post(f"/networks/{w.a.id}/members/{facilitator.id}/role", data={"position": "core"})
    assert len(changes()) == 4
    assert recipients(outbox) == {w.coordinator.email, w.member.email}
    page = client.get(f"/networks/{w.a.id}").text
    assert "Mads Member is no longer coordinator" in page
    assert "role changed: Cora Coordinator" in page


def test_handing_on_is_recorded(client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    mads = membership(w.member, w.a)
    client.post(f"/networks/{w.a.id}/members/{mads.id}/hand-on")
    assert changes() == [(w.member.id, True, CoordinatorHow.HAND_ON, w.coordinator.id),
                         (w.coordinator.id, False, CoordinatorHow.HAND_ON, w.coordinator.id)]
    assert recipients(outbox) == {w.coordinator.email, w.member.email}
    assert len(outbox()) == 2  # one e-mail each, listing both changes
    assert "Cora Coordinator is no longer coordinator" in f.text_of(outbox()[0])


def test_leaving_and_being_removed_are_recorded(client, login_as, world, outbox):
    w = world
    second = f.member(w.a, Role.COORDINATOR, name="Carl Second")
    third = f.member(w.a, Role.COORDINATOR, name="Tove Third")
    login_as(second)
    client.post(f"/networks/{w.a.id}/leave")
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/members/{membership(third, w.a).id}/remove")
    assert changes() == [(second.id, False, CoordinatorHow.LEFT, second.id),
                         (third.id, False, CoordinatorHow.REMOVED, w.coordinator.id)]
    assert recipients(outbox) == {w.coordinator.email, second.email, third.email}
    page = client.get(f"/networks/{w.a.id}").text
    assert "Carl Second is no longer coordinator" in page and "left the network" in page
    assert "removed from the network: Cora Coordinator" in page


def test_accepting_a_coordinator_invitation_is_recorded(client, login_as, world, outbox):
    w = world
    newcomer = f.user(name="Nina New", email="nina@example.com")
    [outgoing], _problems = inv.invite_many(w.a, w.coordinator, newcomer.email, "coordinator")
    db.session.commit()
    login_as(newcomer)
    client.post(f"/networks/invitation/{outgoing.token}")
    assert membership(newcomer, w.a).role == Role.COORDINATOR
    assert changes() == [(newcomer.id, True, CoordinatorHow.INVITATION, w.coordinator.id)]
    assert recipients(outbox) == {w.coordinator.email, newcomer.email}


def test_deleting_a_coordinators_account_is_told(client, login_as, world, outbox):
    w = world
    second = f.member(w.a, Role.COORDINATOR, name="Carl Second")
    login_as(second)
    client.post("/privacy/delete", data={"password": f.PASSWORD, "confirm": "y"})
    assert changes() == [(None, False, CoordinatorHow.DELETED, None)]  # the person is gone
    assert recipients(outbox) == {w.coordinator.email}
    assert "A deleted account is no longer coordinator" in f.text_of(outbox()[0])


def test_a_refused_change_records_and_tells_nothing(client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/leave")  # the last coordinator cannot leave
    me = membership(w.coordinator, w.a)
    client.post(f"/networks/{w.a.id}/members/{me.id}/role", data={"position": "core"})
    assert me.role == Role.COORDINATOR and changes() == [] and recipients(outbox) == set()


def test_the_history_is_the_networks_own(client, login_as, world):
    w = world
    login_as(w.admin)
    client.post(coordinators_url(w), data={"coordinator": w.member.email})
    login_as(w.other)
    page = client.get(f"/networks/{w.b.id}").text
    history = page.split('id="coordinator-history"')[1].split("</section>")[0]
    assert "Mads Member" not in history and "No changes recorded yet." in history


def test_the_admin_cannot_take_the_invitation_she_sent_to_another_address(
        client, login_as, world, outbox):
    w = world
    login_as(w.admin)
    client.post(coordinators_url(w), data={"coordinator": "alma.private@example.com"})
    [message] = [m for m in outbox() if f.to(m) == "alma.private@example.com"]
    path = re.search(r"http://netapp\.test(/networks/invitation/\S+)",
                     message.get_body(("plain",)).get_content()).group(1)
    page = client.post(path, data={"once": once()})  # accepted by the account that sent it
    assert page.status_code == 403 and "You sent this invitation" in page.text
    assert membership(w.admin, w.a) is None and changes() == []
    assert client.get(f"/networks/{w.a.id}/members").status_code == 404
    friend = f.user(name="Fred Friend")
    login_as(friend)  # the invitation still works for anyone else it reaches
    assert client.post(path, data={"once": once()}).status_code == 302
    assert membership(friend, w.a).role == Role.COORDINATOR
