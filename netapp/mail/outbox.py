"""The mail worker behind `flask send-mail`: claim due rows, send them, record the outcome.

Two workers at once never send one row twice: a row is claimed by one conditional UPDATE
(`WHERE status = 'waiting'`; on PostgreSQL after `SELECT ... FOR UPDATE SKIP LOCKED`, so
workers pass each other's rows instead of waiting), and its outcome is recorded only by
the worker holding the claim. Each result is committed right after its SMTP conversation,
so a crash repeats at most the one message in flight. A claim left by a worker that died
is released after MAIL_CLAIM_SECONDS and the message goes out again, with the same
Message-ID; that is the price of never losing one.

A failed attempt waits and retries: MAIL_RETRY_SECONDS doubled each time, at most
MAIL_RETRY_MAX_SECONDS; a recipient refused outright (5xx) fails after
MAIL_PERMANENT_ATTEMPTS tries, anything else (server down, 4xx) after MAIL_GIVE_UP_HOURS.
"""

import secrets
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.hygiene import one_line
from netapp.mail import write_file
from netapp.mail.models import FAILED, SENDING, SENT, WAITING, OutgoingMail


class Transport:
    """One SMTP connection for a pass (opened on the first message), or .eml files."""

    def __init__(self, app):
        self.config = app.config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                            timeout=float(config["MAIL_TIMEOUT_SECONDS"]))
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def deliver(self, raw: bytes, recipient: str, name: str | None) -> None:
        """Send one message to its one recipient; raises what the server said."""
        if not self.config.get("MAIL_SERVER"):
            write_file(raw, name or secrets.token_hex(16))
            return
        if self.smtp is None:
            self.smtp = self._connect()
        envelope_from = parseaddr(one_line(self.config["MAIL_SENDER"]))[1]
        try:
            self.smtp.sendmail(envelope_from, [recipient], raw)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
            try:  # the connection is fine; the next message may go through
                self.smtp.rset()
            except (OSError, smtplib.SMTPException):
                self.close()
            raise
        except (OSError, smtplib.SMTPServerDisconnected):
            self.close()
            raise


@dataclass
class Pass:
    """What one pass of the worker did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"Sent {self.sent}, retrying {self.retrying}, failed {self.failed}."


def headers_only(raw: bytes) -> bytes:
    """What is kept of a message once it is sent or given up on: its headers. The body held
    links that sign in (reset, answer, invitation) and meeting content; neither stays in
    the database longer than the delivery needs."""
    head, _sep, _body = raw.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n"


def _short(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def _permanent(error: BaseException) -> bool:
    """The server refused this message for good (5xx), as opposed to an outage or 4xx."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, (smtplib.SMTPDataError, smtplib.SMTPSenderRefused)):
        return error.smtp_code >= 500
    return False


