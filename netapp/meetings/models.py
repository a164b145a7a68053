"""Meetings of a network and each member's answer to them."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.networks.models import Network


class MeetingKind(enum.StrEnum):
    """The four kinds of meeting the seeds describe."""

    FIRST = "first"  # opstartsmøde
    FOLLOWING = "following"
    LUNCH_TO_LUNCH = "lunch_to_lunch"  # lunsj til lunsj: 24 hours
    VIRTUAL = "virtual"


class Answer(enum.StrEnum):
    """A member's answer to an invitation; NO is an afbud."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Meeting(db.Model):
    """One meeting; times are stored in UTC and shown in the network's time zone."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[MeetingKind] = so.mapped_column(
        sa.Enum(MeetingKind, native_enum=False, length=20), default=MeetingKind.FOLLOWING
    )
    starts_at: so.Mapped[datetime] = so.mapped_column(index=True)
    ends_at: so.Mapped[datetime]
    venue: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    video_link: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    host_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    topic: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    network: so.Mapped[Network] = so.relationship()
    host: so.Mapped[User | None] = so.relationship()

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    def __repr__(self) -> str:
        return f"<Meeting {self.id}>"


class Attendance(db.Model):
    """A member's answer to a meeting (yes, afbud with a reason, maybe) and check-in."""

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    answer: so.Mapped[Answer | None] = so.mapped_column(
        sa.Enum(Answer, native_enum=False, length=10)
    )
    reason: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    answered_at: so.Mapped[datetime | None]
    checked_in: so.Mapped[bool] = so.mapped_column(default=False)

    meeting: so.Mapped[Meeting] = so.relationship()
    user: so.Mapped[User] = so.relationship()


class GoalStatus(enum.StrEnum):
    """What became of a goal by the follow-up."""

    OPEN = "open"
    DONE = "done"
    UNDER_WAY = "under_way"
    DROPPED = "dropped"


class Goal(db.Model):
    """A member's målsætning between meetings; the next meeting opens by following it up.

    Visible to the network's members, never outside the network.
    """

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    owner_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    set_at_meeting_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="SET NULL"), index=True
    )
    text: so.Mapped[str] = so.mapped_column(sa.String(1000))
    status: so.Mapped[GoalStatus] = so.mapped_column(
        sa.Enum(GoalStatus, native_enum=False, length=20), default=GoalStatus.OPEN
    )
    follow_up_note: so.Mapped[str] = so.mapped_column(sa.String(1000), default="")
    followed_up_at: so.Mapped[datetime | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    owner: so.Mapped[User] = so.relationship()
    set_at_meeting: so.Mapped[Meeting | None] = so.relationship()


class TopicWish(db.Model):
    """A member's wish for a topic, method or form of a coming meeting (seed 003)."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    text: so.Mapped[str] = so.mapped_column(sa.String(500))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), default="topic")  # topic|method|form
    # Set when the coordinator makes the wish a meeting's topic.
    meeting_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="SET NULL"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    author: so.Mapped[User | None] = so.relationship()
