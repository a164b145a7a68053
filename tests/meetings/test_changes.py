"""Moving a meeting, changing its place and cancelling it: the coordinator chooses whether
the invitees hear of a change, an invited meeting is cancelled instead of deleted, and a
cancelled meeting takes no answers."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings import changes, mailing
from netapp.meetings.models import Meeting
from tests import factories as f
from tests.submits import once

STARTS = datetime(2026, 12, 8, 12, 0)  # 13:00 in Copenhagen, two weeks after FROZEN_NOW


@pytest.fixture
def invited(world, frozen_clock):
    """A coming meeting whose invitation went out."""
    mtg = f.meeting(world.net, starts_at=STARTS, venue="Klinikken", topic="Konflikter")
    mailing.outside_request(mailing.send_invitations, mtg, frozen_clock.now)
    db.session.commit()
    return mtg


def _form(mtg, **changes) -> dict:
    data = {"kind": "following", "day": "2026-12-08", "start": "13:00", "end": "16:00",
            "venue": mtg.venue, "video_link": "", "host_id": "", "topic": mtg.topic,
            "description": "", "sequence": str(mtg.sequence), "once": once()}
    data.update(changes)
    return data


def _calendar_part(message):
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return part


def test_moving_an_invited_meeting_tells_the_invitees_when_asked(
        client, login_as, world, invited, outbox):
    before = len(outbox())
    login_as(world.coordinator)
    page = client.get(f"/meetings/{invited.id}/edit")
    assert "E-mail the invitees an update" in page.text
    assert 'name="sequence" type="hidden" value="0"' in page.text
    response = client.post(f"/meetings/{invited.id}/edit",
                           data=_form(invited, start="14:00", end="17:00", tell_invitees="y"),
                           follow_redirects=True)
    assert "Invitees e-mailed the change: 4." in response.text
    db.session.refresh(invited)
    assert invited.sequence == 1 and invited.starts_at == datetime(2026, 12, 8, 13, 0)
    sent = outbox()[before:]
    assert len(sent) == 4  # the coordinator and the three members: participants, not guests
    mail = next(m for m in sent if f.to(m) == world.members[0].email)
    assert mail["Subject"].startswith("Moved: Ledere Øst")
    body = mail.get_body(("plain",)).get_content()
    assert ("Moved from Tuesday 8 December 2026, 13:00–16:00 "
            "to Tuesday 8 December 2026, 14:00–17:00.") in body
    part = _calendar_part(mail)
    assert part.get_params()[1:] == [("charset", "utf-8"), ("method", "REQUEST")]
    ics = part.get_content()
    assert "SEQUENCE:1" in ics and f"UID:meeting-{invited.id}@netapp.test" in ics


def test_a_change_of_place_says_what_changed_and_not_telling_sends_nothing(
        client, login_as, world, invited, outbox):
    login_as(world.coordinator)
    before = len(outbox())
    client.post(f"/meetings/{invited.id}/edit", data=_form(invited, venue="Det nye lokale"))
    db.session.refresh(invited)
    assert invited.sequence == 1 and len(outbox()) == before  # raised, but nobody told
    client.post(f"/meetings/{invited.id}/edit",
                data=_form(invited, venue="Tredje sted", tell_invitees="y"))
    db.session.refresh(invited)
    assert invited.sequence == 2
    mail = outbox()[-1]
    assert mail["Subject"].startswith("New place:")
    body = mail.get_body(("plain",)).get_content()
    assert "New place: Tredje sted (before: Det nye lokale)." in body


def test_a_new_topic_is_no_change_of_time_or_place(client, login_as, world, invited, outbox):
    login_as(world.coordinator)
    before = len(outbox())
    client.post(f"/meetings/{invited.id}/edit",
                data=_form(invited, topic="Et nyt emne", tell_invitees="y"))
    db.session.refresh(invited)
    assert invited.topic == "Et nyt emne" and invited.sequence == 0 and len(outbox()) == before


def test_a_meeting_cannot_be_moved_into_the_past(client, login_as, world, invited, outbox):
    login_as(world.coordinator)
    page = client.post(f"/meetings/{invited.id}/edit",
                       data=_form(invited, day="2026-11-01", venue="Typed", tell_invitees="y"))
    assert page.status_code == 200 and "A meeting cannot be moved into the past." in page.text
    assert 'value="Typed"' in page.text  # nothing typed is lost
    db.session.refresh(invited)
    assert (invited.starts_at, invited.venue, invited.sequence) == (STARTS, "Klinikken", 0)


def test_a_save_made_from_an_older_version_is_refused_and_keeps_what_was_typed(
        client, login_as, world, invited, outbox):
    """The second tab, opened before the first one's move and its update mails went out."""
    login_as(world.coordinator)
    client.post(f"/meetings/{invited.id}/edit",
                data=_form(invited, start="14:00", end="17:00", tell_invitees="y"))
    sent = len(outbox())
    stale = client.post(f"/meetings/{invited.id}/edit",
                        data=_form(invited, sequence="0", venue="From the old tab",
                                   tell_invitees="y"))
    assert stale.status_code == 200 and "The meeting was changed meanwhile" in stale.text
    assert 'value="From the old tab"' in stale.text and 'value="1"' in stale.text
    db.session.refresh(invited)
    assert (invited.venue, invited.sequence, len(outbox())) == ("Klinikken", 1, sent)


