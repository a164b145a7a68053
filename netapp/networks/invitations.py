"""Invitations by e-mail or link, and requests to join open networks.

Tokens are random; only their SHA-256 is stored, so a database copy opens no network.
Because the raw token is not kept, re-sending makes a new one (the old link stops).
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa
import sqlalchemy.orm as so
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from netapp import mail
from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.links import public_url_for
from netapp.networks import choices, coordinators
from netapp.networks.models import (
    CoordinatorHow,
    Invitation,
    JoinRequest,
    Membership,
    Network,
)
from netapp.once import insert_for, insert_once

SPLIT = re.compile(r"[\s,;]+")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry():
    return utcnow() + timedelta(days=int(current_app.config["INVITATION_DAYS"]))


@dataclass
class Outgoing:
    """An invitation to e-mail once the request has committed."""

    invitation: Invitation
    token: str


def _new(network: Network, inviter: User, email: str | None, position: str) -> Outgoing | None:
    """A new invitation; None when the address already has an open one in the network (one
    stored by a coordinator at the same instant: the unique open address refuses ours)."""
    role, participation, _label = choices.POSITIONS[position]
    token = secrets.token_urlsafe(32)
    values = dict(
        network_id=network.id,
        email=email,
        open_email=email,
        token_hash=hash_token(token),
        inviter_id=inviter.id,
        role=role,
        participation=participation,
        created_at=utcnow(),
        expires_at=_expiry(),
    )
    made = db.session.execute(  # waits for a rival's commit on PostgreSQL, then yields
        insert_for(Invitation)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["network_id", "open_email"])
        .returning(Invitation.id)
    ).first()
    if made is None:
        return None
    return Outgoing(db.session.get(Invitation, made.id), token)


def close_expired(network: Network) -> None:
    """Free the addresses of the network's expired invitations for new ones."""
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.network_id == network.id, Invitation.open_email.is_not(None),
               Invitation.expires_at <= utcnow())
        .values(open_email=None)
        .execution_options(synchronize_session=False)
    )


def invite_many(network: Network, inviter: User, text: str, position: str):
    """Invite every valid, new address; return (outgoing, [(address, reason)])."""
    members = set(
        db.session.scalars(
            sa.select(sa.func.lower(User.email))
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.network_id == network.id)
        )
    )
    close_expired(network)
    pending = set(
        db.session.scalars(
            sa.select(Invitation.open_email).where(
                Invitation.network_id == network.id, Invitation.open_email.is_not(None)
            )
        )
    )
    outgoing, problems, seen = [], [], set()
    for raw in (a for a in SPLIT.split(text.strip()) if a):
        try:
            address = validate_email(raw, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            problems.append((raw, "invalid"))
            continue
        if address in seen:
            problems.append((raw, "duplicate"))
        elif address in members:
            problems.append((raw, "member"))
        elif address in pending:
            problems.append((raw, "pending"))
        elif (made := _new(network, inviter, address, position)) is None:
            problems.append((raw, "pending"))  # invited by someone else at this instant
        else:
            outgoing.append(made)
        seen.add(address)
    db.session.flush()
    return outgoing, problems


def create_link(network: Network, inviter: User, position: str) -> Outgoing:
    """A link anyone may use to join until it expires or is revoked."""
    outgoing = _new(network, inviter, None, position)
    db.session.flush()
    return outgoing


def renew(invitation: Invitation) -> Outgoing | None:
    """A fresh token and expiry for a re-send; the old link stops working. None (nothing
    changed) when the address has meanwhile got another open invitation in the network."""
    close_expired(invitation.network)
    token = secrets.token_urlsafe(32)
    other = so.aliased(Invitation)
    try:  # a new invitation of the address stored at this very instant wins on the index
        with db.session.begin_nested():
            done = db.session.execute(
                sa.update(Invitation)
                .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None),
                       ~sa.exists().where(other.network_id == invitation.network_id,
                                          other.open_email == invitation.email,
                                          other.id != invitation.id))
                .values(token_hash=hash_token(token), expires_at=_expiry(), revoked_at=None,
                        open_email=invitation.email)
                .execution_options(synchronize_session="fetch")
            )
    except sa.exc.IntegrityError:
        return None
    if done.rowcount != 1:
        return None
    db.session.refresh(invitation)
    return Outgoing(invitation, token)


def revoke(invitation: Invitation) -> None:
    """The link stops working and the address may be invited anew."""
    invitation.revoked_at = utcnow()
    invitation.open_email = None
    db.session.flush()


