"""Loading a meeting, exercise or group for the current user, else 404 (or 403 for a role).

Every live view goes through here, so another network's ids answer 404 like unknown ones.
Coordinators and facilitators run exercises; members follow (and run their own group).
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort
from flask_login import current_user

from netapp.database import prebuilt
from netapp.extensions import db
from netapp.live.models import Exercise, SparringGroup, SparringGroupMember
from netapp.meetings.models import Meeting
from netapp.networks.access import network_for
from netapp.networks.models import Membership, Role

RUNNERS = (Role.COORDINATOR, Role.FACILITATOR)


def meeting_for(meeting_id: int, *roles: Role) -> tuple[Meeting, Membership]:
    """A meeting of one of the current user's networks."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    _network, membership = network_for(meeting.network_id, *roles)
    return meeting, membership


def exercise_for(exercise_id: int, *roles: Role) -> tuple[Exercise, Membership]:
    """An exercise with its meeting (and groups with their members) in fixed queries."""
    exercise = db.session.scalar(_exercise_statement(), {"exercise_id": exercise_id})
    if exercise is None:
        abort(404)
    _network, membership = network_for(exercise.network_id, *roles)
    return exercise, membership


def group_for(group_id: int) -> tuple[SparringGroup, Membership]:
    """A sparring group of one of the current user's networks, with its members."""
    group = db.session.scalar(_group_statement(), {"group_id": group_id})
    if group is None:
        abort(404)
    _network, membership = network_for(group.exercise.network_id)
    return group, membership


@prebuilt
def _exercise_statement() -> sa.Select:
    return (
        sa.select(Exercise)
        .where(Exercise.id == sa.bindparam("exercise_id"))
        .options(
            so.joinedload(Exercise.meeting),
            so.selectinload(Exercise.groups).selectinload(SparringGroup.members),
        )
    )


@prebuilt
def _group_statement() -> sa.Select:
    return (
        sa.select(SparringGroup)
        .where(SparringGroup.id == sa.bindparam("group_id"))
        .options(
            so.joinedload(SparringGroup.exercise).joinedload(Exercise.meeting),
            so.selectinload(SparringGroup.members).joinedload(SparringGroupMember.user),
        )
    )


def can_run_group(group: SparringGroup, membership: Membership) -> bool:
    """A group's own members run its clock; so do the meeting's facilitators."""
    return membership.can_facilitate or current_user.id in group.member_ids
