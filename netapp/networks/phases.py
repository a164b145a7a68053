"""The phase plan of a network (seed 001's Planlægnings- og designredskab): reads and writes.

Rules the plan keeps:
- a phase ends on or after the day it starts, and no two phases of a network overlap;
- a meeting belongs to the phase whose period holds its local day (Meeting.phase_id is kept
  in step here whenever phases or meetings change); once a network has phases, a new or
  moved meeting must fall in one of them (meetings.planning asks `phase_for_day`);
- core participants, coordinators and facilitators take part in every phase; participants
  per phase take part in the phases they are brought into, and one may not be taken out of
  the only phase they are in (make them core, or bring them into another phase first).
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import format_date
from flask_babel import lazy_gettext as _

from netapp.auth.models import User
from netapp.database import lock_for_write
from netapp.extensions import db
from netapp.networks.models import Membership, Network, Participation, Phase, PhaseParticipant, Role
from netapp.refusals import InvalidInput


class PhaseError(InvalidInput):
    """Bad input for a phase."""


@dataclass
class PhaseInput:
    """What the phase form gives."""

    name: str
    purpose: str
    starts_on: date
    ends_on: date
    participant_ids: set[int]


def phases_of(network_id: int) -> list[Phase]:
    """The network's phases in time order, with their participants (two queries)."""
    return list(db.session.scalars(
        sa.select(Phase).where(Phase.network_id == network_id)
        .order_by(Phase.starts_on, Phase.id)
        .options(so.selectinload(Phase.participants).joinedload(PhaseParticipant.user))))


def phase_in(network: Network, phase_id: int) -> Phase | None:
    """A phase of this network only: another network's id finds nothing."""
    return db.session.scalar(
        sa.select(Phase).where(Phase.id == phase_id, Phase.network_id == network.id))


def per_phase_people(network_id: int) -> list[User]:
    """The network's participants per phase, by name: those a phase can bring in."""
    return list(db.session.scalars(
        Membership.people(network_id, (Role.MEMBER,))
        .where(Membership.participation == Participation.PHASE)))


def core_people(network_id: int) -> list[User]:
    """Coordinators and core members: those in every phase."""
    return list(db.session.scalars(
        Membership.people(network_id, (Role.COORDINATOR, Role.MEMBER))
        .where(Membership.participation == Participation.CORE)))


def phase_for_day(phases: list[Phase], day: date) -> Phase | None:
    """The phase whose period holds the day, if any (phases never overlap)."""
    return next((p for p in phases if p.starts_on <= day <= p.ends_on), None)


def current_phase(phases: list[Phase], today: date) -> Phase | None:
    """Where the network is now: the phase holding today."""
    return phase_for_day(phases, today)


def _check(network: Network, phase: Phase | None, data: PhaseInput) -> None:
    if not data.name.strip():
        raise PhaseError({"name": _("Give the phase a name.")})
    if data.ends_on < data.starts_on:
        raise PhaseError({"ends_on": _("The phase must end on or after the day it starts.")})
    for other in phases_of(network.id):
        if phase is not None and other.id == phase.id:
            continue
        if other.starts_on <= data.ends_on and data.starts_on <= other.ends_on:
            raise PhaseError({"starts_on": _(
                "The period overlaps the phase “%(name)s” (%(start)s–%(end)s). Phases follow "
                "one another.", name=other.name, start=format_date(other.starts_on, "medium"),
                end=format_date(other.ends_on, "medium"))})
    allowed = {u.id for u in per_phase_people(network.id)}
    if not data.participant_ids <= allowed:
        raise PhaseError({"participants": _("Choose among the participants per phase.")})
    if phase is not None:
        _check_nobody_left_out(network, phase, phase.participant_ids - data.participant_ids)


def _check_nobody_left_out(network: Network, phase: Phase, removed: set[int]) -> None:
    """Refuse to take a participant per phase out of the only phase they are in."""
    if not removed:
        return
    elsewhere = set(db.session.scalars(
        sa.select(PhaseParticipant.user_id).join(Phase)
        .where(Phase.network_id == network.id, Phase.id != phase.id,
               PhaseParticipant.user_id.in_(removed))))
    still_per_phase = {u.id: u for u in per_phase_people(network.id)}
    alone = [still_per_phase[i].name for i in sorted(removed - elsewhere) if i in still_per_phase]
    if alone:
        raise PhaseError({"participants": _(
            "%(names)s would be left without a phase: this is the only phase they are in. "
            "Bring them into another phase first, or make them core participants.",
            names=", ".join(alone))})


def save_phase(network: Network, phase: Phase | None, data: PhaseInput) -> Phase:
    """Create (phase None) or change a phase; nothing is saved when the input is wrong.
    Planners saving at the same instant take turns: the overlap check sees the other's phase."""
    lock_for_write(Network, network.id)
    _check(network, phase, data)
    if phase is None:
        phase = Phase(network_id=network.id)
        db.session.add(phase)
    phase.name, phase.purpose = data.name.strip(), data.purpose.strip()
    phase.starts_on, phase.ends_on = data.starts_on, data.ends_on
    keep = [p for p in phase.participants if p.user_id in data.participant_ids]
    have = {p.user_id for p in keep}
    phase.participants = keep + [PhaseParticipant(user_id=i)
                                 for i in sorted(data.participant_ids - have)]
    db.session.flush()
    assign_meetings(network)
    return phase


def delete_phase(network: Network, phase: Phase) -> None:
    """Remove a phase; never one that is the only phase of a participant per phase."""
    lock_for_write(Network, network.id)
    _check_nobody_left_out(network, phase, phase.participant_ids)
    db.session.delete(phase)
    db.session.flush()
    assign_meetings(network)


def assign_meetings(network: Network) -> None:
    """Put each of the network's meetings in the phase that holds its local day."""
    from netapp.meetings.models import Meeting
    from netapp.meetings.zones import to_local, zone_of

    phases, zone = phases_of(network.id), zone_of(network)
    for meeting in db.session.scalars(sa.select(Meeting).where(Meeting.network_id == network.id)):
        found = phase_for_day(phases, to_local(meeting.starts_at, zone).date())
        meeting.phase_id = found.id if found else None
    db.session.flush()


def set_co_driver(network: Network, user_id: int | None) -> None:
    """Name the member who plans the phases with the coordinators (None: nobody)."""
    if user_id is not None and user_id not in {u.id for u in core_people(network.id)}:
        raise PhaseError({"co_driver": _("Choose one of the network's core participants.")})
    network.co_driver_id = user_id
    db.session.flush()


def timeline(network: Network, phases: list[Phase], meetings: list, today: date) -> dict:
    """The plan as a timeline: each phase with its meetings, and which phase is now."""
    from netapp.meetings.zones import to_local, zone_of

    zone = zone_of(network)
    by_phase: dict[int | None, list] = {}
    for meeting in meetings:
        by_phase.setdefault(meeting.phase_id, []).append(meeting)
    now = current_phase(phases, today)
    rows = []
    for phase in phases:
        state = ("now" if now is not None and phase.id == now.id
                 else "done" if phase.ends_on < today else "coming")
        rows.append({"phase": phase, "state": state, "meetings": by_phase.get(phase.id, [])})
    outside = [m for m in by_phase.get(None, [])]
    return {"rows": rows, "now": now, "outside": outside, "zone": zone,
            "local": lambda m: to_local(m.starts_at, zone),
            "next": next((p for p in phases if p.starts_on > today), None)}
