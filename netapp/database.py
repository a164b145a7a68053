"""Database checks at start-up and consistent backups."""

import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa

from netapp.extensions import db

T = TypeVar("T")


class DatabaseUnavailable(SystemExit):
    """Raised at start-up: a one-line message naming the setting, never a traceback."""


def parse_url(url: str) -> sa.engine.URL:
    """The URL, or a one-line refusal naming DATABASE_URL."""
    try:
        return sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseUnavailable(f"netapp: DATABASE_URL is not a database URL: {url!r}") from None


def check_on_start(app) -> None:
    """Refuse to start when the database in DATABASE_URL does not answer."""
    shown = parse_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    try:
        with app.app_context(), db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error: missing module, refused, bad password
        reason = str(exc).strip().splitlines()[0][:200]
        raise DatabaseUnavailable(
            f"netapp: the database in DATABASE_URL ({shown}) does not answer: {reason}"
        ) from None


def backup_sqlite(source_url: str, target: Path) -> None:
    """Copy a live SQLite database through the online backup API (never a file copy of WAL)."""
    database = sa.engine.make_url(source_url).database
    if not database or database == ":memory:":
        raise ValueError("only a SQLite file database can be backed up this way")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(database) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


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
