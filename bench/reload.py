"""How long requests stall while gunicorn reloads (SIGHUP), on 127.0.0.1 only.

    .venv/bin/python bench/reload.py            # gunicorn.conf.py as it is (preload_app)
    .venv/bin/python bench/reload.py --compare  # and again with preload_app = False

Serves a fresh SQLite database with the project's gunicorn.conf.py on a free port, keeps
four clients requesting the login page without pause, sends SIGHUP twice, and prints each
run's request count, failures and the slowest answers. Bounded: about 10 s per run.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(preload: bool = True, seconds: float = 8.0, hups: tuple = (2.5, 5.0),
            clients: int = 4, workers: int = 2, port: int | None = None) -> dict:
    """Serve, load, reload; the stats of the requests made meanwhile (on `port`, else on a
    port the kernel had free a moment ago)."""
    folder = Path(tempfile.mkdtemp(prefix="netapp-reload-"))
    port = port or _free_port()
    conf = folder / "gunicorn.conf.py"
    conf.write_text(f"exec(open({str(ROOT / 'gunicorn.conf.py')!r}).read())\n"
                    f"preload_app = {preload!r}\n")
    env = {**os.environ, "NETAPP_INSTANCE_PATH": str(folder), "PORT": str(port),
           "HOST": "127.0.0.1", "WEB_CONCURRENCY": str(workers),
           "NETAPP_PUBLIC_URL": f"http://127.0.0.1:{port}", "NETAPP_SECRET_KEY": "reload"}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(BIN / "flask"), "--app", "netapp", "init-db"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=120)
    log = (folder / "gunicorn.log").open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(conf), "netapp:create_app()"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/auth/login"
    try:
        _wait_until_up(url, server)
        times, failures, stop = [], [], threading.Event()

        def client():
            while not stop.is_set():
                began = time.monotonic()
                try:
                    # a slow answer is not a dropped one: the bound only stops a hung client
                    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                        response.read()
                    times.append((began, time.monotonic() - began))
                except (urllib.error.URLError, OSError) as exc:
                    failures.append(repr(exc))

        threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for at in hups:
            time.sleep(max(0.0, start + at - time.monotonic()))
            server.send_signal(signal.SIGHUP)
        time.sleep(max(0.0, start + seconds - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(90)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    slowest = sorted((t for _b, t in times), reverse=True)
    return {"preload": preload, "requests": len(times), "failures": len(failures),
            "max_s": round(slowest[0], 3) if slowest else None,
            "p99_s": round(slowest[len(slowest) // 100], 3) if slowest else None,
            "log": (folder / "gunicorn.log").read_text()}


def _wait_until_up(url: str, server, seconds: float = 240) -> None:
    """Until the server answers; a safety stop only (a loaded machine boots it slowly)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - 127.0.0.1 only
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="also run without preload_app")
    args = parser.parse_args()
    for preload in (True, False) if args.compare else (True,):
        stats = measure(preload=preload)
        stats.pop("log")
        print(" ".join(f"{key}={value}" for key, value in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
