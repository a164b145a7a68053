"""The words on the tablets: phase names and guidance, question banks, statuses.

The phases and questions follow the BFA leader-network guide (docs/sources.md)."""

from flask_babel import lazy_gettext as _l

from netapp.live.models import ExerciseKind
from netapp.meetings.models import MeetingKind

KIND_NAMES = {
    ExerciseKind.PRESENTATION: _l("Presentation round"),
    ExerciseKind.INTERVIEWS: _l("Interviews"),
    ExerciseKind.SPARRING: _l("Sparring exercise"),
}

STATUS_NAMES = {
    "ready": _l("Ready"),
    "running": _l("Running"),
    "paused": _l("Paused"),
    "finished": _l("Finished"),
}

# What became of an agenda item in the room.
AGENDA_RUN_STATUS = {
    "ready": _l("To come"),
    "running": _l("Now"),
    "done": _l("Done"),
    "skipped": _l("Skipped"),
}

# What the list of exercises says of each.
EXERCISE_STATE = {
    "ready": _l("Ready"),
    "running": _l("Running"),
    "done": _l("Done"),
}

PHASE_NAMES = {
    "challenge": _l("The challenge"),
    "questions": _l("Questions"),
    "experiences": _l("The others' experiences"),
    "close": _l("Close and thanks"),
}

# What the room is asked to do in each phase, shown large on the tablet.
PHASE_GUIDANCE = {
    "challenge": _l("The case-giver tells about a current challenge. The others listen."),
    "questions": _l(
        "The questioner asks open questions. The case-giver thinks aloud; "
        "the others take notes for the case-giver."
    ),
    "experiences": _l(
        "The others offer experiences and thoughts that might help. The case-giver listens."
    ),
    "close": _l(
        "The case-giver says what they take with them. Close the round and thank each other."
    ),
}

QUESTIONER_QUESTIONS = [
    _l("What is the problem?"),
    _l("How is it a problem – and for whom?"),
    _l("What do you hope can happen?"),
    _l("What have you considered doing?"),
    _l("What is holding you back?"),
    _l("What do you need?"),
    _l("Wh…?"),
]

OTHERS_PROMPTS = [
    _l("What other possibilities can I/we see?"),
    _l("Which (perhaps) relevant experiences can I/we share?"),
]

PRESENTATION_PROMPT = [
    _l("Your name"),
    _l("Type and size of your practice"),
    _l("How long you have been a leader"),
]

# The first meeting's interviews are about expectations of the network.
EXPECTATION_QUESTIONS = [
    _l("What have you looked forward to most about coming here today?"),
    _l("What is the most important reason you came today?"),
    _l("What do you especially hope to get out of the network?"),
]

GET_TO_KNOW_QUESTIONS = [
    _l("Who is your role model as a leader? Why? How can it be seen in your own leadership?"),
    _l("Are you content with your balance between professional work and leadership?"),
    _l("What is your dream?"),
    _l("What is the most fun you have experienced as a leader?"),
    _l("What are you best at as a leader?"),
    _l("Do you find it easy to decide?"),
    _l("What would surprise your employees to hear about you?"),
    _l("What is the best holiday you have had? Why?"),
    _l("Who is the best leader you have had? What did that give you as an employee?"),
]


def question_bank(meeting_kind: str, own: list[str]) -> list[str]:
    """The interview questions: expectations at a first meeting, else get-to-know questions."""
    base = EXPECTATION_QUESTIONS if meeting_kind == MeetingKind.FIRST else GET_TO_KNOW_QUESTIONS
    return [str(q) for q in base] + list(own)


# Shown when a control or change is refused: the clock's and the setup's codes.
REFUSALS = {
    "stale": _l("The exercise had already moved on. This is where it is now."),
    "finished": _l("The exercise has finished."),
    "already_started": _l("The exercise has already started."),
    "not_running": _l("The clock is not running."),
    "not_paused": _l("The clock is not paused."),
    "not_started": _l("Start the exercise first."),
    "first_step": _l("This is the first step."),
    "too_few": _l(
        "Too few attendees for this exercise. Check people in, or ask them to answer yes."
    ),
    "started": _l("The exercise has started, so this can no longer be changed."),
    "cannot_move": _l("That move is not possible."),
    "group_too_small": _l("A group needs at least two people."),
    "round_under_way": _l("The round is under way: change roles before the next round starts."),
    "gave_a_case": _l("That person has already been case-giver in an earlier round."),
    "exercise_running": _l(
        "The exercise of this item is still running. End it first, then move on."
    ),
    "empty_agenda": _l("The agenda has no items yet. Add them in the agenda editor first."),
    "cannot_skip": _l("That item is already done or skipped."),
    "nothing_to_open": _l("This item has no exercise to open."),
    "programme_not_running": _l("No item is running now."),
}


def refusal(code: str | None) -> str:
    """The message for a refusal code; a generic one for codes without their own."""
    if not code:
        return ""
    return str(REFUSALS.get(code, _l("That is not possible right now.")))
