"""`flask purge-mail`: the rows of mails sent long ago go; waiting, sending, failed stay."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from netapp.extensions import db
from netapp.mail.models import FAILED, SENDING, SENT, WAITING, OutgoingMail

NOW = datetime(2026, 12, 1, 3, 0)


def _row(recipient: str, status: str, sent_days_ago: float | None = None,
         created_days_ago: float = 60) -> None:
    sent_at = None if sent_days_ago is None else NOW - timedelta(days=sent_days_ago)
    db.session.add(OutgoingMail(recipient=recipient, status=status, message=b"Subject: x\r\n",
                                created_at=NOW - timedelta(days=created_days_ago),
                                next_attempt_at=NOW, sent_at=sent_at))


def _left() -> list[str]:
    return list(db.session.scalars(sa.select(OutgoingMail.recipient).order_by(OutgoingMail.id)))


def _world() -> None:
    _row("old-sent@example.com", SENT, sent_days_ago=31)
    _row("just-kept@example.com", SENT, sent_days_ago=29.9)
    _row("recent@example.com", SENT, sent_days_ago=1)
    _row("waiting@example.com", WAITING)
    _row("sending@example.com", SENDING)
    _row("failed@example.com", FAILED)
    db.session.commit()


def test_purge_mail_deletes_sent_rows_older_than_30_days_by_default(app):
    _world()
    result = app.test_cli_runner().invoke(args=["purge-mail", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 sent mails older than 30 days." in result.output
    db.session.expire_all()
    assert _left() == ["just-kept@example.com", "recent@example.com", "waiting@example.com",
                       "sending@example.com", "failed@example.com"]


@pytest.mark.own_app(MAIL_KEEP_SENT_DAYS=7)
def test_the_days_kept_are_configurable(app):
    _world()
    done = app.test_cli_runner().invoke(args=["purge-mail", "--now", NOW.isoformat()])
    assert done.exit_code == 0
    db.session.expire_all()
    assert _left() == ["recent@example.com", "waiting@example.com", "sending@example.com",
                       "failed@example.com"]


def test_days_on_the_command_line_win_and_a_rerun_deletes_nothing_more(app):
    _world()
    runner = app.test_cli_runner()
    assert "Deleted 2 " in runner.invoke(args=["purge-mail", "--days", "2",
                                               "--now", NOW.isoformat()]).output
    assert "Deleted 0 " in runner.invoke(args=["purge-mail", "--days", "2",
                                               "--now", NOW.isoformat()]).output


@pytest.mark.parametrize("now", ["2026-12-01\x00", "yesterday", "9999999-01-01"])
def test_a_bad_now_is_refused_and_deletes_nothing(app, now):
    _world()
    result = app.test_cli_runner().invoke(args=["purge-mail", "--now", now])
    assert result.exit_code == 2 and "ISO date-time" in result.output
    db.session.expire_all()
    assert len(_left()) == 6


def test_purge_mail_is_in_the_readme_cron_table():
    from tests.test_operations_readme import cron_commands

    assert any(command.endswith("flask --app netapp purge-mail") for command in cron_commands())