def test_the_conditional_raise_refuses_a_second_change_from_the_same_version(world, invited):
    from datetime import date, time

    from netapp.meetings.planning import Slot

    slot = Slot(day=date(2026, 12, 9), start=time(13), end=time(16), venue="A")
    changes.change_meeting(invited, slot, datetime(2026, 11, 22), seen=0)
    db.session.commit()
    with pytest.raises(changes.ChangeRefused) as refused:
        changes.change_meeting(invited, Slot(day=date(2026, 12, 10), start=time(13),
                                             end=time(16)), datetime(2026, 11, 22), seen=0)
    assert refused.value.code == "stale"
    db.session.refresh(invited)
    assert invited.venue == "A" and invited.sequence == 1


def test_cancelling_keeps_the_meeting_tells_the_invitees_and_closes_answers(
        client, login_as, world, invited, outbox):
    from netapp.meetings import attendance

    link = attendance.answer_token(invited, world.members[0])
    login_as(world.coordinator)
    edit = client.get(f"/meetings/{invited.id}/edit").text
    assert "Cancel the meeting" in edit and "Remove the meeting" not in edit
    before = len(outbox())
    done = client.post(f"/meetings/{invited.id}/cancel", data={"once": once()},
                       follow_redirects=True)
    assert "The meeting is cancelled. Invitees told: 4." in done.text
    db.session.refresh(invited)
    assert invited.is_cancelled and invited.sequence == 1
    sent = outbox()[before:]
    assert len(sent) == 4 and all(m["Subject"].startswith("Cancelled: ") for m in sent)
    part = _calendar_part(sent[0])
    assert part.get_param("method") == "CANCEL" and "STATUS:CANCELLED" in part.get_content()
    listing = client.get(f"/meetings/network/{world.net.id}").text
    assert "Cancelled" in listing and "Konflikter" in listing
    again = client.post(f"/meetings/{invited.id}/cancel", data={"once": once()},
                        follow_redirects=True)
    assert "The meeting is already cancelled." in again.text
    assert client.get(f"/meetings/{invited.id}/edit").status_code == 409  # no more changes
    assert len(outbox()) == before + 4  # cancelled twice, told once
    login_as(world.members[0])
    answer = client.post(f"/meetings/{invited.id}/answer", data={"answer": "no"})
    assert answer.status_code == 409
    rsvp = client.get(f"/meetings/{invited.id}/rsvp/{link}?a=yes")
    assert rsvp.status_code == 410
    assert "The meeting is cancelled, so it takes no answers." in rsvp.text
    page = client.get(f"/meetings/{invited.id}").text
    assert "The meeting was cancelled" in page and "Save my answer" not in page


