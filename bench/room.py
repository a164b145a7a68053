"""The room scenario: 40 tablets poll the live fragment every 2 s while 20 members submit
evaluations and the facilitator presses controls; count errors, time the controls."""

import re
import statistics
import threading
import time

ROOM_SECONDS = 30
TABLETS = 40
EVALUATORS = 20


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def room_scenario(base: str, ids: dict) -> str | None:
    """Run the scenario if the data set names the live and evaluation routes it needs."""
    from bench.run import Session, next_poll

    needed = ("live_fragment", "live_control", "evaluation_form", "members_emails")
    if not all(key in ids for key in needed):
        return "not run: the data set does not name " + ", ".join(k for k in needed if k not in ids)
    emails = ids["members_emails"].split(",")
    sessions = [Session(base).login(email, ids["password"]) for email in emails]
    facilitator = Session(base).login(ids["facilitator"], ids["password"])
    stop = time.monotonic() + ROOM_SECONDS
    polls, controls, errors, unchanged, lock = [], [], [], [], threading.Lock()

    def record(kind: str, started: float, status: int) -> None:
        with lock:
            (controls if kind == "control" else polls).append(time.monotonic() - started)
            if status >= 400:
                errors.append(f"{kind} {status}")

    def tablet(session) -> None:
        """Polls as htmx does: each fragment names the URL of the next poll (with its
        fingerprint); a 204 means the fragment on the screen is still current."""
        url = ids["live_fragment"]
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                status, _h, body = session.get(url, {"HX-Request": "true"})
            except OSError as exc:
                status, body = 599, b""
                errors.append(f"poll {exc}")
            record("poll", started, status)
            with lock:
                unchanged.append(status == 204)
            url = next_poll(body) or url
            time.sleep(max(0.0, 2.0 - (time.monotonic() - started)))

    def evaluator(session, number: int) -> None:
        time.sleep(number * ROOM_SECONDS / EVALUATORS / 2)
        session.get(ids["evaluation_form"])
        started = time.monotonic()
        status, _ = session.post(ids["evaluation_form"], {
            "energy": "4", "rating": "5", "good": "Gode spørgsmål", "missed": "Mere tid"})
        record("evaluation", started, status)

    def control() -> None:
        actions = ["start", "pause", "resume", "next", "add_minute", "next", "previous"]
        index = 0
        while time.monotonic() < stop - 1:
            _s, _h, body = facilitator.get(ids["live_fragment"], {"HX-Request": "true"})
            version = re.search(rb'data-version="(\d+)"', body)
            started = time.monotonic()
            url = ids["live_control"].replace("{action}", actions[index % len(actions)])
            status, _ = facilitator.post(url, {
                "version": version.group(1).decode() if version else "0"})
            record("control", started, status)
            index += 1
            time.sleep(2)

    threads = [threading.Thread(target=tablet, args=(sessions[i % len(sessions)],))
               for i in range(TABLETS)]
    threads += [threading.Thread(target=evaluator, args=(sessions[i % len(sessions)], i))
                for i in range(EVALUATORS)]
    threads.append(threading.Thread(target=control))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ms = lambda seconds: f"{seconds * 1000:.1f} ms"  # noqa: E731
    kinds = f" ({', '.join(sorted(set(errors))[:5])})" if errors else ""
    return "\n".join([
        f"- {TABLETS} tablets polling every 2 s for {ROOM_SECONDS} s, {EVALUATORS} evaluations, "
        f"facilitator controls every 2 s",
        f"- errors: **{len(errors)}**{kinds}",
        f"- polls: {len(polls)} ({sum(unchanged)} answered 204, nothing changed), "
        f"median {ms(statistics.median(polls))}, p95 {ms(_percentile(polls, 95))}",
        f"- control requests: {len(controls)}, median {ms(statistics.median(controls))}, "
        f"p95 {ms(_percentile(controls, 95))}, max {ms(max(controls))}" if controls else
        "- control requests: none",
    ])