def release_stale_claims(now: datetime) -> int:
    """Give rows claimed by a worker that died back to the queue."""
    timeout = timedelta(seconds=int(current_app.config["MAIL_CLAIM_SECONDS"]))
    result = db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.status == SENDING, OutgoingMail.claimed_at < now - timeout)
        .values(status=WAITING, claim=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def claim(worker: str, now: datetime, batch: int) -> list[OutgoingMail]:
    """Claim up to `batch` due rows for this worker; rows another worker holds are skipped."""
    due = (
        sa.select(OutgoingMail.id)
        .where(OutgoingMail.status == WAITING, OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(batch)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = []
    while not claimed:  # rows all taken by another worker in between: look again
        candidates = db.session.scalars(due).all()
        if not candidates:
            db.session.commit()
            return []
        for row_id in candidates:
            result = db.session.execute(
                sa.update(OutgoingMail)
                .where(OutgoingMail.id == row_id, OutgoingMail.status == WAITING)
                .values(status=SENDING, claim=worker, claimed_at=now,
                        attempts=OutgoingMail.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                claimed.append(row_id)
        db.session.commit()
    return list(db.session.scalars(
        sa.select(OutgoingMail)
        .where(OutgoingMail.id.in_(claimed), OutgoingMail.claim == worker)
        .order_by(OutgoingMail.id)
        .execution_options(populate_existing=True)
    ))


def _record(row: OutgoingMail, worker: str, **values) -> None:
    """Write the outcome, only while this worker still holds the claim."""
    db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.id == row.id, OutgoingMail.claim == worker)
        .values(claim=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def retry_at(attempts: int, now: datetime) -> datetime:
    """Back-off: the first retry after MAIL_RETRY_SECONDS, doubling, capped."""
    config = current_app.config
    delay = int(config["MAIL_RETRY_SECONDS"]) * 2 ** max(attempts - 1, 0)
    return now + timedelta(seconds=min(delay, int(config["MAIL_RETRY_MAX_SECONDS"])))


def _failed(row: OutgoingMail, worker: str, error: BaseException, now: datetime) -> bool:
    """Record a failed attempt; True when the message is given up on."""
    config = current_app.config
    too_old = now - row.created_at >= timedelta(hours=float(config["MAIL_GIVE_UP_HOURS"]))
    refused = _permanent(error) and row.attempts >= int(config["MAIL_PERMANENT_ATTEMPTS"])
    final = too_old or refused
    if final:
        _record(row, worker, status=FAILED, last_error=_short(error),
                message=headers_only(row.message))
    else:
        _record(row, worker, status=WAITING, last_error=_short(error),
                next_attempt_at=retry_at(row.attempts, now))
    current_app.logger.warning("mail %s to user %s not sent (%s): %s", row.id, row.user_id,
                               "given up" if final else "will retry", type(error).__name__)
    return final


def deliver_due(batch: int = 20) -> Pass:
    """One pass: send every due message, until none is left or the server is down."""
    done = Pass()
    worker = secrets.token_hex(8)
    release_stale_claims(utcnow())
    with Transport(current_app) as transport:
        while rows := claim(worker, utcnow(), batch):
            outage = None
            for row in rows:
                now = utcnow()
                if outage is not None:  # the server is down: the rest wait, untried
                    if _failed(row, worker, outage, now):
                        done.failed += 1
                    else:
                        done.retrying += 1
                    continue
                try:
                    transport.deliver(row.message, row.recipient, name=f"{row.id:08d}")
                except (OSError, smtplib.SMTPException) as error:
                    if not isinstance(error, (smtplib.SMTPRecipientsRefused,
                                              smtplib.SMTPDataError)):
                        outage = error
                    if _failed(row, worker, error, now):
                        done.failed += 1
                    else:
                        done.retrying += 1
                else:
                    _record(row, worker, status=SENT, sent_at=now, last_error=None,
                            message=headers_only(row.message))
                    done.sent += 1
            if outage is not None:
                break
    return done


def purge_sent(now: datetime, days: int) -> int:
    """Delete the rows of mails sent more than `days` days before `now` (only their headers
    are left by then); waiting, sending and failed rows stay. Returns how many went."""
    cutoff = now - timedelta(days=days)
    result = db.session.execute(
        sa.delete(OutgoingMail).where(OutgoingMail.status == SENT, OutgoingMail.sent_at < cutoff)
    )
    return result.rowcount


def run_forever(interval: float, stop=lambda: False, echo=print) -> None:
    """The long-running worker: a pass, then a pause of `interval` seconds, until stopped."""
    while not stop():
        try:
            done = deliver_due()
            if done.sent or done.retrying or done.failed:
                echo(str(done))
        except sa.exc.OperationalError:  # the database is away: try again next round
            db.session.rollback()
            current_app.logger.warning("send-mail: database unavailable, retrying")
        finally:
            db.session.remove()
        slept = 0.0
        while slept < interval and not stop():
            time.sleep(min(0.5, interval - slept))
            slept += 0.5
