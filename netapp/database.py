"""Database checks at start-up, a password-free URL for messages, the migration lock."""

import contextlib
import fcntl
import functools
import os
import re
import select
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy import orm

from netapp.extensions import READ_ONLY, db

T = TypeVar("T")


class DatabaseUnavailable(SystemExit):
    """Raised at start-up: a one-line message naming the setting, never a traceback."""


def without_password(url: str) -> str:
    """A database URL as it may be printed: any password between `:` and `@` is starred,
    even in a URL too malformed to parse."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", url)


def parse_url(url: str) -> sa.engine.URL:
    """The URL, or a one-line refusal naming DATABASE_URL (never showing its password)."""
    try:
        return sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):  # ValueError: a port that is no number
        raise DatabaseUnavailable(
            f"netapp: DATABASE_URL is not a database URL: {without_password(url)!r}") from None


def create_sqlite_file(url: str) -> None:
    """Create a SQLite database file readable by its owner only, before SQLite creates it
    with the umask's mode; SQLite gives its -wal and -shm files the same mode."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if path.parent.is_dir():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def check_on_start(app) -> None:
    """Refuse to start when the database in DATABASE_URL does not answer."""
    shown = parse_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    try:
        with app.app_context(), db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error: missing module, refused, bad password
        reason = without_password(str(exc).strip().splitlines()[0][:200])
        raise DatabaseUnavailable(
            f"netapp: the database in DATABASE_URL ({shown}) does not answer: {reason}"
        ) from None
    finally:
        with app.app_context():
            # gunicorn's preload_app forks the workers from this process: none of them may
            # inherit (and share) a connection opened here.
            db.engine.dispose()


# A number of its own for netapp's migrations among PostgreSQL's advisory locks.
MIGRATION_LOCK = 7_203_020_260


@contextlib.contextmanager
def migration_lock(engine: sa.Engine):
    """Only one `init-db` migrates at a time, on every machine: the others wait, then find
    the database at the newest version. PostgreSQL: a session advisory lock; SQLite: an
    exclusive lock on a file beside the database."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("SET statement_timeout = 0")  # waiting is the point
            conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                conn.invalidate()  # its settings were changed: never back into the pool
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    fd = os.open(f"{database}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def lock_for_write(model, row_id: int) -> None:
    """Make the rest of this transaction the only writer that checks against `model`'s row
    `row_id` until it commits: a check-then-write (no two overlapping phases) is then never
    passed by two requests at once. PostgreSQL locks the row (SELECT ... FOR UPDATE; the
    other waits, then reads what was committed); SQLite has one writer at a time, so a
    no-op UPDATE of the row begins the write transaction before the check instead of after
    it (pysqlite begins none for a SELECT, so the check then reads what was committed)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(model.id).where(model.id == row_id).with_for_update())
    else:
        db.session.execute(sa.update(model).where(model.id == row_id)
                           .values(id=model.id).execution_options(synchronize_session=False))


def gather_statistics() -> None:
    """Refresh the query planner's statistics. PostgreSQL's autovacuum does this after enough
    changes; SQLite never does on its own, and without them it guesses its plans."""
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


# --- Performance trick: statements built once (the only one of its kind here) -------------
# Profiling the large data set (flask seed-large) showed SQL itself at under 2 ms of a
# 10-20 ms page: the rest was SQLAlchemy building, keying and compiling the same statements
# on every request. Built once and bound per request, the hot paths (network and meeting
# access, the home panels, the meeting page, the health figures, the live loaders, the
# evaluation round, the clock poll) pay only for running them; bench/RESULTS.md ("What the
# last two rounds changed") has the page figures. Use it only for a statement whose shape
# never depends on the request: every varying value must be a bindparam.
def prebuilt(build: Callable[..., T]) -> Callable[..., T]:
    """A statement built once, on first use (once per argument, for a few fixed variants), with
    bound parameters for what a request varies: hot pages then pay for running their queries,
    not for building and keying them again."""
    return functools.cache(build)


# --- End of the performance trick --------------------------------------------------------


class WriteInReadOnlyRequest(RuntimeError):
    """A request that only reads tried to write (a mistake in the code, never the user's)."""


def read_only_request() -> None:
    """Declare that this request only reads (every GET and HEAD: netapp.create_app). On a
    database server its session then reads in autocommit (netapp.extensions.Session); at
    READ COMMITTED each statement reads its own snapshot either way. A write in such a
    request is refused on every database, so none can go out one statement at a time. The
    flag ends with the request (end_of_request). A session that is already in a transaction
    keeps it."""
    if not db.session().in_transaction():
        db.session.info[READ_ONLY] = True


def end_of_request() -> None:
    """The request is over: the session, if a caller's app context goes on using it, may
    write again."""
    db.session().info.pop(READ_ONLY, None)


def commit_then_read() -> None:
    """Commit the request's work; what follows only renders the answer, and reads as a GET
    does (read_only_request). Ending in a ROLLBACK instead would make psycopg deallocate
    its prepared statements, and a room's presses would keep every statement planned anew."""
    db.session.commit()
    read_only_request()


def _writing(session) -> None:
    if session.info.get(READ_ONLY):
        raise WriteInReadOnlyRequest("a request that only reads tried to write")


