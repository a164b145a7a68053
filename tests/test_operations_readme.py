"""The README's Operations section, run exactly as written, on SQLite and on PostgreSQL.

Deploy (install, compile, migrate), serve two instances with gunicorn on 127.0.0.1, check
their health, log in on one and be logged in on the other, unlock an account, run the
cron lines, back up (0600, with the secret key), stop, restore into an empty database,
migrate, and compare every table with the original.
"""

import os
import re
import signal
import stat
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import own_database
from tests.pg import pg_bin, throwaway_cluster
from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SERVE_SECONDS = 60  # an instance that is not healthy by then fails the test
pytestmark = pytest.mark.skipif(not (ROOT / ".venv/bin/gunicorn").exists(),
                                reason="needs the project's .venv (make .venv/.installed)")


def operations_section() -> str:
    text = README.read_text()
    start = text.index("\n## Operations\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def fenced(language: str) -> list[str]:
    """The README Operations section's fenced blocks in LANGUAGE, in order."""
    return re.findall(rf"```{language}\n(.*?)```", operations_section(), re.S)


def blocks() -> dict[str, str]:
    """Each sh block by what it does; a block this test does not know fails it."""
    named = {}
    for block in fenced("sh"):
        kind = ("deploy" if "init-db" in block and "make" in block else
                "serve" if "gunicorn" in block else
                "health" if "healthz" in block else
                "backup" if " backup " in block else
                "restore" if " restore " in block else
                "unlock" if "unlock-account" in block else None)
        assert kind is not None and kind not in named, f"README block not run by a test:\n{block}"
        named[kind] = block
    assert set(named) == {"deploy", "serve", "health", "backup", "restore", "unlock"}
    return named


def cron_commands() -> list[str]:
    """Each cron line's command as cron runs it (from the project folder, `\\%` as `%`)."""
    commands = []
    for line in fenced("cron")[0].splitlines():
        if line.strip() and not line.startswith("#"):
            command = line.split(None, 5)[5]
            commands.append(command.replace("cd /srv/netapp", f"cd {ROOT}").replace("\\%", "%"))
    return commands


def run(block: str, env: dict, timeout: int = 120) -> str:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{block}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextmanager
def instance(block: str, env: dict, log: Path):
    """One gunicorn instance from the README's serve block, on its own 127.0.0.1 port."""
    with log.open("w") as out:
        server = subprocess.Popen(["bash", "-c", block], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield server
    finally:
        stop(server)


def stop(server) -> None:
    """SIGTERM to the instance's process group; SIGKILL if it has not stopped in 30 s."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def wait_healthy(health: str, env: dict, server, log: Path) -> None:
    deadline = time.monotonic() + SERVE_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the instance stopped:\n{log.read_text()[-3000:]}"
        done = subprocess.run(["bash", "-c", health], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=10)
        if done.returncode == 0:
            assert '"status":"ok"' in done.stdout.replace(" ", "")
            return
        time.sleep(0.3)
    pytest.fail(f"not healthy within {SERVE_SECONDS} s:\n{log.read_text()[-3000:]}")


def http(port: int, path: str, data: bytes | None = None, cookie: str = ""):
    """(status, headers, body) of a request to 127.0.0.1:PORT, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                     headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def cookies(headers) -> str:
    return "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie") or [])


def log_in(port: int) -> str:
    """Log the demo member in on the instance at PORT; the session cookie."""
    from urllib.parse import urlencode

    status, headers, body = http(port, "/auth/login")
    assert status == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body) or re.search(
        r'name="csrf_token" value="([^"]+)"', body)
    jar = cookies(headers)
    form = urlencode({"csrf_token": token.group(1), "email": "medlem@example.com",
                      "password": "sparring-demo"}).encode()
    status, headers, body = http(port, "/auth/login", form, jar)
    assert status == 302, body[:500]
    return cookies(headers)


