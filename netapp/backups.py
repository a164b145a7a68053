"""Backups and restores of the whole database, for SQLite and PostgreSQL alike.

A backup is one file, readable by its owner only (0600): SQLite's online backup API for a
SQLite database (a consistent copy while the app runs, never a file copy of a WAL
database), `pg_dump --format=custom` for PostgreSQL. A restore goes into an empty
database with every instance stopped: a SQLite restore replaces the file and removes the
old file's -wal and -shm (which would otherwise be replayed over the restored data), and
a PostgreSQL restore refuses a database that has tables.
"""

import glob
import os
import shutil
import sqlite3

# pg_dump and pg_restore get an argument list, never a shell.
import subprocess  # nosec B404
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why, in one line."""


def libpq_url(url: sa.engine.URL) -> tuple[str, dict]:
    """The plain `postgresql://` URL pg_dump and pg_restore understand (without SQLAlchemy's
    `+psycopg`), without the password, which goes in PGPASSWORD (never on a command line,
    where every user of the machine can read it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def pg_program(name: str) -> str:
    """pg_dump or pg_restore: from PATH, else the newest installed PostgreSQL's."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


@contextmanager
def private_file(target: Path):
    """Yield a new temporary file beside TARGET, created 0600; it becomes TARGET only when
    the block ends without an error, so a failed backup never leaves a 0-byte file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.partial")
    temporary.unlink(missing_ok=True)
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def backup(url: sa.engine.URL, target: Path) -> None:
    """Write a consistent copy of the database at URL to TARGET (0600)."""
    with private_file(target) as temporary:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_file(url), temporary)
        else:
            _pg("pg_dump", url, "--format=custom", "--no-owner", "--no-privileges",
                f"--file={temporary}")


def restore(url: sa.engine.URL, source: Path, replace: bool = False) -> None:
    """Put the backup SOURCE into the (empty) database at URL."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(_sqlite_file(url), source, replace)
        return
    if _has_tables(url):
        raise BackupError("the database in DATABASE_URL has tables: restore into an empty "
                          "database (CREATE DATABASE ...), with every instance stopped")
    _pg("pg_restore", url, "--no-owner", "--no-privileges", "--exit-on-error",
        "--single-transaction", str(source))


def _sqlite_file(url: sa.engine.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("only a SQLite file database can be backed up or restored")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: consistent even while other connections write."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_tables(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def _restore_sqlite(database: Path, source: Path, replace: bool) -> None:
    """Check the backup, then swap it in for the database file; the old file's -wal and -shm
    go with it, or SQLite would replay the old WAL over the restored data."""
    if _sqlite_tables(database) and not replace:
        raise BackupError(f"{database} has tables: stop every instance and add --replace "
                          "to overwrite it, or restore into a new DATABASE_URL")
    with private_file(database) as temporary:
        _sqlite_copy(source, temporary)
        with sqlite3.connect(temporary) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{source} is not a sound SQLite database: {verdict}")
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


def _has_tables(url: sa.engine.URL) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")).scalar())
    finally:
        engine.dispose()


def _pg(program: str, url: sa.engine.URL, *args: str) -> None:
    plain, env = libpq_url(url)
    command = [pg_program(program), *args, f"--dbname={plain}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 # nosec B603
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["no output"]
        raise BackupError(f"{program} failed: {lines[0][:300]}")
