"""Demo data of a municipal-style network (seeds 001 and 002): core participants, participants
brought in per phase, a phase plan of three phases and a planning year with a topic on each
coming date. Invented people and places only."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings.models import Answer, Attendance, Meeting, MeetingKind
from netapp.meetings.zones import to_local
from netapp.networks import phases
from netapp.networks.contract import create_contract
from netapp.networks.models import (
    Form,
    Length,
    Membership,
    Network,
    Participation,
    Phase,
    PhaseParticipant,
    Professions,
    Role,
    Scope,
    Size,
)
from netapp.networks.profiles import Profile

NAME = "Tværfagligt netværk: Trivsel i ældreplejen (Egeby Kommune)"
ZONE = ZoneInfo("Europe/Copenhagen")
# Brought in per phase: (e-mail, name, language, competence described, phases by index).
PER_PHASE = [
    ("deltager@example.com", "Yasmin Karimi", "da", "Pårørende til en beboer i plejebolig",
     (0, 2)),
    ("forsker@example.com", "Torben Riis", "en", "Forsker i velfærdsteknologi", (1,)),
    ("leder@example.com", "Grethe Munk", "nb", "Ældrechef: råder over budget og personale",
     (2,)),
]
# The three phases: (name, purpose, first day and last day relative to today).
PLAN = [
    ("Forstå udfordringen", "Vi undersøger, hvad der gør hverdagen svær for beboere og "
     "personale, og taler med borgere og pårørende.", -45, 12),
    ("Udvikl idéer", "Vi udvikler idéer sammen med forskere og afprøver dem i det små.", 13, 75),
    ("Afprøv og forankr", "Vi afprøver de bedste idéer i to plejecentre og skaber opbakning "
     "hos ledelsen.", 76, 160),
]
# Meetings: (days from today, kind, topic) — the first is the start-up meeting.
MEETINGS = [
    (-35, MeetingKind.FIRST, "Opstart: hvorfor er vi her?"),
    (6, MeetingKind.FOLLOWING, "Borgernes og de pårørendes perspektiv"),
    (34, MeetingKind.FOLLOWING, "Idéværksted med forskerne"),
    (62, MeetingKind.FOLLOWING, "Små forsøg: hvad lærte vi?"),
    (97, MeetingKind.FOLLOWING, "Afprøvning på to plejecentre"),
    (139, MeetingKind.FOLLOWING, "Forankring og opbakning fra ledelsen"),
]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZONE).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def seed(world) -> Network:
    """The municipal network: the demo coordinator coordinates it too, the demo member is its
    co-driver; three core members more, three participants per phase, three phases."""
    coordinator, co_driver = world.people[0], world.people[2]
    core = [coordinator, co_driver, world.people[3], world.people[4], world.people[8]]
    network = Network(
        organisation=world.org, name=NAME, timezone="Europe/Copenhagen",
        purpose="Nye veje til trivsel for beboere og personale i kommunens plejecentre.",
        difference="At beboerne oplever flere gode dage, og at personalet får tid til dem.",
        target_group="Medarbejdere og ledere i ældreplejen, borgere, pårørende og forskere.",
        geography="Egeby Kommune", scope=Scope.CROSS_SECTOR, professions=Professions.SEVERAL,
        size=Size.SMALL, meeting_form=Form.PHYSICAL, frequency_months=1,
        meeting_length=Length.HALF_DAY, setup_done=True, co_driver_id=co_driver.id,
    )
    db.session.add(network)
    db.session.flush()
    for person in core:
        role = Role.COORDINATOR if person is coordinator else Role.MEMBER
        db.session.add(Membership(network=network, user=person, role=role))
    brought_in = []
    for email, name, language, competence, _phases in PER_PHASE:
        person = User(email=email, name=name, language=language,
                      password_hash=coordinator.password_hash)
        db.session.add(person)
        db.session.flush()
        db.session.add(Membership(network=network, user=person, role=Role.MEMBER,
                                  participation=Participation.PHASE))
        db.session.add(Profile(user_id=person.id, competence_professional=competence))
        brought_in.append(person)
    competences = ["Sygeplejerske med ledelseserfaring", "Ergoterapeut",
                   "Procesfacilitering", "Pædagog", "Dialog med borgere"]
    for person, text in zip(core, competences, strict=True):
        profile = db.session.get(Profile, person.id)
        if profile is not None:
            profile.competence_methodical = text if "facilit" in text.lower() else ""
            profile.competence_professional = profile.competence_professional or text
    today = to_local(utcnow(), ZONE).date()  # the network's today, as its pages count days
    made = []
    for name, purpose, first, last in PLAN:
        phase = Phase(network_id=network.id, name=name, purpose=purpose,
                      starts_on=today + timedelta(days=first),
                      ends_on=today + timedelta(days=last))
        db.session.add(phase)
        made.append(phase)
    db.session.flush()
    for person, (*_rest, indexes) in zip(brought_in, PER_PHASE, strict=True):
        for index in indexes:
            made[index].participants.append(PhaseParticipant(user_id=person.id))
    for days, kind, topic in MEETINGS:
        day = today + timedelta(days=days)
        meeting = Meeting(network=network, kind=kind, topic=topic,
                          starts_at=_local(day, time(9, 0)), ends_at=_local(day, time(12, 30)),
                          venue="Egeby Rådhus, mødelokale 2", host=coordinator)
        db.session.add(meeting)
        if days < 0:
            for person in core:
                db.session.add(Attendance(meeting=meeting, user=person, answer=Answer.YES,
                                          checked_in=True, answered_at=utcnow()))
    db.session.flush()
    phases.assign_meetings(network)
    create_contract(network, language="da")
    return network
