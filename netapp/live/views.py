"""The live blueprint: a meeting's exercises, setting them up, and the shared flipover.

Exercise screens are in views_exercise.py, sparring groups and case notes in views_group.py.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from netapp.access import RUN, may, meeting_for, readable
from netapp.auth.models import LOGIN_SESSION_KEY, utcnow
from netapp.database import prebuilt
from netapp.extensions import db
from netapp.htmx import is_htmx, render
from netapp.live import (
    bp,
    exercises,
    notes,
    polling,
    programme,
    push,
    screens,
    sharing,
    texts,
)
from netapp.live.forms import (
    InterviewsForm,
    PointForm,
    PresentationForm,
    RenameForm,
    SparringForm,
)
from netapp.live.grouping import GroupingError
from netapp.live.models import Exercise, ExerciseKind
from netapp.live.phases import PHASES
from netapp.main.panels import home_panel
from netapp.meetings.models import Meeting
from netapp.networks.models import Membership
from netapp.once import answered, earlier_answer, first_submit

FORMS = {
    ExerciseKind.PRESENTATION: PresentationForm,
    ExerciseKind.INTERVIEWS: InterviewsForm,
    ExerciseKind.SPARRING: SparringForm,
}


@bp.record_once
def _setup(state) -> None:
    """Template helpers (the meetings summary includes the flipover)."""
    env = state.app.jinja_env
    env.globals.update(flipover_points=notes.flipover_points, clock_time=screens.clock_time)
    env.globals.update(LIVE_KINDS=texts.KIND_NAMES, LIVE_STATUS=texts.STATUS_NAMES)
    env.globals.update(LIVE_PHASE_NAMES=texts.PHASE_NAMES, LIVE_PHASE_KEYS=PHASES)
    env.globals.update(clock_at=screens.clock_at, AGENDA_RUN_STATUS=texts.AGENDA_RUN_STATUS,
                       LIVE_EXERCISE_STATE=texts.EXERCISE_STATE)
    push.track_exercises()


# The polled clocks, with the fingerprint of what each shows now (netapp.live.polling).
POLLED = {
    "live.clock": ("exercise_id", polling.exercise_fingerprint),
    "live.group_clock": ("group_id", polling.group_fingerprint),
}


@bp.before_request
def _logged_in():
    """Every live page needs a login; an expired htmx poll gets HX-Redirect to the login."""
    return answer_unchanged_poll() or _login_required()


@login_required
def _login_required() -> None:
    """Nothing more than Flask-Login's check."""


def answer_unchanged_poll():
    """204 for a tablet's poll whose fragment is still current, else None (the view runs).

    Forty tablets poll every two seconds and nearly every answer is this one, so it is one
    query that checks the session's login token and the fingerprint together, without
    loading the user; anything else (no token, a stale one, a changed clock) goes on to the
    login check and the full fragment.
    """
    polled = POLLED.get(request.endpoint)
    seen = request.args.get("seen", "")
    token = session.get(LOGIN_SESSION_KEY)
    if polled is None or not isinstance(token, str):
        return None
    key, current = polled
    now = utcnow()
    if request.endpoint == "live.clock":  # a first ask (no fingerprint yet) is shared too
        return _shared_clock(request.view_args[key], seen, token, now)
    if not seen or seen != current(request.view_args[key], token, now):
        return None
    return polling.unchanged(screens.iso_utc(now))


def _shared_clock(exercise_id: int, seen: str, token: str, now):
    """An exercise clock's poll: 204 while current, else the fragment other screens of the
    same kind already had rendered (netapp.live.sharing), after the same one query."""
    reading = polling.exercise_reading(exercise_id, token, now)
    if reading is None:
        return None
    if seen == reading.fingerprint:
        return polling.unchanged(screens.iso_utc(now))
    key = sharing.key_of(exercise_id, sharing.asked_mode(), reading)
    body = sharing.shared_answer(key, screens.iso_utc(utcnow())) if key else None
    return body


@bp.teardown_request
def _let_waiters_go(exc=None) -> None:
    sharing.forget_claim(exc)


@bp.get("/meeting/<int:meeting_id>")
def meeting(meeting_id: int):
    """The meeting's live exercises; facilitators also set new ones up here."""
    meeting, _network, membership = meeting_for(meeting_id)
    if not may(membership, meeting.id, RUN):
        target = programme.now_for(meeting, current_user.id, "tablet", utcnow())
        if target is not None:  # a member is taken to what the room runs now
            return redirect(target.url, 303)
    return _meeting_page(meeting, membership)


