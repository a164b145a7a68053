"""Command-line tasks: init-db, seed-demo, create-admin."""

from pathlib import Path

import click
import flask_migrate
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from netapp import audit
from netapp.database import gather_statistics
from netapp.extensions import db


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database to the newest schema: once per deploy, before the
    instances (re)start. Two at once are safe: the second waits, then has nothing to do."""
    from netapp.database import migration_lock

    with migration_lock(db.engine):
        flask_migrate.upgrade(directory=current_app.extensions["migrate"].directory)
    click.echo("Database is at the newest version.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill in the demo organisation, networks, members and meetings (once)."""
    from netapp import demo

    created = demo.seed()
    db.session.commit()
    click.echo("Demo data created." if created else "Demo data was already there.")
    for email, role in demo.LOGINS:
        click.echo(f"  {email:32} {role}")
    click.echo(f"  password for all: {demo.PASSWORD}")


@click.command("seed-large")
@click.option("--networks", default=200, show_default=True)
@with_appcontext
def seed_large(networks: int) -> None:
    """A big organisation's worth of data for `make bench` (into an empty database)."""
    from netapp import large
    from netapp.networks.models import Organisation

    if db.session.scalar(sa.select(Organisation.id).limit(1)) is not None:
        raise click.UsageError("seed-large fills an empty database; this one has data.")
    world = large.seed(networks=networks)
    db.session.commit()
    gather_statistics()  # a benchmark right after a bulk load would measure blind plans
    click.echo(" ".join(f"{key}={value}" for key, value in world.ids.items()))


@click.command("create-admin")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organisation", prompt=True, help="Name of the organisation to administer.")
@click.password_option()
def create_admin(email: str, name: str, organisation: str, password: str) -> None:
    """Create an organisation admin (or make an existing account one)."""
    from netapp.auth.models import User
    from netapp.auth.services import is_common_password
    from netapp.networks.models import Organisation, OrganisationAdmin

    if len(password) < 8 or is_common_password(password):
        raise click.UsageError("Use a password of at least 8 characters that is not a common one.")
    user = db.session.scalar(User.by_email(email))
    if user is None:
        user = User(email=email.strip().lower(), name=name)
        user.set_password(password)
        db.session.add(user)
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == organisation))
    if org is None:
        org = Organisation(name=organisation)
        db.session.add(org)
    db.session.flush()
    if db.session.get(OrganisationAdmin, (org.id, user.id)) is None:
        db.session.add(OrganisationAdmin(organisation_id=org.id, user_id=user.id))
    db.session.commit()
    audit.record("role.changed", user.id, organisation=org.id, role="admin", how="create-admin")
    click.echo(f"{user.email} administers {org.name}.")


@click.command("unlock-account")
@click.argument("email")
@with_appcontext
def unlock_account(email: str) -> None:
    """Let EMAIL log in again at once: forget its failed logins, from every address."""
    from netapp.auth.models import User
    from netapp.auth.services import unlock

    forgotten = unlock(email)
    db.session.commit()
    user = db.session.scalar(User.by_email(email.strip().lower()))
    audit.record("account.unlocked", user.id if user else "unknown", failures=forgotten)
    click.echo(f"Forgot {forgotten} failed logins of {email.strip().lower()}; "
               "it can log in again.")


@click.command("purge-expired")
@click.option("--now", "now_text", default=None, help="ISO date-time to count from (tests).")
@with_appcontext
def purge_expired(now_text: str | None) -> None:
    """Delete what is only kept for a while: sparring notes, form tokens, failed logins,
    reset requests and old reset links, idle device logins, e-mail changes never confirmed;
    then refresh the planner's statistics."""
    from datetime import datetime, timedelta

    from netapp.auth.models import (
        DeviceSession,
        EmailChange,
        LinkToken,
        LoginFailure,
        ResetRequest,
        utcnow,
    )
    from netapp.live.notes import purge_expired as purge_notes
    from netapp.main.models import Submission

    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    notes = purge_notes(now)
    window = current_app.config["LOGIN_WINDOW"]
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < now - window))
    db.session.execute(sa.delete(ResetRequest).where(ResetRequest.at < now - window))
    # Reset tokens are kept a day past their expiry: the per-account limit counts them.
    db.session.execute(sa.delete(LinkToken).where(LinkToken.expires_at < now - timedelta(days=1)))
    db.session.execute(sa.delete(Submission).where(Submission.created_at < now - timedelta(days=2)))
    idle = timedelta(days=int(current_app.config["DEVICE_SESSION_IDLE_DAYS"]))
    db.session.execute(sa.delete(DeviceSession).where(DeviceSession.last_seen_at < now - idle))
    db.session.execute(sa.delete(EmailChange).where(EmailChange.expires_at < now))
    db.session.commit()
    gather_statistics()  # daily, so SQLite's planner keeps up with the data
    click.echo(f"Deleted {notes} expired sparring notes.")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(target: Path) -> None:
    """Write a consistent copy of the database to TARGET, readable by its owner only:
    SQLite's online backup API, or pg_dump's custom format for PostgreSQL."""
    from netapp import backups

    try:
        backups.backup(db.engine.url, target)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup written to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="SQLite: overwrite a database file that has tables (every instance stopped).")
@with_appcontext
def restore(source: Path, replace: bool) -> None:
    """Restore a backup made by `backup` into the empty database in DATABASE_URL, with every
    instance stopped; then run init-db to bring it to the newest schema."""
    from netapp import backups

    url = db.engine.url
    db.engine.dispose()  # no connection of ours may hold the file or the database
    try:
        backups.restore(url, source, replace=replace)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {source}.")


@click.command("routes-index")
@with_appcontext
def routes_index() -> None:
    """Write ROUTES.md from the URL map: each URL's view, templates and tests."""
    from netapp import routes_index as index

    click.echo(f"wrote {index.write(current_app).relative_to(index.ROOT)}")


def init_app(app) -> None:
    """Register the commands on `flask --app netapp`."""
    for command in (init_db, seed_demo, seed_large, create_admin, purge_expired, backup,
                    restore, unlock_account, routes_index):
        app.cli.add_command(command)
    from netapp.mail import cli as mail_cli

    mail_cli.register(app)
