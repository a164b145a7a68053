"""Demo data: invented people, practices and places (never names from the seed texts)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from netapp.auth.models import User, hash_password, utcnow
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Meeting, MeetingKind
from netapp.meetings.zones import to_local
from netapp.networks.models import (
    Membership,
    Network,
    Organisation,
    OrganisationAdmin,
    Participation,
    Role,
)

# The documented demo password (README), not a secret.
PASSWORD = "sparring-demo"  # noqa: S105  # nosec B105
ORGANISATION = "Praksisledernes Netværkssekretariat (demo)"
ZONE = ZoneInfo("Europe/Copenhagen")

# (e-mail, name, language, practice type); the first person coordinates, the second facilitates.
PEOPLE = [
    ("tovholder@example.com", "Mette Kjærgaard", "da", "fysioterapeut"),
    ("facilitator@example.com", "Jonas Brandt", "da", "psykolog"),
    ("medlem@example.com", "Sofie Lund", "da", "tandlæge"),
    ("anders@example.com", "Anders Holm", "da", "kiropraktor"),
    ("camilla@example.com", "Camilla Dahl", "da", "dyrlæge"),
    ("rasmus@example.com", "Rasmus Friis", "da", "speciallæge"),
    ("ingrid@example.com", "Ingrid Solberg", "nb", "fysioterapeut"),
    ("henrik@example.com", "Henrik Vestergaard", "da", "tandlæge"),
    ("louise@example.com", "Louise Bak", "da", "psykolog"),
    ("peter@example.com", "Peter Mølgaard", "en", "dyrlæge"),
    ("karin@example.com", "Karin Nygaard", "da", "fysioterapeut"),
    ("ole@example.com", "Ole Skov", "da", "kiropraktor"),
]
ADMIN = ("konsulent@example.com", "Birgitte Lassen", "da")
OTHER_COORDINATOR = ("nettverksleder@example.com", "Kari Haugen", "nb")
# An external coach who facilitated one past meeting of the east network ("Delegering").
GUEST = ("coach@example.com", "Lene Winther", "da")

LOGINS = [
    (ADMIN[0], "organisation admin (netværkskonsulent)"),
    (PEOPLE[0][0], "coordinator (tovholder) of Ledernetværk Østjylland"),
    (PEOPLE[1][0], "facilitator of Ledernetværk Østjylland"),
    (PEOPLE[2][0], "member of Ledernetværk Østjylland"),
    (GUEST[0], "guest facilitator of Ledernetværk Østjylland (facilitated “Delegering”)"),
    (OTHER_COORDINATOR[0], "coordinator of Klinikledere Vest (another network)"),
    ("deltager@example.com", "participant per phase of the municipal network Trivsel i "
     "ældreplejen (phases 1 and 3); tovholder@ coordinates it, medlem@ is its co-driver"),
]


def _user(email: str, name: str, language: str, password_hash: str) -> User:
    user = User(email=email, name=name, language=language, password_hash=password_hash)
    db.session.add(user)
    return user


def _local(day: datetime, at: time) -> datetime:
    """A local wall-clock time on the local date of `day` (naive UTC), as naive UTC for storage."""
    local = datetime.combine(to_local(day, ZONE).date(), at, tzinfo=ZONE)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def seed() -> bool:
    """Create the demo once; return False when it is already there."""
    exists = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == ORGANISATION))
    if exists:
        return False
    password_hash = hash_password(PASSWORD)  # once: scrypt is slow on purpose
    org = Organisation(name=ORGANISATION)
    db.session.add(org)
    admin = _user(*ADMIN, password_hash)
    people = [_user(e, n, lang, password_hash) for e, n, lang, _type in PEOPLE]
    other = _user(*OTHER_COORDINATOR, password_hash)
    guest = _user(*GUEST, password_hash)
    east = Network(
        organisation=org,
        name="Ledernetværk Østjylland",
        purpose="Sparring på hverdagens ledelse i private klinikker: personale, drift og strategi.",
    )
    west = Network(
        organisation=org,
        name="Klinikledere Vest",
        timezone="Europe/Oslo",  # led from Norway: its meetings are in Norwegian time
        purpose="Erfaringsudveksling om at drive og udvikle en klinik.",
    )
    db.session.add_all([east, west])
    db.session.flush()
    db.session.add(OrganisationAdmin(organisation_id=org.id, user_id=admin.id))
    roles = [Role.COORDINATOR, Role.FACILITATOR] + [Role.MEMBER] * (len(people) - 2)
    for person, role in zip(people, roles, strict=True):
        db.session.add(Membership(network=east, user=person, role=role))
    db.session.add(Membership(network=east, user=guest, role=Role.GUEST,
                              participation=Participation.PHASE))
    db.session.add(Membership(network=west, user=other, role=Role.COORDINATOR))
    for person in people[6:9]:
        db.session.add(Membership(network=west, user=person, role=Role.MEMBER))
    _meetings(east, people)
    db.session.flush()
    _seed_domains(DemoWorld(org=org, admin=admin, people=people, east=east, west=west, other=other,
                            guest=guest))
    return True


@dataclass
class DemoWorld:
    """What the core demo made, handed to each domain's own demo step."""

    org: Organisation
    admin: User
    people: list[User]  # people[0] coordinates east, people[1] facilitates it
    east: Network
    west: Network
    other: User  # coordinator of west
    guest: User  # guest facilitator of east, for the "Delegering" meeting only


def _seed_domains(world: DemoWorld) -> None:
    """Let each domain add its demo data (a `demo.py` with `seed(world)` in its package)."""
    from importlib import import_module, util

    from netapp import DOMAINS

    for domain in DOMAINS:
        if util.find_spec(f"netapp.{domain}.demo") is not None:
            import_module(f"netapp.{domain}.demo").seed(world)
            db.session.flush()


def possessive(name: str) -> str:
    """The Danish and Norwegian genitive: "Mettes", but "Anders'" after an s, x or z."""
    return f"{name}'" if name[-1:].lower() in "sxz" else f"{name}s"


def _meetings(network: Network, people: list[User]) -> None:
    """Three past meetings with falling attendance, and one coming up in two weeks."""
    today = utcnow()
    plan = [
        (-120, MeetingKind.FIRST, "Opstart"),
        (-60, MeetingKind.FOLLOWING, "Delegering"),
        (-10, MeetingKind.FOLLOWING, "Feedback og udvikling af medarbejdere"),
        (14, MeetingKind.FOLLOWING, "Konflikter og lederens rolle"),
    ]
    for number, (days, kind, topic) in enumerate(plan):
        day = today + timedelta(days=days)
        meeting = Meeting(
            network=network,
            kind=kind,
            topic=topic,
            host=people[number % len(people)],
            starts_at=_local(day, time(13, 0)),
            ends_at=_local(day, time(16, 30)),
            venue=f"{possessive(people[number].name.split()[0])} klinik, mødelokalet",
        )
        db.session.add(meeting)
        if days > 0:
            continue
        for index, person in enumerate(people):
            afbud = index >= len(people) - number * 2  # more cancellations each time
            db.session.add(
                Attendance(
                    meeting=meeting,
                    user=person,
                    answer=Answer.NO if afbud else Answer.YES,
                    reason="Travlt i klinikken" if afbud else "",
                    answered_at=day - timedelta(days=7),
                    checked_in=not afbud,
                )
            )
