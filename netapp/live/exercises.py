"""Setting exercises up: who takes part, speaking order, interview pairs, sparring groups."""

import secrets
from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.live import grouping
from netapp.live.clock import Status
from netapp.live.models import (
    Exercise,
    ExerciseKind,
    InterviewPair,
    SparringGroup,
    SparringGroupMember,
)
from netapp.live.services import is_under_way, set_up_changed
from netapp.meetings.attendance import PARTICIPANT_ROLES
from netapp.meetings.models import Answer, Attendance, Meeting, Task, TaskKind
from netapp.networks.models import Membership
from netapp.refusals import Refused

MIN_PEOPLE = {ExerciseKind.PRESENTATION: 2, ExerciseKind.INTERVIEWS: 2, ExerciseKind.SPARRING: 3}


class SetupError(Refused):
    """An exercise that cannot be set up or changed; `code` picks the message in the view."""


def attendees(meeting: Meeting, joining: int | None = None) -> list[User]:
    """Who takes part: those checked in, else those who said yes, among the network's
    participants (coordinators and members), by name. Whoever holds the meeting's
    facilitation task runs the room and is left out; `joining` (the one running it, when
    they choose to take part) is added."""
    facilitating = sa.select(Task.assignee_id).where(
        Task.meeting_id == meeting.id, Task.kind == TaskKind.FACILITATION,
        Task.assignee_id.is_not(None))
    rows = db.session.execute(
        sa.select(User, Attendance.checked_in)
        .join(Attendance, Attendance.user_id == User.id)
        .join(
            Membership,
            sa.and_(Membership.user_id == User.id, Membership.network_id == meeting.network_id),
        )
        .where(
            Attendance.meeting_id == meeting.id,
            Membership.role.in_(PARTICIPANT_ROLES),
            User.id.not_in(facilitating),
            sa.or_(Attendance.checked_in.is_(True), Attendance.answer == Answer.YES),
        )
        .order_by(User.name, User.id)
    ).all()
    checked_in = [user for user, checked in rows if checked]
    people = checked_in or [user for user, _checked in rows]
    if joining is not None and joining not in {p.id for p in people}:
        extra = db.session.scalar(
            sa.select(User).join(Membership, Membership.user_id == User.id)
            .where(User.id == joining, Membership.network_id == meeting.network_id))
        people = sorted([*people, *([extra] if extra else [])], key=lambda u: (u.name, u.id))
    return people


participants = attendees


def largest_group(people: int) -> int:
    """The size of the largest sparring group for this many people (3 or 4, fewer when few)."""
    try:
        return max(grouping.group_sizes(people))
    except grouping.GroupingError:
        return max(1, min(4, people))


def follow_check_in(meeting: Meeting) -> list[Exercise]:
    """Exercises not started yet take the people checked in now: walk-ins join, absentees
    leave (pairs and groups are formed anew). Those too small for the room now are left as
    they are; their start says why. Started exercises keep their people."""
    changed = []
    for exercise in db.session.scalars(sa.select(Exercise).where(
            Exercise.meeting_id == meeting.id).order_by(Exercise.id)):
        if is_under_way(exercise):
            continue
        ids = [p.id for p in attendees(meeting, exercise.joining_facilitator_id)]
        if sorted(ids) == sorted(people_of(exercise)) or len(ids) < MIN_PEOPLE[exercise.kind]:
            continue
        _reform(exercise, ids)
        changed.append(exercise)
    return changed


def under_way(meeting: Meeting) -> list[Exercise]:
    """The meeting's exercises that have started (and so keep the people they started with)."""
    return [e for e in db.session.scalars(sa.select(Exercise).where(
        Exercise.meeting_id == meeting.id).order_by(Exercise.id)) if is_under_way(e)]


def people_of(exercise: Exercise) -> list[int]:
    """Everyone the exercise was formed for."""
    if exercise.kind == ExerciseKind.PRESENTATION:
        return list(exercise.speaker_ids)
    if exercise.kind == ExerciseKind.INTERVIEWS:
        return [i for pair in exercise.pairs for i in pair.member_ids]
    return [i for group in exercise.groups for i in group.member_ids]


def _reform(exercise: Exercise, ids: list[int]) -> None:
    if exercise.kind == ExerciseKind.PRESENTATION:
        kept = [i for i in exercise.speaker_ids if i in ids]
        exercise.speaker_ids = kept + [i for i in ids if i not in kept]
        per_speaker = exercise.durations[0] if exercise.durations else 120
        exercise.durations = [per_speaker] * len(exercise.speaker_ids)
    else:
        exercise.pairs.clear()
        exercise.groups.clear()
        db.session.flush()
        if exercise.kind == ExerciseKind.INTERVIEWS:
            _make_pairs(exercise, sorted(ids))
        else:
            _make_groups(exercise, sorted(ids))
            exercise.rounds = max(len(g.members) for g in exercise.groups)
    set_up_changed(exercise)
    db.session.flush()