@bp.post("/meeting/<int:meeting_id>/exercises/<kind>")
def create(meeting_id: int, kind: str):
    """Set up a presentation round, interviews or a sparring exercise for the meeting."""
    meeting, _network, membership = meeting_for(meeting_id, RUN)
    if kind not in set(ExerciseKind):
        abort(404)
    kind = ExerciseKind(kind)
    form = FORMS[kind](prefix=kind.value)
    settings = _settings_from(form, kind) if form.validate_on_submit() else None
    if settings is None:
        return _meeting_page(meeting, membership, {kind: form})
    if not first_submit(form):
        return redirect(earlier_answer(form) or url_for(".meeting", meeting_id=meeting.id), 303)
    try:
        exercise = exercises.create(meeting, kind, **settings)
    except (exercises.SetupError, GroupingError) as refusal:
        db.session.rollback()
        return _meeting_page(meeting, membership, {kind: form}, texts.refusal(refusal.code))
    target = answered(form, url_for(".facilitate", exercise_id=exercise.id))
    db.session.commit()
    return redirect(target, 303)


@bp.get("/meeting/<int:meeting_id>/flipover")
def flipover(meeting_id: int):
    """The meeting's flipover points (the projector and tablets poll this)."""
    meeting, _network, _membership = meeting_for(meeting_id)
    return render("live/flipover.html", "live/_flipover.html", meeting=meeting,
                  point_form=PointForm())


@bp.post("/meeting/<int:meeting_id>/flipover")
def add_point(meeting_id: int):
    """Add a pair's point to the shared flipover."""
    meeting, _network, _membership = meeting_for(meeting_id)
    form = PointForm()
    if form.validate_on_submit():
        if first_submit(form):
            notes.add_point(meeting, current_user.id, form.text.data)
        db.session.commit()
        form = PointForm(formdata=None)
        if not is_htmx():
            return redirect(url_for(".flipover", meeting_id=meeting.id), 303)
    if not is_htmx():
        return render_template("live/flipover.html", meeting=meeting, point_form=form)
    return render_template("live/_point_form.html", meeting=meeting, point_form=form, oob=True)


def _settings_from(form, kind: ExerciseKind) -> dict | None:
    """The new exercise's durations and options from a valid form (None: errors on the form)."""
    joining = {"joining_facilitator_id": current_user.id} if form.take_part.data else {}
    if kind == ExerciseKind.SPARRING:
        seconds = form.phase_seconds()
        if seconds is None:
            return None
        return {"durations": seconds, "round_minutes": form.round_minutes.data,
                "rounds": form.rounds.data, **joining}
    return {"durations": [form.minutes.data * 60], **joining}


def _meeting_page(meeting: Meeting, membership: Membership, forms=None, error: str = ""):
    listed = programme.exercises_of(meeting)
    forms = {kind: form_class(prefix=kind.value) for kind, form_class in FORMS.items()} | (
        forms or {}
    )
    can_run = may(membership, meeting.id, RUN)
    return render_template(
        "live/meeting.html",
        meeting=meeting,
        membership=membership,
        can_run=can_run,
        exercises=listed,
        states={e.id: programme.state_of(e) for e in listed},
        rename_form=RenameForm(formdata=None),
        forms=forms,
        error=error,
        attendee_count=len(exercises.attendees(meeting)) if can_run else None,
    )


@home_panel("live/_home.html")
def live_panel(user) -> dict | None:
    """Exercises of meetings in the user's networks that run today (a guest facilitator's
    own only), in one query."""
    now = utcnow()
    rows = db.session.scalars(_live_panel_statement(), {
        "user_id": user.id, "until": now + timedelta(hours=12), "since": now - timedelta(hours=2)
    }).all()
    return {"meetings": rows} if rows else None


@prebuilt
def _live_panel_statement() -> sa.Select:
    return (
        sa.select(Meeting)
        .join(Membership, Membership.network_id == Meeting.network_id)
        .join(Exercise, Exercise.meeting_id == Meeting.id)
        .where(
            Membership.user_id == sa.bindparam("user_id"),
            readable(Membership.role, Meeting.id, Membership.user_id),
            Meeting.starts_at <= sa.bindparam("until"),
            Meeting.ends_at >= sa.bindparam("since"),
        )
        .distinct()
        .order_by(Meeting.starts_at)
    )
