"""Test data, committed as a request would see it: users, networks, members, meetings."""

import itertools
from datetime import datetime, timedelta
from functools import cache

from werkzeug.security import generate_password_hash

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings.models import Meeting, MeetingKind
from netapp.networks.models import Membership, Network, Organisation, OrganisationAdmin, Role

PASSWORD = "correct horse battery"
# scrypt at a test user's cost: every login of a test checks the password, and at the
# production cost (werkzeug's default, N=2^15) that is most of a login's time. Only these
# test users are cheap; netapp.auth.models.hash_password, and every password set through
# the app, keep the production cost (tests/auth/test_login.py proves it).
TEST_HASH_METHOD = "scrypt:256:8:1"
_seq = itertools.count(1)


@cache
def password_hash() -> str:
    """The test users' password, hashed once per run at the cheap test cost."""
    return generate_password_hash(PASSWORD, method=TEST_HASH_METHOD)


def _new_user(**kw) -> User:
    n = next(_seq)
    kw.setdefault("email", f"person{n}@example.com")
    kw.setdefault("name", f"Person {n}")
    kw.setdefault("language", "en")
    obj = User(password_hash=password_hash(), **kw)
    db.session.add(obj)
    return obj


def user(**kw) -> User:
    obj = _new_user(**kw)
    db.session.commit()
    return obj


def device_token(person: User) -> str:
    """A logged-in device of this person, as the login form makes one: its cookie's token."""
    token = person.start_device_session()
    db.session.commit()
    return token


def organisation(**kw) -> Organisation:
    kw.setdefault("name", f"Organisation {next(_seq)}")
    obj = Organisation(**kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def org_admin(org: Organisation, **kw) -> User:
    person = _new_user(**kw)
    db.session.flush()  # its id, for the admin row in the same commit
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
    person = person or _new_user(**kw)  # the account and its membership in one commit
    db.session.add(Membership(network=net, user=person, role=role))
    db.session.commit()
    return person


def meeting(net: Network, starts_at: datetime | None = None, hours: float = 3, **kw) -> Meeting:
    starts_at = starts_at or (utcnow() + timedelta(days=14)).replace(microsecond=0)
    kw.setdefault("kind", MeetingKind.FOLLOWING)
    ends_at = starts_at + timedelta(hours=hours)
    obj = Meeting(network=net, starts_at=starts_at, ends_at=ends_at, **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


# --- live ------------------------------------------------------------------------------------


def attendance(meeting: Meeting, person: User, answer: str = "yes", checked_in: bool = False):
    """A member's answer to a meeting (and whether they checked in)."""
    from netapp.meetings.models import Answer, Attendance

    obj = Attendance(meeting=meeting, user=person, answer=Answer(answer), checked_in=checked_in)
    db.session.add(obj)
    db.session.commit()
    return obj


def evaluation(meet: Meeting, closed: bool = False, **kw):
    from netapp.evaluations.models import MeetingEvaluation

    kw.setdefault("anonymous", True)
    obj = MeetingEvaluation(meeting_id=meet.id, network_id=meet.network_id,
                            closed_at=utcnow() if closed else None, **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def evaluation_answer(evaluation, person: User, **kw):
    from netapp.evaluations.models import EvaluationAnswer

    kw.setdefault("energy", 4)
    kw.setdefault("rating", 4)
    obj = EvaluationAnswer(evaluation_id=evaluation.id, user_id=person.id, **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


# --- meetings ---------------------------------------------------------------
def answer(mtg: Meeting, person: User, value: str = "yes", **kw):
    """A member's answer to a meeting."""
    from netapp.meetings.models import Answer, Attendance

    obj = Attendance(meeting_id=mtg.id, user_id=person.id, answer=Answer(value),
                     answered_at=utcnow(), **kw)
    db.session.add(obj)
    db.session.commit()
    return obj


def task(mtg: Meeting, kind: str, person: User | None = None):
    """A practical task of a meeting, optionally given to someone."""
    from netapp.meetings.models import Task, TaskKind

    obj = Task(meeting_id=mtg.id, kind=TaskKind(kind), assignee_id=person.id if person else None)
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


def live_exercise(meeting: Meeting, kind: str = "presentation", **settings):
    """An exercise for the meeting's attendees, set up as the facilitator's form would."""
    from netapp.live import exercises, phases
    from netapp.live.models import ExerciseKind

    kind = ExerciseKind(kind)
    if kind == ExerciseKind.SPARRING:
        minutes = settings.pop("round_minutes", 20)
        durations = [s.seconds for s in phases.sparring_phases(minutes)]
        settings["round_minutes"] = minutes
        settings.setdefault("rounds", 2)
    else:
        durations = [settings.pop("seconds", 120 if kind == ExerciseKind.PRESENTATION else 300)]
    obj = exercises.create(meeting, kind, durations, **settings)
    db.session.commit()
    return obj


def to(message) -> str:
    """The recipient's bare address of a parsed e-mail (its To carries the display name)."""
    return message["To"].addresses[0].addr_spec


def text_of(message) -> str:
    """The plain-text part of a parsed e-mail (the HTML part is its alternative)."""
    return message.get_body(preferencelist=("plain",)).get_content()
