"""The agenda run in the room: reading the programme, moving it on, opening an item's exercise,
and "what runs now" for each screen that follows the room.

The timing is pure (netapp.live.agenda_clock); this module loads and stores it. A move is
one conditional UPDATE of the meeting's run_version (`WHERE id = ? AND run_version = ?`), so
two facilitators tapping "next" at once move the room on once; the other gets the current
state and a note.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import url_for

from netapp.extensions import db
from netapp.live import agenda_clock, exercises, phases, push, services
from netapp.live.agenda_clock import RUNNING, Item, Programme, ProgrammeError
from netapp.live.clock import Status
from netapp.live.models import Exercise, ExerciseKind
from netapp.meetings.models import AgendaItem, AgendaKind, Meeting

# The agenda items that open an exercise or the evaluation round in the room.
EXERCISE_OF = {
    AgendaKind.PRESENTATION_ROUND: ExerciseKind.PRESENTATION,
    AgendaKind.INTERVIEWS: ExerciseKind.INTERVIEWS,
    AgendaKind.SPARRING: ExerciseKind.SPARRING,
}
OPENS = (*EXERCISE_OF, AgendaKind.EVALUATION)
SPARRING_MINUTES = (15, 20)  # the round lengths the phase plans know


@dataclass(frozen=True)
class Now:
    """What the room runs now, as one screen should show it: a key that changes when it does,
    and where that screen goes."""

    key: str
    url: str


def items_of(meeting: Meeting) -> list[Item]:
    """The agenda as the programme clock reads it."""
    return [Item(i.id, i.minutes, i.status, i.started_at, i.ended_at, i.extra_seconds)
            for i in meeting.agenda]


def read(meeting: Meeting, now: datetime) -> Programme:
    """The programme at `now`."""
    return agenda_clock.read(meeting.starts_at, items_of(meeting), now)


def exercises_of(meeting: Meeting) -> list[Exercise]:
    """The meeting's exercises in the order they were set up."""
    return list(db.session.scalars(
        sa.select(Exercise).where(Exercise.meeting_id == meeting.id).order_by(Exercise.id)))


def exercise_of_item(meeting: Meeting, item: AgendaItem) -> Exercise | None:
    """The exercise opened from this item, if any."""
    return db.session.scalar(
        sa.select(Exercise).where(Exercise.meeting_id == meeting.id,
                                  Exercise.agenda_item_id == item.id).order_by(Exercise.id))


def state_of(exercise: Exercise) -> str:
    """ready, running or done, as the list of exercises says it (sparring: its groups)."""
    if exercise.kind == ExerciseKind.SPARRING:
        statuses = {g.status for g in exercise.groups} or {Status.READY}
        if statuses == {Status.FINISHED}:
            return "done"
        return "ready" if statuses == {Status.READY} else "running"
    if exercise.status == Status.FINISHED:
        return "done"
    return "ready" if exercise.status == Status.READY else "running"


def move(meeting: Meeting, action: str, version: int | None, now: datetime,
         index: int | None = None) -> str | None:
    """Begin, next, extend or skip, if `version` is the programme's current one; the refusal
    code otherwise (None: done)."""
    if version is None or version != meeting.run_version:
        return "stale"
    items = items_of(meeting)
    current = next((n for n, i in enumerate(items) if i.status == RUNNING), None)
    try:
        if action in ("next", "skip") and current is not None and (
                action == "next" or index == current):
            _refuse_while_exercise_runs(meeting, meeting.agenda[current])
        if action == "begin":
            new = agenda_clock.begin(items, now)
        elif action == "next":
            new = agenda_clock.advance(items, now)
        elif action == "extend":
            new = agenda_clock.extend(items, now)
        else:
            new = agenda_clock.skip(items, -1 if index is None else index, now)
    except ProgrammeError as refusal:
        return refusal.code
    claimed = db.session.execute(
        sa.update(Meeting).where(Meeting.id == meeting.id, Meeting.run_version == version)
        .values(run_version=version + 1).execution_options(synchronize_session=False))
    if claimed.rowcount == 0:
        db.session.refresh(meeting)
        return "stale"
    meeting.run_version = version + 1
    for row, item in zip(meeting.agenda, new, strict=True):
        row.status, row.started_at, row.ended_at = item.status, item.started_at, item.ended_at
        row.extra_seconds = item.extra_seconds
    db.session.flush()
    return None


def _refuse_while_exercise_runs(meeting: Meeting, item: AgendaItem) -> None:
    exercise = exercise_of_item(meeting, item)
    if exercise is not None and state_of(exercise) == "running":
        raise ProgrammeError("exercise_running")


