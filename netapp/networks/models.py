"""Organisations, their networks, and who belongs to which network in what role."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db


class Role(enum.StrEnum):
    """A member's role in one network (tovholder, facilitator, member)."""

    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    MEMBER = "member"


class Participation(enum.StrEnum):
    """Kernedeltager, or a participant brought in for the phases that need them."""

    CORE = "core"
    PHASE = "phase"


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

    organisation: so.Mapped[Organisation] = so.relationship(back_populates="networks")
    memberships: so.WriteOnlyMapped["Membership"] = so.relationship(
        back_populates="network", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Network {self.id}>"


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

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def can_facilitate(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.FACILITATOR)
