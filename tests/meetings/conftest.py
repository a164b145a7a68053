"""Two networks of one organisation, with every role the meetings pages tell apart."""

from dataclasses import dataclass

import pytest

from netapp.networks.models import Network, Role
from tests import factories as f


@dataclass
class World:
    net: Network
    coordinator: object
    facilitator: object  # the network's own: runs every meeting
    guest: object  # a guest facilitator (external coach): only the meetings they facilitate
    members: list
    other_net: Network
    other_member: object
    other_coordinator: object
    admin: object


@pytest.fixture
def world(app) -> World:
    org = f.organisation()
    net = f.network(org, name="Ledere Øst")
    other = f.network(org, name="Ledere Vest")
    return World(
        net=net,
        coordinator=f.member(net, Role.COORDINATOR, name="Cora Coordinator"),
        facilitator=f.member(net, Role.FACILITATOR, name="Finn Facilitator"),
        guest=f.member(net, Role.GUEST, name="Gitte Guest"),
        members=[f.member(net, name=f"Member {i}") for i in range(3)],
        other_net=other,
        other_member=f.member(other, name="Otto Other"),
        other_coordinator=f.member(other, Role.COORDINATOR, name="Olga Other"),
        admin=f.org_admin(org, name="Ada Admin"),
    )