def test_an_invited_meeting_is_not_deleted_but_an_uninvited_one_is(
        client, login_as, world, invited):
    login_as(world.coordinator)
    refused = client.post(f"/meetings/{invited.id}/delete", follow_redirects=True)
    assert "cancel it instead" in refused.text
    assert db.session.get(Meeting, invited.id) is not None
    quiet_id = f.meeting(world.net, starts_at=datetime(2027, 1, 12, 12, 0)).id
    client.post(f"/meetings/{quiet_id}/delete")
    assert db.session.scalars(sa.select(Meeting.id)).all() == [invited.id]


def test_a_cancelled_meeting_gets_no_reminders_and_frees_its_time(
        client, login_as, world, invited, frozen_clock):
    changes.cancel_meeting(invited, frozen_clock.now)
    db.session.commit()
    assert mailing.due_reminders(datetime(2026, 12, 7)) == []
    login_as(world.coordinator)
    made = client.post(f"/meetings/network/{world.net.id}/new",
                       data=_form(invited, venue="Same time, new meeting"))
    assert made.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 2


def test_a_meeting_already_held_cannot_be_cancelled(world, frozen_clock):
    held = f.meeting(world.net, starts_at=datetime(2026, 11, 1, 12, 0))
    with pytest.raises(changes.ChangeRefused) as refused:
        changes.cancel_meeting(held, frozen_clock.now)
    assert refused.value.code == "over"


@pytest.mark.parametrize("venue", [
    'Kælder "B"; dør 2, \\ venstre 🚪', "Line one\r\nSubject: injected", "Nul\x00byte",
    "x" * 300])
def test_a_hostile_new_place_never_breaks_the_mail_or_the_calendar(
        client, login_as, world, invited, outbox, venue):
    from tests.calendar_readers import read_by_all

    login_as(world.coordinator)
    before = len(outbox())
    response = client.post(f"/meetings/{invited.id}/edit",
                           data=_form(invited, venue=venue, tell_invitees="y"))
    assert response.status_code in (200, 302)
    db.session.refresh(invited)
    if response.status_code == 200:  # refused at the field, nothing saved, nothing sent
        assert invited.venue == "Klinikken" and len(outbox()) == before
        return
    sent = outbox()[before:]
    assert len(sent) == 4
    assert all("\n" not in m["Subject"] and m["Subject"].startswith("New place:") for m in sent)
    reading, = read_by_all(_calendar_part(sent[0]).get_content().encode())
    assert reading.events[0].location == invited.venue and reading.events[0].sequence == 1


READABLE = ["/meetings/{m}", "/meetings/{m}/meeting.ics", "/meetings/{m}/agenda/print",
            "/meetings/{m}/tasks"]
CLOSED_GET = ["/meetings/{m}/edit", "/meetings/{m}/agenda", "/meetings/{m}/checkin",
              "/meetings/{m}/summary"]
CLOSED_POST = ["/meetings/{m}/invite", "/meetings/{m}/remind", "/meetings/{m}/edit",
               "/meetings/{m}/agenda/template", "/evaluations/meeting/{m}/open",
               "/live/meeting/{m}/exercises/interviews", "/meetings/{m}/delete"]


def test_a_cancelled_meeting_is_read_but_not_planned_run_or_evaluated(
        client, login_as, world, invited, frozen_clock):
    changes.cancel_meeting(invited, frozen_clock.now)
    db.session.commit()
    login_as(world.coordinator)
    for path in READABLE:
        assert client.get(path.format(m=invited.id)).status_code == 200, path
    assert "STATUS:CANCELLED" in client.get(f"/meetings/{invited.id}/meeting.ics").text
    for path in CLOSED_GET:
        page = client.get(path.format(m=invited.id))
        assert page.status_code == 409, path
        assert "The meeting is cancelled. It can still be read" in page.text
    for path in CLOSED_POST:
        answer = client.post(path.format(m=invited.id), data={"once": once()})
        assert answer.status_code == 409, path
    assert db.session.get(Meeting, invited.id) is not None
