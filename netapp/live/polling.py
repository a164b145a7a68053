"""Conditional polling of the live clocks: "nothing changed" costs one small query.

Every tablet in the room polls its clock fragment every 2 s. Each fragment carries, in the
URL of its next poll, a fingerprint of what it shows: the set-up's revision and the clock's
effective state (version, status, step). While the tablet's fingerprint is still the current
one, the server answers 204 No Content, which htmx does not swap, with the server's time in
a header for live.js's clock sync; live.js counts down between polls either way.

The fingerprint also names the current REFRESH_SECONDS window, so every tablet gets a whole
fragment at least that often, whatever else changed (a name edited in a profile, say).

That one query also authenticates the reader: it matches the hash of the device-session
token the session holds (the rule of auth.views.load_user, an active account) and the
membership of the clock's network (the rule of networks.access.network_for, and
netapp.access's for a guest facilitator), so a
still-current poll loads no user.
"""

import calendar
import hashlib
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from netapp.access import readable
from netapp.auth.models import DeviceSession, User, hash_token
from netapp.database import prebuilt, read_row, read_rows
from netapp.live import clock, services
from netapp.live.clock import ClockState
from netapp.live.models import Exercise, ExerciseKind, SparringGroup, SparringGroupMember
from netapp.networks.models import Membership

REFRESH_SECONDS = 30
SERVER_NOW = "X-Server-Now"


def fingerprint(state: ClockState, overdue: bool, revision: int, now: datetime) -> str:
    """What a clock fragment shows, besides who reads it: set-up, clock state (and whether
    its time is up), time window."""
    window = calendar.timegm(now.utctimetuple()) // REFRESH_SECONDS
    return f"{revision}.{state.version}.{state.status}.{state.step_index}.{overdue:d}.{window}"


def room_fingerprint(groups, revision: int, now: datetime) -> str:
    """What a sparring overview (facilitator's or projector's) shows: the set-up and every
    group's clock, as `fingerprint` does for one clock; `groups` holds (state, overdue)."""
    window = calendar.timegm(now.utctimetuple()) // REFRESH_SECONDS
    shown = "|".join(f"{s.version}.{s.status}.{s.step_index}.{o:d}" for s, o in groups)
    digest = hashlib.blake2s(shown.encode(), digest_size=6).hexdigest()
    return f"{revision}.{digest}.{window}"


def unchanged(server_now: str):
    """The answer to a poll whose fragment is still current: no body, the server's time."""
    return "", 204, {SERVER_NOW: server_now}


def _clock_columns(model) -> list:
    return [getattr(model, name) for name in clock.FIELDS]


def _group_clock_columns() -> list:
    return [getattr(SparringGroup, name).label(f"g_{name}") for name in clock.FIELDS]


def _members_of_group() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.count(SparringGroupMember.id))
        .where(SparringGroupMember.group_id == SparringGroup.id)
        .scalar_subquery()
    )


def _reader(column) -> sa.ScalarSelect:
    """A column of the reader's account, found by the session's device token."""
    return (
        sa.select(column)
        .join(DeviceSession, DeviceSession.user_id == User.id)
        .where(DeviceSession.token_hash == sa.bindparam("token_hash"))
        .scalar_subquery()
    )


@prebuilt
def _exercise_statement() -> sa.Select:
    """The exercise's clock and, for sparring, every group's clock (one row per group); with
    what a fragment shown to this reader depends on (their id, language, the speakers)."""
    return (
        sa.select(*_clock_columns(Exercise), Exercise.durations, Exercise.auto_advance,
                  Exercise.revision, Exercise.kind, Exercise.rounds, Exercise.speaker_ids,
                  Exercise.network_id, Exercise.created_at,
                  *_group_clock_columns(), _members_of_group().label("members"),
                  _reader(User.id).label("reader_id"),
                  _reader(User.language).label("reader_language"))
        .outerjoin(SparringGroup, sa.and_(SparringGroup.exercise_id == Exercise.id,
                                          Exercise.kind == ExerciseKind.SPARRING))
        .where(Exercise.id == sa.bindparam("clock_id"),
               _member(Exercise.network_id, Exercise.meeting_id))
        .order_by(SparringGroup.number)
    )


