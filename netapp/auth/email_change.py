"""Changing an account's e-mail: the new address confirms by a link, the old one is told.

The link's token is random, bound to this purpose and this account, used once and only
for a while; only its SHA-256 is stored. Until the link is opened the old address stays
the account's login and mail address.
"""

import secrets
from datetime import datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from netapp import mail
from netapp.auth.models import EmailChange, LinkToken, User, hash_token
from netapp.auth.services import RESET
from netapp.extensions import db
from netapp.links import public_url_for


def pending_for(user: User) -> EmailChange | None:
    """The change of this account still waiting for its link, if any."""
    return db.session.scalar(sa.select(EmailChange).where(EmailChange.user_id == user.id))


def address_taken(email: str, user: User) -> bool:
    """True when another account uses the address."""
    other = db.session.scalar(User.by_email(email))
    return other is not None and other.id != user.id


def request_change(user: User, new_email: str, now: datetime) -> str | None:
    """Start a change and return the link's token; None (and nothing stored) when another
    account uses the address. Asking again replaces the waiting change."""
    new_email = new_email.strip().lower()
    db.session.execute(sa.delete(EmailChange).where(EmailChange.user_id == user.id))
    if address_taken(new_email, user):
        return None
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config["EMAIL_CHANGE_HOURS"])
    db.session.add(EmailChange(user_id=user.id, new_email=new_email, token_hash=hash_token(token),
                               created_at=now, expires_at=now + timedelta(hours=hours)))
    db.session.flush()
    return token


def send_request_mails(user: User, new_email: str, token: str | None) -> None:
    """The link to the new address (when it can be used); a notice to the old one, which
    stays in force, either way."""
    new_email = new_email.strip().lower()
    if token is not None:
        link = public_url_for("auth.confirm_email", token=token)
        hours = int(current_app.config["EMAIL_CHANGE_HOURS"])
        to_new = SimpleNamespace(email=new_email, name=user.name, language=user.language)
        mail.send_template(to_new, "auth/email/email_confirm", link=link, hours=hours)
    mail.send_template(user, "auth/email/email_requested", new_email=new_email)


def by_token(token: str, now: datetime) -> tuple[EmailChange | None, str | None]:
    """(change, None) for a good link, else (None, 'expired' | 'invalid')."""
    change = db.session.scalar(
        sa.select(EmailChange).where(EmailChange.token_hash == hash_token(token))
    )
    if change is None:
        return None, "invalid"
    if change.expires_at <= now:
        return None, "expired"
    return change, None


def confirm(change: EmailChange) -> tuple[User, str] | None:
    """Make the new address the account's and spend the link; return (user, old address),
    or None when another account took the address meanwhile or the link was just used (the
    link is spent either way)."""
    user = db.session.get(User, change.user_id)
    new_email = change.new_email
    # A conditional delete spends the link: of two clicks at once, one changes the address.
    spent = db.session.execute(
        sa.delete(EmailChange).where(EmailChange.id == change.id)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    if user is None or not user.active or address_taken(new_email, user):
        db.session.flush()
        return None
    old_email, user.email = user.email, new_email
    # Reset links went to the old address, which may no longer be the owner's to read.
    db.session.execute(sa.delete(LinkToken).where(LinkToken.user_id == user.id,
                                                  LinkToken.purpose == RESET))
    db.session.flush()
    return user, old_email


def discard(change_id: int) -> None:
    """Spend a link whose change could not be made."""
    db.session.execute(sa.delete(EmailChange).where(EmailChange.id == change_id))


def send_done_mail(user: User, old_email: str) -> None:
    """Tell the old address that the account's e-mail is now another one."""
    to_old = SimpleNamespace(email=old_email, name=user.name, language=user.language)
    mail.send_template(to_old, "auth/email/email_changed", new_email=user.email)
