"""A throwaway PostgreSQL cluster under a temporary folder, for the test suite."""

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager

from tests.ports import free_port


def pg_bin() -> str | None:
    """The installed PostgreSQL's bin folder, newest first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return os.path.dirname(found[0]) if found else None


class Cluster:
    """initdb into a temporary folder; start and stop it at will (a test can pull the plug)."""

    def __init__(self):
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.folder = tempfile.mkdtemp(prefix="netapp-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data = os.path.join(self.folder, "data")
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync")
        self.port = free_port()  # after initdb (seconds on a loaded machine), just before start
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [f"{self.bin}/{program}", *args]
        if os.geteuid() == 0:  # initdb refuses to run as root; tests here run as root
            command = ["su", "postgres", "-c", " ".join(command)]
        subprocess.run(command, check=True, capture_output=True)

    def start(self) -> None:
        options = (f"'-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off'")
        self._run("pg_ctl", "-D", self.data, "-l", f"{self.folder}/log", "-o", options,
                  "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def throwaway_cluster():
    """Yield a postgresql+psycopg URL of a new, running cluster; remove it afterwards."""
    cluster = Cluster()
    cluster.start()
    try:
        yield cluster.url
    finally:
        cluster.stop()
        cluster.remove()
