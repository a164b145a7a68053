"""Who may open and do what on a meeting, its live exercises and its evaluation: one rule.

Every meeting, live and evaluation view loads its object through here. The network comes
first (networks.access.network_for): not being a member answers 404, so ids of another
network reveal nothing, and the organisation admin, who is no member, gets figures only
(evaluations.org). Inside the network the role decides:

| right    | what it covers                                            | who                   |
|----------|-----------------------------------------------------------|-----------------------|
| READ     | meeting page, agenda (view, print), calendar file, task   | everyone of the       |
|          | list, live pages, the flipover, one's own sparring group  | network               |
| ANSWER   | one's own evaluation answer                               | everyone of network   |
| RUN      | check-in, setting up and running live exercises and any   | coordinator,          |
|          | group's clock, the evaluation round (open, close, kiosk)  | facilitator           |
| RESULTS  | the round's results, free text included                   | as RUN                |
| PLAN     | edit, agenda editor, invite, remind, share out and assign | coordinator           |
|          | tasks, summary                                            |                       |

A cancelled meeting (aflyst/avlyst) keeps READ, and RESULTS of a round already held; every
other right ends with the cancellation and asking for one answers 409 (MeetingCancelled),
whoever asks: nobody answers, plans, runs or evaluates a meeting that will not happen.

A participant per phase (deltager der inddrages løbende: a member whose participation is
PHASE) has READ and ANSWER only on the meetings of the phases they are brought into, and on
the meetings outside every phase (the network's own, before a plan exists); the meetings of
the other phases answer 403 and are left out of their lists, feeds and invitations. Core
participants, coordinators and facilitators take part in every phase.

The phase plan (networks.phases) is planned by the coordinators and the co-driver, a member
the network names (Network.co_driver_id): `plans_phases`.

What only participants do (answer the invitation, record goals, take tasks other than the
facilitation) is `Membership.is_participant`, checked by those views on top of READ.

The network's facilitator opens and runs every meeting of the network without holding a
task. A member who holds a meeting's facilitation task (it rotates like the other tasks)
runs that meeting too. A guest facilitator (an external coach) has READ, ANSWER, RUN and
RESULTS on the meetings whose facilitation task they hold and nothing on the others, which
answer 403
(the network is theirs, so 404 would hide nothing). Case notes are the case-giver's own
(live.notes), whoever runs the room.
"""

from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, g
from flask_login import current_user
from werkzeug.exceptions import Conflict

from netapp.database import prebuilt
from netapp.extensions import db
from netapp.networks.access import admitted, network_for
from netapp.networks.models import Membership, Network, Participation, PhaseParticipant, Role

if TYPE_CHECKING:  # the meetings and live packages import this module from their views
    from netapp.live.models import Exercise, SparringGroup
    from netapp.meetings.models import Meeting

READ, ANSWER, RUN, RESULTS, PLAN = "read", "answer", "run", "results", "plan"

_RUNNING = frozenset({READ, ANSWER, RUN, RESULTS})
RIGHTS: dict[Role, frozenset[str]] = {
    Role.COORDINATOR: _RUNNING | {PLAN},
    Role.FACILITATOR: _RUNNING,
    Role.MEMBER: frozenset({READ, ANSWER}),
    Role.GUEST: frozenset(),  # on the meetings they do not facilitate
}
WHILE_CANCELLED = frozenset({READ, RESULTS})


class MeetingCancelled(Conflict):
    """A right a cancelled meeting no longer gives (the meetings blueprint words the page)."""


# Whoever holds a meeting's facilitation task runs that meeting: a guest facilitator, or a
# member whose turn it is (the task rotates among the members like the others).
BY_TASK = (Role.GUEST, Role.MEMBER)


def rights(role: Role, facilitates: bool) -> frozenset[str]:
    """What a role may do on one meeting; `facilitates`: holds its facilitation task."""
    if facilitates and role in BY_TASK:
        return RIGHTS[role] | _RUNNING
    return RIGHTS[role]


def per_phase(membership: Membership) -> bool:
    """A member brought in for some phases only, not a core participant."""
    return membership.role == Role.MEMBER and membership.participation == Participation.PHASE


def plans_phases(network: Network, membership: Membership) -> bool:
    """The coordinators plan the phases, with the co-driver the network names."""
    return membership.role == Role.COORDINATOR or (
        membership.role == Role.MEMBER and network.co_driver_id == membership.user_id)


