"""A throwaway PostgreSQL cluster under a temporary folder, for the test suite (STACK.md)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager


def pg_bin() -> str | None:
    """The installed PostgreSQL's bin folder, newest first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return os.path.dirname(found[0]) if found else None


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; on these machines tests run as root.
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(command)]
    return command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_cluster():
    """Yield a postgresql+psycopg URL of a new cluster; stop and remove it afterwards."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = tempfile.mkdtemp(prefix="netapp-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = os.path.join(folder, "data"), _free_port()
    run = lambda *cmd: subprocess.run(_as_postgres(list(cmd)), check=True, capture_output=True)  # noqa: E731
    run(f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
    options = f"'-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off " \
              f"-c synchronous_commit=off -c full_page_writes=off'"
    run(f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{folder}/log", "-o", options, "-w", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
