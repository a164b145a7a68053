"""One exercise: the facilitator's, a tablet's and the projector's view, the polled clock,
and the facilitator's controls and changes (order, pairs, groups, questions, options)."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from netapp.access import RUN, exercise_for, may
from netapp.auth.models import utcnow
from netapp.database import commit_then_read
from netapp.extensions import db
from netapp.htmx import is_htmx
from netapp.live import bp, exercises, push, screens, services, sharing, texts
from netapp.live.forms import (
    MoveForm,
    OptionsForm,
    OrderForm,
    PointForm,
    QuestionForm,
    VersionForm,
)
from netapp.live.grouping import GroupingError
from netapp.live.models import Exercise, ExerciseKind
from netapp.once import first_submit


@bp.get("/exercise/<int:exercise_id>/facilitate")
def facilitate(exercise_id: int):
    """The facilitator's view: the clock with its controls, and what can still be changed."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    return _facilitator_page(exercise)


@bp.get("/exercise/<int:exercise_id>")
def tablet(exercise_id: int):
    """A participant's tablet: follows the clock without controls (sparring: their group)."""
    exercise, membership = exercise_for(exercise_id)
    if exercise.kind == ExerciseKind.SPARRING:
        mine = next((g for g in exercise.groups if current_user.id in g.member_ids), None)
        if mine is not None:
            return redirect(url_for(".group", group_id=mine.id))
        return _sparring_page(exercise, "tablet", may(membership, exercise.meeting_id, RUN))
    can_run = may(membership, exercise.meeting_id, RUN)
    context = screens.exercise_screen(exercise, "tablet", can_run, utcnow())
    return render_template("live/tablet.html", point_form=PointForm(), **context)


@bp.get("/exercise/<int:exercise_id>/projector")
def projector(exercise_id: int):
    """The shared screen: read-only, in large type."""
    exercise, _membership = exercise_for(exercise_id)
    if exercise.kind == ExerciseKind.SPARRING:
        return _sparring_page(exercise, "projector", False)
    context = screens.exercise_screen(exercise, "projector", False, utcnow())
    return render_template("live/projector.html", **context)


@bp.get("/exercise/<int:exercise_id>/clock")
def clock(exercise_id: int):
    """The polled fragment: the clock (or every group's clock) as it is now (a tablet whose
    fragment is still current got 204 before this: views.answer_unchanged_poll)."""
    exercise, membership = exercise_for(exercise_id)
    mode = sharing.asked_mode()
    if mode not in sharing.SHARED_MODES:
        return clock_fragment(exercise, mode, may(membership, exercise.meeting_id, RUN))
    # Only the facilitator's fragment has controls: a tablet's needs no RUN check.
    template, context = _fragment(exercise, mode, False, utcnow())
    body = render_template(template, refused="", oob=False, **context)
    sharing.keep(exercise, mode, body, context)
    return body


@bp.get("/exercise/<int:exercise_id>/events")
def events(exercise_id: int):
    """The exercise's change stream (server-sent events): every open screen of it hears a
    change at once and then fetches its own fragment; between changes, the server's time.
    It carries its meeting's programme moves too, for the screens that follow the room."""
    exercise, _membership = exercise_for(exercise_id)
    lifetime = float(current_app.config["LIVE_STREAM_SECONDS"])
    channels = (exercise.id, push.meeting_key(exercise.meeting_id))
    return push.response(channels, db.engine, lifetime, lambda: screens.iso_utc(utcnow()))


@bp.post("/exercise/<int:exercise_id>/control/<action>")
def control(exercise_id: int, action: str):
    """Start, pause, resume, next, previous, +1 minute or end, if the version still holds."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    if action not in services.CONTROLS or exercise.kind == ExerciseKind.SPARRING:
        abort(404)
    form = VersionForm()
    version = form.version.data if form.validate() else None
    outcome = services.apply_control(exercise, action, version, utcnow())
    commit_then_read()
    return _after_change(exercise, texts.refusal(outcome.refused))


@bp.post("/exercise/<int:exercise_id>/start-all")
def start_all(exercise_id: int):
    """Start every sparring group at the same moment."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    if exercise.kind != ExerciseKind.SPARRING:
        abort(404)
    services.start_all(exercise, utcnow())
    commit_then_read()
    return _after_change(exercise)


