"""Invitations end to end: the e-mail, its link, the account, and every broken link."""

import re
from datetime import timedelta

import sqlalchemy as sa

from netapp.auth.models import User
from netapp.extensions import db
from netapp.networks.models import Invitation, JoinRequest, Membership, Role
from tests import factories as f
from tests.submits import once


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/networks/invitation/\S+", body).group(0)


def _path(link: str) -> str:
    return link.split("netapp.test", 1)[1]


def test_bulk_invitation_sends_valid_lists_the_rest(client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    typed = f"ny@example.com, not-an-address\n{w.member.email}\nny@example.com; to@example.com"
    page = client.post(
        f"/networks/{w.a.id}/invitations", data={"once": once(),
                                                 "emails": typed, "position": "core"}
    )
    assert page.status_code == 200
    assert "2 invitations sent" in page.text or "2 invitations sent." in client.get("/home").text
    assert "not-an-address" in page.text and "not a valid e-mail address" in page.text
    assert "already a member" in page.text and "written more than once" in page.text
    box = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1)
    assert "not-an-address" in box and w.member.email in box and "to@example.com" not in box
    sent = outbox()
    assert sorted(f.to(m) for m in sent) == ["ny@example.com", "to@example.com"]
    assert "Network A" in sent[0]["Subject"] and w.coordinator.name in sent[0]["Subject"]
    body = sent[0].get_body(preferencelist=("plain",)).get_content()
    assert "Sparring on everyday leadership." in body


def test_new_person_accepts_from_the_emailed_link(app, client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    client.post(
        f"/networks/{w.a.id}/invitations", data={"once": once(),
                                                 "emails": "new@example.com", "position": "phase"}
    )
    client.post("/auth/logout")
    path = _path(_link(outbox()[-1]))
    page = client.get(path)
    assert page.status_code == 200 and "Create your account" in page.text
    assert "new@example.com" in page.text
    token = once()  # the same page, corrected and sent again
    bad = client.post(path, data={"name": "Nina New", "password": "short", "confirm": "short",
                                  "once": token})
    assert bad.status_code == 200 and 'value="Nina New"' in bad.text
    done = client.post(
        path,
        data={
            "once": token,
            "name": "Nina New",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
            "email": "evil@example.com",
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/networks/{w.a.id}")
    nina = db.session.scalar(User.by_email("new@example.com"))
    assert nina.name == "Nina New" and db.session.scalar(User.by_email("evil@example.com")) is None
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == nina.id))
    assert membership.role == Role.MEMBER and membership.participation.value == "phase"
    assert "Network A" in client.get(f"/networks/{w.a.id}").text
    client.post("/auth/logout")
    used = client.get(path)
    assert used.status_code == 410 and "already been used" in used.text


def test_existing_account_logs_in_then_joins(client, login_as, world, outbox):
    w = world
    login_as(w.other)
    client.post(
        f"/networks/{w.b.id}/invitations", data={"once": once(),
                                                 "emails": w.member.email, "position": "core"}
    )
    client.post("/auth/logout")
    path = _path(_link(outbox()[-1]))
    page = client.get(path)
    assert "Log in to accept" in page.text and "Create your account" not in page.text
    login_as(w.member)
    join = client.post(path)
    assert join.status_code == 302
    assert client.get(f"/networks/{w.b.id}").status_code == 200


def test_an_invitation_to_my_address_is_not_accepted_without_its_link(client, login_as, world):
    """Home lists nothing to accept, and the accept-by-address endpoint is gone."""
    w = world
    login_as(w.other)
    client.post(
        f"/networks/{w.b.id}/invitations",
        data={"once": once(), "emails": w.member.email, "position": "coordinator"},
    )
    login_as(w.member)
    home = client.get("/home")
    assert "invites you to Network B" not in home.text and "/accept" not in home.text
    invitation = db.session.scalar(sa.select(Invitation))
    assert client.post(f"/networks/invitations/{invitation.id}/accept").status_code == 404
    assert client.get(f"/networks/{w.b.id}").status_code == 404
    assert db.session.scalar(
        sa.select(Membership).where(Membership.network_id == w.b.id,
                                    Membership.user_id == w.member.id)
    ) is None


def test_taking_an_invited_address_opens_no_network(client, login_as, world, outbox):
    """A member who moves his e-mail to an address another network invited gets nothing:
    without the link the invitation stays closed (once, this made him its coordinator)."""
    w = world
    login_as(w.other)
    client.post(
        f"/networks/{w.b.id}/invitations",
        data={"once": once(), "emails": "boss@example.com", "position": "coordinator"},
    )
    login_as(w.member)
    client.post("/auth/profile", data={"name": w.member.name, "email": "boss@example.com",
                                       "language": "en", "password": f.PASSWORD})
    [confirm] = [m for m in outbox() if f.to(m) == "boss@example.com" and "/auth/email/" in
                 m.get_body(preferencelist=("plain",)).get_content()]
    link = re.search(r"http://netapp\.test(/auth/email/\S+)",
                     confirm.get_body(preferencelist=("plain",)).get_content()).group(1)
    client.post(link)  # suppose he reads that mailbox too
    db.session.expire_all()
    assert db.session.get(User, w.member.id).email == "boss@example.com"
    assert "Network B" not in client.get("/home").text
    invitation = db.session.scalar(sa.select(Invitation))
    assert client.post(f"/networks/invitations/{invitation.id}/accept").status_code == 404
    assert client.get(f"/networks/{w.b.id}").status_code == 404
    assert invitation.accepted_at is None


def test_expired_revoked_and_unknown_links_say_which(client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    client.post(
        f"/networks/{w.a.id}/invitations",
        data={"once": once(), "emails": "late@example.com gone@example.com", "position": "core"},
    )
    late, gone = (_path(_link(m)) for m in outbox())
    late_row = db.session.scalar(
        sa.select(Invitation).where(Invitation.email == "late@example.com")
    )
    gone_row = db.session.scalar(
        sa.select(Invitation).where(Invitation.email == "gone@example.com")
    )
    late_row.expires_at -= timedelta(days=15)
    db.session.commit()
    client.post(f"/networks/{w.a.id}/invitations/{gone_row.id}/revoke")
    client.post("/auth/logout")
    expired = client.get(late)
    assert expired.status_code == 410 and "has expired" in expired.text
    assert w.coordinator.name in expired.text
    revoked = client.get(gone)
    assert revoked.status_code == 410 and "withdrawn" in revoked.text
    unknown = client.get("/networks/invitation/nonsense")
    assert unknown.status_code == 404 and "do not know this invitation" in unknown.text


def test_resend_makes_a_new_link_and_the_old_one_stops(client, login_as, world, outbox):
    w = world
    login_as(w.coordinator)
    client.post(
        f"/networks/{w.a.id}/invitations", data={"once": once(),
                                                 "emails": "again@example.com", "position": "core"}
    )
    first = _path(_link(outbox()[-1]))
    row = db.session.scalar(sa.select(Invitation))
    client.post(f"/networks/{w.a.id}/invitations/{row.id}/resend")
    second = _path(_link(outbox()[-1]))
    assert first != second
    client.post("/auth/logout")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_shared_link_is_shown_once_and_works_for_many(client, login_as, world):
    w = world
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/invitations/link", data={"once": once(), "position": "core"})
    page = client.get(f"/networks/{w.a.id}/invitations")
    link = re.search(r'value="(http://netapp.test/networks/invitation/[^"]+)"', page.text).group(1)
    assert link not in client.get(f"/networks/{w.a.id}/invitations").text
    client.post("/auth/logout")
    for n in (1, 2):
        response = client.post(
            _path(link),
            data={
                "once": once(),
                "name": f"Guest {n}",
                "email": f"g{n}@example.com",
                "password": "a long passphrase",
                "confirm": "a long passphrase",
            },
        )
        assert response.status_code == 302
        client.post("/auth/logout")
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(Membership.network_id == w.a.id)
        )
        == 5
    )