def open_item(meeting: Meeting, item: AgendaItem, now: datetime) -> Exercise | None:
    """The item's exercise: the one opened from it, else one set up by hand and not started,
    else a new one made with the item's time. The evaluation item opens the round instead
    (None). SetupError when too few take part."""
    if item.kind == AgendaKind.EVALUATION:
        from netapp.evaluations import services as evaluations

        if evaluations.evaluation_of(meeting.id) is None:
            evaluations.open_round(meeting, include_check=False)
        return None
    kind = EXERCISE_OF.get(item.kind)
    if kind is None:
        raise exercises.SetupError("nothing_to_open")
    push.changed(db.session, push.meeting_key(meeting.id))  # its screens go to the exercise
    # The item's row is locked first, so three taps at once make one exercise: the others
    # wait here and then find it (each statement reads what was committed before it).
    db.session.execute(sa.update(AgendaItem).where(AgendaItem.id == item.id)
                       .values(position=AgendaItem.position)
                       .execution_options(synchronize_session=False))
    found = exercise_of_item(meeting, item) or _unlinked(meeting, kind)
    if found is not None:
        found.agenda_item_id = item.id
        db.session.flush()
        return found
    return create_for_item(meeting, item, kind)


def _unlinked(meeting: Meeting, kind: ExerciseKind) -> Exercise | None:
    return next((e for e in exercises_of(meeting) if e.kind == kind and e.agenda_item_id is None
                 and state_of(e) == "ready"), None)


def create_for_item(meeting: Meeting, item: AgendaItem, kind: ExerciseKind) -> Exercise:
    """A new exercise sized to the item's minutes, for those who take part."""
    seconds = item.minutes * 60
    people = len(exercises.participants(meeting))
    if kind == ExerciseKind.PRESENTATION:
        # Whole minutes per speaker ("2 min hver"), as the tablets' prompt says them: an item
        # planned for more than came ends a little early rather than giving 2:17 each.
        per_speaker = seconds // max(1, people) // 60 * 60
        exercise = exercises.create(meeting, kind, [max(60, per_speaker)], title=item.title)
    elif kind == ExerciseKind.INTERVIEWS:
        per_person = seconds // (3 if people % 2 else 2)
        exercise = exercises.create(meeting, kind, [max(60, per_person)], title=item.title)
    else:
        rounds = exercises.largest_group(people)
        round_minutes = min(max(item.minutes // rounds, SPARRING_MINUTES[0]),
                            SPARRING_MINUTES[1])
        durations = [step.seconds for step in phases.sparring_phases(round_minutes)]
        exercise = exercises.create(meeting, kind, durations, round_minutes=round_minutes,
                                    rounds=rounds, title=item.title)
        exercise.rounds = max(len(g.members) for g in exercise.groups)
    exercise.agenda_item_id = item.id
    db.session.flush()
    return exercise


# --- what runs now, per screen --------------------------------------------------------------


def now_for(meeting: Meeting, user_id: int, mode: str, now: datetime) -> Now | None:
    """Where a member's tablet (mode "tablet") or the projector goes for what runs now; None
    while the programme is not running (before its start and after its end nobody is moved,
    so an answer being written stays on the screen)."""
    programme = read(meeting, now)
    if programme.state != "running":
        return None
    item = meeting.agenda[programme.current] if programme.current is not None else None
    if item is not None and item.kind == AgendaKind.EVALUATION:
        from netapp.evaluations import services as evaluations

        if evaluations.evaluation_of(meeting.id) is not None:
            if mode == "projector":
                return Now("evaluation", url_for("evaluations.round", meeting_id=meeting.id,
                                                 mode="projector"))
            return Now("evaluation", url_for("evaluations.answer", meeting_id=meeting.id))
    exercise = exercise_of_item(meeting, item) if item is not None else None
    if exercise is not None:
        return Now(f"exercise-{exercise.id}", _exercise_url(exercise, user_id, mode))
    return Now("programme", url_for("live.programme_screen", meeting_id=meeting.id, mode=mode))


def _exercise_url(exercise: Exercise, user_id: int, mode: str) -> str:
    if mode == "projector":
        return url_for("live.projector", exercise_id=exercise.id)
    if exercise.kind == ExerciseKind.SPARRING:
        mine = next((g for g in exercise.groups if user_id in g.member_ids), None)
        if mine is not None:
            return url_for("live.group", group_id=mine.id)
    return url_for("live.tablet", exercise_id=exercise.id)


def rename(exercise: Exercise, title: str) -> None:
    """Give the exercise the facilitator's own name, before it starts."""
    if services.is_under_way(exercise):
        raise exercises.SetupError("started")
    exercise.title = title.strip()
    services.set_up_changed(exercise)
    db.session.flush()


def delete(exercise: Exercise) -> None:
    """Delete an exercise that has not started; a started one keeps its groups and notes."""
    if services.is_under_way(exercise):
        raise exercises.SetupError("started")
    push.changed(db.session, push.meeting_key(exercise.meeting_id))
    db.session.delete(exercise)
    db.session.flush()
