"""The meeting page, the list and the home page use a fixed number of queries at any size."""

from datetime import datetime, timedelta

from flask_babel import force_locale

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings import agenda, goals, tasks
from netapp.meetings.models import Answer, Attendance
from netapp.networks.models import Role
from tests import factories as f


def _grow(world, people: int, meetings: int):
    """A network with `people` more members, `meetings` meetings, answers, tasks and goals."""
    extra = [f.member(world.net) for _ in range(people)]
    everyone = [world.coordinator, *world.members, *extra]
    made = []
    for i in range(meetings):
        mtg = f.meeting(
            world.net, starts_at=(utcnow() + timedelta(days=10 + 40 * i)).replace(microsecond=0)
        )
        with force_locale("en"):
            agenda.apply_template(mtg, "following", len(everyone))
        tasks.ensure_tasks(mtg)
        for j, person in enumerate(everyone):
            db.session.add(
                Attendance(
                    meeting_id=mtg.id, user_id=person.id, answer=Answer.YES if j % 3 else Answer.NO
                )
            )
            goals.create_goal(world.net, person, f"Mål {i}-{j}")
        made.append(mtg)
    db.session.commit()
    tasks.share_out(made[0])
    for goal in db.session.scalars(db.select(goals.Goal)):
        goal.created_at = datetime(2020, 1, 1)
    db.session.commit()
    return made


def _count(client, count_queries, url):
    with count_queries() as n:
        response = client.get(url)
    assert response.status_code == 200
    return n()


def test_meeting_page_list_and_home_have_a_fixed_number_of_queries(
    app, client, login_as, world, count_queries
):
    small = _grow(world, 1, 2)
    login_as(world.coordinator)
    sizes = {}
    for label in ("small", "large"):
        if label == "large":
            _grow(world, 15, 6)
        sizes[label] = [
            _count(client, count_queries, url)
            for url in (
                f"/meetings/{small[0].id}",
                f"/meetings/network/{world.net.id}",
                "/home",
                f"/meetings/{small[0].id}/tasks",
                f"/meetings/network/{world.net.id}/wishes",
            )
        ]
    print("queries (meeting, list, home, tasks, wishes):", sizes)
    assert sizes["small"] == sizes["large"], sizes
    # the meeting page loads the meeting once, with its agenda and tasks (not again lazily);
    # the follow-up finds the meeting before inside its own query
    assert sizes["small"][0] <= 10, sizes
    assert sizes["small"][2] <= 12, sizes  # the home panels share the user's memberships


def test_member_view_is_fixed_too(app, client, login_as, world, count_queries):
    small = _grow(world, 1, 1)
    member = f.member(world.net, Role.MEMBER)
    login_as(member)
    first = _count(client, count_queries, f"/meetings/{small[0].id}")
    home = _count(client, count_queries, "/home")
    _grow(world, 10, 3)
    assert _count(client, count_queries, f"/meetings/{small[0].id}") == first
    assert _count(client, count_queries, "/home") == home
    assert home <= 11  # no join requests to look up: a member coordinates no network