def table_rows(url: str) -> dict[str, list]:
    """Every table's rows, sorted, as text: what two databases must agree on."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            meta = sa.MetaData()
            meta.reflect(conn)
            return {name: sorted(tuple(str(v) for v in row)
                                 for row in conn.execute(sa.select(meta.tables[name])))
                    for name in names}
    finally:
        engine.dispose()


@contextmanager
def postgresql_server(database_url: str):
    """The suite's PostgreSQL server, or a throwaway cluster when the suite runs on SQLite."""
    if database_url.startswith("postgresql"):
        yield database_url
        return
    if pg_bin() is None:
        if os.environ.get("NETAPP_REQUIRE_POSTGRES") == "true":
            pytest.fail("CI requires PostgreSQL: apt-get install postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with throwaway_cluster() as url:
        yield url


def plain(url: str) -> str:
    """The URL as the README writes it: postgresql://, without SQLAlchemy's +psycopg."""
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_readme_operations_run_as_written(backend, database_url, tmp_path):
    steps = blocks()
    with ExitStack() as stack:
        base = {key: value for key, value in os.environ.items()
                if not key.startswith(("NETAPP_", "DATABASE_URL", "FLASK_"))}
        instance_path, backup_dir = tmp_path / "instance", tmp_path / "backups"
        backup_dir.mkdir(mode=0o700)
        env = {**base, "NETAPP_PUBLIC_URL": "https://netapp.example.dk",
               "NETAPP_INSTANCE_PATH": str(instance_path), "NETAPP_PROXY_FIX": "1",
               "FORWARDED_ALLOW_IPS": "127.0.0.1", "HOST": "127.0.0.1",
               "WEB_CONCURRENCY": "2", "BACKUP_DIR": str(backup_dir)}
        if backend == "postgresql":
            server = stack.enter_context(postgresql_server(database_url))
            source = stack.enter_context(own_database(server, tmp_path / "a"))
            target = stack.enter_context(own_database(server, tmp_path / "b"))
            env["DATABASE_URL"] = plain(source)
        else:  # DATABASE_URL unset: the SQLite file in the instance folder
            source = f"sqlite:///{instance_path / 'netapp.sqlite'}"
            (tmp_path / "restored").mkdir()
            target = f"sqlite:///{tmp_path / 'restored' / 'netapp.sqlite'}"

        run(steps["deploy"], env, timeout=300)
        run(".venv/bin/flask --app netapp seed-demo", env)  # data to back up (not a README step)
        if backend == "sqlite":
            assert stat.S_IMODE((instance_path / "netapp.sqlite").stat().st_mode) == 0o600

        # Two instances, one database, one secret key: a login on one holds on the other.
        ports = [free_port(), free_port()]
        servers = []
        for n, port in enumerate(ports):
            log = tmp_path / f"gunicorn-{n}.log"
            server = stack.enter_context(instance(steps["serve"], {**env, "PORT": str(port)}, log))
            servers.append((server, log))
        for port, (server, log) in zip(ports, servers, strict=True):
            wait_healthy(steps["health"], {**env, "PORT": str(port)}, server, log)
        session = log_in(ports[0])
        status, _headers, body = http(ports[1], "/home", cookie=session)
        assert status == 200 and "Ledernetværk Østjylland" in body
        token = "Tok" + "x" * 40
        assert http(ports[0], f"/auth/reset/{token}")[0] == 400
        time.sleep(0.5)  # the access log line is written after the response
        access_log = servers[0][1].read_text()
        assert "/auth/reset/[redacted]" in access_log and token not in access_log

        # A locked-out account is let in again by the operator.
        engine = sa.create_engine(source, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO login_failure (email, address, at) "
                                 "VALUES ('medlem@example.com', '203.0.113.7', :at)"),
                         {"at": "2026-12-01 12:00:00"})
        assert "Forgot 1 failed logins" in run(steps["unlock"], env)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM login_failure")).scalar() == 0
        engine.dispose()

        for command in cron_commands():
            run(command, env)

        run(steps["backup"], env)
        made = sorted(backup_dir.glob("netapp-*.backup"))
        assert len(made) == 1  # the cron line and the README's block name the same file
        assert stat.S_IMODE(made[0].stat().st_mode) == 0o600
        assert stat.S_IMODE((backup_dir / "secret_key").stat().st_mode) == 0o600
        assert not list(backup_dir.glob(".*partial"))

        # Every instance stopped, then restore into an empty database and migrate.
        for server, _log in servers:
            stop(server)
        original = table_rows(source)
        restored_env = {**env, "DATABASE_URL": plain(target), "BACKUP_FILE": str(made[0])}
        run(steps["restore"], restored_env)
        restored = table_rows(target)
        assert set(restored) == set(original) and "alembic_version" in restored
        assert original["user"] and original["network"]
        for name in original:
            assert restored[name] == original[name], name
