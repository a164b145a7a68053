"""Answers: in the app, from the signed e-mail link (valid, expired, tampered, another meeting)."""

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from netapp.extensions import db
from netapp.meetings.attendance import answer_token
from netapp.meetings.models import Answer, Attendance
from tests import factories as f
from tests.submits import once


def _answers():
    return db.session.scalars(sa.select(Attendance)).all()


def test_link_get_confirms_without_writing_and_post_records(app, client, world):
    mtg = f.meeting(world.net, topic="Feedback")
    person = world.members[0]
    with app.test_request_context():
        token = answer_token(mtg, person)
    page = client.get(f"/meetings/{mtg.id}/rsvp/{token}?a=no")
    assert page.status_code == 200
    assert "Feedback" in page.text
    assert re.search(r'<input checked[^>]*value="no"', page.text)
    assert _answers() == []
    done = client.post(f"/meetings/{mtg.id}/rsvp/{token}", data={"answer": "no", "reason": "Syg"})
    assert done.status_code == 200 and "Your answer is saved" in done.text
    row = _answers()[0]
    assert (row.user_id, row.answer, row.reason) == (person.id, Answer.NO, "Syg")


def test_expired_link_says_so(app, client, world):
    mtg = f.meeting(world.net, starts_at=datetime(2020, 1, 1, 12))
    with app.test_request_context():
        token = answer_token(mtg, world.members[0])
    response = client.get(f"/meetings/{mtg.id}/rsvp/{token}")
    assert (
        response.status_code == 410 and "svarlinket er udløbet" in response.text
    )  # Danish default
    assert (
        client.post(f"/meetings/{mtg.id}/rsvp/{token}", data={"answer": "yes"}).status_code == 410
    )
    assert _answers() == []


def test_tampered_link_is_refused(app, client, world):
    mtg = f.meeting(world.net)
    with app.test_request_context():
        token = answer_token(mtg, world.members[0])
    bad = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(f"/meetings/{mtg.id}/rsvp/{bad}?lang=en", data={"answer": "yes"})
    assert response.status_code == 400 and "not valid" in response.text
    assert client.get(f"/meetings/{mtg.id}/rsvp/garbage").status_code == 400
    assert _answers() == []


def test_link_for_another_meeting_is_refused(app, client, world):
    mine = f.meeting(world.net)
    other = f.meeting(world.net, starts_at=mine.starts_at + timedelta(days=30))
    with app.test_request_context():
        token = answer_token(mine, world.members[0])
    assert (
        client.post(f"/meetings/{other.id}/rsvp/{token}", data={"answer": "yes"}).status_code == 400
    )
    assert client.get(f"/meetings/999/rsvp/{token}").status_code == 400
    assert _answers() == []


def test_link_of_someone_who_left_the_network_is_refused(app, client, world):
    from netapp.networks.models import Membership

    mtg = f.meeting(world.net)
    person = world.members[0]
    with app.test_request_context():
        token = answer_token(mtg, person)
    db.session.execute(sa.delete(Membership).where(Membership.user_id == person.id))
    db.session.commit()
    assert client.get(f"/meetings/{mtg.id}/rsvp/{token}").status_code == 400


def test_member_answers_in_the_app_and_changes_to_yes(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.members[1])
    client.post(f"/meetings/{mtg.id}/answer", data={"answer": "no", "reason": "Kursus"})
    client.post(f"/meetings/{mtg.id}/answer", data={"answer": "yes", "reason": "ignored"})
    row = _answers()[0]
    assert row.answer == Answer.YES and row.reason == ""
    page = client.get(f"/meetings/{mtg.id}")
    assert "Coming" in page.text


def test_member_cannot_answer_for_another_networks_meeting(client, login_as, world):
    theirs = f.meeting(world.other_net)
    login_as(world.members[0])
    assert client.post(f"/meetings/{theirs.id}/answer", data={"answer": "yes"}).status_code == 404
    assert _answers() == []


def test_invalid_answer_is_a_message(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.members[0])
    response = client.post(
        f"/meetings/{mtg.id}/answer", data={"answer": "perhaps"}, follow_redirects=True
    )
    assert "Choose yes, no or maybe." in response.text
    assert _answers() == []


def test_invitation_mail_carries_ics_and_working_links(client, login_as, world, outbox):
    mtg = f.meeting(world.net, topic="Konflikter")
    login_as(world.coordinator)
    client.post(f"/meetings/{mtg.id}/invite", data={"once": once()})
    mails = outbox()
    assert sorted(f.to(m) for m in mails) == sorted(
        u.email for u in [world.coordinator, *world.members]
    )  # not the guest facilitator
    mail = next(m for m in mails if f.to(m) == world.members[2].email)
    body = mail.get_body(("plain",)).get_content()
    assert "Konflikter" in body
    ics = next(p for p in mail.iter_attachments() if p.get_filename() == "meeting.ics")
    assert b"TZID=Europe/Copenhagen" in ics.get_payload(decode=True)
    link = re.search(r"https?://\S+/rsvp/\S+\?a=yes", body).group(0)
    client.post("/auth/logout")
    path = link.split("netapp.test", 1)[1]
    client.post(path.split("?")[0], data={"answer": "yes"})
    row = _answers()[0]
    assert row.user_id == world.members[2].id and row.answer == Answer.YES


def test_checkin_toggles_and_counts(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.coordinator)
    person = world.members[0]
    response = client.post(
        f"/meetings/{mtg.id}/checkin/{person.id}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text
    assert _answers()[0].checked_in is True
    client.post(f"/meetings/{mtg.id}/checkin/{person.id}", headers={"HX-Request": "true"})
    db.session.expire_all()
    assert _answers()[0].checked_in is False
    outsider = client.post(f"/meetings/{mtg.id}/checkin/{world.other_member.id}")
    assert outsider.status_code == 404