@prebuilt
def _group_statement() -> sa.Select:
    members = _members_of_group()
    return (
        sa.select(*_clock_columns(SparringGroup), Exercise.durations, Exercise.auto_advance,
                  Exercise.rounds, Exercise.revision, members.label("members"))
        .join(Exercise, Exercise.id == SparringGroup.exercise_id)
        .where(SparringGroup.id == sa.bindparam("clock_id"),
               _member(Exercise.network_id, Exercise.meeting_id))
    )


def _member(network_id, meeting_id) -> sa.ColumnElement[bool]:
    """The reader, by the session's device token, is active, belongs to the network and may
    read the meeting; a device locked as the evaluation kiosk is answered by the full view
    (netapp.evaluations.kiosk), never here."""
    return sa.exists().where(Membership.network_id == network_id,
                             Membership.user_id == DeviceSession.user_id,
                             DeviceSession.token_hash == sa.bindparam("token_hash"),
                             DeviceSession.kiosk_meeting_id.is_(None),
                             User.id == DeviceSession.user_id, User.active,
                             readable(Membership.role, meeting_id, User.id))


class Reading(NamedTuple):
    """An exercise's fingerprint now, and who asks: all a shared fragment's key needs."""

    fingerprint: str
    kind: str
    step_index: int  # the exercise's own clock (not a sparring group's)
    speaker_ids: list
    reader_id: int
    reader_language: str | None
    origin: str  # which exercise of that id: ids of deleted rows can come back (SQLite)


def origin(network_id: int, created_at: datetime) -> str:
    """Tells one exercise from an earlier, deleted one that had the same id."""
    return f"{network_id}.{created_at.isoformat()}"


def exercise_fingerprint(exercise_id: int, token: str, now: datetime) -> str | None:
    """The current fingerprint of an exercise's clock (of every group's, for sparring), in one
    query; None when the reader (by login token) may not see it: the full view then decides."""
    reading = exercise_reading(exercise_id, token, now)
    return reading.fingerprint if reading is not None else None


def exercise_reading(exercise_id: int, token: str, now: datetime) -> Reading | None:
    """exercise_fingerprint's one query, with the reader and the speakers besides."""
    params = {"clock_id": exercise_id, "token_hash": hash_token(token)}
    rows = read_rows(_exercise_statement(), params)
    if not rows:
        return None
    first = rows[0]
    common = {"kind": str(first.kind), "speaker_ids": list(first.speaker_ids or []),
              "reader_id": first.reader_id, "reader_language": first.reader_language,
              "origin": origin(first.network_id, first.created_at)}
    if first.kind != ExerciseKind.SPARRING:
        durations = clock.steps(first.durations)
        state = services.advanced(clock.state_of(first), durations, first.auto_advance, now)
        shown = fingerprint(state, clock.is_overdue(state, durations, now), first.revision, now)
        return Reading(shown, step_index=state.step_index, **common)
    groups = []
    for row in rows:
        if row.g_version is None:  # no groups (yet)
            continue
        state = ClockState(**{name: getattr(row, f"g_{name}") for name in clock.FIELDS})
        steps = clock.steps(first.durations, services.rounds_for(first.rounds, row.members))
        state = services.advanced(state, steps, first.auto_advance, now)
        groups.append((state, clock.is_overdue(state, steps, now)))
    return Reading(room_fingerprint(groups, first.revision, now), step_index=0, **common)


def group_fingerprint(group_id: int, token: str, now: datetime) -> str | None:
    """The current fingerprint of a sparring group's clock, in one query; None as above."""
    row = read_row(_group_statement(), {"clock_id": group_id, "token_hash": hash_token(token)})
    if row is None:
        return None
    steps = clock.steps(row.durations, services.rounds_for(row.rounds, row.members))
    return _current(clock.state_of(row), steps, row.auto_advance, row.revision, now)


def _current(stored: ClockState, durations: list[int], auto_advance: bool, revision: int,
             now: datetime) -> str:
    state = services.advanced(stored, durations, auto_advance, now)
    return fingerprint(state, clock.is_overdue(state, durations, now), revision, now)
