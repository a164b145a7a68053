"""The meetings forms; choices are SelectChoice objects (WTForms 3.3)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from netapp.fields import IntegerField
from netapp.forms import BaseForm
from netapp.meetings.models import AgendaKind, Answer, GoalStatus, MeetingKind, TaskKind
from netapp.once import OnceField

KIND_LABELS = {
    MeetingKind.FIRST: _l("First meeting"),
    MeetingKind.FOLLOWING: _l("Following meeting"),
    MeetingKind.LUNCH_TO_LUNCH: _l("Lunch to lunch (24 hours)"),
    MeetingKind.VIRTUAL: _l("Virtual meeting"),
}
AGENDA_LABELS = {
    AgendaKind.WELCOME: _l("Welcome"),
    AgendaKind.PRESENTATION_ROUND: _l("Presentation round"),
    AgendaKind.INTERVIEWS: _l("Interviews"),
    AgendaKind.SPARRING: _l("Sparring"),
    AgendaKind.TOPIC: _l("Topic / talk"),
    AgendaKind.GOAL_FOLLOW_UP: _l("Follow-up on goals"),
    AgendaKind.EVALUATION: _l("Evaluation"),
    AgendaKind.BREAK: _l("Break"),
    AgendaKind.SOCIAL: _l("Social"),
    AgendaKind.PLANNING_YEAR: _l("The planning year"),
    AgendaKind.OTHER: _l("Other"),
}
TASK_LABELS = {
    TaskKind.SET_DATES: _l("Set dates"),
    TaskKind.BOOK_VENUE: _l("Book the venue"),
    TaskKind.WRITE_AGENDA: _l("Write the agenda"),
    TaskKind.CATERING: _l("Coffee, tea and catering"),
    TaskKind.FOLLOW_UP: _l("Follow-up after the meeting"),
    TaskKind.FACILITATION: _l("Facilitation"),
}
ANSWER_LABELS = {
    Answer.YES: _l("Yes, I am coming"),
    Answer.NO: _l("No, I can't come"),
    Answer.MAYBE: _l("Maybe"),
}
STATUS_LABELS = {
    GoalStatus.OPEN: _l("Open"),
    GoalStatus.DONE: _l("Reached"),
    GoalStatus.UNDER_WAY: _l("Under way"),
    GoalStatus.DROPPED: _l("Dropped"),
}


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in labels.items()]


class MeetingForm(BaseForm):
    """One meeting: times in the network's zone."""

    kind = SelectField(
        _l("Kind of meeting"), choices=choices(KIND_LABELS), default=MeetingKind.FOLLOWING.value
    )
    day = DateField(_l("Date"), validators=[InputRequired(_l("Give the date."))])
    start = TimeField(_l("Starts"), validators=[InputRequired(_l("Give the time it starts."))])
    end = TimeField(_l("Ends"), validators=[Optional()])
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    video_link = StringField(
        _l("Video link"),
        validators=[
            Optional(),
            Length(max=500),
            URL(message=_l("Give a full link starting with https://")),
        ],
    )
    host_id = SelectField(_l("Host"), choices=[], validate_choice=True)
    topic = StringField(_l("Topic"), validators=[Length(max=200)])
    description = TextAreaField(_l("Short description"), validators=[Length(max=2000)])
    budget_per_person = IntegerField(
        _l("Budget per person (kr)"),
        validators=[
            Optional(),
            NumberRange(0, 100000, _l("Give an amount between 0 and 100,000 kr.")),
        ],
    )

    def set_hosts(self, people) -> None:
        self.host_id.choices = [SelectChoice("", _l("No host yet"))] + [
            SelectChoice(str(p.id), p.name) for p in people
        ]
    once = OnceField()  # a double tap stores one row


class EditMeetingForm(MeetingForm):
    """A change of one meeting: whether to tell the invitees, and which version it was made
    from, so a save over someone else's newer change is refused instead of undoing it."""

    tell_invitees = BooleanField(
        _l("E-mail the invitees an update when the time or place changes (their calendars "
           "move the meeting)"), default=True)
    sequence = HiddenField()

    def seen(self) -> int | None:
        """The meeting's sequence when the form was opened (None from an older page)."""
        try:
            return int(self.sequence.data)
        except (TypeError, ValueError):
            return None


class SeriesForm(MeetingForm):
    """A series: the same weekday and time every one, two or three months."""

    count = IntegerField(
        _l("Number of meetings"),
        default=5,
        validators=[
            InputRequired(_l("Give the number of meetings.")),
            NumberRange(1, 12, _l("Plan between 1 and 12 meetings at a time.")),
        ],
    )
    every_months = SelectField(
        _l("How often"),
        default="2",
        choices=[
            SelectChoice("1", _l("Every month")),
            SelectChoice("2", _l("Every second month")),
            SelectChoice("3", _l("Every third month")),
        ],
    )
    topics = TextAreaField(
        _l("A topic for each date, one per line (optional)"),
        validators=[Optional(), Length(max=5000)],
    )


