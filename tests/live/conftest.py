"""A room to run exercises in: one network's people at a meeting, and outsiders."""

from types import SimpleNamespace

import pytest

from netapp.networks.models import Role
from tests import factories as f


def make_room(members: int = 7, checked_in: bool = True) -> SimpleNamespace:
    """A network with a coordinator, a facilitator and `members` members at one meeting; the
    facilitator runs the room and so takes no part in its exercises (eight take part)."""
    org = f.organisation()
    net = f.network(org)
    coordinator = f.member(net, Role.COORDINATOR, name="Cora Coordinator")
    facilitator = f.member(net, Role.FACILITATOR, name="Finn Facilitator")
    people = [f.member(net, name=f"Member {i:02d}") for i in range(members)]
    meeting = f.meeting(net)
    for person in [coordinator, *people]:
        f.attendance(meeting, person, checked_in=checked_in)
    other = f.network(org)
    return SimpleNamespace(
        org=org,
        net=net,
        meeting=meeting,
        coordinator=coordinator,
        facilitator=facilitator,
        members=people,
        everyone=[coordinator, *people],
        outsider=f.member(other, Role.COORDINATOR, name="Otto Outsider"),
        admin=f.org_admin(org, name="Ada Admin"),
    )


@pytest.fixture(autouse=True)
def _no_shared_fragments_between_tests():
    """Tables are emptied per test and ids come back, under a frozen clock with the same
    creation time: a fragment shared in one test must not answer in the next."""
    from netapp.live.sharing import shelf

    shelf.clear()
    yield
    shelf.clear()


@pytest.fixture
def room(app):
    return make_room()
