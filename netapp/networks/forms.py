"""Forms of the network set-up (one per step) and of the organisation pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from netapp.auth.forms import email_field, strip
from netapp.forms import BaseForm
from netapp.networks import choices as c
from netapp.networks import models as m
from netapp.once import OnceField


def enum_coerce(enum_type):
    """Map a submitted member name (or a stored member) to the enum; '' is no answer."""

    def coerce(value):
        if value is None or value == "":
            return None
        if isinstance(value, enum_type):
            return value
        try:
            return enum_type[value]
        except KeyError:
            raise ValueError(str(_l("Choose one of the options."))) from None

    return coerce


def int_coerce(value):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(str(_l("Choose one of the options."))) from None


class OptionalRadioField(RadioField):
    """A radio question that may stay unanswered, but only takes one of its options."""

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


def radio(label, labels: dict, enum_type=None):
    return OptionalRadioField(
        label,
        choices=c.select(labels),
        coerce=enum_coerce(enum_type) if enum_type else int_coerce,
        invalid_choice_message=_l("Choose one of the options."),
    )


def text(label, max_length: int, area: bool = False, required: bool = False):
    field = TextAreaField if area else StringField
    checks = [DataRequired(_l("Fill this in."))] if required else [Optional()]
    message = _l("At most %(max)d characters.", max=max_length)
    return field(
        label, filters=[strip], validators=[*checks, Length(max=max_length, message=message)]
    )


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ButtonForm(BaseForm):
    """Just the CSRF token, for buttons that change something."""


class PurposeStep(BaseForm):
    name = text(_l("Name of the network"), 160, required=True)
    purpose = text(_l("Purpose"), 2000, area=True)
    difference = text(_l("What difference should the network make in a busy day?"), 2000, area=True)
    focus = MultiCheckboxField(
        _l("How do we best use the time at the meetings?"),
        choices=c.select(c.FOCUS),
        validate_choice=True,
    )


class TargetStep(BaseForm):
    target_group = text(_l("Who is the network for?"), 2000, area=True)
    geography = text(_l("Must members work in a particular geographic area?"), 200)
    scope = radio(_l("Across sectors, or only for one specific sector?"), c.SCOPE, m.Scope)
    professions = radio(_l("One profession or several?"), c.PROFESSIONS, m.Professions)


class SizeStep(BaseForm):
    # An answer is needed: a size, or "not decided yet" (never a silent empty save).
    size = RadioField(
        _l("How large should the network be?"),
        choices=c.select(c.SIZE_CHOICES),
        validators=[InputRequired(_l("Choose a size, or “Not decided yet”."))],
        validate_choice=True,
        invalid_choice_message=_l("Choose one of the options."),
    )
    openness = RadioField(_l("Open or closed to new members?"), choices=c.select(c.OPENNESS))


class FormStep(BaseForm):
    meeting_form = radio(_l("Physical, virtual or both?"), c.FORM, m.Form)
    frequency_months = radio(_l("How often do you meet?"), c.FREQUENCY)
    meeting_length = radio(_l("How long is a meeting?"), c.LENGTH, m.Length)


class PracticalStep(BaseForm):
    time_of_day = radio(_l("When do you meet?"), c.TIME_OF_DAY, m.TimeOfDay)
    place = radio(_l("Where do you meet?"), c.PLACE, m.Place)
    place_note = text(_l("The place in your own words (optional)"), 200)
    payer = radio(_l("Who pays?"), c.PAYER, m.Payer)


STEPS = (
    (PurposeStep, _l("Purpose")),
    (TargetStep, _l("Target group")),
    (SizeStep, _l("Size and openness")),
    (FormStep, _l("Form and rhythm")),
    (PracticalStep, _l("Time, place and costs")),
)


def step_form(step: int, network: m.Network) -> BaseForm:
    """The step's form, filled with what the network has saved (or what was posted)."""
    form_class = STEPS[step - 1][0]
    extra = {}
    if form_class is PurposeStep:
        extra["focus"] = [f.name for f in network.focus_list]
    if form_class is SizeStep:
        extra["openness"] = "open" if network.is_open else "closed"
    form = form_class(obj=network, **extra)
    if form_class is SizeStep and not form.is_submitted():  # obj would win over a keyword
        form.size.data = (network.size.name if network.size
                          else c.SIZE_UNDECIDED if network.size_undecided else None)
    return form


def answers(form: BaseForm) -> dict:
    """The step's answers as Network attributes."""
    data = {k: v for k, v in form.data.items() if k != "csrf_token"}
    if "focus" in data:
        chosen = set(data["focus"] or [])
        data["focus"] = ",".join(f.value for f in m.Focus if f.name in chosen)
    if "openness" in data:
        data["is_open"] = data.pop("openness") == "open"
    if "size" in data:
        chosen = data.pop("size")
        data["size_undecided"] = chosen == c.SIZE_UNDECIDED
        data["size"] = None if data["size_undecided"] else m.Size[chosen]
    return data


class NewNetworkForm(BaseForm):
    """A coordinator starts another network in an organisation they work in."""

    organisation = SelectField(_l("Organisation"), coerce=int_coerce)
    name = text(_l("Name of the network"), 160, required=True)
    once = OnceField()  # a double tap stores one row


class OrgNetworkForm(BaseForm):
    """An organisation admin creates a network and names its first coordinator."""

    name = text(_l("Name of the network"), 160, required=True)
    purpose = text(_l("Purpose"), 2000, area=True)
    coordinator = email_field(_l("The coordinator's e-mail"))
    once = OnceField()  # a double tap stores one row


class AppointForm(BaseForm):
    coordinator = email_field(_l("The new coordinator's e-mail"))


class PositionForm(BaseForm):
    position = SelectField(
        _l("Role"), choices=[SelectChoice(k, v[2]) for k, v in c.POSITIONS.items()]
    )


class PhaseForm(BaseForm):
    """A phase of the network's plan: name, purpose, period and the participants per phase."""

    name = text(_l("Name of the phase"), 160, required=True)
    purpose = text(_l("Purpose of the phase"), 2000, area=True)
    starts_on = DateField(_l("Starts"), validators=[InputRequired(_l("Give the day it starts."))])
    ends_on = DateField(_l("Ends"), validators=[InputRequired(_l("Give the day it ends."))])
    participants = MultiCheckboxField(
        _l("Participants brought in for this phase"), coerce=int, validate_choice=True,
        choices=[])
    once = OnceField()  # a double tap stores one phase


class CoDriverForm(BaseForm):
    """The member who plans the phases with the coordinators."""

    co_driver = SelectField(_l("Co-driver"), coerce=int_coerce, validate_choice=True)
