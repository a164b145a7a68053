"""The agenda's fit where it matters: clock times per item, the overrun warning on the meeting
page, in print and in the invitation; templates that ask before doubling an agenda."""

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.models import AgendaItem, AgendaKind, MeetingKind
from tests import factories as f
from tests.submits import once

HX = {"HX-Request": "true"}
NOON = datetime(2027, 1, 14, 11, 0)  # 12:00 in Copenhagen
# The clock stands before NOON: an invitation goes out only for a meeting still to come.
pytestmark = pytest.mark.usefixtures("frozen_clock")


def count_items(meeting) -> int:
    return db.session.scalar(sa.select(sa.func.count(AgendaItem.id)).where(
        AgendaItem.meeting_id == meeting.id))


def template(client, meeting, which="following", **data):
    return client.post(f"/meetings/{meeting.id}/agenda/template",
                       data={"once": once(), "which": which, **data}, headers=HX)


def test_applying_a_template_to_an_agenda_with_items_asks_replace_or_add(
        client, login_as, world):
    meeting = f.meeting(world.net)
    login_as(world.coordinator)
    template(client, meeting)
    assert count_items(meeting) == 5
    asked = template(client, meeting)
    assert "replace them, or add the template after them?" in asked.text
    assert count_items(meeting) == 5  # nothing doubled silently
    template(client, meeting, mode="replace")
    assert count_items(meeting) == 5
    template(client, meeting, mode="add")
    assert count_items(meeting) == 10


def test_the_replace_or_add_question_is_the_legend_of_its_two_choices(client, login_as, world):
    meeting = f.meeting(world.net)
    login_as(world.coordinator)
    template(client, meeting)
    page = client.get(f"/meetings/{meeting.id}/agenda").text
    group = re.search(r"<fieldset[^>]*>\s*<legend>The agenda already has items</legend>"
                      r"(.*?)</fieldset>", page, re.S)
    assert group, "the question is no legend of a fieldset"
    radios = re.findall(r'<input[^>]*id="([^"]+)"[^>]*type="radio"', group.group(1))
    assert len(radios) == 2
    for radio in radios:  # each choice labels its own button
        assert f'<label class="choice" for="{radio}">' in group.group(1)


def test_an_agenda_the_room_is_running_is_not_replaced(client, login_as, world):
    meeting = f.meeting(world.net)
    login_as(world.coordinator)
    template(client, meeting)
    db.session.execute(sa.update(AgendaItem).where(AgendaItem.position == 0)
                       .values(status="running", started_at=meeting.starts_at))
    db.session.commit()
    refused = template(client, meeting, mode="replace")
    assert "The meeting is running this agenda" in refused.text
    assert count_items(meeting) == 5


def test_the_lunch_to_lunch_template_fills_the_24_hours(client, login_as, world):
    meeting = f.meeting(world.net, starts_at=NOON, hours=24, kind=MeetingKind.LUNCH_TO_LUNCH,
                        topic="Den svære samtale")
    login_as(world.coordinator)
    editor = client.get(f"/meetings/{meeting.id}/agenda")
    assert re.search(r'<option selected value="lunch"|value="lunch" selected', editor.text)
    page = template(client, meeting, which="lunch")
    items = db.session.scalars(sa.select(AgendaItem).order_by(AgendaItem.position)).all()
    assert sum(i.minutes for i in items) == 24 * 60
    kinds = [i.kind for i in items]
    assert AgendaKind.SOCIAL in kinds and kinds.count(AgendaKind.SPARRING) == 2
    assert kinds[-2] == AgendaKind.EVALUATION
    assert "Den svære samtale – in depth" in page.text
    assert "Planned 1440 of 1440 minutes." in page.text


def test_the_editor_shows_each_items_clock_time(client, login_as, world):
    meeting = f.meeting(world.net, starts_at=NOON)
    login_as(world.coordinator)
    page = template(client, meeting)
    times = re.findall(r'<span class="clock" data-starts>([^<]+)<', page.text)
    assert times == ["12:00", "12:20", "13:20", "13:35", "14:20"]


def test_the_overrun_shows_on_the_meeting_page_in_print_and_in_the_invitation(
        client, login_as, world, outbox):
    meeting = f.meeting(world.net, starts_at=NOON, hours=2)  # 155 planned minutes in 120
    login_as(world.coordinator)
    template(client, meeting)
    warning = "The agenda is 35 minutes too long for the meeting."
    page = client.get(f"/meetings/{meeting.id}").text
    assert warning in page and "14:20" in page
    assert warning in client.get(f"/meetings/{meeting.id}/agenda/print").text
    client.post(f"/meetings/{meeting.id}/invite", data={"once": once()})
    mail = next(m for m in outbox() if f.to(m) == world.members[0].email)
    body = mail.get_body(("plain",)).get_content()
    assert warning in body and "14:20" in body
