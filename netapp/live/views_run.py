"""Running the meeting from its agenda: the facilitator's programme, the room's programme
screen, the moves (begin, next, extend, skip), opening an item's exercise, and "what runs
now" for the tablets and the projector that follow the room."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from netapp.access import RUN, exercise_for, may, meeting_for
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.htmx import is_htmx
from netapp.live import bp, exercises, programme, push, screens, texts
from netapp.live.forms import RenameForm, RunForm
from netapp.live.grouping import GroupingError
from netapp.meetings import agenda as agendas

MOVES = ("begin", "next", "extend", "skip")
SCREENS = ("tablet", "projector")


@bp.get("/meeting/<int:meeting_id>/run")
def run(meeting_id: int):
    """The facilitator's programme: the running item's clock, next, extend, skip, open."""
    meeting, _network, _membership = meeting_for(meeting_id, RUN)
    return render_template("live/run.html", **_context(meeting, "facilitator"))


@bp.get("/meeting/<int:meeting_id>/programme")
def programme_screen(meeting_id: int):
    """The room's programme on a tablet or the projector: the item now, its time, the plan."""
    meeting, _network, _membership = meeting_for(meeting_id)
    return render_template("live/programme.html", **_context(meeting, _screen()))


@bp.get("/meeting/<int:meeting_id>/programme/clock")
def programme_clock(meeting_id: int):
    """The polled fragment of the programme's clock."""
    meeting, _network, membership = meeting_for(meeting_id)
    mode = request.args.get("mode", "tablet")
    if mode == "facilitator" and not may(membership, meeting.id, RUN):
        mode = "tablet"
    mode = mode if mode in screens.MODES else "tablet"
    return render_template("live/_programme_clock.html", **_context(meeting, mode))


@bp.get("/meeting/<int:meeting_id>/now")
def now(meeting_id: int):
    """What runs now for this screen: 204 while it is what the screen shows (`at`), else an
    HX-Redirect to it (a plain request is redirected)."""
    meeting, _network, _membership = meeting_for(meeting_id)
    target = programme.now_for(meeting, current_user.id, _screen(), utcnow())
    if target is None or request.args.get("at") == target.key:
        return "", 204
    if is_htmx():
        return "", 200, {"HX-Redirect": target.url}
    return redirect(target.url, 303)


@bp.get("/meeting/<int:meeting_id>/events")
def meeting_events(meeting_id: int):
    """The programme's change stream (server-sent events): every screen that follows the room
    hears a move at once and asks where to go now; between moves, the server's time."""
    meeting, _network, _membership = meeting_for(meeting_id)
    lifetime = float(current_app.config["LIVE_STREAM_SECONDS"])
    return push.response(push.meeting_key(meeting.id), db.engine, lifetime,
                         lambda: screens.iso_utc(utcnow()))


@bp.post("/meeting/<int:meeting_id>/run/<action>")
def run_move(meeting_id: int, action: str):
    """Begin the programme, move on, give the item five more minutes, or skip an item."""
    meeting, _network, _membership = meeting_for(meeting_id, RUN)
    if action not in MOVES:
        abort(404)
    form = RunForm()
    version = form.version.data if form.validate() else None
    index = _index_of(meeting, form.item.data)
    refused = programme.move(meeting, action, version, utcnow(), index)
    db.session.commit()
    if refused:
        flash(texts.refusal("programme_not_running" if refused == "not_running" else refused),
              "error")
    return redirect(url_for(".run", meeting_id=meeting.id), 303)


@bp.post("/meeting/<int:meeting_id>/run/open")
def run_open(meeting_id: int):
    """Open the running item's exercise or the evaluation round, made from the item."""
    meeting, _network, _membership = meeting_for(meeting_id, RUN)
    state = programme.read(meeting, utcnow())
    if state.current is None:
        flash(texts.refusal("programme_not_running"), "error")
        return redirect(url_for(".run", meeting_id=meeting.id), 303)
    item = meeting.agenda[state.current]
    try:
        exercise = programme.open_item(meeting, item, utcnow())
    except (exercises.SetupError, GroupingError) as refusal:
        db.session.rollback()
        flash(texts.refusal(refusal.code), "error")
        return redirect(url_for(".run", meeting_id=meeting.id), 303)
    db.session.commit()
    if exercise is None:
        return redirect(url_for("evaluations.round", meeting_id=meeting.id), 303)
    return redirect(url_for(".facilitate", exercise_id=exercise.id), 303)


@bp.post("/exercise/<int:exercise_id>/rename")
def rename(exercise_id: int):
    """Give an exercise that has not started its own name."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    form = RenameForm()
    try:
        if not form.validate_on_submit():
            raise exercises.SetupError("cannot_move")
        programme.rename(exercise, form.title.data or "")
    except exercises.SetupError as refusal:
        db.session.rollback()
        flash(texts.refusal(refusal.code), "error")
    else:
        db.session.commit()
    return redirect(url_for(".meeting", meeting_id=exercise.meeting_id), 303)


@bp.post("/exercise/<int:exercise_id>/delete")
def delete(exercise_id: int):
    """Delete an exercise that has not started; a started one stays, with why."""
    exercise, _membership = exercise_for(exercise_id, RUN)
    meeting_id = exercise.meeting_id
    try:
        if not RenameForm().validate_on_submit():
            raise exercises.SetupError("cannot_move")
        programme.delete(exercise)
    except exercises.SetupError as refusal:
        db.session.rollback()
        flash(texts.refusal(refusal.code), "error")
    else:
        db.session.commit()
    return redirect(url_for(".meeting", meeting_id=meeting_id), 303)


# --- helpers -----------------------------------------------------------------------------


def _screen() -> str:
    mode = request.args.get("mode", "tablet")
    return mode if mode in SCREENS else "tablet"


def _index_of(meeting, item_id: int | None) -> int | None:
    if item_id is None:
        return None
    item = agendas.item_of(meeting, item_id)
    return meeting.agenda.index(item) if item is not None else -1


def _context(meeting, mode: str) -> dict:
    """Everything the programme's screens draw, from the server's clock."""
    moment = utcnow()
    state = programme.read(meeting, moment)
    current = meeting.agenda[state.current] if state.current is not None else None
    coming = meeting.agenda[state.next] if state.next is not None else None
    exercise = programme.exercise_of_item(meeting, current) if current is not None else None
    return {
        "meeting": meeting,
        "mode": mode,
        "programme": state,
        "current": current,
        "coming": coming,
        "exercise": exercise,
        "exercise_state": programme.state_of(exercise) if exercise else "",
        "opens": current is not None and current.kind in programme.OPENS,
        "drift": programme.agenda_clock.drift_minutes(state.drift),
        "server_now": screens.iso_utc(moment),
        "ends_at": screens.iso_utc(state.ends_at),
        "run_form": RunForm(formdata=None, version=meeting.run_version),
    }
