"""Push for the live screens: a change to an exercise reaches every open screen of it at once.

Each live page holds one server-sent-events stream of its exercise (`stream`). The stream
carries no screen content, only the words "changed" and "tick": on "changed" the screen
asks for its own fragment with its fingerprint (netapp.live.polling), so what a reader may
see is decided by the same views as before, and an unchanged screen costs a 204. "tick"
every HEARTBEAT_SECONDS brings the server's time (the clock sync) and tells the screen its
stream is alive; a screen that hears nothing polls as before.

Every worker stays stateless: what a worker holds is only who listens to it now. How a
worker learns of a change made by another worker or another instance:
- PostgreSQL: every transaction that changes an exercise sends `NOTIFY netapp_live, '<id>'`
  (delivered at its commit, never for a rollback), and one LISTEN connection per worker
  process wakes that process's streams;
- SQLite: one watcher per process reads `PRAGMA data_version` (it moves when any other
  connection commits) every WATCH_SECONDS, and only then the exercises' stamps;
- an in-memory database (tests, one process): the commit wakes the streams directly.

Which transactions changed an exercise is found by the session itself (`track`): any flush
of an Exercise, a SparringGroup or an InterviewPair, and `changed()` for the conditional
UPDATEs of the clock controls, which bypass the session's bookkeeping.

A meeting has a channel of its own on the same transport, keyed `meeting_key(id)` ("m12"):
its programme moving on (an agenda item flushed), an item opening its exercise, the
evaluation round opening. The screens that follow the room listen to it and then ask where
to go now (netapp.live.programme.now_for).
"""

import logging
import os
import random
import select
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy import event, orm

CHANNEL = "netapp_live"
HEARTBEAT_SECONDS = 2.0
WATCH_SECONDS = 0.02
RETRY_MS = 1000  # EventSource's wait before it reconnects a stream that ended
INFO_KEY = "live_changed"

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 8.0

# gunicorn.conf.py replaces this with `until_stopped(worker's alive flag)`.
serving: Callable[[], bool] = lambda: True  # noqa: E731


def until_stopped(alive: Callable[[], bool], grace: float = STOP_GRACE_SECONDS):
    """True while the worker runs, and for `grace` seconds after it was asked to stop: a
    reload (HUP) stops the old workers before the new ones have booted, and until they have,
    the old streams keep ticking and pushing; then they end, well within gunicorn's
    graceful_timeout, and the screens reconnect to the new workers."""
    stopped_at: list[float] = []

    def serving_now() -> bool:
        if alive():
            return True
        if not stopped_at:
            stopped_at.append(time.monotonic())
        return time.monotonic() - stopped_at[0] < grace

    return serving_now


