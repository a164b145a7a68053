"""Every domain's models, imported together so metadata and migrations see them all."""

from netapp.auth.models import LoginFailure, User
from netapp.meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Goal,
    Meeting,
    MeetingSettings,
    Reminder,
    Task,
    TopicWish,
    TopicWishVote,
)
from netapp.networks.models import Membership, Network, Organisation, OrganisationAdmin

__all__ = [
    "AgendaItem",
    "CalendarFeed",
    "MeetingSettings",
    "Reminder",
    "Task",
    "TopicWishVote",
    "Attendance",
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
