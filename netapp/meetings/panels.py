"""The meetings panel on the home page: my next meetings and answers, my tasks, my goals."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp import access
from netapp.auth.models import utcnow
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.main.panels import home_panel
from netapp.meetings import goals, tasks
from netapp.meetings.models import Attendance, Meeting
from netapp.networks.models import Membership, Role


def next_meetings(
    user_id: int, now: datetime, limit: int = 5
) -> list[tuple[Meeting, Attendance | None, Role]]:
    """The user's coming meetings (a guest facilitator's own only), with their answer and
    their role in its network (facilitators give no answer), in one query."""
    rows = db.session.execute(
        _next_meetings_statement(), {"user_id": user_id, "now": now, "limit": limit}
    ).all()
    return [(meeting, answer, role) for meeting, answer, role in rows]


@prebuilt
def _next_meetings_statement() -> sa.Select:
    user_id = sa.bindparam("user_id")
    return (
        sa.select(Meeting, Attendance, Membership.role)
        .join(Membership, Membership.network_id == Meeting.network_id)
        .outerjoin(
            Attendance, sa.and_(Attendance.meeting_id == Meeting.id, Attendance.user_id == user_id)
        )
        .where(
            Membership.user_id == user_id,
            access.readable(Membership.role, Meeting.id, user_id),
            Meeting.ends_at > sa.bindparam("now"),
        )
        .options(so.joinedload(Meeting.network))
        .order_by(Meeting.starts_at)
        .limit(sa.bindparam("limit"))
    )


@home_panel("meetings/_home.html")
def meetings_panel(user) -> dict | None:
    """Three queries whatever the number of networks, meetings and answers."""
    now = utcnow()
    coming = next_meetings(user.id, now)
    my_tasks = tasks.open_tasks_of(user.id, now)
    my_goals = goals.my_open_goals(user.id)
    if not (coming or my_tasks or my_goals):
        return None
    return {"meetings": coming, "tasks": my_tasks, "goals": my_goals}
