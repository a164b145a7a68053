"""A small world for the evaluation tests: network A with every role, network B, an org admin."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from netapp.auth.models import User, utcnow
from netapp.meetings.models import Meeting
from netapp.networks.models import Network, Role
from tests import factories as f


@dataclass
class World:
    net: Network
    other: Network
    coordinator: User
    facilitator: User
    members: list[User]
    absent: User  # member of A who sent afbud
    other_member: User
    other_coordinator: User
    admin: User
    meeting: Meeting  # A's meeting that just ended; everyone but `absent` was there
    other_meeting: Meeting


@pytest.fixture
def world(app) -> World:
    org = f.organisation()
    net, other = f.network(org), f.network(org)
    coordinator = f.member(net, Role.COORDINATOR, name="Cora Coordinator")
    facilitator = f.member(net, Role.FACILITATOR, name="Fiona Facilitator")
    members = [f.member(net, name=n) for n in ("Mads Member", "Maja Member", "Mikkel Member")]
    absent = f.member(net, name="Alma Afbud")
    other_member = f.member(other, name="Otto Other")
    other_coordinator = f.member(other, Role.COORDINATOR, name="Olga Other")
    admin = f.org_admin(org, name="Ada Admin")
    meeting = f.meeting(net, starts_at=(utcnow() - timedelta(hours=4)).replace(microsecond=0),
                        topic="Delegering")
    for person in (coordinator, facilitator, *members):
        f.attendance(meeting, person, "yes", checked_in=True)
    f.attendance(meeting, absent, "no")
    other_meeting = f.meeting(other, starts_at=utcnow() - timedelta(hours=5))
    f.attendance(other_meeting, other_member, "yes")
    return World(net, other, coordinator, facilitator, members, absent, other_member,
                 other_coordinator, admin, meeting, other_meeting)


def answer_form(**kw) -> dict:
    """A valid evaluation form post."""
    data = {"good": "The case round", "missed": "More time", "energy": "4", "rating": "5",
            "comment": ""}
    data.update(kw)
    return data
