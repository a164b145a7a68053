"""The clocks of live exercises in the database: reading them and applying controls.

GET never writes. Auto-advance (the presentation round, or groups when the facilitator turns
it on) is applied on read: the fragment shows the advanced state, computed from the stored
timestamps, without writing it; the next control POST starts from that same computed state
and persists it together with the control. Because clock.auto_advance starts each step when
the previous ran out, every tablet computes the same advanced state whenever it polls.

Controls are single conditional UPDATEs (`WHERE id = ? AND version = ?`): when two
facilitators press "next" at once, one UPDATE matches and the other changes no row, and its
sender simply gets the current state rendered. SQLite's driver opens its transaction at the
first write, so the UPDATE waits on the busy timeout instead of failing on a stale snapshot.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from netapp.extensions import db
from netapp.live import clock, push
from netapp.live.clock import ClockError, ClockState, Reading, Status
from netapp.live.models import Exercise, ExerciseKind, SparringGroup
from netapp.live.phases import PHASES

CONTROLS = {
    "start": clock.start,
    "pause": clock.pause,
    "resume": clock.resume,
    "next": clock.next_step,
    "previous": clock.previous_step,
    "add_minute": clock.add_minute,
    "end": clock.end,
}

Clocked = Exercise | SparringGroup


@dataclass(frozen=True)
class Outcome:
    """The state after a control, and the clock's refusal code if it was refused."""

    state: ClockState
    refused: str | None = None


@dataclass(frozen=True)
class View:
    """A clock as a tablet draws it: the effective state, its reading and the step's meaning."""

    state: ClockState
    reading: Reading
    overdue: bool
    round_index: int  # sparring: the round; otherwise 0
    phase: str  # sparring: the phase key; otherwise ""
    rounds: int


def exercise_of(obj: Clocked) -> Exercise:
    return obj.exercise if isinstance(obj, SparringGroup) else obj


def rounds_for(chosen: int, members: int) -> int:
    """Rounds a group runs: as the facilitator chose, but no more than it has members."""
    return max(1, min(chosen, members))


def group_rounds(group: SparringGroup) -> int:
    return rounds_for(group.exercise.rounds, len(group.members))


def durations_of(obj: Clocked) -> list[int]:
    """The steps of this clock: an exercise's own, or a group's phases once per round."""
    if isinstance(obj, SparringGroup):
        return clock.steps(obj.exercise.durations, group_rounds(obj))
    return clock.steps(obj.durations)


def advanced(state: ClockState, durations: list[int], auto_advance: bool,
             now: datetime) -> ClockState:
    """`state` with auto-advance applied when it is on."""
    if auto_advance and durations:
        return clock.auto_advance(state, durations, now)
    return state


def effective_state(obj: Clocked, now: datetime) -> ClockState:
    """The stored state with auto-advance applied, if on (computed, never written here)."""
    return advanced(obj.clock_state(), durations_of(obj), exercise_of(obj).auto_advance, now)


def view_of(obj: Clocked, now: datetime) -> View:
    """What a tablet needs to draw this clock at `now`."""
    durations = durations_of(obj)
    state = effective_state(obj, now)
    reading = clock.read(state, durations, now)
    sparring = isinstance(obj, SparringGroup)
    return View(
        state=state,
        reading=reading,
        overdue=clock.is_overdue(state, durations, now),
        round_index=state.step_index // len(PHASES) if sparring else 0,
        phase=PHASES[state.step_index % len(PHASES)] if sparring else "",
        rounds=group_rounds(obj) if sparring else 0,
    )


def apply_control(obj: Clocked, action: str, version: int | None, now: datetime) -> Outcome:
    """Apply `action` if `version` is the clock's current one; else return the current state."""
    durations = durations_of(obj)
    stored = obj.clock_state()
    current = effective_state(obj, now)
    try:
        if version is None:
            raise ClockError("stale")
        clock.expect(current, version)
        new = CONTROLS[action](current, durations, now)
    except ClockError as refusal:
        return Outcome(current, refusal.code)
    if not _write(obj, stored, new):  # someone else's control got there first
        db.session.refresh(obj)
        return Outcome(effective_state(obj, now), "stale")
    return Outcome(new)


def start_all(exercise: Exercise, now: datetime) -> int:
    """Start every sparring group still waiting, all at `now`; returns how many started."""
    started = 0
    for group in exercise.groups:
        if group.status == Status.READY and group.members:
            outcome = apply_control(group, "start", group.version, now)
            started += outcome.refused is None
    return started


def is_under_way(exercise: Exercise) -> bool:
    """Whether the exercise (or any of its groups) has left "ready"."""
    if exercise.kind == ExerciseKind.SPARRING:
        return any(group.status != Status.READY for group in exercise.groups)
    return exercise.status != Status.READY


def set_options(exercise: Exercise, auto_advance: bool, sound: bool, now: datetime) -> None:
    """Turn auto-advance and the end-of-step sound on or off.

    The state shown so far is written first, so turning auto-advance off does not send the
    room back to a step whose time ran out a while ago.
    """
    for obj in [exercise, *exercise.groups]:
        _persist_effective(obj, now)
        if auto_advance and not exercise.auto_advance:
            _advance_waiting(obj, now)
    exercise.auto_advance = auto_advance
    exercise.sound = sound
    set_up_changed(exercise)
    db.session.flush()


def set_up_changed(exercise: Exercise) -> None:
    """Note a change to the set-up, so polling tablets fetch the whole fragment again.

    An SQL increment, so two facilitators changing things at once both count."""
    exercise.revision = Exercise.revision + 1


def _persist_effective(obj: Clocked, now: datetime) -> None:
    stored = obj.clock_state()
    current = effective_state(obj, now)
    if current != stored:
        _write(obj, stored, current)


def _advance_waiting(obj: Clocked, now: datetime) -> None:
    """A clock waiting at 0:00 moves on now, to its next step at full length: switching
    auto-advance on must not start that step as if it had begun when the time ran out."""
    stored = obj.clock_state()
    durations = durations_of(obj)
    if durations and clock.is_overdue(stored, durations, now):
        _write(obj, stored, clock.next_step(stored, durations, now))


def _write(obj: Clocked, stored: ClockState, new: ClockState) -> bool:
    """Store `new` if the clock is still at `stored`'s version (one conditional UPDATE), and
    tell the exercise's open screens; False when another control got there first."""
    model = type(obj)
    result = db.session.execute(
        sa.update(model)
        .where(model.id == obj.id, model.version == stored.version)
        .values(**asdict(new))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        return False
    for name, value in asdict(new).items():
        set_committed_value(obj, name, value)
    push.changed(db.session, exercise_of(obj).id)
    return True


ROOM_CONTROLS = {"pause": Status.RUNNING, "resume": Status.PAUSED}


def room_version(exercise: Exercise, now: datetime) -> int:
    """One number that every accepted control on any group moves: the sum of the groups'
    effective versions (each only ever grows), so the overview's room-wide buttons are
    conditional like a clock's own."""
    return sum(effective_state(group, now).version for group in exercise.groups)


def control_room(exercise: Exercise, action: str, version: int | None, now: datetime) -> str | None:
    """Pause every running group, or resume every paused one, if the room is still as the
    facilitator saw it; returns the refusal code ("stale") or None."""
    if version is None or version != room_version(exercise, now):
        return "stale"
    for group in exercise.groups:
        current = effective_state(group, now)
        if current.status == ROOM_CONTROLS[action]:
            apply_control(group, action, current.version, now)
    return None
