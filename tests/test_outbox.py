"""The outbox: queued in the causing transaction, sent once, retried, never lost."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from netapp import mail
from netapp.extensions import db
from netapp.mail.models import FAILED, SENDING, SENT, WAITING, OutgoingMail
from netapp.mail.outbox import deliver_due
from tests import factories as f
from tests.conftest import build_app
from tests.ports import free_port
from tests.smtp import smtp_server


def _queue(app, count: int, prefix: str = "m") -> None:
    with app.test_request_context():
        for i in range(count):
            person = f.user(email=f"{prefix}{i}@example.com", language="da")
            mail.send_template(person, "auth/email/reset", link=f"https://netapp.test/r/{i}")
    db.session.commit()


def _statuses() -> list[str]:
    return list(db.session.scalars(sa.select(OutgoingMail.status).order_by(OutgoingMail.id)))


@pytest.mark.own_app
def test_an_outage_delays_the_mail_and_loses_none(app, frozen_clock):
    port = free_port()  # nothing listens there yet: the server is down
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    _queue(app, 3)
    done = deliver_due()
    assert (done.sent, done.retrying, done.failed) == (0, 3, 0)
    assert _statuses() == [WAITING] * 3
    with smtp_server(port=port) as (_port, mailbox):
        assert deliver_due().sent == 0  # each waits its back-off first
        frozen_clock.advance(seconds=61)
        assert deliver_due().sent == 3
        frozen_clock.advance(hours=5)
        assert deliver_due().sent == 0
    assert mailbox.recipients() == ["m0@example.com", "m1@example.com", "m2@example.com"]
    assert _statuses() == [SENT] * 3


@pytest.mark.own_app
def test_a_server_that_refuses_for_now_gets_the_mail_once_it_answers(app, frozen_clock):
    with smtp_server() as (port, mailbox):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        _queue(app, 2)
        mailbox.busy = True  # 451 to every message
        assert deliver_due().retrying == 2
        row = db.session.scalars(sa.select(OutgoingMail)).first()
        assert row.attempts == 1 and "451" in row.last_error
        mailbox.busy = False
        frozen_clock.advance(seconds=61)
        assert deliver_due().sent == 2
        frozen_clock.advance(days=1)
        assert deliver_due().sent == 0
    ids = [m["Message-ID"] for m in mailbox.messages()]
    assert len(ids) == len(set(ids)) == 2  # no duplicate


@pytest.mark.own_app
def test_back_off_doubles_and_a_refused_address_fails_after_its_tries(app, frozen_clock):
    with smtp_server() as (port, mailbox):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        mailbox.refuse = {"m0@example.com"}
        _queue(app, 2)
        waits = []
        for _ in range(3):
            deliver_due()
            row = db.session.get(OutgoingMail, 1)
            db.session.refresh(row)
            waits.append(row.next_attempt_at - frozen_clock.now)
            frozen_clock.advance(hours=2)
        assert waits[:2] == [timedelta(seconds=60), timedelta(seconds=120)]
        assert (row.status, row.attempts) == (FAILED, 3) and "550" in row.last_error
    assert mailbox.recipients() == ["m1@example.com"]


@pytest.mark.own_app(MAIL_CLAIM_SECONDS=600)
def test_a_claim_left_by_a_dead_worker_is_released_and_sent_once(app, frozen_clock):
    with smtp_server() as (port, mailbox):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        _queue(app, 2)
        db.session.execute(sa.update(OutgoingMail).values(
            status=SENDING, claim="dead", claimed_at=frozen_clock.now))
        db.session.commit()
        assert deliver_due().sent == 0  # a claim of a live worker is left alone
        frozen_clock.advance(seconds=601)
        assert deliver_due().sent == 2
    assert len(mailbox.received) == 2


def test_nothing_is_queued_when_the_causing_transaction_rolls_back(app):
    _queue(app, 1)
    with app.test_request_context():
        mail.send_template(f.user(language="nb"), "auth/email/reset", link="https://x.test/")
        assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 2  # flushed
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 1


def test_two_workers_at_once_send_each_message_once(empty_database_url, tmp_path):
    """Two workers started at the same moment on one database (SQLite file or PostgreSQL),
    small batches so their claims interleave: every message goes out exactly once."""
    with smtp_server() as (port, mailbox):
        racing = build_app(empty_database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        racing.instance_path = str(tmp_path / "instance")
        with racing.app_context():
            db.create_all()
            _queue(racing, 40)
            db.session.remove()
        barrier, passes, errors = threading.Barrier(2), [], []

        def worker():
            with racing.app_context():
                try:
                    barrier.wait()
                    passes.append(deliver_due(batch=3))
                except Exception as error:  # reported below, not lost in the thread
                    errors.append(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with racing.app_context():
            try:
                assert errors == []
                assert sum(p.sent for p in passes) == 40, passes
                assert _statuses() == [SENT] * 40
            finally:
                db.session.remove()
                db.drop_all()
                db.engine.dispose()
    ids = [m["Message-ID"] for m in mailbox.messages()]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert mailbox.recipients() == sorted(f"m{i}@example.com" for i in range(40))


def test_the_long_running_worker_sends_and_stops_when_told(app):
    from netapp.mail.outbox import run_forever

    _queue(app, 2)
    answers, lines = iter([False, True]), []
    run_forever(0.5, stop=lambda: next(answers, True), echo=lines.append)
    assert lines == ["Sent 2, retrying 0, failed 0."]
    assert _statuses() == [SENT] * 2


def test_a_sent_message_keeps_only_its_headers(app):
    """The body held a sign-in link; once delivered, only the headers stay in the table."""
    _queue(app, 1)
    assert b"https://netapp.test/r/0" in db.session.scalar(sa.select(OutgoingMail.message))
    deliver_due()
    kept = db.session.scalar(sa.select(OutgoingMail.message))
    assert b"Subject:" in kept and b"netapp.test/r/0" not in kept
