"""Organisations, their networks, and who belongs to which network in what role."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db


class Role(enum.StrEnum):
    """A member's role in one network (tovholder, facilitator, member, guest facilitator).

    The network's facilitator runs every meeting of the network; a guest facilitator (an
    external coach) only the meetings whose facilitation task they hold (netapp.access).
    """

    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    MEMBER = "member"
    GUEST = "guest"


class Participation(enum.StrEnum):
    """Kernedeltager, or a participant brought in for the phases that need them."""

    CORE = "core"
    PHASE = "phase"


class Size(enum.StrEnum):
    """Small (8-20, a confidential room) or large (20+, many new relations)."""

    SMALL = "small"
    LARGE = "large"


class Scope(enum.StrEnum):
    """One sector or across sectors (tværsektorielt)."""

    ONE_SECTOR = "one_sector"
    CROSS_SECTOR = "cross_sector"


class Professions(enum.StrEnum):
    """Monofagligt or tværfagligt."""

    ONE = "one"
    SEVERAL = "several"


class Form(enum.StrEnum):
    """Physical meetings, virtual, or both."""

    PHYSICAL = "physical"
    VIRTUAL = "virtual"
    BOTH = "both"


class Length(enum.StrEnum):
    """How long a meeting lasts (the lengths the start-up guides name, docs/sources.md)."""

    COUPLE_OF_HOURS = "couple_of_hours"
    HALF_DAY = "half_day"
    THREE_TO_FIVE_HOURS = "three_to_five_hours"  # no longer offered: it overlapped HALF_DAY
    WHOLE_DAY = "whole_day"


class TimeOfDay(enum.StrEnum):
    """In the daytime, after closing time or at weekends."""

    DAYTIME = "daytime"
    AFTER_CLOSING = "after_closing"
    WEEKEND = "weekend"


class Place(enum.StrEnum):
    """Where the network meets."""

    MEMBER_PRACTICE = "member_practice"
    BORROWED_ROOM = "borrowed_room"
    ONLINE = "online"


class Payer(enum.StrEnum):
    """Whether the host pays or the members share the costs."""

    HOST = "host"
    SHARED = "shared"


class Focus(enum.StrEnum):
    """What the meetings give their time to."""

    COMPETENCE = "competence"
    TALKS = "talks"
    SPARRING = "sparring"


def _choice(enum_type):
    return sa.Enum(enum_type, native_enum=False, length=24)


class Organisation(db.Model):
    """A professional association or a municipality's network secretariat."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    # How long sparring notes are kept before `flask purge-expired` deletes them.
    note_retention_days: so.Mapped[int] = so.mapped_column(default=180)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    networks: so.WriteOnlyMapped["Network"] = so.relationship(back_populates="organisation")


class OrganisationAdmin(db.Model):
    """A netværkskonsulent: sees every network's figures, never their content."""

    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Organisation.id, ondelete="CASCADE"), primary_key=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), primary_key=True
    )


class Network(db.Model):
    """A peer network: 8-20 people who meet 4-6 times a year in a confidential room."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Organisation.id, ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    purpose: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64), default="Europe/Copenhagen")
    is_open: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # The guided set-up (Danske Fysioterapeuter's questions, docs/sources.md); every answer
    # may stay empty and be changed later.
    difference: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    focus: so.Mapped[str] = so.mapped_column(
        sa.String(100), default=""
    )  # Focus values, comma-separated
    target_group: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    geography: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    scope: so.Mapped[Scope | None] = so.mapped_column(_choice(Scope))
    professions: so.Mapped[Professions | None] = so.mapped_column(_choice(Professions))
    size: so.Mapped[Size | None] = so.mapped_column(_choice(Size))
    meeting_form: so.Mapped[Form | None] = so.mapped_column(_choice(Form))
    frequency_months: so.Mapped[int | None] = so.mapped_column(
        sa.CheckConstraint("frequency_months BETWEEN 1 AND 3", name="frequency_months_range")
    )
    meeting_length: so.Mapped[Length | None] = so.mapped_column(_choice(Length))
    time_of_day: so.Mapped[TimeOfDay | None] = so.mapped_column(_choice(TimeOfDay))
    place: so.Mapped[Place | None] = so.mapped_column(_choice(Place))
    place_note: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    payer: so.Mapped[Payer | None] = so.mapped_column(_choice(Payer))
    setup_done: so.Mapped[bool] = so.mapped_column(default=False)
    # The size step's "not decided yet": an answer, unlike a size left empty.
    size_undecided: so.Mapped[bool] = so.mapped_column(default=False)
    # The co-driver plans the phases with the coordinators: a named member, or
    # None when a second coordinator is the co-driver.
    co_driver_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    # For open networks: whoever has this link may ask to join; a coordinator approves.
    join_token: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)

    organisation: so.Mapped[Organisation] = so.relationship(back_populates="networks")
    memberships: so.WriteOnlyMapped["Membership"] = so.relationship(
        back_populates="network", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Network {self.id}>"

    @property
    def focus_list(self) -> list[Focus]:
        return [Focus(v) for v in self.focus.split(",") if v in Focus._value2member_map_]


class Membership(db.Model):
    """One person's place in one network; a person may hold several in different roles."""

    __table_args__ = (sa.UniqueConstraint("network_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    role: so.Mapped[Role] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=20), default=Role.MEMBER
    )
    participation: so.Mapped[Participation] = so.mapped_column(
        sa.Enum(Participation, native_enum=False, length=20), default=Participation.CORE
    )
    joined_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    network: so.Mapped[Network] = so.relationship(back_populates="memberships")
    user: so.Mapped[User] = so.relationship()

    @staticmethod
    def people(network_id: int, roles) -> sa.Select:
        """Active users of the network in the given roles, by name."""
        return (
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.network_id == network_id,
                Membership.role.in_(roles),
                User.active.is_(True),
            )
            .order_by(User.name)
        )

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_participant(self) -> bool:
        """Takes part in the meetings (answers, goals, wishes, tasks); facilitators run them."""
        return self.role in (Role.COORDINATOR, Role.MEMBER)

    @property
    def is_guest(self) -> bool:
        return self.role == Role.GUEST


