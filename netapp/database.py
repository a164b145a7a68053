"""Database checks at start-up, a password-free URL for messages, the migration lock."""

import contextlib
import fcntl
import functools
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from netapp.extensions import db

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


def read_row(statement: sa.Select, params: dict) -> sa.Row | None:
    """The first row of a columns-only statement, for a read before anything else in the
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
        return connection.execute(statement, params).first()


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
