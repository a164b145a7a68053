"""`make bench`: netapp under gunicorn on 127.0.0.1, measured against a bare endpoint.

Seeds the large data set, starts gunicorn (2 workers) with NETAPP_BENCH set (which adds
`/_bare` and an X-Query-Count header), logs in, runs wrk on each page and on the bare
endpoint in the same run, runs the room scenario, and writes bench/RESULTS.md.
Only loopback is ever targeted.
"""

import argparse
import contextlib
import datetime as dt
import gzip
import http.cookiejar
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
BARE = "/_bare"
sys.path.insert(0, str(ROOT))


class Session:
    """A logged-in browser stand-in (urllib with cookies and the CSRF token)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read()
                self._token(body)
                return response.status, dict(response.headers), body
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def post(self, path: str, data: dict, headers: dict | None = None):
        payload = urllib.parse.urlencode({"csrf_token": self.csrf, **data}).encode()
        request = urllib.request.Request(self.base + path, data=payload,
                                         headers={"X-CSRFToken": self.csrf, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read()
                self._token(body)
                return response.status, body
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def _token(self, body: bytes) -> None:
        found = re.search(rb'name="csrf-token" content="([^"]+)"', body)
        if found:
            self.csrf = found.group(1).decode()

    def login(self, email: str, password: str) -> "Session":
        self.get("/auth/login")
        status, _ = self.post("/auth/login", {"email": email, "password": password})
        assert status in (200, 302), f"login failed: {status}"
        assert self.cookie(), "no session cookie after login"
        return self

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([str(BIN / "flask"), "--app", "netapp", *args], env=env,
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return result.stdout


@contextlib.contextmanager
def database(kind: str, folder: Path):
    if kind == "sqlite":
        path = folder / "bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        yield f"sqlite:///{path}"
    else:
        from tests.pg import throwaway_cluster

        with throwaway_cluster() as url:
            yield url


@contextlib.contextmanager
def gunicorn(env: dict, port: int, workers: int = 2):
    proc = subprocess.Popen(
        # --max-requests 0: the run measures steady state; gunicorn.conf.py's recycling (every
        # ~5,000 requests) would drop a worker's warm caches in the middle of a random row
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(workers),
         "--max-requests", "0",
         "--bind", f"{HOST}:{port}", "--access-logfile", "/dev/null", "netapp:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wrk(url: str, cookie: str, seconds: int, connections: int = 16) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "report.lua"), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def alone(base: str, path: str, cookie: str, rounds: int = 20, per_round: int = 15):
    """Median ms of sequential requests on kept-alive connections, for the page and for the
    bare endpoint in alternating short rounds: each page's own cost, with no queueing, and
    a yardstick taken in the same moments, so a shared machine's slow spells hit both."""
    import http.client
    import statistics

    host, port = base.removeprefix("http://").split(":")
    times: dict[str, list[float]] = {BARE: [], path: []}
    connections = {p: http.client.HTTPConnection(host, int(port), timeout=30) for p in times}
    for _ in range(rounds):
        for target, connection in connections.items():
            headers = {"Cookie": cookie} if cookie and target != BARE else {}
            for _ in range(per_round):
                started = time.perf_counter()
                connection.request("GET", target, headers=headers)
                connection.getresponse().read()
                times[target].append((time.perf_counter() - started) * 1000)
    for connection in connections.values():
        connection.close()
    return statistics.median(times[path]), statistics.median(times[BARE])


def page_weight(session: Session, path: str) -> int:
    """Bytes a first visit downloads over the wire, as the app compresses them for a client
    that accepts gzip: the page and every asset it references (Content-Length as sent)."""
    accept = {"Accept-Encoding": "gzip"}
    _status, headers, wire = session.get(path, headers=accept)
    body = gzip.decompress(wire) if headers.get("Content-Encoding") == "gzip" else wire
    total = len(wire)
    for asset in sorted(set(re.findall(rb'(?:src|href)="(/static/[^"]+)"', body))):
        _s, _h, content = session.get(asset.decode(), headers=accept)
        total += len(content)
    return total


def next_poll(body: bytes) -> str | None:
    """The URL a polled fragment asks for next (its hx-get), as htmx would."""
    import html

    found = re.search(rb'hx-get="([^"]+)"', body)
    return html.unescape(found.group(1).decode()) if found else None