ZONES = {
    "Europe/Copenhagen": _l("Danish time (Copenhagen)"),
    "Europe/Oslo": _l("Norwegian time (Oslo)"),
}


class SettingsForm(BaseForm):
    """The network's meeting settings."""

    timezone = SelectField(_l("The network's time zone"),
                           choices=[SelectChoice(k, v) for k, v in ZONES.items()])

    reminder_days_before = IntegerField(
        _l("Reminder, days before the meeting"),
        validators=[InputRequired(), NumberRange(0, 30, _l("Between 0 and 30 days."))],
    )
    answer_deadline_days = IntegerField(
        _l("Answer deadline, days before the meeting"),
        validators=[InputRequired(), NumberRange(0, 60, _l("Between 0 and 60 days."))],
    )
    lunch_budget = IntegerField(
        _l("Lunch-to-lunch budget per person (kr)"),
        validators=[
            InputRequired(),
            NumberRange(0, 100000, _l("Give an amount between 0 and 100,000 kr.")),
        ],
    )


class AgendaItemForm(BaseForm):
    """An agenda item with its planned length."""

    kind = SelectField(_l("Kind"), choices=choices(AGENDA_LABELS), default=AgendaKind.OTHER.value)
    title = StringField(
        _l("Item"), validators=[DataRequired(_l("Give the item a title.")), Length(max=200)]
    )
    minutes = IntegerField(
        _l("Minutes"),
        default=15,
        validators=[
            InputRequired(_l("Give the length in minutes.")),
            NumberRange(1, 480, _l("Give a length between 1 and 480 minutes.")),
        ],
    )
    once = OnceField()  # a double tap stores one row


class TemplateForm(BaseForm):
    """Which seed template to start the agenda from."""

    which = SelectField(
        _l("Template"),
        choices=[
            SelectChoice("first", _l("First meeting")),
            SelectChoice("following", _l("Following meeting")),
            SelectChoice("lunch", _l("Lunch to lunch (two days)")),
        ],
    )
    # Asked only when the agenda has items: applying a template twice must not silently
    # duplicate everything.
    mode = RadioField(
        _l("The agenda already has items"),
        choices=[
            SelectChoice("replace", _l("Replace them with the template")),
            SelectChoice("add", _l("Add the template after them")),
        ],
        validators=[Optional()],
    )
    once = OnceField()  # a double tap stores one row


class AnswerForm(BaseForm):
    """Yes, afbud with an optional reason, or maybe."""

    answer = RadioField(
        _l("Your answer"),
        choices=choices(ANSWER_LABELS),
        validators=[InputRequired(_l("Choose an answer."))],
    )
    reason = StringField(_l("Reason you can't come (optional)"), validators=[Length(max=500)])


class AssignForm(BaseForm):
    """Give a task to a member."""

    assignee_id = SelectField(_l("Who"), choices=[])


class WishForm(BaseForm):
    """A wish for a topic, method or form."""

    kind = SelectField(
        _l("Wish for"),
        default="topic",
        choices=[
            SelectChoice("topic", _l("Topic")),
            SelectChoice("method", _l("Method")),
            SelectChoice("form", _l("Form")),
        ],
    )
    text = StringField(
        _l("Your wish"), validators=[DataRequired(_l("Write the wish.")), Length(max=500)]
    )
    once = OnceField()  # a double tap stores one row


class AdoptForm(BaseForm):
    """Make a wish a coming meeting's topic."""

    meeting_id = SelectField(_l("Meeting"), choices=[])


class GoalForm(BaseForm):
    """A member's goal."""

    text = TextAreaField(
        _l("My goal until next time"),
        validators=[DataRequired(_l("Write the goal.")), Length(max=1000)],
    )
    once = OnceField()  # a double tap stores one row


class FollowUpForm(BaseForm):
    """What became of a goal."""

    status = SelectField(
        _l("Status"),
        choices=choices({k: v for k, v in STATUS_LABELS.items() if k != GoalStatus.OPEN}),
    )
    note = StringField(_l("Short note"), validators=[Length(max=1000)])


class SummaryForm(BaseForm):
    """The free summary; notes per agenda item come as note-<item id> fields."""

    summary = TextAreaField(_l("Summary"), validators=[Length(max=20000)])


class MailForm(BaseForm):
    """A button that e-mails the members (invitation, reminder, summary): sent once per page."""

    once = OnceField()  # a double tap sends one round of e-mails


class YearForm(BaseForm):
    """The planning year's table: one topic field per coming meeting (topic_<id>)."""


def year_form(meetings) -> YearForm:
    """A table form with a topic field for each meeting, filled with its topic."""

    class Table(YearForm):
        pass

    for meeting in meetings:
        setattr(Table, f"topic_{meeting.id}", StringField(
            _l("Topic"), default=meeting.topic,
            validators=[Length(max=200, message=_l("A topic may be at most 200 characters."))]))
    return Table()
