"""Live exercises of a meeting: their stored clocks, pairs, sparring groups, notes, flipover."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.live import clock
from netapp.live.clock import ClockState, Status
from netapp.meetings.models import AgendaItem, Meeting
from netapp.networks.models import Network

NOTE_MAX = 1000  # sparring notes may hold health data about third parties: keep them short
POINT_MAX = 300
QUESTION_MAX = 200


class ExerciseKind(enum.StrEnum):
    """The three exercises of the BFA leader-network guide (docs/sources.md)."""

    PRESENTATION = "presentation"
    INTERVIEWS = "interviews"
    SPARRING = "sparring"


class ClockColumns:
    """The columns of clock.ClockState: a restart of the server loses nothing."""

    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=Status.READY)
    step_index: so.Mapped[int] = so.mapped_column(default=0)
    started_at: so.Mapped[datetime | None]
    paused_at: so.Mapped[datetime | None]
    paused_seconds: so.Mapped[float] = so.mapped_column(default=0.0)
    extra_seconds: so.Mapped[int] = so.mapped_column(default=0)
    # Every accepted control bumps it; a control naming another version is stale.
    version: so.Mapped[int] = so.mapped_column(default=0)

    CLOCK_FIELDS = clock.FIELDS

    def clock_state(self) -> ClockState:
        """The stored clock as the pure clock functions take it."""
        return clock.state_of(self)

    def set_clock(self, state: ClockState) -> None:
        """Copy a state onto the columns (for building rows; controls use a conditional UPDATE)."""
        for name in self.CLOCK_FIELDS:
            setattr(self, name, getattr(state, name))


class Exercise(ClockColumns, db.Model):
    """One timed exercise of a meeting: a presentation round, interviews or sparring."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), index=True
    )
    # Copied from the meeting at creation, so access checks need no join.
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[ExerciseKind] = so.mapped_column(
        sa.Enum(ExerciseKind, native_enum=False, length=20)
    )
    # The facilitator's own name for it; empty: the kind's name.
    title: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    # The agenda item it was opened from; the room follows the item to it.
    agenda_item_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(AgendaItem.id, ondelete="SET NULL"), index=True
    )
    # Who runs the room takes no part unless they choose to: then they are here.
    joining_facilitator_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL")
    )
    # Seconds per step; a sparring exercise keeps its four phases here (each group repeats them).
    durations: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # Presentation: user ids in speaking order.
    speaker_ids: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # Interviews: questions the facilitator added to the bank.
    questions: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    round_minutes: so.Mapped[int] = so.mapped_column(default=20)
    rounds: so.Mapped[int] = so.mapped_column(default=2)
    auto_advance: so.Mapped[bool] = so.mapped_column(default=False)
    sound: so.Mapped[bool] = so.mapped_column(default=False)
    # Bumped by every change to the set-up (order, pairs, groups, questions, options), so a
    # polling tablet can tell "nothing changed" without re-reading it (netapp.live.polling).
    revision: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    meeting: so.Mapped[Meeting] = so.relationship()
    groups: so.Mapped[list["SparringGroup"]] = so.relationship(
        back_populates="exercise",
        order_by="SparringGroup.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    pairs: so.Mapped[list["InterviewPair"]] = so.relationship(
        back_populates="exercise",
        order_by="InterviewPair.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<Exercise {self.id} {self.kind}>"


class InterviewPair(db.Model):
    """Two (or three) people who interview each other; kept so later meetings mix anew."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    exercise_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Exercise.id, ondelete="CASCADE"), index=True
    )
    first_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"))
    second_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"))
    third_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"))

    exercise: so.Mapped[Exercise] = so.relationship(back_populates="pairs")

    @property
    def member_ids(self) -> list[int]:
        """In interview order: each is interviewed by the next."""
        return [i for i in (self.first_id, self.second_id, self.third_id) if i is not None]


class SparringGroup(ClockColumns, db.Model):
    """A group of 3-4 running its own rounds on its own clock (four phases per round)."""

    __table_args__ = (sa.UniqueConstraint("exercise_id", "number"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    exercise_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Exercise.id, ondelete="CASCADE"), index=True
    )
    number: so.Mapped[int]

    exercise: so.Mapped[Exercise] = so.relationship(back_populates="groups")
    members: so.Mapped[list["SparringGroupMember"]] = so.relationship(
        back_populates="group",
        order_by="SparringGroupMember.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def member_ids(self) -> list[int]:
        return [m.user_id for m in self.members]


class SparringGroupMember(db.Model):
    """One person's seat in a sparring group; `position` sets the order roles rotate in."""

    __table_args__ = (sa.UniqueConstraint("group_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(SparringGroup.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)

    group: so.Mapped[SparringGroup] = so.relationship(back_populates="members")
    user: so.Mapped[User] = so.relationship()


class CaseNote(db.Model):
    """A note-taker's note for the case-giver of one round: readable by those two only.

    May hold health data about third parties, so it is short and `flask purge-expired`
    deletes it after the organisation's retention period (counted from created_at).
    """

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    group_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(SparringGroup.id, ondelete="CASCADE"), index=True
    )
    round_index: so.Mapped[int]
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    case_giver_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    text: so.Mapped[str] = so.mapped_column(sa.String(NOTE_MAX))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)

    author: so.Mapped[User] = so.relationship(foreign_keys=[author_id])
    case_giver: so.Mapped[User] = so.relationship(foreign_keys=[case_giver_id])


class FlipoverPoint(db.Model):
    """A point from the interviews on the shared flipover; kept with the meeting."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), index=True
    )
    author_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    text: so.Mapped[str] = so.mapped_column(sa.String(POINT_MAX))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    author: so.Mapped[User | None] = so.relationship()
