"""Meeting mail through the outbox: reminders once per person whatever fails or runs
twice, the coordinator's view of each invitation e-mail, nothing sent inside a request."""

import smtplib
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.mail.models import FAILED, SENT, OutgoingMail
from netapp.mail.outbox import deliver_due
from netapp.meetings import mailing
from netapp.meetings.models import Reminder
from netapp.networks.models import Role
from tests import factories as f
from tests.conftest import build_app
from tests.smtp import smtp_server
from tests.submits import once


def test_three_runs_of_two_processes_remind_everyone_once_but_the_refused(
        empty_database_url, tmp_path, frozen_clock):
    """The server refuses one address. Three times, two cron processes start at the same
    moment, each queuing the reminders and then sending the outbox: every other person
    has exactly one reminder; the refused one is retried and then given up on."""
    with smtp_server() as (port, mailbox):
        app = build_app(empty_database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                        PUBLIC_URL="https://netapp.test")
        app.instance_path = str(tmp_path / "instance")
        with app.app_context():
            db.create_all()
            net = f.network(f.organisation())
            people = [f.member(net, Role.COORDINATOR)] + [f.member(net) for _ in range(9)]
            f.meeting(net, starts_at=frozen_clock.now + timedelta(days=1))
            refused = people[4].email
            emails = sorted(p.email for p in people)
            db.session.commit()
            db.session.remove()
        mailbox.refuse = {refused}
        errors = []

        def cron():
            with app.app_context():
                try:
                    barrier.wait()
                    mailing.outside_request(mailing.send_reminders, frozen_clock.now)
                    deliver_due(batch=2)
                except Exception as error:  # reported below, not lost in the thread
                    errors.append(error)
                finally:
                    db.session.remove()

        for _run in range(3):
            barrier = threading.Barrier(2)
            threads = [threading.Thread(target=cron) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            frozen_clock.advance(minutes=10)  # the next cron run, past the back-off
        with app.app_context():
            try:
                assert errors == []
                assert db.session.scalar(sa.select(sa.func.count(Reminder.id))) == 10
                rows = {r.recipient: r for r in db.session.scalars(sa.select(OutgoingMail))}
                assert sorted(rows) == emails  # one queued reminder per person
                assert (rows[refused].status, rows[refused].attempts) == (FAILED, 3)
                assert {r.status for e, r in rows.items() if e != refused} == {SENT}
            finally:
                db.session.remove()
                db.drop_all()
                db.engine.dispose()
    assert mailbox.recipients() == sorted(e for e in emails if e != refused)
    assert {m["Auto-Submitted"] for m in mailbox.messages()} == {"auto-generated"}
    assert all(m["Subject"].startswith("Reminder: ") for m in mailbox.messages())


def test_the_coordinator_sees_each_invitation_e_mail(client, login_as, world):
    mtg = f.meeting(world.net)
    login_as(world.coordinator)
    client.post(f"/meetings/{mtg.id}/invite", data={"once": once()})
    page = client.get(f"/meetings/{mtg.id}").text
    invited = len(mailing.attendance.participants(world.net.id))
    assert page.count("E-mail waiting to be sent") == invited
    deliver_due()  # no mail server: the worker writes .eml files
    db.session.execute(sa.update(OutgoingMail).where(OutgoingMail.user_id == world.members[0].id)
                       .values(status=FAILED, last_error="550 no such user"))
    db.session.commit()
    page = client.get(f"/meetings/{mtg.id}").text
    assert page.count("E-mail sent") == invited - 1
    assert page.count("E-mail not delivered") == 1
    login_as(world.members[1])
    member_page = client.get(f"/meetings/{mtg.id}").text
    assert "E-mail sent" not in member_page and "E-mail not delivered" not in member_page


@pytest.mark.own_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9)
def test_no_smtp_conversation_happens_inside_a_request(client, login_as, world, monkeypatch):
    """With a mail server set, forgot-password, invitations and reminders only queue."""
    def no_smtp(*args, **kwargs):
        raise AssertionError("SMTP inside a request")

    monkeypatch.setattr(smtplib, "SMTP", no_smtp)
    mtg = f.meeting(world.net)
    assert client.post("/auth/forgot", data={"email": world.members[0].email}).status_code == 302
    login_as(world.coordinator)
    assert client.post(f"/meetings/{mtg.id}/invite", data={"once": once()}).status_code == 302
    assert client.post(f"/meetings/{mtg.id}/remind", data={"once": once()}).status_code == 302
    invited = len(mailing.attendance.participants(world.net.id))
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 1 + 2 * invited


def test_an_invitation_rolled_back_queues_nothing(app, world):
    mtg = f.meeting(world.net)
    with app.test_request_context():
        assert mailing.send_invitations(mtg, mtg.starts_at - timedelta(days=9)) > 0
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0
    assert db.session.get(type(mtg), mtg.id).invited_at is None


def test_the_summary_mail_carries_the_flipover_and_the_goals(app, world, outbox):
    from netapp.extensions import db
    from netapp.live.models import FlipoverPoint
    from netapp.meetings import goals, mailing

    meeting = f.meeting(world.net)
    db.session.add(FlipoverPoint(meeting_id=meeting.id, author_id=world.members[0].id,
                                 text="Tillid før <feedback> & tempo"))
    goals.create_goal(world.net, world.members[1], "Holde 1:1 hver uge", meeting)
    db.session.commit()
    with app.test_request_context():
        mailing.send_summary(meeting, meeting.ends_at)
    db.session.commit()
    message = next(m for m in outbox() if f.to(m) == world.members[2].email)
    text = f.text_of(message)
    assert "Tillid før <feedback> & tempo" in text
    assert f"{world.members[1].name}: Holde 1:1 hver uge" in text
    page = message.get_body(preferencelist=("html",)).get_content()
    assert "Tillid før &lt;feedback&gt; &amp; tempo" in page