def poll_path(session: Session, fragment: str, needed: float) -> str:
    """What a tablet sends between changes: the fragment's URL with its fingerprint, fetched
    early enough in netapp.live.polling's refresh window that the `needed` seconds of
    measuring stay inside it (past the window every poll brings a whole fragment)."""
    from netapp.live.polling import REFRESH_SECONDS

    assert needed < REFRESH_SECONDS, "the poll's measurement must fit in one window"
    left = REFRESH_SECONDS - time.time() % REFRESH_SECONDS
    if left < needed:
        time.sleep(left + 0.5)
    _status, _headers, body = session.get(fragment, {"HX-Request": "true"})
    return next_poll(body) or fragment


# (label, path with {ids} from `flask seed-large`, who is logged in); "poll:" marks the URL a
# tablet polls with while nothing changes (answered 204).
PAGES = [
    ("bare Flask endpoint", "/_bare", None),
    ("home page", "/home", "member"),
    ("network page", "/networks/{network}", "coordinator"),
    ("meeting page", "/meetings/{meeting}", "member"),
    ("live-exercise fragment", "{live_fragment}", "member"),
    ("live poll, nothing changed", "poll:{live_fragment}", "member"),
    ("evaluation results", "{evaluation_results}", "coordinator"),
    ("health page", "{health}", "coordinator"),
]


