"""Two coordinators (or tabs) inviting one address to one network at the same instant make
one open invitation: the database's unique open address decides, on SQLite and PostgreSQL,
and the other gets the ordinary "already invited" answer, never a 500."""


import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.networks.models import Invitation, Role
from tests import factories as f
from tests.races import at_once, logged_in, threaded_app
from tests.submits import once


@pytest.fixture
def shared_app(tmp_path, empty_database_url):
    """A database of its own that threads share."""
    with threaded_app(empty_database_url, str(tmp_path)) as app:
        yield app


def _client(app, person):
    return logged_in(app, person)


def _at_once(clients, path, typed):
    return at_once(*(lambda c=c: c.post(path, data={"once": once(), "emails": typed,
                                                    "position": "core"}) for c in clients))


def _open(network_id) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Invitation.email).where(
        Invitation.network_id == network_id, Invitation.open_email.is_not(None))))


def test_two_coordinators_and_a_third_tab_inviting_one_address_make_one(shared_app, outbox):
    org = f.organisation()
    net = f.network(org, name="Net")
    cora = f.member(net, Role.COORDINATOR, language="en")
    carl = f.member(net, Role.COORDINATOR, language="en")
    clients = [_client(shared_app, cora), _client(shared_app, carl), _client(shared_app, cora)]
    pages = _at_once(clients, f"/networks/{net.id}/invitations", "Same@Example.com")
    assert all(p.status_code in (200, 302) for p in pages), [p.status_code for p in pages]
    assert _open(net.id) == ["same@example.com"]
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1
    refused = [p for p in pages if p.status_code == 200]
    assert len(refused) == 2
    for page in refused:
        assert "already invited: send the invitation again from the list" in page.text
        assert "Same@Example.com" in page.text  # what was typed stays in the box
    assert [f.to(m) for m in outbox()] == ["same@example.com"]


def test_another_network_may_invite_the_same_address_at_the_same_instant(shared_app):
    org = f.organisation()
    one, two = f.network(org, name="One"), f.network(org, name="Two")
    cora = f.member(one, Role.COORDINATOR, language="en")
    olga = f.member(two, Role.COORDINATOR, language="en")
    clients = {one.id: _client(shared_app, cora), two.id: _client(shared_app, olga)}
    pages = dict(zip(clients, at_once(*(
        lambda n=n: clients[n].post(f"/networks/{n}/invitations", data={
            "once": once(), "emails": "both@example.com", "position": "core"})
        for n in clients)), strict=True))
    assert [p.status_code for p in pages.values()] == [302, 302]
    assert _open(one.id) == ["both@example.com"] and _open(two.id) == ["both@example.com"]
    # and olga cannot invite into cora's network
    assert clients[two.id].post(f"/networks/{one.id}/invitations", data={
        "once": once(), "emails": "x@example.com", "position": "core"}).status_code == 404
    assert _open(one.id) == ["both@example.com"]


def test_revoked_accepted_and_expired_invitations_free_the_address(app, client, login_as,
                                                                    frozen_clock):
    org = f.organisation()
    net = f.network(org)
    cora = f.member(net, Role.COORDINATOR, language="en")
    login_as(cora)
    path = f"/networks/{net.id}/invitations"

    def invite():
        return client.post(path, data={"once": once(), "emails": "back@example.com",
                                       "position": "core"})

    assert invite().status_code == 302
    assert "already invited" in invite().text
    first = db.session.scalar(sa.select(Invitation))
    client.post(f"{path}/{first.id}/revoke")
    assert invite().status_code == 302  # revoked: a new one may be made
    frozen_clock.advance(days=15)  # past INVITATION_DAYS: expired
    assert invite().status_code == 302
    assert _open(net.id) == ["back@example.com"]
    # re-sending the revoked first one now would make two open: refused, nothing changes
    page = client.post(f"{path}/{first.id}/resend", follow_redirects=True)
    assert page.status_code == 200
    assert "back@example.com already has an open invitation to this network." in page.text
    assert _open(net.id) == ["back@example.com"]


def test_nul_bytes_in_the_addresses_get_a_message_and_make_nothing(app, client, login_as):
    org = f.organisation()
    net = f.network(org)
    login_as(f.member(net, Role.COORDINATOR, language="en"))
    page = client.post(f"/networks/{net.id}/invitations",
                       data={"once": once(), "emails": "nul\x00@example.com", "position": "core"})
    assert page.status_code == 200 and "invisible control characters" in page.text
    assert _open(net.id) == []
