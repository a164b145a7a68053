"""The planning year: a series with a topic per date, the table of coming topics, and the
start-up meeting's agenda item that leads there."""

import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.models import AgendaKind, Meeting, MeetingKind
from tests import factories as f
from tests.submits import once

SERIES = {"kind": "following", "day": "2030-09-10", "start": "17:00", "end": "20:00",
          "count": "3", "every_months": "2", "host_id": "", "venue": "Klinikken"}


def _topics():
    return list(db.session.scalars(sa.select(Meeting.topic).order_by(Meeting.starts_at)))


def test_a_series_takes_a_topic_for_each_date_in_order(client, login_as, world, frozen_clock):
    login_as(world.coordinator)
    page = client.get(f"/meetings/network/{world.net.id}/series").get_data(as_text=True)
    assert "Delegation: what and how?" in page  # the guide's topics to choose from
    r = client.post(f"/meetings/network/{world.net.id}/series", data={
        **SERIES, "topic": "Sparring", "once": once(),
        "topics": "Delegering\n\n  Feedback og udvikling af medarbejdere  \n"})
    assert r.status_code == 302
    assert _topics() == ["Delegering", "Feedback og udvikling af medarbejdere", "Sparring"]


def test_more_topics_than_dates_is_refused_at_the_field_and_nothing_is_lost(client, login_as,
                                                                           world):
    login_as(world.coordinator)
    typed = "Én\nTo\nTre\nFire"
    r = client.post(f"/meetings/network/{world.net.id}/series",
                    data={**SERIES, "topics": typed, "once": once()})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "4 topics for 3 dates" in text and 'id="topics-err"' in text
    assert "Én\nTo\nTre\nFire" in text  # what was typed is still there
    assert _topics() == []


def test_the_planning_year_table_sets_a_topic_on_each_coming_date(client, login_as, world,
                                                                   frozen_clock):
    past = f.meeting(world.net, starts_at=frozen_clock.now.replace(year=2026, month=1),
                     topic="Held")
    coming = [f.meeting(world.net, starts_at=frozen_clock.now.replace(year=2027, month=m))
              for m in (2, 4, 6)]
    login_as(world.coordinator)
    url = f"/meetings/network/{world.net.id}/year"
    page = client.get(url).get_data(as_text=True)
    assert 'list="topic-suggestions"' in page and "Held" not in page
    data = {f"topic_{m.id}": t for m, t in zip(coming, ["Delegering", "Konflikter", "  "],
                                                strict=True)}
    r = client.post(url, data=data)
    assert r.status_code == 302
    db.session.expire_all()
    assert [db.session.get(Meeting, m.id).topic for m in coming] == ["Delegering", "Konflikter", ""]
    assert db.session.get(Meeting, past.id).topic == "Held"
    too_long = client.post(url, data={f"topic_{coming[0].id}": "x" * 201})
    assert too_long.status_code == 200
    assert f'id="topic_{coming[0].id}-err"' in too_long.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, coming[0].id).topic == "Delegering"
    assert client.get(url.replace(str(world.net.id), str(world.other_net.id))).status_code == 404
    login_as(world.members[0])
    assert client.get(url).status_code == 403


def test_the_start_up_agenda_has_the_item_that_fills_the_planning_year(client, login_as, world):
    meeting = f.meeting(world.net, kind=MeetingKind.FIRST)
    login_as(world.coordinator)
    client.post(f"/meetings/{meeting.id}/agenda/template", data={"which": "first", "once": once()})
    db.session.expire_all()
    kinds = [i.kind for i in db.session.get(Meeting, meeting.id).agenda]
    assert AgendaKind.PLANNING_YEAR in kinds
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/network/{world.net.id}/year" in page
