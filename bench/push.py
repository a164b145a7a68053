"""Push against polling: how fast a press reaches every open screen, and how many rooms hold.

Run by bench/run.py (`make bench`) or alone: `.venv/bin/python bench/push.py --db sqlite`.
Everything targets 127.0.0.1 and every loop is bounded in count and time.

Each room is one presentation exercise with its facilitator's page, 15 tablets and the
projector (17 screens). A screen is a gevent greenlet doing what live.js and htmx do:
- push: it holds the exercise's event stream and, on "changed", asks for its clock fragment
  with its fingerprint (204 when nothing it shows changed);
- polling (today's way, measured in the same run): it asks for that fragment every 2 s.
The latency of a press is from the moment the facilitator's POST is sent to the moment a
screen holds the fragment with the press's new version; p50/p95/max over every screen and
press. Capacity: rooms are added in steps, each room pressing once every 10 s (pause and
resume in turn) with one member's page view beside it, until the p95 passes 0.3 s or a
request fails; the last step that held is the figure.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import http.client  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
TABLETS = 15
POLL_SECONDS = 2.0
PRESS_EVERY = 10.0
TARGET_P95 = 0.3
# How fast screens open: a room's 17 screens in a fifth of a second, 100 rooms in 17 s. Real
# rooms open theirs over minutes; a restart of the server reconnects them all within about a
# second, and then each asks with its fingerprint (shared or 204), not for a first fragment.
JOINS_PER_SECOND = 100


def seed(env: dict, rooms: int) -> list[dict]:
    """`rooms` networks, each with a facilitator, 15 members at a meeting and a presentation
    round, written through the app's own factories in a child process."""
    code = f"""
import json
from netapp import create_app
from tests import factories as f
from netapp.networks.models import Role
app = create_app()
out = []
with app.app_context():
    from netapp.extensions import db
    org = f.organisation()
    for n in range({rooms}):
        net = f.network(org)
        boss = f.member(net, Role.FACILITATOR, name=f"Facilitator {{n}}")
        people = [f.member(net, name=f"Member {{n}}-{{i}}") for i in range({TABLETS})]
        meeting = f.meeting(net)
        for person in [boss, *people]:
            f.attendance(meeting, person, checked_in=True)
        ex = f.live_exercise(meeting, "presentation", seconds=600)
        out.append({{"exercise": ex.id, "facilitator": boss.email,
                    "member": people[0].email,
                    "tokens": [f.device_token(person) for person in people]}})
    # Each tablet is its own member's: their logged-in session cookie, as the login makes it
    # (a login per tablet would spend minutes on password hashing).
    from flask_login.utils import _create_identifier
    with app.test_request_context(environ_base={{"REMOTE_ADDR": "{HOST}"}}):
        ident = _create_identifier()
    signer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    for room in out:
        room["tablets"] = [name + "=" + signer.dumps({{"_user_id": t, "_fresh": False,
                                                     "_id": ident}})
                           for t in room.pop("tokens")]
print(json.dumps({{"password": f.PASSWORD, "rooms": out}}))
"""
    import json

    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "netapp", "init-db"], env=env,
                   cwd=ROOT, capture_output=True, check=True)
    result = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return [dict(room, password=data["password"]) for room in data["rooms"]]


class Client:
    """One kept-alive connection with the session cookie and CSRF token of one login."""

    def __init__(self, port: int, cookie: str = "", csrf: str = ""):
        self.port, self.cookie, self.csrf = port, cookie, csrf
        self.conn = http.client.HTTPConnection(HOST, port, timeout=20)

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None):
        head = {"Cookie": self.cookie, **(headers or {})}
        data = None
        if body is not None:
            data = urllib.parse.urlencode({"csrf_token": self.csrf, **body})
            head.update({"Content-Type": "application/x-www-form-urlencoded",
                         "X-CSRFToken": self.csrf})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=head)
                response = self.conn.getresponse()
                payload = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
                if attempt == 2:
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name_value = cookie.split(";", 1)[0]
            jar = dict(c.split("=", 1) for c in self.cookie.split("; ") if "=" in c)
            name, value = name_value.split("=", 1)
            jar[name] = value
            self.cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        found = re.search(rb'name="csrf-token" content="([^"]+)"', payload)
        if found:
            self.csrf = found.group(1).decode()
        return response.status, response.headers, payload


