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


def register(app) -> None:
    """Put the command on `flask` itself, beside send-reminders."""
    app.cli.add_command(send_mail_command)
