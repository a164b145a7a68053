"""What the fault tests put between a screen and the real server: gunicorn (gevent) with a
probe that reports each worker's greenlets and live listeners, a TCP proxy that closes
connections the way a reverse proxy's timeouts do, and a log-in for raw sockets."""

import html
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from tests.e2e import test_restart
from tests.e2e.test_restart import ROOT, Server

PROBE_CONF = '''
import gc, json, os, threading, time
exec(compile(open({conf!r}).read(), "gunicorn.conf.py", "exec"))
_project_post_worker_init = post_worker_init


def post_worker_init(worker):
    _project_post_worker_init(worker)

    def report():
        # Counting greenlets walks every object and holds the worker meanwhile: only when the
        # test asks (it writes the "ask" file), never while it measures answer times.
        import greenlet
        from netapp import write_timeout
        from netapp.live import push
        path = os.path.join({folder!r}, "worker-%d.json" % os.getpid())
        ask = os.path.join({folder!r}, "ask")
        asked = None
        while True:
            try:
                now_asked = os.stat(ask).st_mtime_ns
            except OSError:
                now_asked = None
            if now_asked != asked:
                asked = now_asked
                gc.collect()
                alive = sum(1 for o in gc.get_objects()
                            if isinstance(o, greenlet.greenlet) and not o.dead)
                state = {{
                    "asked": asked,
                    "greenlets": alive,
                    # the worker's own helpers, each started once at its first use
                    "helpers": sum(1 for t in threading.enumerate()
                                   if t.name.startswith("netapp-")),
                    "listeners": sum(h.listeners() for h in list(push._hubs.values())),
                    "watched": sum(d.watching() for d in list(write_timeout._dogs.values())),
                }}
                with open(path + ".new", "w") as out:
                    json.dump(state, out)
                os.replace(path + ".new", path)
            time.sleep(0.05)

    threading.Thread(target=report, daemon=True, name="fault-test-probe").start()
'''


