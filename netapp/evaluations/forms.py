"""The evaluation form (own phone and kiosk), the facilitator's buttons and the settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SelectField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from netapp.evaluations.models import SCALE
from netapp.fields import IntegerField
from netapp.forms import BaseForm

TEXT_LIMIT = 2000


def _scale_choices() -> list[SelectChoice]:
    return [SelectChoice(str(v), str(v)) for v in SCALE]


def _scale(label, required: bool = True) -> RadioField:
    message = _l("Choose a number from 1 to 5.")
    checks = [InputRequired(message)] if required else [Optional()]
    return RadioField(label, choices=_scale_choices(), coerce=int, validators=checks,
                      validate_choice=True)


class EvaluationForm(BaseForm):
    """The short evaluation: what was good, what we missed, energy, a rating."""

    good = TextAreaField(_l("What was especially good today?"),
                         validators=[Length(max=TEXT_LIMIT)])
    missed = TextAreaField(_l("What did we miss today?"), validators=[Length(max=TEXT_LIMIT)])
    energy = _scale(_l("Did you leave with energy? (1 = none, 5 = lots)"))
    rating = _scale(_l("Overall rating of the meeting (1-5)"))
    comment = TextAreaField(_l("A comment to the coordinator (optional)"),
                            validators=[Length(max=TEXT_LIMIT)])
    check_benefit = _scale(_l("Do I get something personal out of the network?"), False)
    check_goal = _scale(_l("Do we agree on the goal of the network?"), False)
    check_track = _scale(_l("Are we on the right track and keeping focus?"), False)

    def __init__(self, *args, includes_check: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.includes_check = includes_check
        if not includes_check:
            for name in ("check_benefit", "check_goal", "check_track"):
                delattr(self, name)

    def validate(self, extra_validators=None) -> bool:
        """The network check's three scales are required in the rounds that carry it."""
        ok = super().validate(extra_validators)
        if self.includes_check:
            for field in (self.check_benefit, self.check_goal, self.check_track):
                if field.data not in SCALE:
                    field.errors = [*field.errors, str(_l("Choose a number from 1 to 5."))]
                    ok = False
        return ok

    def answer_data(self) -> dict:
        """The answer's columns (never ids: the view supplies whose answer it is)."""
        data = {name: (getattr(self, name).data or "").strip()
                for name in ("good", "missed", "comment")}
        data |= {"energy": self.energy.data, "rating": self.rating.data}
        if self.includes_check:
            data |= {n: getattr(self, n).data for n in ("check_benefit", "check_goal",
                                                       "check_track")}
        return data


class KioskForm(EvaluationForm):
    """The shared tablet: pick your name from those at the meeting, then answer."""

    person = SelectField(_l("Your name"), validators=[DataRequired(_l("Pick your name."))],
                         validate_choice=False)


class OpenForm(BaseForm):
    """Open (or reopen) the round; the network check is suggested when it is due."""

    include_check = BooleanField(_l("Include the network check in this round"))


class ConfirmForm(BaseForm):
    """A button that only carries the CSRF token (closing the round)."""


class SettingsForm(BaseForm):
    """The network's evaluation choices."""

    anonymous_text = BooleanField(_l("Free text is anonymous (no names on the good, missed "
                                     "and comment texts)"))
    check_every = IntegerField(
        _l("Network check every ... meetings"),
        validators=[InputRequired(_l("Give a number from 1 to 12.")),
                    NumberRange(1, 12, _l("Give a number from 1 to 12."))],
    )


class KioskLockForm(BaseForm):
    """The facilitator's PIN: it locks the shared tablet to the evaluation, and opens it again."""

    pin = PasswordField(_l("Facilitator PIN (4-8 digits)"), validators=[
        DataRequired(_l("Give a PIN of 4 to 8 digits.")),
        Regexp(r"^[0-9]{4,8}$", message=_l("Give a PIN of 4 to 8 digits."))])
