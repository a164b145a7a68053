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
    # Lunch-to-lunch: a budget per person in whole kroner (the Norwegian handbook's figure
    # is 3,500 kr, docs/sources.md).
    budget_per_person: so.Mapped[int | None]
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # opsamling
    summary_sent_at: so.Mapped[datetime | None]
    invited_at: so.Mapped[datetime | None]
    # The calendar SEQUENCE: raised by every change of time, place or status, so calendars
    # that hold the invitation take the newer copy (RFC 5546); the UID never changes.
    sequence: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # Cancelled (aflyst/avlyst): kept, shown as cancelled, no longer answered or run.
    cancelled_at: so.Mapped[datetime | None]
    # Bumped by every accepted move of the running agenda (start, next, extend, skip), so a
    # second facilitator's tap aimed at the old item changes nothing (netapp.live.programme).
    run_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # The phase whose period holds the meeting's day (networks.phases keeps it so).
    phase_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("phase.id", ondelete="SET NULL"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    network: so.Mapped[Network] = so.relationship()
    host: so.Mapped[User | None] = so.relationship()
    agenda: so.Mapped[list["AgendaItem"]] = so.relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    tasks: so.Mapped[list["Task"]] = so.relationship(
        back_populates="meeting",
        order_by="Task.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_cancelled(self) -> bool:
        """True once the meeting is cancelled."""
        return self.cancelled_at is not None

    @property
    def minutes(self) -> int:
        """The meeting's length in minutes."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def agenda_minutes(self) -> int:
        """The planned agenda's running total."""
        return sum(item.minutes for item in self.agenda)

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
    """A member's wish for a topic, method or form of a coming meeting."""

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


class AgendaKind(enum.StrEnum):
    """What an agenda item is (the items of a first and a following meeting)."""

    WELCOME = "welcome"
    PRESENTATION_ROUND = "presentation_round"
    INTERVIEWS = "interviews"
    SPARRING = "sparring"
    TOPIC = "topic"
    GOAL_FOLLOW_UP = "goal_follow_up"
    EVALUATION = "evaluation"
    BREAK = "break"
    SOCIAL = "social"
    PLANNING_YEAR = "planning_year"  # the start-up meeting fills the dates and topics
    OTHER = "other"


class AgendaItem(db.Model):
    """One item of a meeting's agenda, with its planned length and, after, its notes."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    kind: so.Mapped[AgendaKind] = so.mapped_column(
        sa.Enum(AgendaKind, native_enum=False, length=30), default=AgendaKind.OTHER
    )
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    minutes: so.Mapped[int] = so.mapped_column(default=15)
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # the summary per item
    # The item in the room: ready, running (one at a time), done or skipped. Its clock is
    # started_at plus minutes and extra_seconds (netapp.live.agenda_clock).
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="ready",
                                              server_default="ready")
    started_at: so.Mapped[datetime | None]
    ended_at: so.Mapped[datetime | None]
    extra_seconds: so.Mapped[int] = so.mapped_column(default=0, server_default="0")

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="agenda")

    __table_args__ = (sa.CheckConstraint("minutes > 0 AND minutes <= 1440", name="sane_minutes"),)


class TaskKind(enum.StrEnum):
    """The practical tasks of a meeting (praktik og planlægning, facilitering)."""

    SET_DATES = "set_dates"
    BOOK_VENUE = "book_venue"
    WRITE_AGENDA = "write_agenda"
    CATERING = "catering"
    FOLLOW_UP = "follow_up"
    FACILITATION = "facilitation"


class Task(db.Model):
    """A practical task of one meeting, taken by or given to a member."""

    __table_args__ = (sa.UniqueConstraint("meeting_id", "kind"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[TaskKind] = so.mapped_column(sa.Enum(TaskKind, native_enum=False, length=20))
    assignee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    done: so.Mapped[bool] = so.mapped_column(default=False)

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="tasks")
    assignee: so.Mapped[User | None] = so.relationship()


class TopicWishVote(db.Model):
    """One member's support for a topic wish: one vote each."""

    __table_args__ = (sa.UniqueConstraint("wish_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    wish_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(TopicWish.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )


class MeetingSettings(db.Model):
    """A network's meeting settings; absent means the defaults (made on the first save)."""

    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), primary_key=True
    )
    reminder_days_before: so.Mapped[int] = so.mapped_column(default=3)
    answer_deadline_days: so.Mapped[int] = so.mapped_column(default=7)
    lunch_budget: so.Mapped[int] = so.mapped_column(default=3500)


class Reminder(db.Model):
    """A reminder sent by `flask send-reminders`: at most one per meeting and person."""

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    sent_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class CalendarFeed(db.Model):
    """A member's private calendar feed: the secret token in the URL, which can be reset.
    Only the token's SHA-256 is kept, so the address is shown once, when it is made."""

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), primary_key=True
    )
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