class Hub:
    """Who listens in this process, per exercise, and a counter each change moves.

    A key is an exercise id or a meeting key; a tuple of them is one listener of several
    channels at once (an exercise's screen that also follows its meeting: one stream, not two,
    as a browser opens only six connections to a server over HTTP/1.1)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict = {}  # key -> [changes, Event, listeners, meeting moves]
        self._joined: dict = {}  # exercise id or meeting key -> the tuples that include it
        self.source = "local"
        self.started = False
        self.stopped = False  # its database is gone for good: the listener ends

    def listening(self, key) -> int:
        """Count one more listener of `key`; returns its change counter now."""
        with self._lock:
            state = self._state.setdefault(key, [0, threading.Event(), 0, 0])
            state[2] += 1
            if isinstance(key, tuple) and state[2] == 1:
                for part in key:
                    self._joined.setdefault(part, set()).add(key)
            return state[0]

    def leave(self, key) -> None:
        with self._lock:
            state = self._state.get(key)
            if state is not None:
                state[2] -= 1
                if state[2] <= 0:
                    del self._state[key]
                    for part in key if isinstance(key, tuple) else ():
                        self._joined[part].discard(key)
                        if not self._joined[part]:
                            del self._joined[part]

    def wait(self, key: int, seen: int, timeout: float) -> int:
        """The change counter of `key`, once it differs from `seen` or after `timeout`."""
        with self._lock:
            changes, wakeup = self._state[key][:2]
        if changes == seen:
            wakeup.wait(timeout)
        with self._lock:
            return self._state[key][0]

    def bump(self, keys) -> None:
        """Wake the listeners of each of `keys` (an exercise nobody here listens to is free)."""
        with self._lock:
            for key in keys:
                for target in (key, *self._joined.get(key, ())):
                    state = self._state.get(target)
                    if state is not None:
                        state[0] += 1
                        if target is not key and isinstance(key, str):
                            state[3] += 1  # a meeting heard beside its exercise moved on
                        state[1].set()
                        state[1] = threading.Event()

    def moves(self, key) -> int:
        """How often the meeting of a listener of (exercise, meeting) has moved on."""
        with self._lock:
            state = self._state.get(key)
            return state[3] if state is not None else 0

    def watched(self) -> list:
        """The exercise ids and meeting keys someone here listens to."""
        with self._lock:
            parts = set()
            for key in self._state:
                parts.update(key if isinstance(key, tuple) else (key,))
            return list(parts)

    def listeners(self) -> int:
        with self._lock:
            return sum(state[2] for state in self._state.values())


_hubs: dict[str, Hub] = {}
_hubs_pid = 0
_start_lock = threading.Lock()


def hub(url: sa.engine.URL | str) -> Hub:
    """This process's hub for the database at `url` (a forked worker gets its own: nothing
    is shared across workers)."""
    global _hubs_pid
    if _hubs_pid != os.getpid():
        _hubs.clear()
        _hubs_pid = os.getpid()
    return _hubs.setdefault(_hub_key(url), Hub())


def _hub_key(url: sa.engine.URL | str) -> str:
    return url.render_as_string(hide_password=False) if isinstance(url, sa.engine.URL) else url


def start(engine: sa.Engine) -> Hub:
    """The hub, with this process's way of hearing other processes' changes running."""
    current = hub(engine.url)
    if current.started:
        return current
    with _start_lock:
        if current.started:
            return current
        url = engine.url
        if url.get_backend_name() == "postgresql":
            current.source = "postgresql"
            _daemon(_listen_postgresql, current, url)
        elif url.database and url.database != ":memory:" and not url.database.startswith(
                "file:"):
            current.source = "sqlite"
            _daemon(_watch_sqlite, current, url.database, engine)
        current.started = True
    return current


def stop(engine: sa.Engine) -> None:
    """End this process's listening to the database of `engine`, for good (a test's database
    that is dropped); a later `start` begins anew."""
    current = _hubs.pop(_hub_key(engine.url), None)
    if current is not None:
        current.stopped = True


def _daemon(target, *args) -> None:
    threading.Thread(target=target, args=args, daemon=True, name="netapp-live-push").start()


def _listen_postgresql(current: Hub, url: sa.engine.URL) -> None:
    """LISTEN on one connection of this process; after a lost connection every stream here is
    told "changed" once, as notifications may have been missed meanwhile."""
    import psycopg

    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    pause = 0.5
    while not current.stopped:
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                current.bump(current.watched())
                pause = 0.5
                while not current.stopped:
                    # Wait on the socket with `select`, which gevent makes cooperative, and only
                    # then read: a worker's other greenlets run while this one waits.
                    if select.select([conn.fileno()], [], [], 5.0)[0]:
                        for note in conn.notifies(timeout=0.0):
                            current.bump(_ids(note.payload))
        except Exception as exc:  # a restarted or unreachable server: try again shortly
            if current.stopped:
                return
            log.warning("live push: LISTEN connection lost (%s); reconnecting", exc)
            time.sleep(pause)
            pause = min(pause * 2, 10.0)


def _ids(payload: str) -> set:
    """The keys a notification names: exercise ids, and meeting keys ("m12")."""
    keys: set = set()
    for part in payload.split(","):
        if part.isdigit():
            keys.add(int(part))
        elif part[:1] == MEETING_PREFIX and part[1:].isdigit():
            keys.add(part)
    return keys


MEETING_PREFIX = "m"


def meeting_key(meeting_id: int) -> str:
    """The hub's key of a meeting's channel (an exercise's key is its id)."""
    return f"{MEETING_PREFIX}{meeting_id}"


STAMPS_SQL = (
    "SELECT e.id, e.version, e.revision, e.auto_advance, e.sound, "
    "(SELECT COALESCE(SUM(g.version), 0) || '.' || COUNT(g.id) FROM sparring_group g "
    "WHERE g.exercise_id = e.id) FROM exercise e WHERE e.id IN ({marks})"
)
# What a followed screen depends on: the programme's moves (run_version), the agenda, which
# items have opened an exercise, whether the evaluation round is open.
MEETING_STAMPS_SQL = (
    "SELECT m.id, m.run_version, "
    "(SELECT COUNT(a.id) || '.' || COALESCE(SUM(a.minutes), 0) FROM agenda_item a "
    "WHERE a.meeting_id = m.id), "
    "(SELECT COUNT(x.id) || '.' || COALESCE(SUM(x.agenda_item_id), 0) FROM exercise x "
    "WHERE x.meeting_id = m.id), "
    "(SELECT COUNT(v.id) FROM meeting_evaluation v WHERE v.meeting_id = m.id) "
    "FROM meeting m WHERE m.id IN ({marks})"
)


def _watch_sqlite(current: Hub, path: str, engine: sa.Engine) -> None:
    """Read PRAGMA data_version (moved by any other connection's commit) on a read-only
    connection of its own; when it moved, compare the stamps of the watched exercises."""
    stamps: dict[int, tuple] = {}
    seen_version = None
    connection = None
    while not current.stopped:
        try:
            if connection is None:
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                             isolation_level=None, check_same_thread=False)
            version = connection.execute("PRAGMA data_version").fetchone()[0]
            watched = current.watched()
            if version != seen_version or set(watched) - set(stamps):
                seen_version = version
                stamps = _compare(current, connection, watched, stamps)
        except sqlite3.Error as exc:  # the file is being replaced (restore) or locked
            log.warning("live push: SQLite watcher: %s", exc)
            connection = None
        time.sleep(WATCH_SECONDS)


