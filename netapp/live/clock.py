"""The server-owned clock of a live exercise, as pure transitions over plain values.

An exercise (presentation round, interviews, a sparring round) is a sequence of timed steps.
The database keeps a ClockState row and the durations as JSON; the server derives the time
left from those and `now`, never from the system clock, so tests pass datetimes they build.

Times are naive UTC, netapp's convention (`netapp.auth.models.utcnow`) and what the database
returns (an aware value in a PostgreSQL `timestamp` column may shift by the session zone);
an aware `now` is converted, so callers cannot trip over naive/aware arithmetic.

Refused controls raise ClockError with a stable `code` rather than being silent no-ops: the
web layer re-renders the current state, and tests can tell "refused" from "done". Every
accepted control increments `version`, so a request naming an older version is "stale"
(two facilitators press next at once: the clock advances once).
"""

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta

from netapp.refusals import Refused


class ClockError(Refused):
    """A control the clock refuses."""


class Status(enum.StrEnum):
    """Where an exercise is; a StrEnum so plain strings from the database compare equal."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass(frozen=True)
class Step:
    """One timed step: `key` names it for translation, `label` is free text (a speaker)."""

    key: str
    seconds: int
    label: str = ""


@dataclass(frozen=True)
class ClockState:
    """The stored state of one exercise's clock; the durations are kept beside it."""

    status: str = Status.READY
    step_index: int = 0
    started_at: datetime | None = None  # when the current step began (naive UTC)
    paused_at: datetime | None = None  # set only while paused
    paused_seconds: float = 0.0  # paused time of the current step, not counting paused_at..now
    extra_seconds: int = 0  # added by "+1 minute" on the current step
    version: int = 0


# The one list of a clock's stored fields: the model's columns, the poll's SELECT and the
# state read back from a row all follow it (a test checks the columns exist).
FIELDS = tuple(field.name for field in fields(ClockState))


def state_of(row) -> ClockState:
    """The ClockState held by anything with the clock's fields: a model or a selected row."""
    return ClockState(**{name: getattr(row, name) for name in FIELDS})


def steps(durations: Sequence[int], rounds: int = 1) -> list[int]:
    """The step lengths of a clock: its durations, once per round (a sparring group's
    phases repeat for every case-giver)."""
    return list(durations) * rounds


@dataclass(frozen=True)
class Reading:
    """What a tablet shows at one moment: everything derived from state, durations and now."""

    status: str
    step_index: int
    step_count: int
    seconds: int  # the current step's length including extra time
    elapsed: float
    remaining: float
    overrun: float
    ends_at: datetime | None
    version: int


def durations_of(steps: Sequence[Step]) -> tuple[int, ...]:
    """The durations in seconds of `steps`, as the clock functions take them."""
    return tuple(step.seconds for step in steps)


def presentation_steps(speakers: Sequence[int | str], seconds: int = 120) -> tuple[Step, ...]:
    """One step per speaker for the presentation round (2 minutes each by default)."""
    return tuple(Step("speaker", seconds, str(speaker)) for speaker in speakers)


# --- transitions -------------------------------------------------------------------------


