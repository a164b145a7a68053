"""Practical tasks per meeting and a fair rotation: who did a task kind least recently."""

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.meetings.models import Meeting, Task, TaskKind
from netapp.networks.models import Membership, Role

FOLLOW_UP_DAYS = timedelta(days=14)  # a follow-up task stays on the home page a fortnight

# One past task: (who, what, when the meeting was).
Done = tuple[int, TaskKind, datetime]


def suggest(
    kinds: list[TaskKind], candidates: list[int], history: list[Done]
) -> dict[TaskKind, int]:
    """Give each task kind to the candidate who did that kind least recently (never = first).

    Ties go to whoever has been given fewer tasks in this round, then fewer tasks ever,
    then the order of `candidates`; so six tasks among six people go to six people.
    """
    if not candidates:
        return {}
    last: dict[tuple[int, TaskKind], datetime] = {}
    total: dict[int, int] = {}
    for person, kind, when in history:
        if person in candidates:
            last[(person, kind)] = max(when, last.get((person, kind), datetime.min))
            total[person] = total.get(person, 0) + 1
    given: dict[int, int] = {}
    result = {}
    for kind in kinds:
        best = min(
            candidates,
            key=lambda p: (
                last.get((p, kind), datetime.min),
                given.get(p, 0),
                total.get(p, 0),
                candidates.index(p),
            ),
        )
        result[kind] = best
        given[best] = given.get(best, 0) + 1
    return result


def ensure_tasks(meeting: Meeting) -> list[Task]:
    """Every task kind exists once on the meeting (created on a POST, never on a GET)."""
    have = {task.kind for task in meeting.tasks}
    for kind in TaskKind:
        if kind not in have:
            meeting.tasks.append(Task(kind=kind))
    db.session.flush()
    return meeting.tasks


def history(network_id: int, before: datetime) -> list[Done]:
    """Who did which task at the network's earlier meetings (one query)."""
    rows = db.session.execute(
        sa.select(Task.assignee_id, Task.kind, Meeting.starts_at)
        .join(Meeting)
        .where(
            Meeting.network_id == network_id,
            Meeting.starts_at < before,
            Task.assignee_id.is_not(None),
        )
    ).all()
    return [(person, kind, when) for person, kind, when in rows]


def candidates(network_id: int, kind: TaskKind | None = None) -> list[User]:
    """Who can take tasks: coordinators and members; facilitators (guests too) for facilitation."""
    roles = [Role.COORDINATOR, Role.MEMBER]
    if kind is None or kind == TaskKind.FACILITATION:
        roles += [Role.FACILITATOR, Role.GUEST]
    return list(db.session.scalars(Membership.people(network_id, roles)))


def share_out(meeting: Meeting) -> dict[TaskKind, int]:
    """Give every unassigned task to the member the rotation suggests."""
    ensure_tasks(meeting)
    open_kinds = [t.kind for t in meeting.tasks if t.assignee_id is None]
    people = [u.id for u in candidates(meeting.network_id, TaskKind.SET_DATES)]
    plan = suggest(open_kinds, people, history(meeting.network_id, meeting.starts_at))
    for task in meeting.tasks:
        if task.assignee_id is None and task.kind in plan:
            task.assignee_id = plan[task.kind]
    db.session.flush()
    return plan


def assign(task: Task, user_id: int | None) -> None:
    """Give the task to a member of the meeting's network, or free it (None)."""
    if user_id is not None:
        allowed = {u.id for u in candidates(task.meeting.network_id, task.kind)}
        if user_id not in allowed:
            raise LookupError(user_id)
    task.assignee_id = user_id
    db.session.flush()


def task_of(meeting: Meeting, task_id: int) -> Task | None:
    """The meeting's task with this id, or None for another meeting's."""
    return next((task for task in meeting.tasks if task.id == task_id), None)


def open_tasks_of(user_id: int, now: datetime) -> list[Task]:
    """The member's tasks that are not done, for meetings still to come; the follow-up,
    which comes after its meeting, stays a fortnight after it (one query)."""
    return list(db.session.scalars(
        _open_tasks_statement(),
        {"user_id": user_id, "now": now, "since": now - FOLLOW_UP_DAYS},
    ))


@prebuilt
def _open_tasks_statement() -> sa.Select:
    return (
        sa.select(Task)
        .join(Meeting)
        .where(
            Task.assignee_id == sa.bindparam("user_id"),
            Task.done.is_(False),
            sa.or_(
                Meeting.ends_at > sa.bindparam("now"),
                sa.and_(Task.kind == TaskKind.FOLLOW_UP, Meeting.ends_at > sa.bindparam("since")),
            ),
        )
        .options(so.contains_eager(Task.meeting).joinedload(Meeting.network))
        .order_by(Meeting.starts_at)
        .limit(10)
    )