def _compare(current: Hub, connection, watched: list[int], before: dict) -> dict:
    if not watched:
        return {}
    exercises = [key for key in watched if isinstance(key, int)]
    meetings = {int(key[1:]): key for key in watched if isinstance(key, str)}
    now = {}
    for sql, ids, key_of in ((STAMPS_SQL, exercises, None),
                             (MEETING_STAMPS_SQL, list(meetings), meetings.get)):
        if ids:
            marks = ",".join("?" * len(ids))
            rows = connection.execute(sql.format(marks=marks), ids).fetchall()  # noqa: S608
            now.update({(key_of(row[0]) if key_of else row[0]): tuple(row[1:]) for row in rows})
    moved = [key for key, stamp in now.items() if key in before and before[key] != stamp]
    current.bump(moved)
    return now


# --- telling the others: in the transaction that changes an exercise ------------------------


def changed(session: orm.Session, exercise_id: int) -> None:
    """Note that this transaction changes `exercise_id` (for writes the session cannot see,
    such as a conditional UPDATE)."""
    pending = session.info.setdefault(INFO_KEY, set())
    if exercise_id in pending:
        return
    pending.add(exercise_id)
    _notify(session, [exercise_id])


def _notify(session: orm.Session, ids) -> None:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql" and ids:
        payload = ",".join(sorted(str(i) for i in ids))
        session.connection().execute(sa.select(sa.func.pg_notify(CHANNEL, payload)))


