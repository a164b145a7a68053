"""The meeting's programme as a clock: which item runs, its time left, how far off plan.

Pure, like netapp.live.clock beside it: plain values in, plain values out, `now` always
passed in. The plan is the meeting's start plus the planned minutes of the items before;
an item that ran over puts the room behind, a skipped or shortened one puts it ahead.
Each running item is one step of the clock in netapp.live.clock (its planned minutes plus
the minutes the facilitator added), so time left and overrun are counted the same way as an
exercise's.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from netapp.live import clock
from netapp.live.clock import ClockState, Status

READY, RUNNING, DONE, SKIPPED = "ready", "running", "done", "skipped"
ITEM_STATUSES = (READY, RUNNING, DONE, SKIPPED)
# An item's time counts as "on plan" within half a minute: a clock that says "0 min behind"
# on every tap would only be noise.
ON_PLAN_SECONDS = 30
# The plan is the meeting's start; a programme begun further from it than this (a rehearsal,
# a meeting moved without changing its time) is measured from its own first start instead.
PLAN_WINDOW = timedelta(hours=2)


@dataclass(frozen=True)
class Item:
    """What the programme clock needs of one agenda item."""

    id: int
    minutes: int
    status: str = READY
    started_at: datetime | None = None
    ended_at: datetime | None = None
    extra_seconds: int = 0


@dataclass(frozen=True)
class Programme:
    """The room's programme at one moment."""

    state: str  # "not_started", "running" or "finished"
    current: int | None  # index of the running item
    next: int | None  # index of the next item still to come
    planned_starts: tuple[datetime, ...]  # clock time each item is planned to start
    remaining: float  # seconds left of the running item (0 when over)
    overrun: float  # seconds the running item has gone past its time
    seconds: int  # the running item's length, with the minutes added
    ends_at: datetime | None  # when the running item's time runs out
    drift: int  # seconds behind plan (negative: ahead); 0 before the start


def planned_starts(starts_at: datetime, minutes: Sequence[int]) -> tuple[datetime, ...]:
    """The clock time each item is planned to start, one after the other from `starts_at`."""
    times, at = [], starts_at
    for length in minutes:
        times.append(at)
        at += timedelta(minutes=length)
    return tuple(times)


def plan_start(starts_at: datetime, items: Sequence[Item]) -> datetime:
    """Where the plan starts: the meeting's start, unless the programme began far from it."""
    began = [i.started_at for i in items if i.started_at is not None]
    first = min(began) if began else None
    if first is None or abs(first - starts_at) <= PLAN_WINDOW:
        return starts_at
    return first


def planned_end(starts_at: datetime, minutes: Sequence[int]) -> datetime:
    """When the last item is planned to end."""
    return starts_at + timedelta(minutes=sum(minutes))


def item_state(item: Item) -> ClockState:
    """A running item as the one-step clock of netapp.live.clock."""
    status = Status.RUNNING if item.status == RUNNING else Status.READY
    return ClockState(status=status, started_at=item.started_at if status == Status.RUNNING
                      else None, extra_seconds=item.extra_seconds)


def read(starts_at: datetime, items: Sequence[Item], now: datetime) -> Programme:
    """The programme at `now`: the running item's clock and the room's distance from plan."""
    starts_at = plan_start(starts_at, items)
    starts = planned_starts(starts_at, [i.minutes for i in items])
    current = next((n for n, i in enumerate(items) if i.status == RUNNING), None)
    coming = [n for n, i in enumerate(items) if i.status == READY and (current is None
                                                                       or n > current)]
    following = coming[0] if coming else None
    if current is not None:
        item = items[current]
        durations = [item.minutes * 60]
        reading = clock.read(item_state(item), durations, now)
        late = (item.started_at - starts[current]).total_seconds()
        drift = late + max(0.0, reading.elapsed - item.minutes * 60)
        return Programme("running", current, following, starts, reading.remaining,
                         reading.overrun, reading.seconds, reading.ends_at, _round(drift))
    begun = any(i.status in (DONE, SKIPPED) for i in items)
    if not begun:
        return Programme("not_started", None, following, starts, 0.0, 0.0, 0, None, 0)
    drift = _drift_between_items(starts_at, items, starts, following, now)
    state = "finished" if following is None else "running"
    return Programme(state, None, following, starts, 0.0, 0.0, 0, None, drift)


def _drift_between_items(starts_at, items, starts, following, now) -> int:
    """Off plan when no item runs: the last end against the plan (or the waiting next item)."""
    ended = [i.ended_at for i in items if i.status in (DONE, SKIPPED) and i.ended_at]
    if following is not None:
        return _round((now - starts[following]).total_seconds()) if ended else 0
    last = max(ended) if ended else now
    return _round((last - planned_end(starts_at, [i.minutes for i in items])).total_seconds())


def _round(seconds: float) -> int:
    return int(round(seconds))


def drift_minutes(drift: int) -> int:
    """Whole minutes off plan as the room reads them (0 within half a minute)."""
    if abs(drift) < ON_PLAN_SECONDS:
        return 0
    return int((abs(drift) + 30) // 60) * (1 if drift > 0 else -1)


# --- moves --------------------------------------------------------------------------------


class ProgrammeError(clock.ClockError):
    """A move the programme refuses; `code` picks the message."""


def begin(items: Sequence[Item], now: datetime) -> list[Item]:
    """Start the first item still to come."""
    if not items:
        raise ProgrammeError("empty_agenda")
    if any(i.status == RUNNING for i in items):
        raise ProgrammeError("already_started")
    return _start_next(list(items), -1, now)


def advance(items: Sequence[Item], now: datetime) -> list[Item]:
    """End the running item and start the next one still to come (or finish)."""
    items = list(items)
    current = _running(items)
    items[current] = _replace(items[current], status=DONE, ended_at=now)
    return _start_next(items, current, now)


def extend(items: Sequence[Item], now: datetime, seconds: int = 300) -> list[Item]:
    """Give the running item more time (five minutes by default), counted from now if over."""
    items = list(items)
    current = _running(items)
    item = items[current]
    state = clock.add_minute(item_state(item), [item.minutes * 60], now, seconds)
    items[current] = _replace(item, extra_seconds=state.extra_seconds)
    return items


def skip(items: Sequence[Item], index: int, now: datetime) -> list[Item]:
    """Skip an item still to come; skipping the running one moves the room on to the next."""
    items = list(items)
    if not 0 <= index < len(items) or items[index].status in (DONE, SKIPPED):
        raise ProgrammeError("cannot_skip")
    if items[index].status == RUNNING:
        items[index] = _replace(items[index], status=SKIPPED, ended_at=now)
        return _start_next(items, index, now)
    items[index] = _replace(items[index], status=SKIPPED, ended_at=now)
    return items


def _running(items: list[Item]) -> int:
    current = next((n for n, i in enumerate(items) if i.status == RUNNING), None)
    if current is None:
        raise ProgrammeError("not_running")
    return current


def _start_next(items: list[Item], after: int, now: datetime) -> list[Item]:
    following = next((n for n in range(after + 1, len(items)) if items[n].status == READY),
                     None)
    if following is None:
        following = next((n for n in range(len(items)) if items[n].status == READY), None)
    if following is not None:
        items[following] = _replace(items[following], status=RUNNING, started_at=now,
                                    ended_at=None, extra_seconds=0)
    return items


def _replace(item: Item, **changes) -> Item:
    from dataclasses import replace

    return replace(item, **changes)