def login(port: int, email: str, password: str) -> Client:
    client = Client(port)
    client.request("GET", "/auth/login")
    status, _h, _b = client.request("POST", "/auth/login", {"email": email, "password": password})
    assert status in (200, 302), f"login of {email}: {status}"
    return client


def next_url(body: bytes, before: str) -> str:
    import html

    found = re.search(rb'hx-get="([^"]+)"', body)
    return html.unescape(found.group(1).decode()) if found else before


def version_of(body: bytes) -> int | None:
    found = re.search(rb'data-version="(\d+)"', body)
    return int(found.group(1)) if found else None


class Run:
    """The screens and presses of one measurement, and what they saw."""

    def __init__(self, port: int, mode: str):
        self.port, self.mode = port, mode
        self.arrivals: dict[tuple[int, int], list[float]] = {}
        self.presses: dict[tuple[int, int], float] = {}
        self.errors: list[str] = []
        self.phase = "joining"  # then "pressing"; every error names the phase it came in
        self.heard: list[tuple[int, float]] = []
        self.stop = False

    def fail(self, what: str) -> None:
        self.errors.append(f"{what} ({self.phase})")

    def screen(self, cookie: str, exercise: int, fragment: str) -> None:
        client = Client(self.port, cookie)
        url, shown = fragment, None

        def fetch() -> None:
            nonlocal url, shown
            status, _h, body = client.request("GET", url, headers={"HX-Request": "true"})
            if status == 200:
                url, version = next_url(body, url), version_of(body)
                if version is not None and version != shown:
                    shown = version
                    self.arrivals.setdefault((exercise, version), []).append(time.monotonic())
            elif status != 204:
                self.fail(f"fragment {status}")

        try:
            fetch()
            if self.mode == "polling":
                gevent.sleep(random.uniform(0, POLL_SECONDS))  # noqa: S311
                while not self.stop:
                    started = time.monotonic()
                    fetch()
                    gevent.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - started)))
                return
            stream = http.client.HTTPConnection(HOST, self.port, timeout=30)
            stream.request("GET", f"/live/exercise/{exercise}/events",
                           headers={"Cookie": cookie, "Accept": "text/event-stream"})
            response = stream.getresponse()
            if response.status != 200:
                self.fail(f"stream {response.status}")
                return
            name = ""
            while not self.stop:
                line = response.fp.readline()
                if not line:  # the stream's life ended: reconnect as EventSource does
                    stream.close()
                    gevent.sleep(1.0)
                    stream = http.client.HTTPConnection(HOST, self.port, timeout=30)
                    stream.request("GET", f"/live/exercise/{exercise}/events",
                                   headers={"Cookie": cookie, "Accept": "text/event-stream"})
                    response = stream.getresponse()
                    continue
                line = line.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line == "" and name == "changed":
                    self.heard.append((exercise, time.monotonic()))
                    fetch()
            stream.close()
        except Exception as exc:  # counted, never hidden
            if not self.stop:
                self.fail(f"screen {type(exc).__name__}")

    def facilitator(self, client: Client, exercise: int, fragment: str, presses: int,
                    offset: float) -> None:
        try:
            self._facilitator(client, exercise, fragment, presses, offset)
        except Exception as exc:  # counted, never hidden
            self.fail(f"press {type(exc).__name__}")

    def _facilitator(self, client: Client, exercise: int, fragment: str, presses: int,
                     offset: float) -> None:
        gevent.sleep(offset)
        for index in range(presses):
            if self.stop:
                return
            _s, _h, body = client.request("GET", fragment, headers={"HX-Request": "true"})
            version = version_of(body) or 0
            # start a waiting room; else pause a running one and resume a paused one
            action = ("start" if b"is-ready" in body
                      else "resume" if b"is-paused" in body else "pause")
            pressed = time.monotonic()
            status, _h, body = client.request(
                "POST", f"/live/exercise/{exercise}/control/{action}", {"version": str(version)},
                headers={"HX-Request": "true"})
            if status != 200:
                self.fail(f"press {status}")
            new = version_of(body)
            # the first press of a room warms the workers' templates: not counted
            if index > 0 and new is not None and new != version:
                self.presses[(exercise, new)] = pressed
            gevent.sleep(PRESS_EVERY)

    def member_views(self, client: Client, exercise: int, count: int, offset: float) -> None:
        gevent.sleep(offset)
        for _ in range(count):
            if self.stop:
                return
            status, _h, _b = client.request("GET", "/home")
            if status != 200:
                self.fail(f"page {status}")
            gevent.sleep(PRESS_EVERY)

    def event_delays(self) -> list[float]:
        """Seconds from each press to each "changed" event its room's screens heard after it
        (within 2 s)."""
        out = []
        for (exercise, _version), pressed in self.presses.items():
            out += [t - pressed for room, t in self.heard
                    if room == exercise and 0 <= t - pressed < 2]
        return out

    def latencies(self, screens_per_room: int) -> list[float]:
        """Seconds from each press to each screen's fragment with it (a screen that never got
        it counts as the run's length: a miss is never dropped)."""
        out = []
        for key, pressed in self.presses.items():
            got = [t - pressed for t in self.arrivals.get(key, []) if t >= pressed]
            out += got
            out += [60.0] * max(0, screens_per_room - len(got))
        return out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes `pids` have used so far."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """The machine's busy and total CPU time so far, in clock ticks (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(port: int, rooms: list[dict], logins: list[Client], mode: str, presses: int,
            views: bool = False, worker_pids: list[int] | None = None) -> dict:
    """One run: every room's 17 screens, then `presses` presses per room."""
    run = Run(port, mode)
    load_before = f"{os.getloadavg()[0]:.1f}"
    before = rss_kb(worker_pids or [])
    greenlets = []
    for room, client in zip(rooms, logins, strict=True):
        fragment = f"/live/exercise/{room['exercise']}/clock"
        screens = [(cookie, fragment) for cookie in room["tablets"]]  # 15 members' tablets
        screens += [(client.cookie, fragment + mode_arg)  # the room's shared screens
                    for mode_arg in ("?mode=projector", "?mode=facilitator")]
        for cookie, url in screens:  # screens open one after another, JOINS_PER_SECOND
            greenlets.append(gevent.spawn_later(len(greenlets) / JOINS_PER_SECOND, run.screen,
                                                cookie, room["exercise"], url))
    gevent.sleep(3.0 + len(greenlets) / JOINS_PER_SECOND)  # every screen connected and shown
    run.phase = "pressing"
    during = rss_kb(worker_pids or [])
    started, busy_before = time.monotonic(), machine_busy()
    client_before, workers_before = own_cpu(), cpu_seconds(worker_pids or [])
    pressers = []
    for room, client in zip(rooms, logins, strict=True):
        fragment = f"/live/exercise/{room['exercise']}/clock"
        offset = random.uniform(0, PRESS_EVERY)  # noqa: S311
        pressers.append(gevent.spawn(run.facilitator, client, room["exercise"], fragment,
                                     presses, offset))
        if views:
            pressers.append(gevent.spawn(run.member_views, Client(port, client.cookie),
                                         room["exercise"], presses, offset + 3))
    gevent.joinall(pressers, timeout=presses * PRESS_EVERY + 30)
    gevent.sleep(POLL_SECONDS + 1)
    took = time.monotonic() - started
    busy_after = machine_busy()
    cpu = {"client": (own_cpu() - client_before) / took,
           "workers": (cpu_seconds(worker_pids or []) - workers_before) / took,
           "machine": (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1])}
    run.stop = True
    gevent.killall(greenlets, timeout=5)
    values = run.latencies(TABLETS + 2)
    return {
        "load": load_before + f"→{os.getloadavg()[0]:.1f}",
        "mode": mode, "rooms": len(rooms), "screens": len(greenlets),
        "presses": len(run.presses), "samples": len(values),
        "p50": percentile(values, 50), "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"), "errors": run.errors,
        "event_p50": percentile(run.event_delays(), 50),
        "event_p95": percentile(run.event_delays(), 95), "cpu": cpu,
        "kb_per_connection": (during - before) / max(1, len(greenlets)) if worker_pids else None,
    }


