"""`flask send-reminders`, for cron: reminders N days before each meeting."""

import click
from flask import Flask
from flask.cli import with_appcontext

from netapp.auth.models import utcnow
from netapp.extensions import db


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Queue reminders for those who have not answered or said yes, once per meeting and
    person (safe to run twice at once); `flask send-mail` delivers them."""
    from netapp.meetings.mailing import outside_request, send_reminders

    sent = outside_request(send_reminders, utcnow())
    db.session.commit()
    click.echo(f"Queued {sent} reminder(s).")


def register(app: Flask) -> None:
    """Put the command on `flask` itself, as the issue names it (not `flask meetings ...`)."""
    app.cli.add_command(send_reminders_command)