def start(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Start the current step of a ready exercise."""
    _check(state, durations, refuse_finished=True)
    if state.status != Status.READY:
        raise ClockError("already_started")
    return _bumped(_enter(state, state.step_index, Status.RUNNING, _utc(now)))


def pause(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Freeze the running step; tablets then show the frozen remaining time."""
    _check(state, durations, refuse_finished=True)
    if state.status != Status.RUNNING:
        raise ClockError("not_running")
    return _bumped(replace(state, status=Status.PAUSED, paused_at=_utc(now)))


def resume(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Continue a paused step; the paused time does not count as elapsed."""
    _check(state, durations, refuse_finished=True)
    if state.status != Status.PAUSED or state.paused_at is None:
        raise ClockError("not_paused")
    # Clamped: requests may reach web workers whose clocks differ by a few milliseconds.
    paused_for = max(0.0, (_utc(now) - state.paused_at).total_seconds())
    resumed = replace(
        state,
        status=Status.RUNNING,
        paused_at=None,
        paused_seconds=state.paused_seconds + paused_for,
    )
    return _bumped(resumed)


def next_step(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Move to the next step, or finish after the last one.

    The new step starts at its full length in the same status: running stays running,
    paused stays paused (the facilitator resumes when the room is ready), ready stays ready
    (so an absent speaker can be skipped before the start).
    """
    _check(state, durations, refuse_finished=True)
    if state.step_index == len(durations) - 1:
        return _bumped(_finish(state))
    return _bumped(_enter(state, state.step_index + 1, Status(state.status), _utc(now)))


def previous_step(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Go back one step, at its full length, keeping the status.

    From "finished" it reopens the step the exercise finished on, paused, so a mistaken
    "next" on the last step can be undone without the clock running off unattended.
    """
    _check(state, durations)
    if state.status == Status.FINISHED:
        return _bumped(_enter(state, state.step_index, Status.PAUSED, _utc(now)))
    if state.step_index == 0:
        raise ClockError("first_step")
    return _bumped(_enter(state, state.step_index - 1, Status(state.status), _utc(now)))


def add_minute(
    state: ClockState, durations: Sequence[int], now: datetime, seconds: int = 60
) -> ClockState:
    """Give the current step one more minute from now (or `seconds`).

    When the time has already run out, the overrun is forgiven first: a facilitator who
    presses "+1 minute" on 0:00 means one more minute, not the rest of one.
    """
    _check(state, durations, refuse_finished=True)
    if state.status == Status.READY:
        raise ClockError("not_started")
    late = overrun(state, durations, now)
    extra = state.extra_seconds + seconds + math.ceil(late)
    return _bumped(replace(state, extra_seconds=extra))


def end(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Finish the exercise at once, from any step."""
    _check(state, durations, refuse_finished=True)
    return _bumped(_finish(state))


def auto_advance(state: ClockState, durations: Sequence[int], now: datetime) -> ClockState:
    """Advance a running exercise past every step whose time is up (the presentation round).

    Each next step starts at the moment the previous one ran out, not at `now`, so a poll
    that arrives late does not stretch the round. Returns `state` itself when nothing moved,
    so the caller knows there is nothing to write; otherwise the version goes up once, which
    makes a facilitator's "next" aimed at the old step stale instead of skipping a speaker.
    """
    _check(state, durations)
    now = _utc(now)
    current = state
    while current.status == Status.RUNNING:
        ran_out = ends_at(current, durations, now)
        if ran_out is None or now < ran_out:
            break
        if current.step_index == len(durations) - 1:
            current = _finish(current)
        else:
            current = _enter(current, current.step_index + 1, Status.RUNNING, ran_out)
    return state if current is state else _bumped(current)


def expect(state: ClockState, version: int) -> None:
    """Refuse a request that was made against another version of the clock."""
    if version != state.version:
        raise ClockError("stale")


# --- readings ----------------------------------------------------------------------------


def elapsed(state: ClockState, now: datetime) -> float:
    """Seconds the current step has run, without paused time; 0 when not started or done."""
    if state.started_at is None or state.status not in (Status.RUNNING, Status.PAUSED):
        return 0.0
    until = state.paused_at if state.status == Status.PAUSED and state.paused_at else _utc(now)
    run = (until - state.started_at).total_seconds() - state.paused_seconds
    return max(0.0, run)


def step_seconds(state: ClockState, durations: Sequence[int]) -> int:
    """The current step's length, including the minutes added to it."""
    _check(state, durations)
    return durations[state.step_index] + state.extra_seconds


def remaining(state: ClockState, durations: Sequence[int], now: datetime) -> float:
    """Seconds left of the current step, never below 0 (see `overrun` for the excess)."""
    if state.status == Status.FINISHED:
        return 0.0
    return max(0.0, step_seconds(state, durations) - elapsed(state, now))


def overrun(state: ClockState, durations: Sequence[int], now: datetime) -> float:
    """Seconds the current step has run past its time; 0 while there is time left."""
    if state.status == Status.FINISHED:
        return 0.0
    return max(0.0, elapsed(state, now) - step_seconds(state, durations))


def is_overdue(state: ClockState, durations: Sequence[int], now: datetime) -> bool:
    """Whether a started step's time is used up (remaining 0), paused or not."""
    if state.status not in (Status.RUNNING, Status.PAUSED):
        return False
    return elapsed(state, now) >= step_seconds(state, durations)


def ends_at(state: ClockState, durations: Sequence[int], now: datetime) -> datetime | None:
    """When the running step's time runs out; None unless running (tablets show a still time)."""
    if state.status != Status.RUNNING or state.started_at is None:
        return None
    length = state.paused_seconds + step_seconds(state, durations)
    return state.started_at + timedelta(seconds=length)


def read(state: ClockState, durations: Sequence[int], now: datetime) -> Reading:
    """Everything a tablet needs to draw the clock at `now`."""
    return Reading(
        status=str(state.status),
        step_index=state.step_index,
        step_count=len(durations),
        seconds=step_seconds(state, durations),
        elapsed=elapsed(state, now),
        remaining=remaining(state, durations, now),
        overrun=overrun(state, durations, now),
        ends_at=ends_at(state, durations, now),
        version=state.version,
    )


# --- helpers -----------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """`moment` as naive UTC; naive values are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _check(state: ClockState, durations: Sequence[int], refuse_finished: bool = False) -> None:
    """Refuse durations the clock cannot run, a step they do not have, a finished clock."""
    if not durations:
        raise ClockError("no_steps")
    if any(not_int(d) or d <= 0 for d in durations):
        raise ClockError("bad_duration")
    if not 0 <= state.step_index < len(durations):
        raise ClockError("bad_step")
    if state.status not in set(Status):
        raise ClockError("bad_status")
    if refuse_finished and state.status == Status.FINISHED:
        raise ClockError("finished")


def not_int(value: object) -> bool:
    """True unless `value` is a real int (bool is not: True seconds is a form bug)."""
    return not isinstance(value, int) or isinstance(value, bool)


def _bumped(state: ClockState) -> ClockState:
    """`state` as the next version: every accepted control goes through here."""
    return replace(state, version=state.version + 1)


def _enter(state: ClockState, index: int, status: Status, now: datetime | None) -> ClockState:
    """Put the clock on step `index` at its full length, in `status`."""
    started = now if status in (Status.RUNNING, Status.PAUSED) else None
    return replace(
        state,
        status=status,
        step_index=index,
        started_at=started,
        paused_at=now if status == Status.PAUSED else None,
        paused_seconds=0.0,
        extra_seconds=0,
    )


def _finish(state: ClockState) -> ClockState:
    # step_index stays on the step finished on, so "previous" can reopen it.
    return _enter(state, state.step_index, Status.FINISHED, None)
