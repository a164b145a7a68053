"""The invitation, update and cancellation mails carry their iCalendar inline, as a third
alternative beside the text and the HTML (RFC 6047: where Outlook, Gmail and Apple Mail
show accept/decline), and as a meeting.ics attachment too. Read as a client reads them:
Python's email (policy.default) for the structure, python-icalendar, vobject and ical.js
for the calendar."""

from datetime import datetime
from email import message_from_bytes, policy

import icalendar
import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.mail.models import OutgoingMail
from netapp.meetings import mailing
from tests import factories as f
from tests.calendar_readers import read_by_all
from tests.submits import once

STARTS = datetime(2026, 12, 8, 12, 0)  # 13:00 in Copenhagen


@pytest.fixture
def invited(world, frozen_clock):
    mtg = f.meeting(world.net, starts_at=STARTS, venue="Kløverhuset, Ærø", topic="Æbler & øl")
    mailing.outside_request(mailing.send_invitations, mtg, frozen_clock.now)
    db.session.commit()
    return mtg


def _mails(after_id: int = 0):
    """The queued mails as a client parses the bytes it receives."""
    rows = db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.id > after_id)
                              .order_by(OutgoingMail.id))
    return [(row.message, message_from_bytes(row.message, policy=policy.default))
            for row in rows]


def _last_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(OutgoingMail.id))) or 0


def _inline_and_attached(message, method: str):
    """The calendar part inside multipart/alternative and the attached file, checked."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, *attached = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    inline = list(alternative.iter_parts())[2]
    assert inline.get_param("method") == method and inline.get_param("charset") == "utf-8"
    assert inline.get_content_disposition() is None  # inline: no attachment disposition
    [file] = [p for p in attached if p.get_filename() == "meeting.ics"]
    assert file.get_content_type() == "text/calendar" and file.get_param("method") == method
    assert inline.get_payload(decode=True) == file.get_payload(decode=True)
    # the client's choice of body is unchanged: the text, or the HTML
    assert message.get_body(("plain",)).get_content_type() == "text/plain"
    assert message.get_body(("html",)).get_content_type() == "text/html"
    return inline


def test_the_invitation_carries_the_calendar_inline_and_attached(world, invited):
    mails = _mails()
    assert len(mails) == 4  # the participants: the coordinator and the three members
    for raw, message in mails:
        assert all(len(line) <= 998 for line in raw.split(b"\r\n"))  # SMTP's line limit
        inline = _inline_and_attached(message, "REQUEST")
        cal = icalendar.Calendar.from_ical(inline.get_payload(decode=True))
        assert str(cal["METHOD"]) == "REQUEST"  # the part's method says what the file says
        [event] = cal.walk("VEVENT")
        assert str(event["SUMMARY"]).endswith("Æbler & øl")
        assert str(event["LOCATION"]) == "Kløverhuset, Ærø"
        attendee = str(event["ATTENDEE"]).removeprefix("mailto:").lower()
        assert attendee == f.to(message)  # each copy names its own recipient
    readings = read_by_all(*(m.get_payload(decode=True) for _raw, msg in mails
                             for m in [list(list(msg.iter_parts())[0].iter_parts())[2]]))
    assert {r.method for r in readings} == {"REQUEST"}


def test_a_move_and_a_cancellation_carry_their_calendar_inline(client, login_as, world,
                                                                 invited):
    login_as(world.coordinator)
    before = _last_id()
    data = {"kind": "following", "day": "2026-12-08", "start": "14:00", "end": "17:00",
            "venue": invited.venue, "video_link": "", "host_id": "", "topic": invited.topic,
            "description": "", "sequence": "0", "tell_invitees": "y", "once": once()}
    assert client.post(f"/meetings/{invited.id}/edit", data=data).status_code == 302
    moved = _mails(before)
    assert len(moved) == 4
    inline = _inline_and_attached(moved[0][1], "REQUEST")
    assert "SEQUENCE:1" in inline.get_content()
    before = _last_id()
    assert client.post(f"/meetings/{invited.id}/cancel",
                       data={"once": once()}).status_code == 302
    cancelled = _mails(before)
    assert len(cancelled) == 4
    for _raw, message in cancelled:
        inline = _inline_and_attached(message, "CANCEL")
        [reading] = read_by_all(inline.get_payload(decode=True))
        assert reading.method == "CANCEL" and reading.events[0].status == "CANCELLED"
