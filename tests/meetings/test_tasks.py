"""Practical tasks and the fair rotation: who did a task kind least recently gets it."""

from datetime import datetime

from netapp.extensions import db
from netapp.meetings import tasks
from netapp.meetings.models import Task, TaskKind
from tests import factories as f

K = TaskKind
JAN, MAR, MAY = datetime(2026, 1, 1), datetime(2026, 3, 1), datetime(2026, 5, 1)


def test_never_done_goes_first_then_least_recently():
    history = [(1, K.CATERING, MAR), (2, K.CATERING, JAN)]
    assert tasks.suggest([K.CATERING], [1, 2, 3], history) == {K.CATERING: 3}
    assert tasks.suggest([K.CATERING], [1, 2], history) == {K.CATERING: 2}


def test_six_tasks_among_six_people_go_to_six_people():
    plan = tasks.suggest(list(K), [1, 2, 3, 4, 5, 6], [])
    assert sorted(plan.values()) == [1, 2, 3, 4, 5, 6]


def test_rotation_over_many_meetings_is_even():
    people, history = [1, 2, 3], []
    for month in range(1, 13):
        plan = tasks.suggest([K.CATERING, K.BOOK_VENUE], people, history)
        history += [(p, kind, datetime(2026, month, 1)) for kind, p in plan.items()]
    counts = {p: sum(1 for who, _k, _w in history if who == p) for p in people}
    assert max(counts.values()) - min(counts.values()) <= 1
    catering = [who for who, kind, _w in history if kind == K.CATERING]
    assert all(catering[i] != catering[i + 1] for i in range(len(catering) - 1))


def test_people_outside_the_candidates_are_ignored():
    assert tasks.suggest([K.FOLLOW_UP], [2], [(1, K.FOLLOW_UP, MAY)]) == {K.FOLLOW_UP: 2}
    assert tasks.suggest([K.FOLLOW_UP], [], []) == {}


def test_share_out_uses_the_networks_history(client, login_as, world):
    earlier = f.meeting(world.net, starts_at=datetime(2030, 1, 1, 12))
    f.task(earlier, "catering", world.members[0])
    mtg = f.meeting(world.net, starts_at=datetime(2030, 3, 1, 12))
    login_as(world.coordinator)
    response = client.post(f"/meetings/{mtg.id}/tasks/share-out", headers={"HX-Request": "true"})
    assert response.status_code == 200
    given = {
        t.kind: t.assignee_id
        for t in db.session.scalars(db.select(Task).where(Task.meeting_id == mtg.id))
    }
    assert len(given) == 6 and all(given.values())
    assert given[K.CATERING] != world.members[0].id
    assert world.facilitator.id not in given.values() and world.guest.id not in given.values()


def test_member_takes_a_free_task_and_sees_it_on_the_home_page(client, login_as, world):
    mtg = f.meeting(world.net)
    free = f.task(mtg, "catering")
    taken = f.task(mtg, "book_venue", world.members[1])
    login_as(world.members[0])
    client.post(f"/meetings/{mtg.id}/tasks/{free.id}/take")
    assert client.post(f"/meetings/{mtg.id}/tasks/{taken.id}/release").status_code == 403
    assert client.post(f"/meetings/{mtg.id}/tasks/{taken.id}/done").status_code == 403
    db.session.expire_all()
    assert db.session.get(Task, free.id).assignee_id == world.members[0].id
    assert "Coffee, tea and catering" in client.get("/home").text


def test_coordinator_cannot_give_a_task_to_someone_outside(client, login_as, world):
    mtg = f.meeting(world.net)
    task = f.task(mtg, "catering")
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/{mtg.id}/tasks/{task.id}/assign",
        data={"assignee_id": str(world.other_member.id)},
    )
    assert response.status_code == 400
    ok = client.post(
        f"/meetings/{mtg.id}/tasks/{task.id}/assign", data={"assignee_id": str(world.members[2].id)}
    )
    assert ok.status_code == 200
    db.session.expire_all()
    assert db.session.get(Task, task.id).assignee_id == world.members[2].id


def test_a_task_of_another_meeting_is_404(client, login_as, world):
    mine, theirs = f.meeting(world.net), f.meeting(world.other_net)
    task = f.task(theirs, "catering")
    login_as(world.coordinator)
    assert client.post(f"/meetings/{mine.id}/tasks/{task.id}/take").status_code == 404