class Invitation(db.Model):
    """An invitation by e-mail (one address, used once) or a link to share (no address,
    used by many until it expires or is revoked). Only a hash of the token is stored.

    One address has at most one open invitation per network, held by the database itself
    (two coordinators inviting it at the same instant make one): `open_email` is the
    normalised address while the invitation can still be used, NULL once it is accepted,
    revoked or found expired, and (network, open_email) is unique. NULLs never collide.
    """

    __table_args__ = (
        sa.Index("uq_invitation_open_email", "network_id", "open_email", unique=True),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254), index=True)
    open_email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    inviter_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    role: so.Mapped[Role] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=20), default=Role.MEMBER
    )
    participation: so.Mapped[Participation] = so.mapped_column(
        sa.Enum(Participation, native_enum=False, length=20), default=Participation.CORE
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime]
    sent_at: so.Mapped[datetime | None]
    accepted_at: so.Mapped[datetime | None]
    accepted_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    revoked_at: so.Mapped[datetime | None]
    declined_at: so.Mapped[datetime | None]

    network: so.Mapped[Network] = so.relationship()
    inviter: so.Mapped[User | None] = so.relationship(foreign_keys=[inviter_id])

    @property
    def is_link(self) -> bool:
        return self.email is None

    def problem(self, now: datetime) -> str | None:
        """Why the invitation cannot be used: revoked, declined, used, expired, or None."""
        if self.revoked_at is not None:
            return "revoked"
        if self.declined_at is not None:
            return "declined"
        if self.accepted_at is not None and not self.is_link:
            return "used"
        if self.expires_at <= now:
            return "expired"
        return None


class JoinRequest(db.Model):
    """A logged-in person's request to join an open network; a coordinator decides."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), index=True
    )
    message: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    decided_at: so.Mapped[datetime | None]
    approved: so.Mapped[bool | None]
    decided_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL")
    )

    network: so.Mapped[Network] = so.relationship()
    user: so.Mapped[User] = so.relationship(foreign_keys=[user_id])


class CoordinatorHow(enum.StrEnum):
    """How someone became, or stopped being, a network's coordinator."""

    CREATED = "created"  # started the network
    APPOINTED = "appointed"  # by the organisation admin
    UNAPPOINTED = "unappointed"  # by the organisation admin
    ROLE = "role"  # a coordinator changed the role
    HAND_ON = "hand_on"
    INVITATION = "invitation"  # accepted an invitation in the coordinator role
    LEFT = "left"
    REMOVED = "removed"
    DELETED = "deleted"  # deleted their account


class CoordinatorChange(db.Model):
    """One change of a network's coordinators: who became or stopped being one, how, by whom.

    Shown on the network page and e-mailed to the coordinators, old and new, so that giving
    someone a coordinator's access to the network's content is never silent.
    """

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    # None once the account is deleted: the history stays, the person is gone from it.
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="SET NULL"), index=True
    )
    became: so.Mapped[bool]  # True: became coordinator; False: stopped being one
    how: so.Mapped[CoordinatorHow] = so.mapped_column(
        sa.Enum(CoordinatorHow, native_enum=False, length=20)
    )
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)

    user: so.Mapped[User | None] = so.relationship(foreign_keys=[user_id])
    by: so.Mapped[User | None] = so.relationship(foreign_keys=[by_id])


class Phase(db.Model):
    """A phase of the network's work (Planlægnings- og designredskabet): a name, a purpose,
    a period, its meetings (those whose day falls in the period) and the participants
    brought in for it. Core participants take part in every phase; phases never overlap.
    """

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    network_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Network.id, ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    purpose: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    participants: so.Mapped[list["PhaseParticipant"]] = so.relationship(
        cascade="all, delete-orphan", passive_deletes=True, back_populates="phase"
    )

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="phase_ends_after_start"),)

    @property
    def participant_ids(self) -> set[int]:
        return {p.user_id for p in self.participants}


class PhaseParticipant(db.Model):
    """A participant per phase (deltager der inddrages løbende) brought into one phase."""

    phase_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(Phase.id, ondelete="CASCADE"), primary_key=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), primary_key=True, index=True
    )

    phase: so.Mapped[Phase] = so.relationship(back_populates="participants")
    user: so.Mapped[User] = so.relationship()
