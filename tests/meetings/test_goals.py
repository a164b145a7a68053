"""The goal loop: set at one meeting, followed up at the next by those who come."""

from datetime import datetime, timedelta

import pytest

from netapp.extensions import db
from netapp.meetings import goals
from netapp.meetings.models import Goal, GoalStatus
from tests import factories as f


def test_goal_set_at_a_meeting_is_followed_up_at_the_next(client, login_as, world):
    first = f.meeting(world.net, starts_at=datetime(2020, 3, 1, 12))
    second = f.meeting(world.net, starts_at=datetime(2040, 5, 1, 12))
    a, b, c = world.members
    ga = goals.create_goal(world.net, a, "Delegere bogføringen", first)
    gb = goals.create_goal(world.net, b, "To timer ledelse om ugen", first)
    goals.create_goal(world.net, c, "Ikke med næste gang", first)
    db.session.commit()
    f.answer(second, a, "yes")
    f.answer(second, b, "yes")
    f.answer(second, c, "no")
    assert [g.text for g in goals.follow_up_list(second)] == [ga.text, gb.text]
    login_as(a)
    page = client.get(f"/meetings/{second.id}")
    assert "Delegere bogføringen" in page.text and "Ikke med næste gang" not in page.text
    client.post(
        f"/meetings/goals/{ga.id}/follow-up",
        data={"status": "done", "note": "Sekretæren gør det nu", "back_to_meeting": second.id},
    )
    db.session.expire_all()
    assert db.session.get(Goal, ga.id).status == GoalStatus.DONE
    assert "Sekretæren gør det nu" in client.get(f"/meetings/{second.id}").text


def test_goals_closed_before_the_last_meeting_drop_out(world):
    one = f.meeting(world.net, starts_at=datetime(2020, 1, 1, 12))
    two = f.meeting(world.net, starts_at=datetime(2020, 3, 1, 12))
    three = f.meeting(world.net, starts_at=datetime(2020, 5, 1, 12))
    a = world.members[0]
    old = goals.create_goal(world.net, a, "Old", one)
    goals.follow_up(old, GoalStatus.DONE, "", now=datetime(2020, 2, 1))
    ongoing = goals.create_goal(world.net, a, "Ongoing", one)
    goals.follow_up(ongoing, GoalStatus.UNDER_WAY, "", now=datetime(2020, 2, 1))
    recent = goals.create_goal(world.net, a, "Recent", two)
    goals.follow_up(recent, GoalStatus.DROPPED, "", now=datetime(2020, 3, 10))
    for g in (old, ongoing):
        g.created_at = datetime(2020, 1, 1, 14)
    recent.created_at = datetime(2020, 3, 1, 14)
    db.session.commit()
    f.answer(three, a, "yes")
    assert [g.text for g in goals.follow_up_list(three)] == ["Ongoing", "Recent"]


def test_at_a_networks_first_meeting_every_followed_up_goal_is_shown(world):
    first = f.meeting(world.net, starts_at=datetime(2020, 5, 1, 12))
    a = world.members[0]
    done = goals.create_goal(world.net, a, "Done before we met")
    goals.follow_up(done, GoalStatus.DONE, "", now=datetime(2020, 2, 1))
    done.created_at = datetime(2020, 1, 1)
    db.session.commit()
    f.answer(first, a, "yes")
    assert [g.text for g in goals.follow_up_list(first)] == ["Done before we met"]


def test_only_the_owner_follows_up_and_outsiders_get_404(client, login_as, world):
    goal = goals.create_goal(world.net, world.members[0], "Mit mål")
    db.session.commit()
    login_as(world.members[1])
    assert (
        client.post(f"/meetings/goals/{goal.id}/follow-up", data={"status": "done"}).status_code
        == 403
    )
    client.post("/auth/logout")
    login_as(world.other_member)
    assert (
        client.post(f"/meetings/goals/{goal.id}/follow-up", data={"status": "done"}).status_code
        == 404
    )
    assert client.get(f"/meetings/network/{world.net.id}/goals").status_code == 404


def test_create_goal_refuses_empty_and_another_networks_meeting(world):
    theirs = f.meeting(world.other_net)
    with pytest.raises(goals.GoalError):
        goals.create_goal(world.net, world.members[0], "   ")
    with pytest.raises(goals.GoalError):
        goals.create_goal(world.net, world.members[0], "x", theirs)


def test_goal_form_keeps_what_was_typed_when_too_long(client, login_as, world):
    login_as(world.members[0])
    response = client.post(f"/meetings/network/{world.net.id}/goals", data={"text": "x" * 1001})
    assert response.status_code == 200 and "x" * 1001 in response.text
    assert db.session.scalar(db.select(db.func.count(Goal.id))) == 0


def test_home_panel_lists_my_goals(client, login_as, world, frozen_clock):
    goals.create_goal(world.net, world.members[0], "Holde udviklingssamtaler")
    f.meeting(world.net, starts_at=frozen_clock.now + timedelta(days=3))
    db.session.commit()
    login_as(world.members[0])
    page = client.get("/home")
    assert "Holde udviklingssamtaler" in page.text and "Not answered" in page.text
