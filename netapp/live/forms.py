"""Forms of the live exercises: setting one up, the clock's version, notes and the flipover."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from netapp.fields import IntegerField
from netapp.forms import BaseForm
from netapp.live import phases
from netapp.live.clock import ClockError
from netapp.live.models import NOTE_MAX, POINT_MAX, QUESTION_MAX
from netapp.once import OnceField


class PresentationForm(BaseForm):
    """A presentation round: minutes per speaker."""

    minutes = IntegerField(
        _l("Minutes per person"), default=2, validators=[InputRequired(), NumberRange(1, 5)]
    )
    take_part = BooleanField(_l("I take part myself"))
    once = OnceField()  # a double tap stores one row


class InterviewsForm(BaseForm):
    """Interviews in pairs or threes: minutes per person interviewed."""

    minutes = IntegerField(
        _l("Minutes per person interviewed"),
        default=5,
        validators=[InputRequired(), NumberRange(2, 10)],
    )
    take_part = BooleanField(_l("I take part myself"))
    once = OnceField()  # a double tap stores one row


class SparringForm(BaseForm):
    """A sparring exercise: round length, rounds, and optionally the facilitator's own phases."""

    round_minutes = IntegerField(
        _l("Minutes per round (15-20)"),
        default=20,
        validators=[InputRequired(), NumberRange(15, 20, _l("A round lasts 15 to 20 minutes."))],
    )
    # Empty: as many rounds as the largest group has members, so everyone who wants a
    # round as case-giver gets one.
    rounds = IntegerField(
        _l("Rounds"), validators=[Optional(), NumberRange(1, 5)],
        description=_l("Empty: as many rounds as the largest group has members."),
    )
    challenge = IntegerField(_l("The challenge (minutes)"), validators=[Optional()])
    questions = IntegerField(_l("Questions (minutes)"), validators=[Optional()])
    experiences = IntegerField(_l("The others' experiences (minutes)"), validators=[Optional()])
    close = IntegerField(_l("Close and thanks (minutes)"), validators=[Optional()])

    PHASE_FIELDS = ("challenge", "questions", "experiences", "close")

    def phase_seconds(self) -> list[int] | None:
        """The four phases in seconds, or None for the seed's plan; errors go on the fields."""
        values = [self[name].data for name in self.PHASE_FIELDS]
        if all(v is None for v in values):
            return list(s.seconds for s in phases.sparring_phases(self.round_minutes.data))
        if any(v is None for v in values):
            self.challenge.errors.append(_l("Give all four phases, or leave all four empty."))
            return None
        seconds = [v * 60 for v in values]
        try:
            return [s.seconds for s in phases.validate_phases(seconds, self.round_minutes.data)]
        except ClockError as refusal:
            message = {
                "phase_too_short": _l("Each phase lasts at least one minute."),
                "phase_sum": _l("The phases must add up to the round's %(minutes)s minutes.",
                                minutes=self.round_minutes.data),
            }.get(refusal.code, _l("A round lasts 15 to 20 minutes."))
            self.challenge.errors.append(message)
            return None

    take_part = BooleanField(_l("I take part myself"))
    once = OnceField()  # a double tap stores one row


class VersionForm(BaseForm):
    """A clock control names the version of the clock it was pressed on."""

    version = IntegerField(validators=[InputRequired()])
    # "overview": pressed on the facilitator's overview, which then gets every group back
    screen = HiddenField()


class OptionsForm(BaseForm):
    """Auto-advance and the end-of-step sound."""

    auto_advance = BooleanField(_l("Move on automatically when the time is up"))
    sound = BooleanField(_l("Short sound when the time is up"))


class OrderForm(BaseForm):
    """Move a speaker up or down, or shuffle the order."""

    action = HiddenField(validators=[DataRequired()])
    index = IntegerField(validators=[Optional(), NumberRange(0, 500)])


class MoveForm(BaseForm):
    """Move a person (from the exercise's own groups) to another group."""

    person = IntegerField(validators=[InputRequired()])
    group = IntegerField(validators=[InputRequired()])


class QuestionForm(BaseForm):
    """The facilitator's own interview question."""

    text = StringField(
        _l("Add a question"), validators=[DataRequired(), Length(max=QUESTION_MAX)]
    )
    once = OnceField()  # a double tap stores one row


class PointForm(BaseForm):
    """A point for the shared flipover."""

    text = StringField(
        _l("Your point for the flipover"), validators=[DataRequired(), Length(max=POINT_MAX)]
    )
    once = OnceField()  # a double tap stores one row


class NoteForm(BaseForm):
    """A note for the case-giver: short, it may concern other people's health."""

    round = IntegerField(validators=[InputRequired()])
    text = TextAreaField(
        _l("Note for the case-giver"), validators=[DataRequired(), Length(max=NOTE_MAX)]
    )
    once = OnceField()  # a double tap stores one row


class GoalForm(BaseForm):
    """The case-giver makes a goal from a note."""

    text = TextAreaField(_l("Your goal"), validators=[DataRequired(), Length(max=1000)])
    once = OnceField()  # a double tap stores one row


class RoleForm(BaseForm):
    """A group's choice of this round's case-giver or questioner."""

    person = IntegerField(validators=[InputRequired()])
    role = HiddenField(validators=[DataRequired()])


class RenameForm(BaseForm):
    """The facilitator's own name for an exercise."""

    title = StringField(_l("Name"), validators=[Length(max=200)])


class RunForm(BaseForm):
    """A move of the running agenda, made against the programme the facilitator saw."""

    version = IntegerField(validators=[InputRequired()])
    item = IntegerField(validators=[Optional()])


class TakePartForm(BaseForm):
    """Whether the one running the room takes part in the exercise themselves."""

    take_part = BooleanField(_l("I take part myself"))
