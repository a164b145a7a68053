"""`flask send-reminders`: N days before, to the unanswered and the yes-sayers, once each."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings import mailing, planning
from netapp.meetings.models import Reminder
from tests import factories as f
from tests.submits import once

START = datetime(2030, 5, 14, 15, 0)


def _due(app, now):
    with app.test_request_context():
        return sorted(u.name for _m, u in mailing.due_reminders(now))


def test_reminders_go_to_the_unanswered_and_the_yes_sayers_only(app, world):
    mtg = f.meeting(world.net, starts_at=START)
    a, b, c = world.members
    f.answer(mtg, a, "yes")
    f.answer(mtg, b, "no")
    f.answer(mtg, c, "maybe")
    assert _due(app, START - timedelta(days=3, minutes=1)) == []  # too early (default 3 days)
    assert _due(app, START - timedelta(days=2)) == ["Cora Coordinator", a.name]


def test_the_networks_setting_decides_the_day(app, world):
    f.meeting(world.net, starts_at=START)
    planning.save_settings(world.net.id, reminder_days_before=7)
    db.session.commit()
    assert len(_due(app, START - timedelta(days=6))) == 4
    assert _due(app, START - timedelta(days=8)) == []


def test_each_person_is_reminded_once_and_past_meetings_never(app, world, outbox):
    f.meeting(world.net, starts_at=START)
    f.meeting(world.other_net, starts_at=START - timedelta(days=30))
    now = START - timedelta(days=1)
    with app.test_request_context():
        assert mailing.send_reminders(now) == 4
        db.session.commit()
        assert mailing.send_reminders(now + timedelta(hours=5)) == 0
    assert db.session.scalar(sa.select(sa.func.count(Reminder.id))) == 4
    assert len(outbox()) == 4
    assert all("Reminder" in m["Subject"] for m in outbox())


def test_cli_command_is_registered_on_flask_itself(app, world, frozen_clock):
    f.meeting(world.net, starts_at=frozen_clock.now + timedelta(days=1))
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Queued 4 reminder(s)." in result.output


def test_coordinator_reminds_only_those_who_have_not_answered(client, login_as, world, outbox):
    mtg = f.meeting(world.net)
    f.answer(mtg, world.members[0], "yes")
    f.answer(mtg, world.coordinator, "no")
    login_as(world.coordinator)
    client.post(f"/meetings/{mtg.id}/remind", data={"once": once()})
    assert sorted(f.to(m) for m in outbox()) == sorted(u.email for u in world.members[1:])
