"""Demo data of the networks domain: profiles, the east network's set-up and contract,
and one invitation still waiting for an answer. Invented people and places only."""

import secrets
from datetime import timedelta

from netapp.auth.models import utcnow
from netapp.demo import PEOPLE
from netapp.extensions import db
from netapp.networks import demo_phases
from netapp.networks.contract import ContractAcceptance, create_contract
from netapp.networks.invitations import hash_token
from netapp.networks.models import (
    Form,
    Invitation,
    Length,
    Payer,
    Place,
    Professions,
    Scope,
    Size,
    TimeOfDay,
)
from netapp.networks.profiles import PracticeSize, PracticeType, Profile, Region

SIZES = [
    PracticeSize.TWO_TO_FIVE,
    PracticeSize.ONE,
    PracticeSize.SIX_TO_FIFTEEN,
    PracticeSize.TWO_TO_FIVE,
    PracticeSize.SIXTEEN_PLUS,
]
REGIONS = [Region.MIDTJYLLAND, Region.MIDTJYLLAND, Region.NORDJYLLAND, Region.SYDDANMARK]


def seed(world) -> None:
    """Profiles for everyone, the east network's profile and contract, one open invitation."""
    for index, (person, row) in enumerate(zip(world.people, PEOPLE, strict=True)):
        db.session.add(
            Profile(
                user_id=person.id,
                practice_type=PracticeType(row[3]),
                years_in_profession=6 + (index * 7) % 25,
                years_as_leader=1 + (index * 5) % 22,
                practice_size=SIZES[index % len(SIZES)],
                region=Region.OSTLANDET if row[2] == "nb" else REGIONS[index % len(REGIONS)],
                share_email=index % 3 != 2,
                share_phone=index % 2 == 0,
                phone=f"+45 20 00 {index:02d} {index * 3:02d}",
            )
        )
    east = world.east
    east.difference = "At vi går fra møderne med energi og én konkret ting at prøve i klinikken."
    east.focus = "sparring,talks"
    east.target_group = "Ledere og ejere af private klinikker med ansatte."
    east.geography = "Østjylland, højst en times kørsel"
    east.scope, east.professions, east.size = Scope.ONE_SECTOR, Professions.SEVERAL, Size.SMALL
    east.meeting_form, east.frequency_months = Form.PHYSICAL, 2
    east.meeting_length, east.time_of_day = Length.HALF_DAY, TimeOfDay.AFTER_CLOSING
    east.place, east.place_note, east.payer = (
        Place.MEMBER_PRACTICE,
        "Vi skiftes til at være vært",
        Payer.SHARED,
    )
    east.setup_done = True
    contract = create_contract(east, language="da")
    contract.frequency = "Hver anden måned, 13-16.30"
    contract.knowledge = "Personaleledelse, delegering, feedback og klinikkens drift."
    for person in world.people[:-3]:  # most have accepted; the last three have not yet
        db.session.add(
            ContractAcceptance(network_id=east.id, user_id=person.id, version=contract.version)
        )
    db.session.add(
        Invitation(
            network=east,
            email="ny.kollega@example.com",
            open_email="ny.kollega@example.com",
            token_hash=hash_token(secrets.token_urlsafe(32)),
            inviter_id=world.people[0].id,
            expires_at=utcnow() + timedelta(days=12),
            sent_at=utcnow() - timedelta(days=2),
        )
    )
    create_contract(world.west, language="nb")
    db.session.flush()
    demo_phases.seed(world)  # the municipal network with its phase plan
