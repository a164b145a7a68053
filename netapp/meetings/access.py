"""Who may see a meeting: members and coordinators of its network, and its own facilitator."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from netapp.extensions import db
from netapp.meetings.models import Meeting, Task, TaskKind
from netapp.networks.access import network_for
from netapp.networks.models import Membership, Network, Role

READ = "read"  # members and coordinators; a facilitator only for the meetings they facilitate
RUN = "run"  # coordinators, and the meeting's facilitator (check-in, follow-up list)
PLAN = "plan"  # coordinators only


def facilitates(meeting_id: int, user_id: int) -> bool:
    """True when the user holds the meeting's facilitation task."""
    return (
        db.session.scalar(
            sa.select(Task.id).where(
                Task.meeting_id == meeting_id,
                Task.kind == TaskKind.FACILITATION,
                Task.assignee_id == user_id,
            )
        )
        is not None
    )


def meeting_for(meeting_id: int, need: str = READ) -> tuple[Meeting, Network, Membership]:
    """Load a meeting the current user may use for `need`, else 404 (not a member) or 403."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    network, membership = network_for(meeting.network_id)
    if membership.role == Role.COORDINATOR:
        return meeting, network, membership
    if need == PLAN:
        abort(403)
    if membership.role == Role.FACILITATOR:
        if not facilitates(meeting.id, current_user.id):
            abort(403)
    elif need == RUN:
        abort(403)
    return meeting, network, membership


def members_only(network_id: int) -> tuple[Network, Membership]:
    """Network content for its members and coordinators (goals, wishes): not for guests."""
    return network_for(network_id, Role.COORDINATOR, Role.MEMBER)
