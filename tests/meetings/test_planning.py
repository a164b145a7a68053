"""Planning meetings and series in the network's local time, and refusing bad times."""

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings import planning
from netapp.meetings.models import Meeting, MeetingKind, Task
from tests import factories as f
from tests.submits import once

NOW = datetime(2026, 8, 1, 9, 0)


def test_series_days_keep_the_weekday_of_the_month():
    # 2nd Tuesday of September 2026, every second month
    days = planning.series_days(date(2026, 9, 8), 5, 2)
    assert days == [
        date(2026, 9, 8),
        date(2026, 11, 10),
        date(2027, 1, 12),
        date(2027, 3, 9),
        date(2027, 5, 11),
    ]
    assert {d.weekday() for d in days} == {1}


def test_a_fifth_weekday_a_month_lacks_becomes_its_last():
    days = planning.series_days(date(2026, 9, 29), 2, 1)  # 5th Tuesday of September
    assert days[1] == date(2026, 10, 27)  # October's last Tuesday (it has only four... and 27th)


def test_series_across_the_october_clock_change_stays_at_17_local(world):
    slot = planning.Slot(day=date(2026, 9, 22), start=time(17, 0), end=time(20, 0))
    made = planning.plan_series(world.net, slot, 3, 1, NOW)
    # Sep 22 is CEST (UTC+2); Oct 27 (after the last Sunday of October) and Nov 24 are CET (UTC+1)
    assert [m.starts_at for m in made] == [
        datetime(2026, 9, 22, 15, 0),
        datetime(2026, 10, 27, 16, 0),
        datetime(2026, 11, 24, 16, 0),
    ]
    assert [m.ends_at.hour for m in made] == [18, 19, 19]


def test_series_across_the_spring_clock_change(world):
    slot = planning.Slot(day=date(2027, 3, 9), start=time(17, 0), end=time(20, 0))
    made = planning.plan_series(world.net, slot, 2, 1, NOW)
    assert [m.starts_at.hour for m in made] == [16, 15]  # CET, then CEST


def test_lunch_to_lunch_lasts_24_hours(world):
    slot = planning.Slot(
        day=date(2026, 9, 22),
        start=time(12, 0),
        end=None,
        kind=MeetingKind.LUNCH_TO_LUNCH,
        budget_per_person=3500,
    )
    made = planning.create_meeting(world.net, slot, NOW)
    assert made.minutes == 24 * 60 and made.budget_per_person == 3500


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        (planning.Slot(day=date(2026, 9, 22), start=time(17), end=time(16)), "end"),
        (planning.Slot(day=date(2026, 7, 1), start=time(17), end=time(18)), "day"),
        (
            planning.Slot(
                day=date(2026, 9, 22), start=time(17), end=time(18), kind=MeetingKind.VIRTUAL
            ),
            "video_link",
        ),
        (planning.Slot(day=date(2027, 3, 28), start=time(2, 30), end=time(4)), "start"),
    ],
)
def test_bad_times_are_refused_and_nothing_is_saved(world, slot, field):
    with pytest.raises(planning.PlanningError) as caught:
        planning.create_meeting(world.net, slot, NOW)
    assert field in caught.value.errors
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_a_series_that_would_overlap_a_meeting_saves_nothing(world):
    f.meeting(world.net, starts_at=datetime(2026, 11, 24, 16, 30))
    slot = planning.Slot(day=date(2026, 9, 22), start=time(17, 0), end=time(20, 0))
    with pytest.raises(planning.PlanningError):
        planning.plan_series(world.net, slot, 3, 1, NOW)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1


def test_series_form_plans_five_meetings_with_tasks(client, login_as, world, frozen_clock):
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/network/{world.net.id}/series",
        data={"once": once(),
            "kind": "following",
            "day": "2030-09-10",
            "start": "17:00",
            "end": "20:00",
            "count": "5",
            "every_months": "2",
            "host_id": "",
            "venue": "Klinikken",
        },
    )
    assert response.status_code == 302
    meetings = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    assert len(meetings) == 5 and all(m.venue == "Klinikken" for m in meetings)
    assert db.session.scalar(sa.select(sa.func.count(Task.id))) == 5 * 6


def test_series_in_the_past_shows_the_error_and_keeps_what_was_typed(client, login_as, world):
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/network/{world.net.id}/series",
        data={"once": once(),
            "kind": "following",
            "day": "2020-09-10",
            "start": "17:00",
            "end": "20:00",
            "count": "5",
            "every_months": "2",
            "host_id": "",
            "venue": "Min klinik <b>",
            "topic": "Delegering",
        },
    )
    assert response.status_code == 200
    assert "A new meeting cannot start in the past." in response.text
    assert 'value="Min klinik &lt;b&gt;"' in response.text and 'value="Delegering"' in response.text
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_back_to_front_times_in_the_form(client, login_as, world):
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/network/{world.net.id}/new",
        data={"once": once(),
            "kind": "following",
            "day": "2030-09-10",
            "start": "17:00",
            "end": "16:00",
            "host_id": "",
        },
    )
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.text


def test_broken_date_is_a_message_not_a_500(client, login_as, world):
    login_as(world.coordinator)
    response = client.post(
        f"/meetings/network/{world.net.id}/new",
        data={"once": once(),
              "kind": "nonsense", "day": "31-31-2030", "start": "25:99", "host_id": "999"},
    )
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


def test_edit_keeps_local_time(client, login_as, world):
    mtg = f.meeting(world.net, starts_at=datetime(2030, 10, 29, 16, 0))  # 17:00 CET
    login_as(world.coordinator)
    page = client.get(f"/meetings/{mtg.id}/edit")
    assert 'value="17:00"' in page.text
    response = client.post(
        f"/meetings/{mtg.id}/edit",
        data={"once": once(),
            "kind": "virtual",
            "day": "2030-10-29",
            "start": "18:00",
            "end": "20:00",
            "host_id": "",
            "video_link": "https://video.example.com/room",
        },
    )
    assert response.status_code == 302
    db.session.refresh(mtg)
    assert mtg.starts_at == datetime(2030, 10, 29, 17, 0) and mtg.kind == MeetingKind.VIRTUAL


def test_settings_get_does_not_write_and_post_creates_the_row(client, login_as, world):
    from netapp.meetings.models import MeetingSettings

    login_as(world.coordinator)
    assert client.get(f"/meetings/network/{world.net.id}/settings").status_code == 200
    assert db.session.get(MeetingSettings, world.net.id) is None
    client.post(
        f"/meetings/network/{world.net.id}/settings",
        data={"reminder_days_before": "5", "answer_deadline_days": "10", "lunch_budget": "3500"},
    )
    assert db.session.get(MeetingSettings, world.net.id).reminder_days_before == 5
