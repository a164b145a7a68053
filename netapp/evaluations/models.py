"""Meeting evaluations, the periodic network check, and each network's evaluation settings."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings.models import Meeting
from netapp.networks.models import Network

SCALE = range(1, 6)  # every scale in the form runs 1-5
DEFAULT_ANONYMOUS = True
DEFAULT_CHECK_EVERY = 3


class EvaluationSettings(db.Model):
    """A network's choices; no row means the defaults (a GET never creates one)."""

    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), primary_key=True
    )
    anonymous_text: so.Mapped[bool] = so.mapped_column(default=DEFAULT_ANONYMOUS)
    # The network check (three requirements of a working network) joins every Nth meeting's round.
    check_every: so.Mapped[int] = so.mapped_column(default=DEFAULT_CHECK_EVERY)

    __table_args__ = (sa.CheckConstraint("check_every BETWEEN 1 AND 12", name="check_every"),)


class MeetingEvaluation(db.Model):
    """The evaluation round of one meeting, opened and closed by the facilitator."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Meeting.id, ondelete="CASCADE"), unique=True
    )
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    # Fixed when the round opens: changing the setting later never unmasks earlier answers.
    anonymous: so.Mapped[bool] = so.mapped_column(default=DEFAULT_ANONYMOUS)
    includes_check: so.Mapped[bool] = so.mapped_column(default=False)
    opened_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    closed_at: so.Mapped[datetime | None]
    # The shared tablet's way out: the facilitator's PIN, hashed; empty: no kiosk set up.
    kiosk_pin_hash: so.Mapped[str] = so.mapped_column(sa.String(200), default="",
                                                      server_default="")
    # Wrong PINs typed on the shared tablet, kept here and not in the tablet's cookie, which
    # whoever holds the tablet can drop or replay; at the limit no PIN is taken until then.
    kiosk_wrong_pins: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    kiosk_blocked_until: so.Mapped[datetime | None]

    meeting: so.Mapped[Meeting] = so.relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _scale(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_scale")


class EvaluationAnswer(db.Model):
    """One member's answer to one round; the unique pair makes a double submit an update."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    evaluation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(MeetingEvaluation.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    good: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    missed: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    energy: so.Mapped[int]
    rating: so.Mapped[int]
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # to the coordinator
    # The network check: filled only in rounds that include it.
    check_benefit: so.Mapped[int | None]  # do I get something personal out of it
    check_goal: so.Mapped[int | None]  # do we agree on the goal
    check_track: so.Mapped[int | None]  # are we on track and keeping focus
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    user: so.Mapped[User] = so.relationship()

    __table_args__ = (
        sa.UniqueConstraint("evaluation_id", "user_id"),
        _scale("energy"),
        _scale("rating"),
        _scale("check_benefit"),
        _scale("check_goal"),
        _scale("check_track"),
    )