def practice_types(user_ids: Sequence[int]) -> dict[int, str]:
    """Each person's practice type from the networks Profile, where that model exists yet.

    The profile is built in parallel by the networks domain; until it is there (or if its
    shape differs) grouping simply has no types to mix, which it handles.
    """
    try:
        from netapp.networks.models import Profile  # type: ignore[attr-defined]

        rows = db.session.execute(
            sa.select(Profile.user_id, Profile.practice_type).where(Profile.user_id.in_(user_ids))
        ).all()
    except (ImportError, AttributeError):
        return {}
    return {user_id: practice or "" for user_id, practice in rows}


class Person(NamedTuple):
    """Who a live screen names: all it shows of a user."""

    id: int
    name: str


def people_by_id(ids: Sequence[int]) -> dict[int, Person]:
    """The names of the users with these ids, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(_people_statement(), {"ids": sorted(set(ids))})
    return {row.id: Person(row.id, row.name) for row in rows}


@prebuilt
def _people_statement() -> sa.Select:
    return sa.select(User.id, User.name).where(User.id.in_(sa.bindparam("ids", expanding=True)))


def create(meeting: Meeting, kind: ExerciseKind, durations: list[int], **options) -> Exercise:
    """A new exercise for the meeting's attendees; SetupError("too_few") when too few."""
    people = attendees(meeting, options.get("joining_facilitator_id"))
    if len(people) < MIN_PEOPLE[kind]:
        raise SetupError("too_few")
    ids = [person.id for person in people]
    if options.get("rounds") is None:
        options.pop("rounds", None)
    exercise = Exercise(
        meeting=meeting, network_id=meeting.network_id, kind=kind, durations=durations, **options
    )
    db.session.add(exercise)
    if kind == ExerciseKind.PRESENTATION:
        exercise.speaker_ids = ids
        exercise.durations = durations * len(ids)
    elif kind == ExerciseKind.INTERVIEWS:
        _make_pairs(exercise, ids)
    else:
        _make_groups(exercise, ids)
        if "rounds" not in options:
            exercise.rounds = max(len(group.members) for group in exercise.groups)
    db.session.flush()
    return exercise


def form_again(exercise: Exercise) -> None:
    """New pairs or groups (or a new speaking order) before the exercise has started."""
    _refuse_when_started(exercise)
    if exercise.kind == ExerciseKind.PRESENTATION:
        reorder(exercise, "shuffle", 0)
        return
    ids = (
        [i for pair in exercise.pairs for i in pair.member_ids]
        if exercise.kind == ExerciseKind.INTERVIEWS
        else [i for group in exercise.groups for i in group.member_ids]
    )
    exercise.pairs.clear()
    exercise.groups.clear()
    db.session.flush()
    if exercise.kind == ExerciseKind.INTERVIEWS:
        _make_pairs(exercise, sorted(ids))
    else:
        _make_groups(exercise, sorted(ids))
    set_up_changed(exercise)
    db.session.flush()


def reorder(exercise: Exercise, action: str, index: int) -> None:
    """Move a speaker up or down, or shuffle; who has spoken or speaks now stays put."""
    order = list(exercise.speaker_ids)
    first_free = 0 if exercise.status == Status.READY else exercise.step_index + 1
    if action == "shuffle":
        rest = order[first_free:]
        secrets.SystemRandom().shuffle(rest)
        order[first_free:] = rest
    else:
        other = index - 1 if action == "up" else index + 1
        if not (first_free <= min(index, other) and max(index, other) < len(order)):
            raise SetupError("cannot_move")
        order[index], order[other] = order[other], order[index]
    exercise.speaker_ids = order
    set_up_changed(exercise)
    db.session.flush()


def move_member(exercise: Exercise, person_id: int, to_number: int) -> None:
    """Move a person to another sparring group, while both groups are still waiting."""
    source = next((g for g in exercise.groups if person_id in g.member_ids), None)
    target = next((g for g in exercise.groups if g.number == to_number), None)
    if source is None or target is None or source is target:
        raise SetupError("cannot_move")
    if source.status != Status.READY or target.status != Status.READY:
        raise SetupError("started")
    if len(source.members) <= 2:
        raise SetupError("group_too_small")
    seat = next(m for m in source.members if m.user_id == person_id)
    source.members.remove(seat)
    db.session.flush()
    position = max((m.position for m in target.members), default=-1) + 1
    target.members.append(SparringGroupMember(user_id=person_id, position=position))
    set_up_changed(exercise)
    db.session.flush()


