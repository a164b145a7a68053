"""What one live fragment request costs, in-process: queries, time in the database, the rest.

`.venv/bin/python bench/fragment.py --db postgresql [--profile]` seeds one room (a
facilitator, 15 members, a running presentation round) and asks for the tablet's and the
projector's clock fragment as a screen does after a "changed" event (a stale fingerprint,
so the whole fragment comes back): rendered (no other screen has asked for it yet) and
shared (another screen of the same kind had it rendered), then with a current one (204).
It prints, per kind of request, the median wall time, the queries and the time spent waiting on the
database; `--profile` adds a pyinstrument profile of the full-fragment requests (pyinstrument
is not a dependency of the project: `pip install pyinstrument` into the venv for it).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = 200


def run(url: str, profile: bool) -> None:
    os.environ.update({"DATABASE_URL": url, "NETAPP_SECRET_KEY": "bench-secret",
                       "NETAPP_SESSION_COOKIE_SECURE": "false",
                       "NETAPP_PUBLIC_URL": "http://127.0.0.1"})
    import sqlalchemy as sa

    from netapp import create_app
    from netapp.extensions import db
    from netapp.networks.models import Role
    from tests import factories as f

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        net = f.network(f.organisation())
        boss = f.member(net, Role.FACILITATOR, name="Facilitator")
        people = [f.member(net, name=f"Member {i}") for i in range(15)]
        meeting = f.meeting(net)
        for person in [boss, *people]:
            f.attendance(meeting, person, checked_in=True)
        exercise = f.live_exercise(meeting, "presentation", seconds=600)
        token = f.device_token(people[3])
        boss_token = f.device_token(boss)
        exercise_id = exercise.id
        db.session.remove()

    spent = {"queries": 0, "db": 0.0}

    def before(conn, cursor, statement, params, context, many):
        context._started = time.perf_counter()

    def after(conn, cursor, statement, params, context, many):
        spent["queries"] += 1
        spent["db"] += time.perf_counter() - context._started

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", before)
        sa.event.listen(db.engine, "after_cursor_execute", after)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
    facilitator = app.test_client()
    with facilitator.session_transaction() as session:
        session["_user_id"] = boss_token
    hx = {"HX-Request": "true"}
    facilitator.post(f"/live/exercise/{exercise_id}/control/start", data={"version": 0},
                     headers=hx)

    def fragment(mode: str, seen: str) -> tuple[int, str]:
        response = client.get(f"/live/exercise/{exercise_id}/clock?mode={mode}&seen={seen}",
                              headers=hx)
        return response.status_code, response.get_data(as_text=True)

    import re

    _s, body = fragment("tablet", "stale")
    current = re.search(r"seen=([^\"&]+)", body).group(1)
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    try:
        from netapp.live.sharing import shelf
    except ImportError:  # before fragments were shared
        shelf = None
    for label, mode, seen in (("tablet, whole fragment, rendered", "tablet", "stale"),
                              ("projector, whole fragment, rendered", "projector", "stale"),
                              ("tablet, whole fragment, shared", "tablet", "stale"),
                              ("projector, whole fragment, shared", "projector", "stale"),
                              ("tablet, unchanged (204)", "tablet", current)):
        if "shared" in label and shelf is None:
            continue
        if "204" in label:  # the refresh window may have moved on meanwhile
            _s, body = fragment("tablet", "stale")
            seen = re.search(r"seen=([^\"&]+)", body).group(1)
        times, queries, db_times = [], [], []
        if profiler and "rendered" in label:
            profiler.start()
        for _ in range(ROUNDS):
            if shelf is not None and "rendered" in label:
                shelf.clear()
            spent.update(queries=0, db=0.0)
            started = time.perf_counter()
            status, _b = fragment(mode, seen)
            times.append(time.perf_counter() - started)
            queries.append(spent["queries"])
            db_times.append(spent["db"])
        if profiler and profiler.is_running:
            profiler.stop()
        print(f"{label}: status {status}, median {statistics.median(times) * 1000:.2f} ms, "
              f"queries {statistics.median(queries):.0f}, "
              f"in the database {statistics.median(db_times) * 1000:.2f} ms")
    if profiler:
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.db == "sqlite":
        path = ROOT / "bench" / "out" / "fragment.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        run(f"sqlite:///{path}", args.profile)
    else:
        from tests.pg import throwaway_cluster

        with throwaway_cluster() as url:
            run(url, args.profile)


if __name__ == "__main__":
    main()
