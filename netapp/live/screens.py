"""What each live screen shows, gathered in a fixed number of queries whatever the room's size."""

import math
from datetime import UTC, datetime

from flask_login import current_user

from netapp.live import grouping, polling, texts
from netapp.live.exercises import people_by_id
from netapp.live.models import Exercise, ExerciseKind, SparringGroup
from netapp.live.services import View, view_of

MODES = ("facilitator", "tablet", "projector")


def iso_utc(moment: datetime | None) -> str:
    """A naive-UTC time as ISO-8601 with Z, as live.js parses it; "" for None."""
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def clock_at(moment: datetime) -> str:
    """A naive-UTC moment as the reader's local clock time (13:05)."""
    from babel import dates

    from netapp.i18n import _reading

    locale, _catalog, zone = _reading()
    return dates.format_time(moment.replace(tzinfo=UTC), "short", tzinfo=zone, locale=locale)


def clock_time(seconds: float) -> str:
    """Remaining seconds as m:ss, rounded up, as a countdown shows them: from the tenths the
    fragment's data-remaining carries, so live.js's first tick shows the same second."""
    whole = max(0, math.ceil(round(seconds, 1) - 1e-6))
    return f"{whole // 60}:{whole % 60:02d}"


def exercise_screen(exercise: Exercise, mode: str, can_run: bool, now: datetime) -> dict:
    """Context of an exercise's clock fragment (presentation or interviews)."""
    view = view_of(exercise, now)
    context = {
        "exercise": exercise,
        "view": view,
        "mode": mode,
        "can_run": can_run and mode == "facilitator",
        "server_now": iso_utc(now),
        "ends_at": iso_utc(view.reading.ends_at),
        "seen": polling.fingerprint(view.state, view.overdue, exercise.revision, now),
    }
    if exercise.kind == ExerciseKind.PRESENTATION:
        context.update(_presentation(exercise, view))
    elif exercise.kind == ExerciseKind.INTERVIEWS:
        context.update(_interviews(exercise, view))
    return context


def _presentation(exercise: Exercise, view: View) -> dict:
    order = list(exercise.speaker_ids)
    names = people_by_id(order)
    index = view.state.step_index
    return {
        "speakers": [names.get(i) for i in order],
        "speaker": names.get(order[index]) if index < len(order) else None,
        "next_speaker": names.get(order[index + 1]) if index + 1 < len(order) else None,
        "prompt": texts.PRESENTATION_PROMPT,
    }


def _interviews(exercise: Exercise, view: View) -> dict:
    """Who interviews whom in this step, for every pair, and for the reader in particular."""
    names = people_by_id([i for pair in exercise.pairs for i in pair.member_ids])
    step = view.state.step_index
    rows, mine = [], None
    for pair in exercise.pairs:
        ids = pair.member_ids
        people = [names.get(i) for i in ids]
        if step < len(ids):
            talking = (ids[step], ids[(step + 1) % len(ids)])
            # the third of a three listens this time: the projector names them too
            row = {"people": people, "interviewee": names.get(talking[0]),
                   "interviewer": names.get(talking[1]), "done": False,
                   "listener": next((names.get(i) for i in ids if i not in talking), None)}
        else:
            row = {"people": people, "interviewee": None, "interviewer": None, "done": True,
                   "listener": None}
        rows.append(row)
        if current_user.id in ids:
            mine = row
    return {
        "pairs": rows,
        "my_pair": mine,
        "questions": texts.question_bank(exercise.meeting.kind, exercise.questions),
    }


def group_rows(exercise: Exercise, now: datetime) -> list[dict]:
    """Every sparring group's clock and roles for the overview (names in one query)."""
    ids = [i for group in exercise.groups for i in group.member_ids]
    names = people_by_id(ids)
    return [group_row(group, names, now) for group in exercise.groups]


def overview_screen(exercise: Exercise, mode: str, can_run: bool, now: datetime) -> dict:
    """Context of a sparring overview (the facilitator's, a tablet's or the projector's)."""
    rows = group_rows(exercise, now)
    views = [row["view"] for row in rows]
    return {
        "exercise": exercise,
        "rows": rows,
        "mode": mode,
        "can_run": can_run and mode == "facilitator",
        "server_now": iso_utc(now),
        "seen": polling.room_fingerprint([(v.state, v.overdue) for v in views],
                                         exercise.revision, now),
        "room_version": sum(v.state.version for v in views),
        "any_running": any(v.state.status == "running" for v in views),
        "any_paused": any(v.state.status == "paused" for v in views),
    }


def group_row(group: SparringGroup, names: dict, now: datetime) -> dict:
    """One group's clock, phase and roles in its current round."""
    view = view_of(group, now)
    ids = group.member_ids
    roles = grouping.rotate_roles(ids, view.round_index) if len(ids) >= 2 else None
    # Before the start the card shows what the group has ahead of it: a whole round, not
    # the first phase.
    waiting = view.state.status == "ready"
    return {
        "group": group,
        "view": view,
        "shown_remaining": sum(group.exercise.durations) if waiting else view.reading.remaining,
        "ends_at": iso_utc(view.reading.ends_at),
        "members": [names.get(i) for i in ids],
        "case_giver": names.get(roles.case_giver) if roles else None,
        "questioner": names.get(roles.questioner) if roles else None,
        "note_takers": [names.get(i) for i in roles.note_takers] if roles else [],
        "role_of_reader": _role_of(current_user.id, roles),
    }


def _role_of(user_id: int, roles: grouping.Roles | None) -> str:
    if roles is None:
        return ""
    if user_id == roles.case_giver:
        return "case_giver"
    if user_id == roles.questioner:
        return "questioner"
    return "note_taker" if user_id in roles.note_takers else ""


def group_screen(group: SparringGroup, can_run: bool, now: datetime) -> dict:
    """Context of a group's clock fragment."""
    names = {m.user_id: m.user for m in group.members}
    row = group_row(group, names, now)
    return {
        **row,
        "exercise": group.exercise,
        "can_run": can_run,
        "server_now": iso_utc(now),
        "seen": polling.fingerprint(row["view"].state, row["view"].overdue,
                                    group.exercise.revision, now),
        "guidance": texts.PHASE_GUIDANCE.get(row["view"].phase, ""),
        "questions": texts.QUESTIONER_QUESTIONS,
        "prompts": texts.OTHERS_PROMPTS,
    }
