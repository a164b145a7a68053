"""Reads and writes of networks and their members; services flush, the view commits."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings.models import Meeting
from netapp.networks import choices, coordinators
from netapp.networks.composition import Person
from netapp.networks.contract import contract_accepted, contract_of, create_contract, update_texts
from netapp.networks.models import (
    CoordinatorHow,
    Membership,
    Network,
    Organisation,
    OrganisationAdmin,
    Participation,
    Phase,
    PhaseParticipant,
    Role,
)
from netapp.networks.profiles import Profile
from netapp.once import insert_once


def organisations_for_new_network(user_id: int) -> list[Organisation]:
    """Organisations the user administers or coordinates a network in."""
    coordinates = (
        sa.select(Network.organisation_id)
        .join(Membership)
        .where(Membership.user_id == user_id, Membership.role == Role.COORDINATOR)
    )
    administers = sa.select(OrganisationAdmin.organisation_id).where(
        OrganisationAdmin.user_id == user_id
    )
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(sa.or_(Organisation.id.in_(coordinates), Organisation.id.in_(administers)))
            .order_by(Organisation.name)
        )
    )


def create_network(
    organisation_id: int, name: str, purpose: str = "", coordinator: User | None = None
) -> Network:
    """A new network with its contract; the coordinator (if known) joins in that role."""
    network = Network(organisation_id=organisation_id, name=name.strip(), purpose=purpose.strip())
    db.session.add(network)
    db.session.flush()
    if coordinator is not None:
        membership = Membership(network=network, user=coordinator)
        db.session.add(membership)
        coordinators.set_role(membership, Role.COORDINATOR, Participation.CORE,
                              CoordinatorHow.CREATED, coordinator)
    create_contract(network)
    db.session.flush()
    return network


def save_setup(network: Network, answers: dict) -> None:
    """Store one step's answers; the contract's texts follow them.

    The contract's difference text is the answer to "What difference should the network
    make?" for as long as nobody has written another one there (it is empty or still the
    earlier answer); the same for how often. Before anyone accepted the contract's current
    version, following the set-up does not make a new version: nobody is asked again.
    """
    before = (network.difference, _frequency_text(network), network.purpose)
    for key, value in answers.items():
        setattr(network, key, value)
    contract = contract_of(network.id)
    if contract is None:
        db.session.flush()
        return
    difference = (network.difference if contract.difference in ("", before[0], before[2])
                  and network.difference else contract.difference)
    frequency = (_frequency_text(network) if contract.frequency in ("", before[1])
                 else contract.frequency)
    if contract_accepted(contract):
        update_texts(contract, difference, frequency, contract.knowledge)
    else:
        contract.difference, contract.frequency = difference.strip(), frequency.strip()
    db.session.flush()


def _frequency_text(network: Network) -> str:
    return str(choices.FREQUENCY[network.frequency_months]) if network.frequency_months else ""


def member_count(network_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(Membership.network_id == network_id)
    )


def participation_counts(network_id: int) -> dict[str, int]:
    """How many core participants (coordinators and core members) and per phase."""
    rows = db.session.execute(
        sa.select(Membership.participation, sa.func.count(Membership.id))
        .where(Membership.network_id == network_id,
               Membership.role.in_((Role.COORDINATOR, Role.MEMBER)))
        .group_by(Membership.participation)).all()
    found = {p.value: n for p, n in rows}
    return {"core": found.get("core", 0), "phase": found.get("phase", 0)}


def membership_in(network: Network, membership_id: int) -> Membership:
    """A membership of this network only, else None (another network's id finds nothing)."""
    return db.session.scalar(
        sa.select(Membership)
        .where(Membership.id == membership_id, Membership.network_id == network.id)
        .options(so.joinedload(Membership.user))
    )


def position_of(membership: Membership) -> str:
    """The coordinator's one choice that stands for role and participation."""
    if membership.role == Role.MEMBER:
        return "core" if membership.participation == Participation.CORE else "phase"
    return membership.role.value


def _coordinator_count(network_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.network_id == network_id, Membership.role == Role.COORDINATOR
        )
    )


def is_last_coordinator(membership: Membership) -> bool:
    return membership.is_coordinator and _coordinator_count(membership.network_id) <= 1


def set_position(membership: Membership, position: str, by: User | None,
                 how: CoordinatorHow = CoordinatorHow.ROLE) -> bool:
    """Change role and participation; False if the network would be left without a coordinator."""
    role, participation, _label = choices.POSITIONS[position]
    if role != Role.COORDINATOR and is_last_coordinator(membership):
        return False
    coordinators.set_role(membership, role, participation, how, by)
    return True


def remove(membership: Membership, by: User | None) -> bool:
    """Take a member out (or let them leave); never the last coordinator."""
    if is_last_coordinator(membership):
        return False
    how = CoordinatorHow.LEFT if by is not None and by.id == membership.user_id \
        else CoordinatorHow.REMOVED
    coordinators.leaving(membership, how, by)
    db.session.execute(sa.delete(PhaseParticipant).where(  # their phases go with them
        PhaseParticipant.user_id == membership.user_id,
        PhaseParticipant.phase_id.in_(
            sa.select(Phase.id).where(Phase.network_id == membership.network_id))))
    db.session.delete(membership)
    db.session.flush()
    return True


