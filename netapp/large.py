"""`flask seed-large`: a data set the size of a big organisation, for benchmarks.

About 200 networks, 4,000 members, 2,000 meetings and their answers, inserted in bulk.
Each domain may add its share through `seed_large(ctx)` in `netapp/<domain>/large.py`.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from netapp.auth.models import User, hash_password, new_token, utcnow
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Meeting, MeetingKind
from netapp.networks.models import Membership, Network, Organisation, OrganisationAdmin, Role

# A throwaway benchmark data set's password, not a secret.
PASSWORD = "bench-password"  # noqa: S105  # nosec B105


@dataclass
class LargeWorld:
    """Ids of what the core made, for each domain's share."""

    rng: random.Random
    network_ids: list[int] = field(default_factory=list)
    members: dict[int, list[int]] = field(default_factory=dict)  # network id → user ids
    meetings: dict[int, list[int]] = field(default_factory=dict)  # network id → meeting ids
    room_meeting: int = 0  # network 1's meeting that is happening now (the room scenario)
    ids: dict[str, str] = field(default_factory=dict)  # printed for bench/run.py


def seed(networks: int = 200, per_network: int = 20, meetings_per_network: int = 10) -> LargeWorld:
    """Insert the data set in bulk (only into an empty database)."""
    # Repeatable data, not security.
    rng = random.Random(2026)  # noqa: S311  # nosec B311
    password_hash = hash_password(PASSWORD)
    world = LargeWorld(rng=rng)
    org = Organisation(name="Large organisation")
    db.session.add(org)
    db.session.flush()
    users = [
        {"email": f"user{i}@large.example.com", "name": f"Person {i}", "language": "da",
         "password_hash": password_hash, "session_token": new_token(), "active": True,
         "is_site_admin": False, "created_at": utcnow()}
        for i in range(networks * per_network + 1)
    ]
    db.session.execute(sa.insert(User), users)
    user_ids = list(db.session.scalars(sa.select(User.id).order_by(User.id)))
    admin_id = user_ids.pop()
    db.session.add(OrganisationAdmin(organisation_id=org.id, user_id=admin_id))
    db.session.execute(sa.insert(Network), [
        {"organisation_id": org.id, "name": f"Netværk {n}", "purpose": "Sparring",
         "timezone": "Europe/Copenhagen", "is_open": False, "created_at": utcnow()}
        for n in range(networks)
    ])
    world.network_ids = list(db.session.scalars(sa.select(Network.id).order_by(Network.id)))
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    memberships, meetings = [], []
    for n, network_id in enumerate(world.network_ids):
        people = user_ids[n * per_network:(n + 1) * per_network]
        world.members[network_id] = people
        for i, user_id in enumerate(people):
            role = Role.COORDINATOR if i == 0 else Role.FACILITATOR if i == 1 else Role.MEMBER
            memberships.append({"network_id": network_id, "user_id": user_id, "role": role,
                                "participation": "core", "joined_at": now})
        for m in range(meetings_per_network):
            start = now + timedelta(days=60 * (m - meetings_per_network + 2))
            meetings.append({"network_id": network_id, "kind": MeetingKind.FOLLOWING,
                             "starts_at": start, "ends_at": start + timedelta(hours=3),
                             "venue": "Mødelokalet", "video_link": "", "topic": f"Emne {m}",
                             "description": "", "created_at": now})
    db.session.execute(sa.insert(Membership), memberships)
    db.session.execute(sa.insert(Meeting), meetings)
    rows = db.session.execute(sa.select(Meeting.id, Meeting.network_id, Meeting.starts_at))
    answers = []
    for meeting_id, network_id, starts_at in rows:
        world.meetings.setdefault(network_id, []).append(meeting_id)
        if starts_at > now:
            continue
        for user_id in world.members[network_id]:
            answer = Answer.NO if rng.random() < 0.2 else Answer.YES
            answers.append({"meeting_id": meeting_id, "user_id": user_id, "answer": answer,
                            "reason": "", "answered_at": starts_at - timedelta(days=5),
                            "checked_in": answer == Answer.YES})
    db.session.execute(sa.insert(Attendance), answers)
    first = world.network_ids[0]
    by_id = dict(db.session.execute(sa.select(User.id, User.email)).all())
    world.room_meeting = world.meetings[first][meetings_per_network - 2]  # starts now
    yes = db.session.scalars(sa.select(Attendance.user_id).where(
        Attendance.meeting_id == world.room_meeting, Attendance.answer == Answer.YES))
    world.ids.update(
        coordinator=by_id[world.members[first][0]], facilitator=by_id[world.members[first][1]],
        member=by_id[world.members[first][2]], admin=by_id[admin_id], password=PASSWORD,
        network=str(first), meeting=str(world.room_meeting),
        members_emails=",".join(by_id[u] for u in list(yes)[:20]),
    )
    _seed_domains(world)
    return world


def _seed_domains(world: LargeWorld) -> None:
    from importlib import import_module, util

    from netapp import DOMAINS

    for domain in DOMAINS:
        if util.find_spec(f"netapp.{domain}.large") is not None:
            import_module(f"netapp.{domain}.large").seed_large(world)