def test_open_network_takes_requests_a_coordinator_approves(client, login_as, world):
    w = world
    w.a.is_open = True
    db.session.commit()
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/join-link")
    db.session.refresh(w.a)
    client.post("/auth/logout")
    outsider = f.user(name="Otto Outsider")
    login_as(outsider)
    assert client.get(f"/networks/join/{w.a.join_token}").status_code == 200
    client.post(f"/networks/join/{w.a.join_token}", data={"once": once(), "message": "Hej!"})
    client.post(f"/networks/join/{w.a.join_token}", data={"once": once(), "message": "Hej igen"})
    assert db.session.scalar(sa.select(sa.func.count(JoinRequest.id))) == 1
    client.post("/auth/logout")
    login_as(w.coordinator)
    assert "Otto Outsider" in client.get(f"/networks/{w.a.id}/invitations").text
    assert "1 request to join Network A" in client.get("/home").text
    request = db.session.scalar(sa.select(JoinRequest))
    client.post(f"/networks/{w.a.id}/requests/{request.id}/approve")
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == outsider.id))


def test_closed_network_has_no_join_page(client, login_as, world):
    w = world
    w.a.join_token = "closed-token"
    db.session.commit()
    login_as(w.other)
    assert client.get("/networks/join/closed-token").status_code == 404


def test_the_invitation_email_writes_the_networks_name_as_typed(client, login_as, world, outbox):
    w = world
    w.a.name = "Tand & Mund <Øst>"
    db.session.commit()
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/invitations", data={"once": once(), "emails": "ny@example.com",
                                                         "position": "core"})
    body = outbox()[-1].get_body(preferencelist=("plain",)).get_content()
    assert "the network Tand & Mund <Øst> as member" in body
    assert "&amp;" not in body and "&lt;" not in body


def test_a_coordinator_invites_a_guest_facilitator_or_the_networks_own(client, login_as, world,
                                                                        outbox):
    login_as(world.coordinator)
    page = client.get(f"/networks/{world.a.id}/invitations").text
    assert "Guest facilitator (external)" in page and "Facilitator of the network" in page
    for email, position in (("coach@example.com", "guest"), ("own@example.com", "facilitator")):
        client.post(f"/networks/{world.a.id}/invitations",
                    data={"once": once(), "emails": email, "position": position})
    roles = dict(db.session.execute(sa.select(Invitation.email, Invitation.role)).all())
    assert roles["coach@example.com"] == Role.GUEST and roles["own@example.com"] == Role.FACILITATOR
    bodies = {f.to(m): m.get_body(preferencelist=("plain",)).get_content() for m in outbox()}
    assert "as guest facilitator" in bodies["coach@example.com"]


def test_the_coordinator_sees_whether_each_invitation_went_out(client, login_as, world):
    from netapp.mail.models import FAILED, OutgoingMail
    from netapp.mail.outbox import deliver_due

    w = world
    login_as(w.coordinator)
    client.post(f"/networks/{w.a.id}/invitations",
                data={"once": once(), "emails": "a1@example.com\na2@example.com",
                      "position": "core"})
    page = client.get(f"/networks/{w.a.id}/invitations").text
    assert page.count("E-mail waiting to be sent") == 2
    deliver_due()
    db.session.execute(sa.update(OutgoingMail).where(OutgoingMail.recipient == "a2@example.com")
                       .values(status=FAILED))
    db.session.commit()
    page = client.get(f"/networks/{w.a.id}/invitations").text
    assert page.count("E-mail sent") == 1 and page.count("E-mail not delivered") == 1