def measure_pages(base: str, ids: dict, sessions: dict, seconds: int) -> list[dict]:
    rows = []
    for label, template, persona in PAGES:
        try:
            path = template.format(**ids)
        except KeyError:
            rows.append({"label": label, "path": template, "missing": "no such page yet"})
            continue
        session = sessions.get(persona)
        if path.startswith("poll:"):  # the bare run, the poll's run and its "alone" rounds
            path = poll_path(session, path.removeprefix("poll:"), seconds // 2 + seconds + 12)
        status, headers, _ = session.get(path) if session else (200, {}, b"")
        if session is None:
            with urllib.request.urlopen(base + path) as response:
                headers = dict(response.headers)
        if status not in (200, 204):
            rows.append({"label": label, "path": path, "missing": f"status {status}"})
            continue
        cookie = session.cookie() if session else ""
        bare = wrk(base + BARE, "", max(seconds // 2, 2))  # the yardstick, right beside it
        figures = wrk(base + path, cookie, seconds)
        alone_ms, bare_alone_ms = alone(base, path, cookie)
        figures.update(label=label, path=path, queries=headers.get("X-Query-Count", "?"),
                       alone_p50_ms=alone_ms, bare_p50_ms=bare["p50_ms"], bare_rps=bare["rps"],
                       bare_alone_ms=bare_alone_ms)
        rows.append(figures)
    return rows


def run(kind: str, seconds: int) -> dict:
    folder = ROOT / "bench" / "out" / kind
    folder.mkdir(parents=True, exist_ok=True)
    with database(kind, folder) as url:
        env = {**os.environ, "DATABASE_URL": url, "NETAPP_BENCH": "true",
               "NETAPP_SECRET_KEY": "bench-secret", "NETAPP_SESSION_COOKIE_SECURE": "false",
               "NETAPP_LOGIN_MAX_FAILURES": "100000",
               "NETAPP_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000",
               "NETAPP_PUBLIC_URL": f"http://{HOST}", "WEB_CONCURRENCY": "2"}
        flask(env, "init-db")
        line = flask(env, "seed-large").strip().splitlines()[-1]
        ids = dict(item.split("=", 1) for item in line.split())
        port = free_port()
        with gunicorn(env, port) as base:
            sessions = {
                persona: Session(base).login(ids[persona], ids["password"])
                for persona in ("member", "coordinator")
            }
            rows = measure_pages(base, ids, sessions, seconds)
            weights = {
                "home page": page_weight(sessions["member"], "/home"),
            }
            if "live_view" in ids:
                weights["live view"] = page_weight(sessions["member"], ids["live_view"])
            room = None
            with contextlib.suppress(ImportError):
                from bench.room import room_scenario

                room = room_scenario(base, ids)
    return {"kind": kind, "rows": rows, "weights": weights, "room": room}


def fmt(value, digits=1) -> str:
    return f"{value:.{digits}f}"


def verdicts(result: dict) -> list[str]:
    """Each target the benchmark sets, met or missed and by how much."""
    rows = {r["label"]: r for r in result["rows"] if "missing" not in r}
    out = []
    for label, r in rows.items():
        if label == "bare Flask endpoint":
            continue
        ratio = r["p50_ms"] / r["bare_p50_ms"]
        verdict = "met" if ratio <= 4 else f"missed by {ratio / 4:.1f}×"
        out.append(f"- {label}: median {ratio:.1f}× bare (target ≤ 4×): {verdict}")
    for label in ("live poll, nothing changed", "live-exercise fragment"):
        if label in rows:
            ratio = rows[label]["rps"] / rows[label]["bare_rps"]
            verdict = "met" if ratio >= 0.5 else f"missed by {0.5 / ratio:.1f}×"
            out.append(f"- {label}: throughput {ratio:.2f}× bare (target ≥ 0.5×): {verdict}")
    live = result["weights"].get("live view")
    if live:
        verdict = "met" if live < 60 * 1024 else "missed"
        size = f"{live / 1024:.1f} KB"
        out.append(f"- live view first load {size} on the wire (target < 60 KB): {verdict}")
    if result["room"]:
        zero = "errors: **0**" in result["room"]
        out.append(f"- room scenario errors: {'met (zero)' if zero else 'MISSED'}")
    out.append("- queries per request fixed: proved by the count_queries tests at two data "
               "sizes (tests/*/test_queries.py, tests/*/test_speed.py); the counts above are "
               "on the large data set.")
    return out


def write_results(results: list[dict], command: str, seconds: int) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        f"- command: `{command}`",
        f"- load: wrk -t2 -c16 -d{seconds}s per page against gunicorn (2 workers, 2 threads, "
        "gunicorn.conf.py without worker recycling) "
        "on 127.0.0.1; before each page the bare endpoint is measured again on the same server "
        f"(wrk -d{max(seconds // 2, 2)}s), and each ratio is to that neighbouring figure, so a "
        "shared machine's slow spells weigh on both sides. \"alone\" is 300 sequential "
        "requests on one connection, in rounds of 15 alternating with 15 to the bare "
        "endpoint: the page's own cost, with no queueing.",
        "- data: `flask seed-large` (200 networks, 4,000 members, 2,000 meetings and their "
        "answers; each domain adds its share).",
        "",
        "Targets: pages ≤ 4× the bare median latency; the live fragment ≥ 0.5× the bare "
        "throughput; queries per request fixed; zero errors in the room scenario; the live "
        "view's first load under 60 KB on the wire.",
    ]
    for result in results:
        rows = result["rows"]
        lines += ["", f"## {result['kind']}", "",
                  "| page | path | median ms | p95 ms | req/s | median × bare | "
                  "req/s × bare | alone: median ms (× bare) | queries | errors |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            if "missing" in r:
                lines.append(f"| {r['label']} | `{r['path']}` | {r['missing']} | | | | | | | |")
                continue
            lines.append(
                f"| {r['label']} | `{r['path']}` | {fmt(r['p50_ms'], 2)} | {fmt(r['p95_ms'], 2)} "
                f"| {fmt(r['rps'], 0)} | {fmt(r['p50_ms'] / r['bare_p50_ms'], 2)} "
                f"| {fmt(r['rps'] / r['bare_rps'], 2)} "
                f"| {fmt(r['alone_p50_ms'], 2)} "
                f"({fmt(r['alone_p50_ms'] / r['bare_alone_ms'], 1)}) "
                f"| {r['queries']} | {r['errors']} |")
        polls = [r for r in rows if "missing" not in r and r["label"].startswith("live poll")]
        lines += [""] + [
            f"The {r['label']} row: {r['no_content']:,} of {r['requests']:,} answers under load "
            "were 204 No Content (the rest brought the whole fragment)." for r in polls]
        lines += ["", "First load over the wire, as the app compresses it (page and every "
                  "asset it references):", ""]
        lines += [f"- {name}: {fmt(size / 1024)} KB" for name, size in result["weights"].items()]
        if result["room"]:
            lines += ["", "Room scenario:", "", result["room"]]
        lines += ["", "Targets:", ""] + verdicts(result)
    pushed = ROOT / "bench" / "PUSH.md"  # bench/push.py's figures (make bench runs it first)
    if pushed.exists():
        lines += ["", pushed.read_text().strip()]
    why = ROOT / "bench" / "WHY.md"
    if why.exists():
        lines += ["", why.read_text().strip()]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is missing (apt-get install wrk)")
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = [run(kind, args.seconds) for kind in kinds]
    print(write_results(results, "make bench", args.seconds))


if __name__ == "__main__":
    main()