def in_their_phases(membership: Membership, meeting_id: int) -> bool:
    """False when the meeting lies in a phase the participant per phase is not brought into."""
    if not per_phase(membership):
        return True
    known = g.setdefault("in_phases", {})
    key = (meeting_id, membership.user_id)
    if key not in known:
        known[key] = not outside_their_phases(meeting_id, membership.user_id)
    return known[key]


def outside_their_phases(meeting_id: int, user_id: int) -> bool:
    """True when the user is a participant per phase and the meeting lies in another phase."""
    return bool(db.session.scalar(sa.select(_outside_phases(meeting_id, user_id))))


def may(membership: Membership, meeting_id: int, need: str) -> bool:
    """True when the member (of the meeting's network) has the right `need` on the meeting."""
    if not in_their_phases(membership, meeting_id):
        return False
    if need in RIGHTS[membership.role]:
        return True
    return (membership.role in BY_TASK and need in _RUNNING
            and facilitates(meeting_id, membership.user_id))


def facilitates(meeting_id: int, user_id: int) -> bool:
    """True when the user holds the meeting's facilitation task (asked once per request)."""
    known = g.setdefault("facilitates", {})
    if (meeting_id, user_id) not in known:
        found = db.session.scalar(_task_statement(), {"meeting_id": meeting_id, "user_id": user_id})
        known[meeting_id, user_id] = found is not None
    return known[meeting_id, user_id]


def readable(role, meeting_id, user_id) -> sa.ColumnElement[bool]:
    """The READ rule as SQL, for lists and feeds: a guest sees only the meetings they facilitate.

    `role` is a Role, or a column holding one (Membership.role, in a query over networks).
    """
    from netapp.meetings.models import Task, TaskKind

    facilitated = sa.exists().where(
        Task.meeting_id == meeting_id, Task.kind == TaskKind.FACILITATION,
        Task.assignee_id == user_id)
    if isinstance(role, Role):
        if role == Role.GUEST:
            return facilitated
        return ~_outside_phases(meeting_id, user_id) if role == Role.MEMBER else sa.true()
    return sa.and_(sa.or_(role != Role.GUEST, facilitated), ~_outside_phases(meeting_id, user_id))


def readable_by(user_id, meeting_id, network_id) -> sa.ColumnElement[bool]:
    """The READ rule as SQL for a user by id, in queries that do not join their membership."""
    guest = sa.exists().where(Membership.network_id == network_id,
                              Membership.user_id == user_id, Membership.role == Role.GUEST)
    return sa.and_(sa.or_(~guest, readable(Role.GUEST, meeting_id, user_id)),
                   ~_outside_phases(meeting_id, user_id))


def _outside_phases(meeting_id, user_id) -> sa.Exists:
    """SQL: the user is a participant per phase and the meeting lies in another phase.

    Aliases keep the subquery from correlating with a Meeting or Membership of the query
    around it.
    """
    from netapp.meetings.models import Meeting

    meeting, member = so.aliased(Meeting), so.aliased(Membership)
    brought_in = sa.exists().where(PhaseParticipant.phase_id == meeting.phase_id,
                                   PhaseParticipant.user_id == user_id)
    return sa.exists().where(
        meeting.id == meeting_id, meeting.phase_id.is_not(None),
        member.network_id == meeting.network_id, member.user_id == user_id,
        member.role == Role.MEMBER, member.participation == Participation.PHASE,
        ~brought_in)


def _require(membership: Membership, meeting_id: int, need: str) -> None:
    if not may(membership, meeting_id, need):
        abort(403)


def _open_for(meeting: "Meeting", need: str) -> None:
    if meeting.cancelled_at is not None and need not in WHILE_CANCELLED:
        raise MeetingCancelled()


def meeting_for(meeting_id: int, need: str = READ) -> tuple["Meeting", Network, Membership]:
    """A meeting the current user may use for `need`: 404 outside its network, else 403."""
    meeting, network, membership = _with_network(_meeting_statement(), {"meeting_id": meeting_id})
    _require(membership, meeting.id, need)
    _open_for(meeting, need)
    return meeting, network, membership