@sa.event.listens_for(orm.Session, "before_flush")
def _refuse_flushes(session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        _writing(session)


@sa.event.listens_for(orm.Session, "do_orm_execute")
def _refuse_statements(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _writing(state.session)


def read_row(statement: sa.Select, params: dict) -> sa.Row | None:
    """The first row of a columns-only statement, as `read_rows` reads them."""
    rows = read_rows(statement, params)
    return rows[0] if rows else None


def read_rows(statement: sa.Select, params: dict) -> list[sa.Row]:
    """The rows of a columns-only statement, for a read before anything else in the
    request (a clock poll before its view runs), on a pooled connection of its own: no ORM
    session is begun and closed around it, and no ORM objects come back.

    On a database server the read runs in autocommit, which saves the BEGIN and ROLLBACK
    round trips around one SELECT. SQLite begins no transaction for a SELECT anyway, and an
    in-memory database shares one connection that switching to autocommit would commit.
    """
    connection = db.engine.connect()
    if db.engine.dialect.name != "sqlite":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    with connection:
        return list(connection.execute(statement, params))


HEALTH_SECONDS = 1.5  # /healthz answers within 2 s, whatever the database does
_health = {"probe": None}
_health_lock = threading.Lock()
_prober = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netapp-health")


def _probe(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


def answers_within(engine: sa.Engine, seconds: float = HEALTH_SECONDS) -> bool:
    """True when the database answers `SELECT 1` within SECONDS. The probe runs in a thread
    of its own, so a hung database cannot hold the caller; while a probe is still stuck, no
    second one starts (the answer is False at once)."""
    with _health_lock:
        probe = _health["probe"]
        if probe is None or probe.done():
            probe = _health["probe"] = _prober.submit(_probe, engine)
    try:
        probe.result(timeout=seconds)
    except Exception:  # timed out, refused, or any driver error: not healthy
        return False
    return True


class Watchdog:
    """Cuts a PostgreSQL connection whose statement (or pre-request ping) a request has
    waited on past its deadline. PostgreSQL's statement_timeout only helps while the server
    runs: a frozen server or a dropped network leaves the socket silent, and the worker
    would wait until gunicorn kills it. Shutting the socket down wakes the waiting driver
    with a lost connection, which SQLAlchemy then discards: the request fails in seconds
    (a 503 page) and the next one gets a new connection. Only requests are bounded; the
    commands (init-db, purge-expired) may run long statements."""

    def __init__(self):
        self._armed: dict[int, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def arm(self, dbapi_connection, seconds: float) -> None:
        if not has_request_context():
            return
        with self._lock:
            self._armed[threading.get_ident()] = (time.monotonic() + seconds, dbapi_connection)
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()  # a forked worker starts its own watcher
                self._thread = threading.Thread(target=self._watch, daemon=True,
                                                name="netapp-db-watchdog")
                self._thread.start()

    def disarm(self, *_args) -> None:
        with self._lock:
            self._armed.pop(threading.get_ident(), None)

    def _watch(self) -> None:
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                late = [key for key, (deadline, _c) in self._armed.items() if deadline < now]
                cut = [self._armed.pop(key)[1] for key in late]
            for dbapi_connection in cut:
                _shut_down(dbapi_connection)


def _shut_down(dbapi_connection) -> None:
    with contextlib.suppress(Exception):  # already closed: nothing to cut
        fd = dbapi_connection.fileno()
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)


def watch_statements(engine: sa.Engine, statement_seconds: float, ping_seconds: float) -> None:
    """Bound every statement a request runs on ENGINE (a database server), and the ping of
    each connection as it leaves the pool (when pool_pre_ping is on, this ping replaces it)."""
    if engine.dialect.name != "postgresql":
        return
    watchdog = Watchdog()

    def before(conn, cursor, statement, parameters, context, executemany):
        watchdog.arm(conn.connection.dbapi_connection, statement_seconds)

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", watchdog.disarm)
    sa.event.listen(engine, "handle_error", watchdog.disarm)

    def ping(dbapi_connection, record, _proxy):
        """Replaces pool_pre_ping: the same `SELECT 1` as a connection leaves the pool, but
        bounded, and only where it can tell something; a connection that fails it is
        replaced by a new one."""
        if _still_good(dbapi_connection, record):
            return
        watchdog.arm(dbapi_connection, ping_seconds)
        try:
            engine.dialect.do_ping(dbapi_connection)  # what pool_pre_ping would run
        except Exception as exc:
            raise sa.exc.DisconnectionError(str(exc).splitlines()[0][:200]) from None
        finally:
            watchdog.disarm()

    if engine.pool._pre_ping:
        sa.event.listen(engine.pool, "checkout", ping)
        sa.event.listen(engine.pool, "connect", _returned)  # as fresh as a connection gets
        sa.event.listen(engine.pool, "checkin", _returned)
        engine.pool._pre_ping = False  # kept so by engine.dispose(), which recreates the pool
        engine.info_bounded_ping = True


# A connection back in the pool this recently is handed out again without a ping.
UNPINGED_SECONDS = 5.0
_RETURNED = "netapp_returned_at"


def _returned(_dbapi_connection, record) -> None:
    record.info[_RETURNED] = time.monotonic()


def _still_good(dbapi_connection, record) -> bool:
    """True for a connection returned to the pool moments ago whose socket has nothing to
    read: a busy worker takes one every few milliseconds, and a ping each time was a round
    trip in every request. A server that ends a connection (a restart, a terminated
    backend, a crash) sends its last message and closes the socket, which makes it readable
    at once, so such a connection is still pinged and replaced. A connection idle for
    longer is always pinged: a silent drop (a firewall's, a NAT's) leaves its socket
    quiet."""
    returned = record.info.get(_RETURNED)
    if returned is None or time.monotonic() - returned > UNPINGED_SECONDS:
        return False
    try:
        readable, _w, _x = select.select([dbapi_connection.fileno()], [], [], 0)
    except Exception:  # a closed connection has no socket: the ping finds it and replaces it
        return False
    return not readable


def pinged_on_checkout(engine: sa.Engine) -> bool:
    """Whether a connection is pinged as it leaves the pool (SQLAlchemy's or ours)."""
    return bool(engine.pool._pre_ping or getattr(engine, "info_bounded_ping", False))