def track(session_class, models: dict) -> None:
    """Find the exercises each flush touches (`models`: class -> its exercise id), tell other
    processes in the same transaction, and wake this process's streams at the commit."""

    @event.listens_for(session_class, "after_flush")
    def _after_flush(session, _context) -> None:
        pending = session.info.setdefault(INFO_KEY, set())
        found = set()
        for obj in (*session.new, *session.dirty, *session.deleted):
            exercise_of = models.get(type(obj))
            if exercise_of is not None:
                key = exercise_of(obj)
                if key is not None and key not in pending:
                    found.add(key)
        if found:
            pending.update(found)
            _notify(session, found)

    @event.listens_for(session_class, "after_commit")
    def _after_commit(session) -> None:
        pending = session.info.pop(INFO_KEY, None)
        if pending:
            current = hub(session.get_bind().url)
            if current.source == "local":
                current.bump(pending)

    @event.listens_for(session_class, "after_rollback")
    def _after_rollback(session) -> None:
        session.info.pop(INFO_KEY, None)


# --- the stream ---------------------------------------------------------------------------


def message(name: str, data: str) -> str:
    """One server-sent event."""
    return f"event: {name}\ndata: {data}\n\n"


def stream(current: Hub, exercise_id: int, lifetime: float, clock: Callable[[], str],
           heartbeat: float = HEARTBEAT_SECONDS,
           monotonic: Callable[[], float] = time.monotonic) -> Iterator[str]:
    """The events of one screen: "changed" at once (a reconnected screen catches up), then
    "changed" at every change and "tick" with the server's time between them. A screen that
    hears an exercise and its meeting (a tuple key) gets "moved" too when the meeting moved.

    Never more than `heartbeat` seconds pass without an event, so a proxy that closes idle
    connections (nginx and most load balancers after 60 s) sees a busy one. It ends after
    `lifetime` seconds (with a little jitter, so a room's screens do not all reconnect in the
    same instant), or when the worker stops; EventSource then reconnects after RETRY_MS. A
    bounded life, and the write timeout (netapp.write_timeout) for a client that stopped
    reading, mean no stream holds a worker past it.
    """
    seen = current.listening(exercise_id)
    seen_moves = current.moves(exercise_id)
    try:
        yield f"retry: {RETRY_MS}\n" + message("changed", clock())
        ends = monotonic() + lifetime * random.uniform(0.8, 1.0)  # noqa: S311  # nosec B311 (spreads reconnects)
        while serving():
            left = ends - monotonic()
            if left <= 0:
                return
            now = current.wait(exercise_id, seen, min(heartbeat, left))
            if not serving():
                return
            if now != seen:
                seen = now
                yield message("changed", clock())
                if current.moves(exercise_id) != seen_moves:  # and "moved": follow the room
                    seen_moves = current.moves(exercise_id)
                    yield message("moved", clock())
            else:
                yield message("tick", clock())
    finally:
        current.leave(exercise_id)


def response(exercise_id: int, engine: sa.Engine, lifetime: float, clock: Callable[[], str]):
    """The streaming response of `stream`, never buffered or compressed on its way out."""
    from flask import Response

    current = start(engine)
    return Response(
        stream(current, exercise_id, lifetime, clock),
        mimetype="text/event-stream",
        headers={
            # A compressing middleware (Flask-Compress) leaves a response that already names
            # its encoding alone, and a compressor would hold events back to fill its blocks.
            "Content-Encoding": "identity",
            "Cache-Control": "no-cache, no-transform",  # logged-in pages get no-store anyway
            "X-Accel-Buffering": "no",  # nginx: hand every event on at once
        },
    )


_tracked = False


def track_exercises() -> None:
    """Track flushes of the live models on every session of the process (once)."""
    global _tracked
    if _tracked:
        return
    _tracked = True
    from netapp.evaluations.models import MeetingEvaluation
    from netapp.live.models import Exercise, InterviewPair, SparringGroup
    from netapp.meetings.models import AgendaItem

    track(orm.Session, {
        Exercise: lambda obj: obj.id,
        SparringGroup: lambda obj: obj.exercise_id,
        InterviewPair: lambda obj: obj.exercise_id,
        AgendaItem: lambda obj: meeting_key(obj.meeting_id),
        MeetingEvaluation: lambda obj: meeting_key(obj.meeting_id),
    })
