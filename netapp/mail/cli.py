"""`flask send-mail`: deliver the outbox, once (for cron) or as a long-running worker."""

import signal

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("send-mail")
@click.option("--forever", is_flag=True,
              help="Keep running: a pass every --interval seconds until stopped (SIGTERM).")
@click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(0.5, 3600))
@with_appcontext
def send_mail_command(forever: bool, interval: float) -> None:
    """Send the queued e-mails that are due; failed ones wait and are retried later."""
    from netapp.mail.outbox import deliver_due, run_forever

    if not forever:
        click.echo(str(deliver_due()))
        return
    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_a: stopping.append(True))
    current_app.logger.info("send-mail: running, a pass every %s s", interval)
    run_forever(interval, stop=lambda: bool(stopping), echo=click.echo)


@click.command("purge-mail")
@click.option("--days", type=click.IntRange(0, 36500), default=None,
              help="Keep sent mails this many days (default: MAIL_KEEP_SENT_DAYS).")
@click.option("--now", "now_text", default=None, help="ISO date-time to count from (tests).")
@with_appcontext
def purge_mail_command(days: int | None, now_text: str | None) -> None:
    """Delete the outbox rows of mails sent longer ago than the days kept; mails waiting,
    being sent or given up on stay."""
    from datetime import datetime

    from netapp.auth.models import utcnow
    from netapp.extensions import db
    from netapp.mail.outbox import purge_sent

    if days is None:
        days = int(current_app.config["MAIL_KEEP_SENT_DAYS"])
    try:
        now = datetime.fromisoformat(now_text) if now_text else utcnow()
    except ValueError as error:
        raise click.BadParameter("give an ISO date-time, e.g. 2026-12-01T03:00",
                                 param_hint="--now") from error
    gone = purge_sent(now.replace(tzinfo=None), days)
    db.session.commit()
    click.echo(f"Deleted {gone} sent mails older than {days} days.")


def register(app) -> None:
    """Put the commands on `flask` itself, beside send-reminders."""
    app.cli.add_command(send_mail_command)
    app.cli.add_command(purge_mail_command)