def exercise_for(exercise_id: int, need: str = READ) -> tuple["Exercise", Membership]:
    """An exercise (with its meeting, groups and their members) the user may use for `need`."""
    exercise, _network, membership = _with_network(_exercise_statement(),
                                                   {"exercise_id": exercise_id})
    _load_groups(exercise)
    _require(membership, exercise.meeting_id, need)
    _open_for(exercise.meeting, need)
    return exercise, membership


def group_for(group_id: int) -> tuple["SparringGroup", Membership]:
    """A sparring group, with its members, of a meeting the current user may read."""
    group, _network, membership = _with_network(_group_statement(), {"group_id": group_id})
    _require(membership, group.exercise.meeting_id, READ)
    return group, membership


def can_run_group(group: "SparringGroup", membership: Membership) -> bool:
    """A group's own members run its clock; so do those who run the meeting."""
    return (current_user.id in group.member_ids
            or may(membership, group.exercise.meeting_id, RUN))


def members_only(network_id: int) -> tuple[Network, Membership]:
    """Network content for its participants (goals, wishes): not for facilitators, nor for
    participants per phase, who share the meetings of their phases only."""
    network, membership = network_for(network_id, Role.COORDINATOR, Role.MEMBER)
    if per_phase(membership):
        abort(403)
    return network, membership


@prebuilt
def _task_statement() -> sa.Select:
    from netapp.meetings.models import Task, TaskKind

    return sa.select(Task.id).where(
        Task.meeting_id == sa.bindparam("meeting_id"),
        Task.kind == TaskKind.FACILITATION,
        Task.assignee_id == sa.bindparam("user_id"),
    )


def _with_network(statement: sa.Select, params: dict) -> tuple:
    """The object a statement of `_in_network` finds, its network and the current user's
    membership, in one query; networks.access's rule decides (404 outside the network)."""
    row = db.session.execute(statement, {**params, "user_id": current_user.id}).first()
    if row is None:
        abort(404)
    found, network, membership = row
    return found, *admitted(network, membership)


def _in_network(model, network_id, through: tuple = ()) -> sa.Select:
    """`model` with the network of `network_id` (reached by joining `through` first, a
    target and its ON clause) and the current user's membership of it."""
    statement = sa.select(model, Network, Membership)
    if through:
        statement = statement.join(*through)
    return (
        statement
        .join(Network, Network.id == network_id)
        .outerjoin(Membership, sa.and_(Membership.network_id == network_id,
                                       Membership.user_id == sa.bindparam("user_id")))
    )


@prebuilt
def _meeting_statement() -> sa.Select:
    from netapp.meetings.models import Meeting

    return _in_network(Meeting, Meeting.network_id).where(
        Meeting.id == sa.bindparam("meeting_id"))


@prebuilt
def _exercise_statement() -> sa.Select:
    from netapp.live.models import Exercise

    return (
        _in_network(Exercise, Exercise.network_id)
        .where(Exercise.id == sa.bindparam("exercise_id"))
        .options(so.joinedload(Exercise.meeting))
    )


@prebuilt
def _groups_statement() -> sa.Select:
    from netapp.live.models import SparringGroup

    return (
        sa.select(SparringGroup)
        .where(SparringGroup.exercise_id == sa.bindparam("exercise_id"))
        .order_by(SparringGroup.number)
        .options(so.selectinload(SparringGroup.members))
    )


def _load_groups(exercise: "Exercise") -> None:
    """A sparring exercise's groups with their members; only sparring has groups, so any
    other kind is given none without asking (a clock fragment's render is a query shorter)."""
    from netapp.live.models import ExerciseKind

    groups = []
    if exercise.kind == ExerciseKind.SPARRING:
        groups = list(db.session.scalars(_groups_statement(), {"exercise_id": exercise.id}))
    so.attributes.set_committed_value(exercise, "groups", groups)


@prebuilt
def _group_statement() -> sa.Select:
    from netapp.live.models import Exercise, SparringGroup, SparringGroupMember

    return (
        _in_network(SparringGroup, Exercise.network_id,
                    through=(Exercise, Exercise.id == SparringGroup.exercise_id))
        .where(SparringGroup.id == sa.bindparam("group_id"))
        .options(
            so.contains_eager(SparringGroup.exercise).joinedload(Exercise.meeting),
            so.selectinload(SparringGroup.members).joinedload(SparringGroupMember.user),
        )
    )