@contextlib.contextmanager
def server(env: dict, workers: int, root: Path = ROOT):
    """gunicorn serving the code at `root` (this tree, or another version to compare)."""
    port = _free_port()
    # Its log goes to a file: a pipe nobody reads fills up after 64 KB of tracebacks, and
    # then every worker stops at its next log line.
    log_path = ROOT / "bench" / "out" / f"gunicorn-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(workers),
         "--max-requests", "0", "--bind", f"{HOST}:{port}",
         # BENCH_ACCESS_LOG=FILE keeps each request's line with its time in microseconds
         "--access-logfile", os.environ.get("BENCH_ACCESS_LOG", "/dev/null"),
         "--access-logformat", "%(t)s %(r)s %(s)s %(D)s",
         "netapp:create_app()"], env={**env, "PYTHONPATH": str(root)}, cwd=root,
        stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(150):
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection(HOST, port, timeout=1)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start: " + log_path.read_text()[-2000:])
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                  text=True).stdout.split()
        yield port, [int(pid) for pid in children]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:  # a worker stuck on a saturated machine
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def bench(kind: str, url: str, latency_rooms: int, capacity_steps: list[int],
          presses: int, versions: list[tuple[str, Path]]) -> dict:
    """Every version of the code on its own server over the same data, measured in turn at
    each step (so a busy spell of the shared machine weighs on all of them)."""
    env = {**os.environ, "DATABASE_URL": url, "NETAPP_SECRET_KEY": "bench-secret",
           "NETAPP_SESSION_COOKIE_SECURE": "false", "NETAPP_PUBLIC_URL": f"http://{HOST}",
           "NETAPP_LOGIN_MAX_FAILURES": "100000",
           "NETAPP_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000", "WEB_CONCURRENCY": "2"}
    rooms = seed(env, max([latency_rooms, *capacity_steps]))
    out = {"kind": kind, "latency": [], "capacity": []}
    with contextlib.ExitStack() as stack:
        servers = []
        for label, root in versions:
            port, pids = stack.enter_context(server(env, 2, root))
            logins = [login(port, room["facilitator"], room["password"]) for room in rooms]
            servers.append((label, port, pids, logins))
        for label, port, pids, logins in servers:
            row = measure(port, rooms[:latency_rooms], logins[:latency_rooms], "push",
                          presses, worker_pids=pids)
            out["latency"].append({**row, "code": label})
            _progress(kind, label, row)
        label, port, pids, logins = servers[-1]
        row = measure(port, rooms[:latency_rooms], logins[:latency_rooms], "polling", presses,
                      worker_pids=pids)
        out["latency"].append({**row, "code": label})
        _progress(kind, label, row)
        failed: set[str] = set()
        for count in capacity_steps:
            for label, port, pids, logins in servers:
                if label in failed:
                    continue
                figures = measure(port, rooms[:count], logins[:count], "push", presses,
                                  views=True, worker_pids=pids)
                out["capacity"].append({**figures, "code": label})
                _progress(kind, label, figures)
                if figures["p95"] > TARGET_P95 or figures["errors"]:
                    failed.add(label)
            if len(failed) == len(servers):
                break
    return out


