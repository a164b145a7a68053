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
from datetime import datetime

import sqlalchemy as sa

from netapp.access import readable
from netapp.auth.models import DeviceSession, User, hash_token
from netapp.database import prebuilt, read_row
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


def unchanged(server_now: str):
    """The answer to a poll whose fragment is still current: no body, the server's time."""
    return "", 204, {SERVER_NOW: server_now}


def _clock_columns(model) -> list:
    return [getattr(model, name) for name in clock.FIELDS]


@prebuilt
def _exercise_statement() -> sa.Select:
    return sa.select(
        *_clock_columns(Exercise), Exercise.durations, Exercise.auto_advance, Exercise.revision
    ).where(
        Exercise.id == sa.bindparam("clock_id"),
        Exercise.kind != ExerciseKind.SPARRING,
        _member(Exercise.network_id, Exercise.meeting_id),
    )


@prebuilt
def _group_statement() -> sa.Select:
    members = (
        sa.select(sa.func.count(SparringGroupMember.id))
        .where(SparringGroupMember.group_id == SparringGroup.id)
        .scalar_subquery()
    )
    return (
        sa.select(*_clock_columns(SparringGroup), Exercise.durations, Exercise.auto_advance,
                  Exercise.rounds, Exercise.revision, members.label("members"))
        .join(Exercise, Exercise.id == SparringGroup.exercise_id)
        .where(SparringGroup.id == sa.bindparam("clock_id"),
               _member(Exercise.network_id, Exercise.meeting_id))
    )


def _member(network_id, meeting_id) -> sa.ColumnElement[bool]:
    """The reader, by the session's device token, is active, belongs to the network and may
    read the meeting."""
    return sa.exists().where(Membership.network_id == network_id,
                             Membership.user_id == DeviceSession.user_id,
                             DeviceSession.token_hash == sa.bindparam("token_hash"),
                             User.id == DeviceSession.user_id, User.active,
                             readable(Membership.role, meeting_id, User.id))


def exercise_fingerprint(exercise_id: int, token: str, now: datetime) -> str | None:
    """The current fingerprint of a presentation's or interviews' clock, in one query; None
    when the reader (by login token) may not see it: the full view then decides."""
    params = {"clock_id": exercise_id, "token_hash": hash_token(token)}
    row = read_row(_exercise_statement(), params)
    if row is None:
        return None
    return _current(clock.state_of(row), clock.steps(row.durations), row.auto_advance,
                    row.revision, now)


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
