"""Every domain's models, imported together so metadata and migrations see them all."""

from netapp.auth.models import LoginFailure, User
from netapp.live.models import (
    CaseNote,
    Exercise,
    FlipoverPoint,
    InterviewPair,
    SparringGroup,
    SparringGroupMember,
)
from netapp.meetings.models import Attendance, Goal, Meeting, TopicWish
from netapp.networks.models import Membership, Network, Organisation, OrganisationAdmin

__all__ = [
    "Attendance",
    "CaseNote",
    "Exercise",
    "FlipoverPoint",
    "InterviewPair",
    "SparringGroup",
    "SparringGroupMember",
    "Goal",
    "LoginFailure",
    "Meeting",
    "Membership",
    "Network",
    "Organisation",
    "TopicWish",
    "OrganisationAdmin",
    "User",
]
