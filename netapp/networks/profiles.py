"""A member's profile for composing networks, and what they share of it.

Gender and age band are stored only with the member's own consent; withdrawing the
consent clears them (GDPR: data minimisation, consent can be withdrawn).
"""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from netapp.auth.models import User, utcnow
from netapp.extensions import db


class PracticeType(enum.StrEnum):
    """The practice types a member can give, plus other."""

    DENTIST = "tandlæge"
    SPECIALIST = "speciallæge"
    PHYSIOTHERAPIST = "fysioterapeut"
    CHIROPRACTOR = "kiropraktor"
    PSYCHOLOGIST = "psykolog"
    VET = "dyrlæge"
    OTHER = "other"


class PracticeSize(enum.StrEnum):
    """Number of people working in the practice."""

    ONE = "1"
    TWO_TO_FIVE = "2-5"
    SIX_TO_FIFTEEN = "6-15"
    SIXTEEN_PLUS = "16+"


class Region(enum.StrEnum):
    """The Danish regions and Norway's parts of the country."""

    HOVEDSTADEN = "dk_hovedstaden"
    SJAELLAND = "dk_sjaelland"
    SYDDANMARK = "dk_syddanmark"
    MIDTJYLLAND = "dk_midtjylland"
    NORDJYLLAND = "dk_nordjylland"
    OSTLANDET = "no_ostlandet"
    VESTLANDET = "no_vestlandet"
    SORLANDET = "no_sorlandet"
    MIDT_NORGE = "no_midt"
    NORD_NORGE = "no_nord"
    OTHER = "other"


class Gender(enum.StrEnum):
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"


class AgeBand(enum.StrEnum):
    UNDER_35 = "under_35"
    FROM_35 = "35_44"
    FROM_45 = "45_54"
    FROM_55 = "55_64"
    FROM_65 = "65_plus"


def _choice(enum_type):
    return sa.Enum(enum_type, native_enum=False, length=24)


class Profile(db.Model):
    """One per user; every field may stay empty."""

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey(User.id, ondelete="CASCADE"), primary_key=True
    )
    practice_type: so.Mapped[PracticeType | None] = so.mapped_column(_choice(PracticeType))
    practice_type_other: so.Mapped[str] = so.mapped_column(sa.String(80), default="")
    years_in_profession: so.Mapped[int | None] = so.mapped_column(
        sa.CheckConstraint("years_in_profession BETWEEN 0 AND 60", name="years_profession_range")
    )
    years_as_leader: so.Mapped[int | None] = so.mapped_column(
        sa.CheckConstraint("years_as_leader BETWEEN 0 AND 60", name="years_leader_range")
    )
    practice_size: so.Mapped[PracticeSize | None] = so.mapped_column(_choice(PracticeSize))
    region: so.Mapped[Region | None] = so.mapped_column(_choice(Region))
    # Kompetencer: faglig, personlig, metodisk (Albertslund's participant guide, docs/sources.md).
    competence_professional: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    competence_personal: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    competence_methodical: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    # Only with consent (empty by default); withdrawing consent clears both.
    demographics_consent_at: so.Mapped[datetime | None]
    gender: so.Mapped[Gender | None] = so.mapped_column(_choice(Gender))
    age_band: so.Mapped[AgeBand | None] = so.mapped_column(_choice(AgeBand))
    # What the member directory may show.
    phone: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    share_phone: so.Mapped[bool] = so.mapped_column(default=False)
    share_email: so.Mapped[bool] = so.mapped_column(default=False)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    user: so.Mapped[User] = so.relationship()

    @property
    def has_consent(self) -> bool:
        return self.demographics_consent_at is not None

    def set_consent(self, consent: bool) -> None:
        """Give or withdraw consent; withdrawing clears gender and age band."""
        if consent and self.demographics_consent_at is None:
            self.demographics_consent_at = utcnow()
        if not consent:
            self.demographics_consent_at = None
            self.gender = None
            self.age_band = None


def profile_of(user_id: int) -> Profile:
    """The user's profile, or a new unsaved one (GET never writes)."""
    return db.session.get(Profile, user_id) or Profile(user_id=user_id)


def save_profile(profile: Profile, data: dict, consent: bool) -> None:
    """Store the answers; without consent, gender and age band are not kept."""
    for key, value in data.items():
        setattr(profile, key, value)
    profile.set_consent(consent)
    db.session.add(profile)
    db.session.flush()
