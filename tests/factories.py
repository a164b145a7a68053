"""Test data (committed, as a request would see it): users, networks, memberships and meetings with a pre-hashed password."""

import itertools
from datetime import datetime, timedelta
from functools import cache

from werkzeug.security import generate_password_hash

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings.models import Meeting, MeetingKind
from netapp.networks.models import Membership, Network, Organisation, OrganisationAdmin, Role

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


@cache
def password_hash() -> str:
    """Hash once per test run; scrypt is slow on purpose."""
    return generate_password_hash(PASSWORD, method="scrypt")


def user(**kw) -> User:
    n = next(_seq)
    kw.setdefault("email", f"person{n}@example.com")
    kw.setdefault("name", f"Person {n}")
    kw.setdefault("language", "en")
    obj = User(password_hash=password_hash(), **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def organisation(**kw) -> Organisation:
    kw.setdefault("name", f"Organisation {next(_seq)}")
    obj = Organisation(**kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def org_admin(org: Organisation, **kw) -> User:
    person = user(**kw)
    db.session.add(OrganisationAdmin(organisation_id=org.id, user_id=person.id))
    db.session.commit()
    return person


def network(org: Organisation | None = None, **kw) -> Network:
    kw.setdefault("name", f"Network {next(_seq)}")
    kw.setdefault("purpose", "Sparring on everyday leadership.")
    obj = Network(organisation=org or organisation(), **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def member(net: Network, role: Role = Role.MEMBER, person: User | None = None, **kw) -> User:
    person = person or user(**kw)
    db.session.add(Membership(network=net, user=person, role=role))
    db.session.commit()
    return person


def meeting(net: Network, starts_at: datetime | None = None, hours: float = 3, **kw) -> Meeting:
    starts_at = starts_at or (utcnow() + timedelta(days=14)).replace(microsecond=0)
    kw.setdefault("kind", MeetingKind.FOLLOWING)
    obj = Meeting(network=net, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


# ---- networks ----
def profile(person: User, **kw):
    from netapp.networks.profiles import Profile

    obj = Profile(user_id=person.id, **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def contract(net: Network):
    from netapp.networks.contract import create_contract

    obj = create_contract(net)
    db.session.commit()
    return obj