class ProbedServer(Server):
    """gunicorn with the project's settings plus a probe in each worker."""

    def __init__(self, env: dict, folder: Path, workers: int = 2) -> None:
        super().__init__(env, folder / "gunicorn.log")
        self.folder, self.worker_count = folder, workers
        self.conf = folder / "probe.conf.py"
        self.conf.write_text(PROBE_CONF.format(conf=str(ROOT / "gunicorn.conf.py"),
                                               folder=str(folder)))

    def start(self) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(self.conf),
                 "--workers", str(self.worker_count), "--reuse-port",
                 "--bind", f"127.0.0.1:{self.port}",
                 "netapp:create_app()"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )
        self.wait_healthy(timeout=90)  # booting takes long on a loaded machine: only a stop

    def probe(self, timeout: float = 10) -> dict[int, dict]:
        """Per worker pid: its greenlets, live listeners, watched responses (as the worker
        counts them when asked), its open client connections and OS threads (as /proc sees
        them; its database connections are not clients: a pool keeps them)."""
        ask = self.folder / "ask"
        ask.write_text(str(time.monotonic_ns()))
        asked = ask.stat().st_mtime_ns
        deadline = time.monotonic() + timeout
        while True:
            found = {}
            for pid in self.workers():
                try:
                    state = json.loads((self.folder / f"worker-{pid}.json").read_text())
                    clients = self._client_inodes(pid)
                    state["sockets"] = sum(
                        1 for fd in os.listdir(f"/proc/{pid}/fd")
                        if os.readlink(f"/proc/{pid}/fd/{fd}") in clients)
                    state["threads"] = len(os.listdir(f"/proc/{pid}/task"))
                except (OSError, ValueError):
                    continue
                if state.pop("asked") == asked:
                    found[pid] = state
            if len(found) == self.worker_count:
                return found
            assert time.monotonic() < deadline, f"the workers' probes do not answer:\n{self.tail()}"
            time.sleep(0.05)

    def _client_inodes(self, pid: int) -> set[str]:
        """The worker's connections accepted on the server's port, as /proc/PID/fd names
        them ("socket:[inode]"); the listening socket is none of them."""
        found = set()
        with open(f"/proc/{pid}/net/tcp") as table:
            for line in table.readlines()[1:]:
                fields = line.split()
                local_port, state, inode = int(fields[1].split(":")[1], 16), fields[3], fields[9]
                if local_port == self.port and state != "0A":  # 0A: LISTEN
                    found.add(f"socket:[{inode}]")
        return found

    def totals(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for state in self.probe().values():
            for key, value in state.items():
                total[key] = total.get(key, 0) + value
        return total

    def wait_probed(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while len(self.workers()) < self.worker_count:
            assert time.monotonic() < deadline, f"workers missing:\n{self.tail()}"
            time.sleep(0.1)
        self.probe(timeout)


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 in front of `upstream`, closing what a reverse proxy closes:
    every connection that carried no byte either way for `idle_s` while no request waits for its
    answer (a keep-alive connection between requests), and every connection
    carrying an event stream `stream_life_s` after the stream began (standing for a proxy's
    60 s). `hold()` cuts everything and keeps new connections waiting until `release()`."""

    def __init__(self, upstream: int, idle_s: float, stream_life_s: float) -> None:
        self.upstream, self.idle_s, self.stream_life_s = upstream, idle_s, stream_life_s
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()
        self.connections: list[dict] = []
        self.cuts = {"idle": 0, "stream": 0, "held": 0}
        self.running = True
        for target in (self._accept, self._reap):
            threading.Thread(target=target, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client) -> None:
        self.gate.wait()
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
        except OSError:
            client.close()
            return
        conn = {"client": client, "upstream": upstream, "last": time.monotonic(),
                "stream_since": None, "closed": False, "waiting": False}
        with self.lock:
            self.connections.append(conn)
        threading.Thread(target=self._pump, args=(client, upstream, conn, False),
                         daemon=True).start()
        self._pump(upstream, client, conn, True)

    def _pump(self, source, target, conn, answers: bool) -> None:
        try:
            while data := source.recv(65536):
                conn["last"] = time.monotonic()
                conn["waiting"] = not answers
                if answers and b"text/event-stream" in data[:2000] and data.startswith(b"HTTP/"):
                    conn["stream_since"] = conn["last"]
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._close(conn)

    def _close(self, conn, reason: str | None = None) -> None:
        with self.lock:
            if conn["closed"]:
                return
            conn["closed"] = True
            if reason:
                self.cuts[reason] += 1
            self.connections.remove(conn)
        for sock in (conn["client"], conn["upstream"]):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _reap(self) -> None:
        while self.running:
            time.sleep(0.1)
            now = time.monotonic()
            with self.lock:
                due = [(c, "stream") for c in self.connections
                       if c["stream_since"] and now - c["stream_since"] > self.stream_life_s]
                due += [(c, "idle") for c in self.connections
                        if now - c["last"] > self.idle_s and not c["stream_since"]
                        and not c["waiting"]]
            for conn, reason in due:
                self._close(conn, reason)

    def hold(self) -> None:
        self.gate.clear()
        with self.lock:
            everything = list(self.connections)
        for conn in everything:
            self._close(conn, "held")

    def release(self) -> None:
        self.gate.set()

    def stop(self) -> None:
        self.running = False
        self.gate.set()
        self.listener.close()
        with self.lock:
            everything = list(self.connections)
        for conn in everything:
            self._close(conn)


def log_in(port: int, email: str, password: str) -> str:
    """The Cookie header of a fresh session of EMAIL on the server at PORT."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/auth/login")
    page = conn.getresponse()
    body = page.read().decode()
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = html.unescape(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1))
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    conn.request("POST", "/auth/login", body=form, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    answer = conn.getresponse()
    answer.read()
    conn.close()
    assert answer.status == 302, answer.status
    return answer.getheader("Set-Cookie").split(";", 1)[0]


def timed_get(port: int, path: str, cookie: str = "", timeout: float = 10) -> tuple[int, float]:
    """Status and seconds of one GET on a new connection."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "HX-Request": "true"})
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def demo_database(url: str) -> tuple[dict, int]:
    """test_restart's seeded demo database at `url`, with time to seed on a loaded machine."""
    return test_restart._demo_database(url, seconds=300)
