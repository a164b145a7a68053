"""Every domain's models, imported together so metadata and migrations see them all."""

from netapp.auth.models import LoginFailure, User
from netapp.meetings.models import Attendance, Goal, Meeting, TopicWish
from netapp.networks.contract import Contract, ContractAcceptance, GroundRule
from netapp.networks.models import (
    Invitation,
    JoinRequest,
    Membership,
    Network,
    Organisation,
    OrganisationAdmin,
)
from netapp.networks.profiles import Profile

__all__ = [
    "Attendance",
    "Contract",
    "ContractAcceptance",
    "GroundRule",
    "Invitation",
    "JoinRequest",
    "Profile",
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