def hand_on(current: Membership, successor: Membership, by: User) -> None:
    """Rotation: the successor becomes coordinator, the current one a core member."""
    coordinators.set_role(successor, Role.COORDINATOR, Participation.CORE,
                          CoordinatorHow.HAND_ON, by)
    coordinators.set_role(current, Role.MEMBER, Participation.CORE, CoordinatorHow.HAND_ON, by)


def appoint(network: Network, user: User, by: User) -> Membership:
    """Make the user a coordinator of the network, joining them if needed."""
    key = {"network_id": network.id, "user_id": user.id}
    insert_once(Membership, key, list(key))
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.network_id == network.id, Membership.user_id == user.id
        )
    )
    if membership is None:
        membership = Membership(network=network, user=user)
        db.session.add(membership)
    coordinators.set_role(membership, Role.COORDINATOR, Participation.CORE,
                          CoordinatorHow.APPOINTED, by)
    return membership


def directory(network_id: int) -> list[tuple[Membership, Profile | None]]:
    """Members with their profiles, coordinators first, in one query."""
    order = sa.case(
        (Membership.role == Role.COORDINATOR, 0), (Membership.role == Role.FACILITATOR, 1),
        (Membership.role == Role.GUEST, 2), else_=3
    )
    rows = db.session.execute(
        sa.select(Membership, Profile)
        .join(Membership.user)
        .outerjoin(Profile, Profile.user_id == Membership.user_id)
        .where(Membership.network_id == network_id)
        .options(so.contains_eager(Membership.user))
        .order_by(order, User.name)
    )
    return [(m, p) for m, p in rows]


def composition_people(network_id: int) -> list[Person]:
    """The participants (not the facilitators, the network's or guests) as composition sees
    them; gender and age band only of those who consented."""
    rows = db.session.execute(
        sa.select(Membership.participation, Profile)
        .select_from(Membership)
        .outerjoin(Profile, Profile.user_id == Membership.user_id)
        .where(Membership.network_id == network_id,
               Membership.role.in_((Role.COORDINATOR, Role.MEMBER)))
    )
    people = []
    for participation, profile in rows:
        if profile is None:
            people.append(Person(core=participation == Participation.CORE))
            continue
        stated = {"professional": profile.competence_professional,
                  "personal": profile.competence_personal,
                  "methodical": profile.competence_methodical}
        consented = profile.has_consent
        people.append(Person(
            practice_type=profile.practice_type.name if profile.practice_type else None,
            years_as_leader=profile.years_as_leader,
            practice_size=profile.practice_size.name if profile.practice_size else None,
            region=profile.region.name if profile.region else None,
            core=participation == Participation.CORE,
            competences=frozenset(k for k, v in stated.items() if v.strip()),
            gender=profile.gender.name if consented and profile.gender else None,
            age_band=profile.age_band.name if consented and profile.age_band else None,
        ))
    return people


def organisation_overview(organisation_id: int) -> list[dict]:
    """Each network's figures (never content), in four queries whatever the number."""
    networks = list(
        db.session.scalars(
            sa.select(Network)
            .where(Network.organisation_id == organisation_id)
            .order_by(Network.name)
        )
    )
    ids = [n.id for n in networks]
    counts = dict(
        db.session.execute(
            sa.select(Membership.network_id, sa.func.count(Membership.id))
            .where(Membership.network_id.in_(ids))
            .group_by(Membership.network_id)
        ).all()
    )
    coordinators: dict[int, list[str]] = {}
    for network_id, name in db.session.execute(
        sa.select(Membership.network_id, User.name)
        .join(Membership.user)
        .where(Membership.network_id.in_(ids), Membership.role == Role.COORDINATOR)
        .order_by(User.name)
    ):
        coordinators.setdefault(network_id, []).append(name)
    now = utcnow()
    meetings = {
        row.network_id: (row.held or 0, row.planned or 0)
        for row in db.session.execute(
            sa.select(
                Meeting.network_id,
                sa.func.sum(sa.case((Meeting.starts_at < now, 1), else_=0)).label("held"),
                sa.func.sum(sa.case((Meeting.starts_at >= now, 1), else_=0)).label("planned"),
            )
            .where(Meeting.network_id.in_(ids))
            .group_by(Meeting.network_id)
        )
    }
    return [
        {
            "network": n,
            "members": counts.get(n.id, 0),
            "coordinators": coordinators.get(n.id, []),
            "held": meetings.get(n.id, (0, 0))[0],
            "planned": meetings.get(n.id, (0, 0))[1],
        }
        for n in networks
    ]


def organisation_of_admin(organisation_id: int, user_id: int) -> Organisation | None:
    """The organisation, if this user administers it."""
    return db.session.scalar(
        sa.select(Organisation)
        .join(OrganisationAdmin, OrganisationAdmin.organisation_id == Organisation.id)
        .where(Organisation.id == organisation_id, OrganisationAdmin.user_id == user_id)
    )


def org_network(organisation: Organisation, network_id: int) -> Network | None:
    """A network of this organisation only."""
    return db.session.scalar(
        sa.select(Network).where(
            Network.id == network_id, Network.organisation_id == organisation.id
        )
    )
