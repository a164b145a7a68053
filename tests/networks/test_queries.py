"""The home panel and the network page use a fixed number of queries, whatever the data."""

from netapp.networks.contract import accept
from netapp.networks.invitations import invite_many
from netapp.networks.models import Role
from tests import factories as f


def _grow(person, org, networks: int):
    """Give the person `networks` networks, each with members, meetings and a contract."""
    for n in range(networks):
        net = f.network(org)
        f.member(net, Role.COORDINATOR if n % 2 else Role.MEMBER, person=person)
        for _ in range(3):
            f.member(net)
        f.meeting(net)
        f.meeting(net)
        contract = f.contract(net)
        if n % 3 == 0:
            accept(contract, person.id)
        other = f.network(org)
        invite_many(other, f.user(), person.email, "core")
    from netapp.extensions import db

    db.session.commit()


def _count(client, count_queries, url):
    with count_queries() as n:
        response = client.get(url)
    assert response.status_code == 200
    return n()


def test_home_panel_queries_do_not_grow(client, login_as, count_queries):
    org = f.organisation()
    person = f.user()
    _grow(person, org, 2)
    login_as(person)
    small = _count(client, count_queries, "/home")
    _grow(person, org, 8)
    large = _count(client, count_queries, "/home")
    assert small == large
    assert large <= 16  # login, then one or two per panel (networks, meetings, live, evaluations)


def test_network_page_queries_do_not_grow(client, login_as, count_queries):
    org = f.organisation()
    net = f.network(org)
    person = f.member(net, Role.COORDINATOR)
    f.contract(net)
    login_as(person)
    small = _count(client, count_queries, f"/networks/{net.id}")
    for _ in range(15):
        f.member(net)
    large = _count(client, count_queries, f"/networks/{net.id}")
    assert small == large
    members = _count(client, count_queries, f"/networks/{net.id}/members")
    for _ in range(10):
        f.member(net)
    assert _count(client, count_queries, f"/networks/{net.id}/members") == members