def _progress(kind: str, label: str, row: dict) -> None:
    """Each figure as soon as it is measured (a run cut short still says what it saw)."""
    errors = sorted(set(row["errors"]))[:3]
    print(f"{kind} {label} {row['mode']} {row['rooms']} rooms: p50 {row['p50'] * 1000:.0f} ms, "
          f"p95 {row['p95'] * 1000:.0f} ms, max {row['max'] * 1000:.0f} ms, "
          f"{len(row['errors'])} errors {errors}, samples {row['samples']}, "
          f"load {row['load']}, {_cpu(row)}; the word \"changed\" itself: p50 "
          f"{row['event_p50'] * 1000:.0f} ms, p95 {row['event_p95'] * 1000:.0f} ms", flush=True)


def _cpu(row: dict) -> str:
    """CPU while the presses ran: the bench's own process and the server's workers, in cores
    (of 2), and how busy the whole machine was."""
    cpu = row["cpu"]
    return (f"CPU bench {cpu['client']:.2f} / workers {cpu['workers']:.2f} cores, "
            f"machine {cpu['machine'] * 100:.0f}% busy")


def report(results: list[dict]) -> str:
    ms = lambda s: f"{s * 1000:.0f}"  # noqa: E731
    lines = ["## Push against polling (bench/push.py)", "",
             "Control-to-screen latency: from the facilitator's POST to each screen holding the "
             "fragment with the new version; every room has 17 screens (15 members' tablets, "
             "the projector and the facilitator's page); push and polling in the same run, on "
             "the same data, each version of the code on its own server (gunicorn, 2 gevent "
             "workers). Load: the machine's 1-minute load average at the start and the end of "
             "each measurement (2 cores, shared).", "",
             "| database | code | transport | rooms | screens | presses | samples | p50 ms "
             "| p95 ms | max ms | errors | KB per open connection | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for result in results:
        for row in result["latency"]:
            kb = f"{row['kb_per_connection']:.0f}" if row["kb_per_connection"] is not None else ""
            lines.append(f"| {result['kind']} | {row['code']} | {row['mode']} | {row['rooms']} "
                         f"| {row['screens']} | {row['presses']} | {row['samples']} "
                         f"| {ms(row['p50'])} | {ms(row['p95'])} | {ms(row['max'])} "
                         f"| {len(row['errors'])} | {kb} | {row['load']} |")
    lines += ["", "Capacity with push (one press per room every 10 s, one member's page view per "
              "room every 10 s beside it; each version's steps stop at its first p95 over "
              "300 ms or error):", "",
              "| database | code | rooms | screens | samples | p50 ms | p95 ms | max ms | errors "
              "| KB per open connection | held | load | CPU while pressing |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for result in results:
        for row in result["capacity"]:
            held = "yes" if row["p95"] <= TARGET_P95 and not row["errors"] else "no"
            kinds = ", ".join(sorted(set(row["errors"]))[:3])
            lines.append(f"| {result['kind']} | {row['code']} | {row['rooms']} "
                         f"| {row['screens']} | {row['samples']} | {ms(row['p50'])} "
                         f"| {ms(row['p95'])} | {ms(row['max'])} | {len(row['errors'])} {kinds} "
                         f"| {row['kb_per_connection']:.0f} | {held} | {row['load']} "
                         f"| {_cpu(row)} |")
    lines += _ratios(results)
    return "\n".join(lines) + "\n"


def _ratios(results: list[dict]) -> list[str]:
    """p95 of the first version over the last one's, for each step both measured."""
    out = []
    for result in results:
        codes = list(dict.fromkeys(row["code"] for row in result["capacity"]))
        if len(codes) < 2:
            continue
        first, last = codes[0], codes[-1]
        for key in ("latency", "capacity"):
            rows = [r for r in result[key] if r["mode"] == "push"]
            for rooms in sorted({r["rooms"] for r in rows}):
                a = next((r for r in rows if r["code"] == first and r["rooms"] == rooms), None)
                b = next((r for r in rows if r["code"] == last and r["rooms"] == rooms), None)
                if a and b and b["p95"] > 0:
                    out.append(f"- {result['kind']}, {rooms} rooms: p95 {first} / {last} = "
                               f"{a['p95'] / b['p95']:.1f}×, p50 {a['p50'] / b['p50']:.1f}×")
    return ["", "Ratios (same run, same data):", "", *out] if out else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--latency-rooms", type=int, default=3)
    parser.add_argument("--steps", default="10,25,50,75,100")
    parser.add_argument("--presses", type=int, default=4)
    parser.add_argument("--compare", metavar="DIR", help="another version of the code (say "
                        "`git archive main | tar -x -C DIR`), measured beside this one")
    parser.add_argument("--compare-label", default="compared")
    parser.add_argument("--label", default="this")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",") if s]
    versions = [(args.label, ROOT)]
    if args.compare:
        versions.insert(0, (args.compare_label, Path(args.compare).resolve()))
    results = []
    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        folder = ROOT / "bench" / "out" / f"push-{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "sqlite":
            path = folder / "push.sqlite"
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            results.append(bench(kind, f"sqlite:///{path}", args.latency_rooms, steps,
                                 args.presses, versions))
        else:
            from tests.pg import throwaway_cluster

            with throwaway_cluster() as url:
                results.append(bench(kind, url, args.latency_rooms, steps, args.presses,
                                     versions))
    text = report(results)
    (ROOT / "bench" / "PUSH.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