@bp.post("/exercise/<int:exercise_id>/room/<action>")
def room_control(exercise_id: int, action: str):
    """Pause every running group or resume every paused one, from the overview."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    if exercise.kind != ExerciseKind.SPARRING or action not in services.ROOM_CONTROLS:
        abort(404)
    form = VersionForm()
    version = form.version.data if form.validate() else None
    refused = services.control_room(exercise, action, version, utcnow())
    commit_then_read()
    return _after_change(exercise, texts.refusal(refused))


@bp.post("/exercise/<int:exercise_id>/options")
def options(exercise_id: int):
    """Turn auto-advance and the end-of-step sound on or off."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    form = OptionsForm()
    saved = form.validate_on_submit()
    if saved:
        services.set_options(exercise, form.auto_advance.data, form.sound.data, utcnow())
        commit_then_read()
    if is_htmx():  # saved in place: the page, and the sound a tap unlocked, stay
        return render_template("live/_options.html", exercise=exercise, saved=saved,
                               options_form=form if not saved else OptionsForm(obj=exercise))
    return redirect(url_for(".facilitate", exercise_id=exercise.id), 303)


@bp.post("/exercise/<int:exercise_id>/order")
def order(exercise_id: int):
    """Move a speaker up or down, or shuffle those who have not spoken yet."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    form = OrderForm()
    if exercise.kind != ExerciseKind.PRESENTATION or form.action.data not in ("up", "down",
                                                                             "shuffle"):
        abort(404)
    return _change(exercise, form, lambda: exercises.reorder(
        exercise, form.action.data, form.index.data or 0))


@bp.post("/exercise/<int:exercise_id>/regroup")
def regroup(exercise_id: int):
    """Form the pairs or groups again (or shuffle the order) before the start."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    return _change(exercise, VersionForm(), lambda: exercises.form_again(exercise), check=False)


@bp.post("/exercise/<int:exercise_id>/move")
def move(exercise_id: int):
    """Move a person to another sparring group (only people of this exercise's groups)."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    form = MoveForm()
    return _change(exercise, form, lambda: exercises.move_member(
        exercise, form.person.data, form.group.data))


@bp.post("/exercise/<int:exercise_id>/questions")
def add_question(exercise_id: int):
    """Add the facilitator's own question to the interview question bank."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    form = QuestionForm()
    if exercise.kind != ExerciseKind.INTERVIEWS:
        abort(404)
    if not form.validate_on_submit():
        return _facilitator_page(exercise, question_form=form)
    if first_submit(form):
        exercises.add_question(exercise, form.text.data)
    db.session.commit()
    return redirect(url_for(".facilitate", exercise_id=exercise.id), 303)


# --- helpers -----------------------------------------------------------------------------


def _change(exercise: Exercise, form, apply, check: bool = True):
    """Validate, apply a setup change, commit; a refused change shows its reason."""
    if check and not form.validate_on_submit():
        flash(texts.refusal("cannot_move"), "error")
        return redirect(url_for(".facilitate", exercise_id=exercise.id), 303)
    try:
        apply()
    except (exercises.SetupError, GroupingError) as refusal:
        db.session.rollback()
        flash(texts.refusal(refusal.code), "error")
    else:
        db.session.commit()
    return redirect(url_for(".facilitate", exercise_id=exercise.id), 303)


def _after_change(exercise: Exercise, refused: str = ""):
    """htmx gets the current clock (with a note if refused); a plain form goes back."""
    if not is_htmx():
        if refused:
            flash(refused, "info")
        return redirect(url_for(".facilitate", exercise_id=exercise.id), 303)
    # Out of band: the speaking order (presentation) or the groups editor (sparring, now
    # started) beside the clock on the facilitator's page follow the change too.
    return clock_fragment(exercise, "facilitator", True, refused, oob=True)


def clock_fragment(exercise: Exercise, mode: str, can_run: bool, refused: str = "",
                   oob: bool = False):
    """The clock fragment of `mode` (every group's, for sparring), as it is now."""
    template, context = _fragment(exercise, mode, can_run, utcnow())
    return render_template(template, refused=refused, oob=oob, **context)


def _fragment(exercise: Exercise, mode: str, can_run: bool, now) -> tuple[str, dict]:
    if exercise.kind == ExerciseKind.SPARRING:
        return "live/_overview.html", screens.overview_screen(exercise, mode, can_run, now)
    return "live/_clock.html", screens.exercise_screen(exercise, mode, can_run, now)


def _sparring_page(exercise: Exercise, mode: str, can_run: bool):
    context = screens.overview_screen(exercise, mode, can_run, utcnow())
    return render_template(
        "live/sparring.html", under_way=services.is_under_way(exercise),
        options_form=OptionsForm(obj=exercise), move_form=MoveForm(), refused="", **context,
    )


def _facilitator_page(exercise: Exercise, question_form: QuestionForm | None = None):
    if exercise.kind == ExerciseKind.SPARRING:
        return _sparring_page(exercise, "facilitator", True)
    context = screens.exercise_screen(exercise, "facilitator", True, utcnow())
    return render_template(
        "live/facilitate.html", options_form=OptionsForm(obj=exercise),
        question_form=question_form or QuestionForm(), under_way=services.is_under_way(exercise),
        order_form=OrderForm(), refused="", **context,
    )
