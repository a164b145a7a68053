"""Forms of invitations, join requests, profiles and the contract."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import EqualTo, NumberRange, Optional

from netapp.auth.forms import email_field, new_password_field
from netapp.fields import IntegerField
from netapp.forms import BaseForm
from netapp.networks import choices as c
from netapp.networks import profiles as p
from netapp.networks.forms import enum_coerce, text
from netapp.once import OnceField

INVITE_POSITIONS = ("core", "phase", "facilitator", "guest", "coordinator")


class InviteForm(BaseForm):
    emails = text(_l("E-mail addresses"), 20000, area=True, required=True)
    position = SelectField(
        _l("Invite as"),
        choices=[SelectChoice(k, c.POSITIONS[k][2]) for k in INVITE_POSITIONS],
    )
    note = text(_l("A personal note in the e-mail (optional)"), 1000, area=True)
    once = OnceField()  # a double tap stores one row


class LinkForm(BaseForm):
    position = SelectField(
        _l("The link invites as"),
        choices=[SelectChoice(k, c.POSITIONS[k][2]) for k in ("core", "phase")],
    )
    once = OnceField()  # a double tap stores one row


class AccountForm(BaseForm):
    """Accepting an invitation without an account: name and password (e-mail for links)."""

    name = text(_l("Your name"), 120, required=True)
    email = email_field(_l("E-mail"))
    password = new_password_field(_l("Choose a password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )
    once = OnceField()  # a double tap stores one row


class JoinRequestForm(BaseForm):
    message = text(_l("A few words to the coordinator (optional)"), 500, area=True)
    once = OnceField()  # a double tap stores one row


def years(label):
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, max=60, message=_l("Give a number from 0 to 60.")),
        ],
    )


def choice(label, labels, enum_type):
    return SelectField(
        label, choices=c.select(labels, blank=_l("Not given")), coerce=enum_coerce(enum_type)
    )


class ProfileForm(BaseForm):
    practice_type = choice(_l("Practice type"), c.PRACTICE_TYPE, p.PracticeType)
    practice_type_other = text(_l("Practice type, if other"), 80)
    years_in_profession = years(_l("Years in the profession"))
    years_as_leader = years(_l("Years as a leader"))
    practice_size = choice(_l("Practice size"), c.PRACTICE_SIZE, p.PracticeSize)
    region = choice(_l("Region"), c.REGION, p.Region)
    competence_professional = text(_l("Professional competence (faglig)"), 300)
    competence_personal = text(_l("Personal competence"), 300)
    competence_methodical = text(_l("Methodical competence"), 300)
    phone = text(_l("Phone"), 40)
    share_phone = BooleanField(_l("Show my phone number to the members of my networks"))
    share_email = BooleanField(_l("Show my e-mail address to the members of my networks"))
    consent = BooleanField(_l("I consent to storing my gender and age band for composing networks"))
    gender = choice(_l("Gender"), c.GENDER, p.Gender)
    age_band = choice(_l("Age band"), c.AGE_BAND, p.AgeBand)


class ContractForm(BaseForm):
    difference = text(_l("The difference the network should make"), 3000, area=True)
    frequency = text(_l("How often we meet"), 300)
    knowledge = text(_l("What we share knowledge about"), 3000, area=True)


class RuleForm(BaseForm):
    text = text(_l("Ground rule"), 300, required=True)


class NewRuleForm(RuleForm):
    """A ground rule added at the end (rewording one keeps its row)."""

    once = OnceField()  # a double tap stores one row


class AcceptForm(BaseForm):
    """The version the member read; a newer one in between asks them to read again."""

    version = HiddenField()
