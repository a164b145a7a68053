"""Goals (målsætninger) between meetings, and the next meeting's follow-up on them."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _  # messages are shown later, in a request

from netapp.auth.models import User, utcnow
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Goal, GoalStatus, Meeting
from netapp.refusals import InvalidInput

MAX_GOAL = 1000
MAX_NOTE = 1000


class GoalError(InvalidInput):
    """Bad input for a goal."""


def create_goal(network, owner: User, text: str, meeting: Meeting | None = None) -> Goal:
    """Record a member's goal in the network, optionally set at a meeting (flushes, no commit).

    The live exercises call this to turn a case-giver's sparring note into a goal.
    """
    text = (text or "").strip()
    if not text:
        raise GoalError({"text": _("Write the goal.")})
    if len(text) > MAX_GOAL:
        raise GoalError({"text": _("Keep the goal under %(n)s characters.", n=MAX_GOAL)})
    if meeting is not None and meeting.network_id != network.id:
        raise GoalError({"text": _("That meeting belongs to another network.")})
    goal = Goal(
        network_id=network.id,
        owner_id=owner.id,
        text=text,
        set_at_meeting_id=meeting.id if meeting else None,
    )
    db.session.add(goal)
    db.session.flush()
    return goal


def follow_up(goal: Goal, status: GoalStatus, note: str, now: datetime | None = None) -> None:
    """The owner records what became of the goal: done, under way or dropped, with a note."""
    if status == GoalStatus.OPEN:
        raise GoalError({"status": _("Choose done, under way or dropped.")})
    if len(note or "") > MAX_NOTE:
        raise GoalError({"note": _("Keep the note under %(n)s characters.", n=MAX_NOTE)})
    goal.status, goal.follow_up_note = status, (note or "").strip()
    goal.followed_up_at = now or utcnow()
    db.session.flush()


def follow_up_list(meeting: Meeting) -> list[Goal]:
    """Goals of those who said yes: still open or under way, or closed since the last meeting.

    Goals set at this meeting itself are not followed up until the next one.
    """
    return list(db.session.scalars(_follow_up_statement(), {
        "meeting_id": meeting.id, "network_id": meeting.network_id,
        "starts_at": meeting.starts_at,
    }))


@prebuilt
def _follow_up_statement() -> sa.Select:
    meeting_id, network_id = sa.bindparam("meeting_id"), sa.bindparam("network_id")
    starts_at = sa.bindparam("starts_at")
    attending = sa.select(Attendance.user_id).where(
        Attendance.meeting_id == meeting_id, Attendance.answer == Answer.YES
    )
    previous = (  # when the network's meeting before this one started (None at the first)
        sa.select(sa.func.max(Meeting.starts_at))
        .where(Meeting.network_id == network_id, Meeting.starts_at < starts_at)
        .scalar_subquery()
    )
    return (
        sa.select(Goal)
        .where(
            Goal.network_id == network_id,
            Goal.owner_id.in_(attending),
            Goal.created_at < starts_at,
            sa.or_(Goal.set_at_meeting_id.is_(None), Goal.set_at_meeting_id != meeting_id),
            sa.or_(
                Goal.status.in_([GoalStatus.OPEN, GoalStatus.UNDER_WAY]),
                previous.is_(None),
                Goal.followed_up_at >= previous,
            ),
        )
        .options(so.joinedload(Goal.owner))
        .order_by(Goal.owner_id, Goal.created_at)
    )


def network_goals(network_id: int) -> list[Goal]:
    """Every goal of the network, newest first, with owners (one query)."""
    return list(
        db.session.scalars(
            sa.select(Goal)
            .where(Goal.network_id == network_id)
            .options(so.joinedload(Goal.owner), so.joinedload(Goal.set_at_meeting))
            .order_by(Goal.created_at.desc())
        )
    )


def my_open_goals(user_id: int) -> list[Goal]:
    """The user's goals still to follow up, across their networks (one query)."""
    return list(db.session.scalars(_my_open_goals_statement(), {"user_id": user_id}))


@prebuilt
def _my_open_goals_statement() -> sa.Select:
    return (
        sa.select(Goal)
        .where(
            Goal.owner_id == sa.bindparam("user_id"),
            Goal.status.in_([GoalStatus.OPEN, GoalStatus.UNDER_WAY]),
        )
        .order_by(Goal.created_at.desc())
        .limit(10)
    )