def add_question(exercise: Exercise, text: str) -> None:
    """Add the facilitator's own question to the interview bank."""
    exercise.questions = [*exercise.questions, text.strip()]
    set_up_changed(exercise)
    db.session.flush()


# --- forming -------------------------------------------------------------------------------


def _refuse_when_started(exercise: Exercise) -> None:
    if is_under_way(exercise):
        raise SetupError("started")


def _make_pairs(exercise: Exercise, ids: list[int]) -> None:
    """Pairs (one three when odd) avoiding who interviewed each other before in this network."""
    pairs = grouping.interview_pairs(ids, _past_interview_pairs(exercise))
    for pair in pairs:
        exercise.pairs.append(
            InterviewPair(
                first_id=pair[0], second_id=pair[1], third_id=pair[2] if len(pair) > 2 else None
            )
        )
    # Each person is interviewed once: as many steps as the largest pair or three has people.
    per_person = exercise.durations[0] if exercise.durations else 300
    exercise.durations = [per_person] * max(len(pair) for pair in pairs)


def _make_groups(exercise: Exercise, ids: list[int]) -> None:
    """Groups that mix practice types and avoid the groups of the network's last sparring."""
    types = practice_types(ids)
    people = [grouping.Person(i, types.get(i, "")) for i in ids]
    groups = grouping.sparring_groups(people, _last_sparring_groups(exercise))
    for number, members in enumerate(groups, start=1):
        group = SparringGroup(number=number)
        group.members = [SparringGroupMember(user_id=u, position=p) for p, u in enumerate(members)]
        exercise.groups.append(group)


def _other_meetings(exercise: Exercise) -> sa.Select:
    return sa.select(Meeting.id).where(
        Meeting.network_id == exercise.network_id, Meeting.id != exercise.meeting_id
    )


def _past_interview_pairs(exercise: Exercise) -> set[grouping.Pair]:
    rows = db.session.scalars(
        sa.select(InterviewPair)
        .join(Exercise, Exercise.id == InterviewPair.exercise_id)
        .where(Exercise.meeting_id.in_(_other_meetings(exercise)))
    )
    return grouping.pairs_of(pair.member_ids for pair in rows)


def _last_sparring_groups(exercise: Exercise) -> list[list[int]]:
    """The groups of the latest sparring exercise at an earlier meeting of the network."""
    meeting = exercise.meeting
    last = db.session.scalar(
        sa.select(Exercise)
        .join(Meeting, Meeting.id == Exercise.meeting_id)
        .where(
            Exercise.network_id == exercise.network_id,
            Exercise.kind == ExerciseKind.SPARRING,
            Meeting.starts_at < meeting.starts_at,
        )
        .order_by(Meeting.starts_at.desc(), Exercise.id.desc())
        .limit(1)
        .options(so.selectinload(Exercise.groups).selectinload(SparringGroup.members))
    )
    return [group.member_ids for group in last.groups] if last else []


# --- a group's own choice of roles ------------------------------------------------------------


def choose_role(group: SparringGroup, person_id: int, role: str, round_index: int,
                phase_index: int) -> None:
    """Make a person this round's case-giver or questioner, before the round gets going.

    The group finds out who has a challenge (seed 004): while its clock waits, or in the
    round's first phase, two seats swap. Whoever gave a case in an earlier round cannot be
    case-giver again, and the case-giver cannot also ask the questions.
    """
    if group.status == Status.FINISHED or (group.status != Status.READY and phase_index != 0):
        raise SetupError("round_under_way")
    seats = sorted(group.members, key=lambda m: m.position)
    ids = [m.user_id for m in seats]
    n = len(ids)
    if person_id not in ids or role not in ("case_giver", "questioner") or n < 2:
        raise SetupError("cannot_move")
    target = round_index % n if role == "case_giver" else (round_index + 1) % n
    source = ids.index(person_id)
    if role == "case_giver" and source < round_index:
        raise SetupError("gave_a_case")
    if role == "questioner" and source == round_index % n:
        raise SetupError("cannot_move")
    if source == target:
        return
    positions = [m.position for m in seats]
    seats[source].position, seats[target].position = positions[target], positions[source]
    set_up_changed(group.exercise)
    db.session.flush()
    group.members.sort(key=lambda m: m.position)