def send(outgoing: Outgoing, inviter: User) -> None:
    """E-mail the invitation in the invitee's language (their account's, else the inviter's)."""
    invitation = outgoing.invitation
    account = db.session.scalar(User.by_email(invitation.email))
    to = SimpleNamespace(
        email=invitation.email,
        name=account.name if account else "",
        language=account.language if account else inviter.language,
    )
    link = public_url_for("networks.invitation", token=outgoing.token)
    mail.send_template(
        to,
        "networks/email/invitation",
        topic=invitation_topic(invitation.id),
        link=link,
        inviter=inviter,
        network=invitation.network,
        invitation=invitation,
    )
    invitation.sent_at = utcnow()


def by_token(token: str) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation)
        .where(Invitation.token_hash == hash_token(token))
        .options(so.joinedload(Invitation.network), so.joinedload(Invitation.inviter))
    )


def in_network(network: Network, invitation_id: int) -> Invitation | None:
    """An invitation of this network only."""
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.id == invitation_id, Invitation.network_id == network.id
        )
    )


def accept(invitation: Invitation, user: User) -> Membership | None:
    """Join the user; an e-mail invitation is used once (a conditional update wins races)."""
    now = utcnow()
    if not invitation.is_link:
        done = db.session.execute(
            sa.update(Invitation)
            .where(
                Invitation.id == invitation.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .values(accepted_at=now, accepted_by_id=user.id, open_email=None)
            .execution_options(synchronize_session="fetch")
        )
        if done.rowcount != 1:
            return None
    key = {"network_id": invitation.network_id, "user_id": user.id}
    made = insert_once(Membership, key, list(key))
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.network_id == invitation.network_id, Membership.user_id == user.id
        )
    )
    if made:  # the role through set_role, so a new coordinator is recorded and told
        coordinators.set_role(membership, invitation.role, invitation.participation,
                              CoordinatorHow.INVITATION, invitation.inviter)
    return membership


def create_account(name: str, email: str, password: str, language: str) -> User | None:
    """A new account for an invitee; None when the address is taken."""
    if db.session.scalar(User.by_email(email)) is not None:
        return None
    user = User(name=name.strip(), email=email.strip().lower(), language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def invitation_topic(invitation_id: int) -> str:
    """How the outbox names the e-mail of one invitation."""
    return f"network-invitation:{invitation_id}"


def delivery(network_id: int) -> dict[int, str]:
    """Per invitation id, what became of its latest e-mail: sent, waiting or failed."""
    ids = db.session.scalars(
        sa.select(Invitation.id).where(Invitation.network_id == network_id))
    by_topic = mail.delivery_by_topic([invitation_topic(i) for i in ids])
    return {int(topic.rsplit(":", 1)[1]): state for topic, state in by_topic.items()}


def listing(network_id: int) -> list[Invitation]:
    """The network's invitations, newest first."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(Invitation.network_id == network_id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def rotate_join_token(network: Network) -> None:
    network.join_token = secrets.token_urlsafe(24)
    db.session.flush()


def by_join_token(token: str) -> Network | None:
    """An open network whose join link this is."""
    return db.session.scalar(
        sa.select(Network).where(Network.join_token == token, Network.is_open.is_(True))
    )


def pending_request(network_id: int, user_id: int) -> JoinRequest | None:
    return db.session.scalar(
        sa.select(JoinRequest).where(
            JoinRequest.network_id == network_id,
            JoinRequest.user_id == user_id,
            JoinRequest.decided_at.is_(None),
        )
    )


def request_join(network: Network, user: User, message: str) -> JoinRequest:
    """Ask to join (once: a pending request is reused)."""
    existing = pending_request(network.id, user.id)
    if existing:
        return existing
    request = JoinRequest(network=network, user=user, message=message.strip())
    db.session.add(request)
    db.session.flush()
    return request


def requests_of(network_id: int) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            sa.select(JoinRequest)
            .where(JoinRequest.network_id == network_id, JoinRequest.decided_at.is_(None))
            .options(so.joinedload(JoinRequest.user))
            .order_by(JoinRequest.created_at)
        )
    )


def request_in(network: Network, request_id: int) -> JoinRequest | None:
    """A request of this network only, decided or not."""
    return db.session.scalar(
        sa.select(JoinRequest).where(
            JoinRequest.id == request_id, JoinRequest.network_id == network.id
        )
    )


def decide(request: JoinRequest, approve: bool, by: User) -> None:
    """Approve (the person joins as a core member) or decline."""
    request.decided_at, request.approved, request.decided_by_id = utcnow(), approve, by.id
    if approve:
        insert_once(Membership, {"network_id": request.network_id, "user_id": request.user_id},
                    ["network_id", "user_id"])
    db.session.flush()
