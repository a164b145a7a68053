"""The evaluation round: the member's form, the shared tablet, the room's live results."""

import io

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from netapp.access import ANSWER, RESULTS, RUN, may, meeting_for, rights
from netapp.auth.models import utcnow
from netapp.evaluations import bp, charts, services
from netapp.evaluations import kiosk as kiosk_mode
from netapp.evaluations.forms import (
    ConfirmForm,
    EvaluationForm,
    KioskForm,
    KioskLockForm,
    OpenForm,
)
from netapp.extensions import db
from netapp.htmx import is_htmx, render
from netapp.i18n import TIME_PATTERN, format_datetime
from netapp.links import public_url_for
from netapp.networks.access import network_for
from netapp.networks.models import Role

STOP_POLLING = 286  # htmx stops polling on this status


@bp.before_request
@login_required
def require_login():
    """Every evaluation page is for logged-in people only."""


@bp.before_app_request
def kiosk_lock():
    """A tablet locked as the kiosk opens nothing but the kiosk (polls get HX-Redirect)."""
    if request.endpoint in kiosk_mode.NOT_BEFORE_THE_VIEW:
        return None
    return kiosk_mode.kiosk_answer()


@bp.after_app_request
def kiosk_lock_after(response):
    """A clock poll the live fast path passed on (it answers no locked tablet) gets the kiosk
    too, once its view has loaded the user; a poll it answered loaded no user and stays so."""
    if request.endpoint in kiosk_mode.POLLED_BEFORE_LOGIN and kiosk_mode.loaded_lock():
        return kiosk_mode.into_kiosk(response)
    return response


@bp.context_processor
def chart_helpers() -> dict:
    """The room's scale charts are drawn in the template from the counts."""
    return {"charts_distribution": lambda counts: charts.distribution(counts, "s-scale")}


@bp.get("/network/<int:network_id>")
def index(network_id: int):
    """The network's meetings and the state of each one's evaluation."""
    network, membership = network_for(network_id)
    rounds = services.meetings_with_rounds(network_id, membership)
    # Only meetings they may read are listed; a guest facilitates each of theirs (a member
    # whose turn it is to facilitate runs that round from the meeting's own page).
    can_run = RUN in rights(membership.role, facilitates=membership.role == Role.GUEST)
    return render_template("evaluations/index.html", network=network, membership=membership,
                           can_run=can_run, rounds=rounds)


@bp.route("/meeting/<int:meeting_id>", methods=["GET", "POST"])
def answer(meeting_id: int):
    """A member answers the evaluation on their own phone, and may change it until it closes."""
    meeting, network, membership = meeting_for(meeting_id, ANSWER)
    evaluation = services.evaluation_of(meeting_id)
    present = services.is_present(meeting_id, current_user.id)
    mine = evaluation and services.answer_of(evaluation.id, current_user.id)
    final = bool(mine) and services.is_final(evaluation, mine)
    form = EvaluationForm(obj=None if final else mine,
                          includes_check=bool(evaluation and evaluation.includes_check))
    if form.is_submitted() and (final or not (evaluation and evaluation.is_open and present)):
        form.validate()  # show the typed text again, with why it could not be saved
        problem = _refusal(evaluation, present, final, submitted=True)
    elif form.validate_on_submit():
        services.save_answer(evaluation.id, current_user.id, form.answer_data())
        db.session.commit()
        flash(_("Thank you! Your answer is saved. You can change it until the evaluation "
                "closes."), "ok")
        return redirect(url_for(".answer", meeting_id=meeting_id))
    else:
        problem = None if form.is_submitted() else _refusal(evaluation, present)
    return render_template("evaluations/answer.html", meeting=meeting, network=network,
                           membership=membership, can_run=may(membership, meeting.id, RUN),
                           evaluation=evaluation, form=form,
                           problem=problem, answered=mine is not None, final=final)


def _refusal(evaluation, present: bool, final: bool = False,
             submitted: bool = False) -> str | None:
    """Why this member cannot answer now, or None; "not saved" only after a submit."""
    if final:
        return _("You answered before the evaluation was closed, and the room has seen the "
                 "answers: yours stays as you gave it.")
    if evaluation is None:
        return _("The evaluation of this meeting has not been opened yet.")
    if not evaluation.is_open and submitted:
        return _("The evaluation of this meeting has closed, so your answer was not saved.")
    if not evaluation.is_open:
        return _("The evaluation of this meeting has closed.")
    if not present:
        return _("You are not registered as present at this meeting. Ask the facilitator "
                 "to check you in.")
    return None


@bp.get("/meeting/<int:meeting_id>/round")
def round(meeting_id: int):  # noqa: A001  (the users' word: the evaluation round)
    """The room's view: answers arrive live; the fragment polls itself until the round closes."""
    meeting, network, membership = meeting_for(meeting_id, RESULTS)
    evaluation = services.evaluation_of(meeting_id)
    results = evaluation and services.round_results(evaluation)
    due = evaluation is None and services.check_is_due(
        meeting, services.settings_for(network.id).check_every)
    response = render("evaluations/round.html", "evaluations/_round.html", meeting=meeting,
                      network=network, evaluation=evaluation, results=results,
                      open_form=OpenForm(include_check=due), close_form=ConfirmForm(),
                      lock_form=KioskLockForm(formdata=None))
    if is_htmx() and (evaluation is None or not evaluation.is_open):
        response.status_code = STOP_POLLING
    return response


@bp.post("/meeting/<int:meeting_id>/open")
def open_round(meeting_id: int):
    """The facilitator opens (or reopens) the evaluation."""
    meeting, _network, _membership = meeting_for(meeting_id, RUN)
    form = OpenForm()
    if form.validate_on_submit():
        services.open_round(meeting, form.include_check.data)
        db.session.commit()
        flash(_("The evaluation is open."), "ok")
    return redirect(url_for(".round", meeting_id=meeting_id))


@bp.post("/meeting/<int:meeting_id>/close")
def close_round(meeting_id: int):
    """The facilitator closes the evaluation; no answers are taken after this."""
    meeting_for(meeting_id, RUN)
    evaluation = services.evaluation_of(meeting_id)
    if evaluation is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.close_round(evaluation)
        db.session.commit()
        flash(_("The evaluation is closed."), "ok")
    return redirect(url_for(".round", meeting_id=meeting_id))


@bp.get("/meeting/<int:meeting_id>/qr.svg")
def qr(meeting_id: int):
    """A QR code of the form's absolute address, for phones in the room."""
    meeting_for(meeting_id, RUN)
    target = public_url_for("evaluations.answer", meeting_id=meeting_id)
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False,
                                      dark="#1d2627", light="#ffffff")
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml"}


@bp.post("/meeting/<int:meeting_id>/kiosk/start")
def kiosk_start(meeting_id: int):
    """The facilitator locks this tablet to the round with a PIN and hands it round."""
    meeting, _network, _membership = meeting_for(meeting_id, RUN)
    evaluation = services.evaluation_of(meeting_id)
    form = KioskLockForm()
    if evaluation is None or not evaluation.is_open:
        flash(_("Open the evaluation first; then hand the tablet round."), "error")
    elif not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.pin.errors) or _("Give a PIN of 4 to 8 digits."),
              "error")
    else:
        kiosk_mode.lock(evaluation, form.pin.data)
        db.session.commit()
        return redirect(url_for(".kiosk", meeting_id=meeting.id))
    return redirect(url_for(".round", meeting_id=meeting.id))


@bp.post("/meeting/<int:meeting_id>/kiosk/leave")
def kiosk_leave(meeting_id: int):
    """The facilitator's PIN leaves kiosk mode; a wrong one keeps the tablet locked."""
    meeting_for(meeting_id, RUN)
    if kiosk_mode.locked_to() not in (None, meeting_id):  # only its own round's PIN opens it
        return redirect(url_for(".kiosk", meeting_id=kiosk_mode.locked_to()))
    form = KioskLockForm()
    form.validate_on_submit()
    evaluation = services.evaluation_of(meeting_id)
    refused = kiosk_mode.unlock(evaluation, form.pin.data or "", utcnow())
    db.session.commit()  # a wrong PIN stays counted
    if refused == "too_many":
        until = kiosk_mode.blocked_until(evaluation.id) or utcnow()
        flash(_("Too many wrong PINs. The tablet takes the facilitator's PIN again at "
                "%(time)s.", time=format_datetime(until, TIME_PATTERN)), "error")
    elif refused:
        flash(_("That is not the facilitator's PIN."), "error")
    if refused:
        return redirect(url_for(".kiosk", meeting_id=meeting_id))
    return redirect(url_for(".round", meeting_id=meeting_id))


@bp.route("/meeting/<int:meeting_id>/kiosk", methods=["GET", "POST"])
def kiosk(meeting_id: int):
    """The shared tablet: each picks their name and answers once; the form resets for the next."""
    meeting, network, _membership = meeting_for(meeting_id, RUN)
    evaluation = services.evaluation_of(meeting_id)
    if kiosk_mode.locked_to() not in (None, meeting_id):
        return redirect(url_for(".kiosk", meeting_id=kiosk_mode.locked_to()))
    people = services.attendees(meeting)
    form = KioskForm(includes_check=bool(evaluation and evaluation.includes_check))
    form.person.choices = _kiosk_choices(people)
    if form.validate_on_submit() and evaluation and evaluation.is_open:
        user, problem = _kiosk_person(people, form.person.data)
        if user is not None and services.add_answer(evaluation.id, user.id, form.answer_data()):
            db.session.commit()
            flash(_("Thank you, %(name)s! Pass the tablet on.", name=user.name), "ok")
            return redirect(url_for(".kiosk", meeting_id=meeting_id))
        form.person.errors.append(problem or _already_answered(user))
        # the list shows who is done now, also when the refusal came from a race
        people = services.attendees(meeting)
        form.person.choices = _kiosk_choices(people)
    return render_template("evaluations/kiosk.html", meeting=meeting, network=network,
                           evaluation=evaluation, form=form, people=people,
                           locked=kiosk_mode.locked_to() == meeting_id,
                           lock_form=KioskLockForm(formdata=None))


def _kiosk_choices(people) -> list[SelectChoice]:
    """Everyone at the meeting; those who answered are shown as done and cannot be picked."""
    return [SelectChoice("", _("Choose your name"))] + [
        SelectChoice(str(att.id), _("%(name)s (has answered)", name=user.name),
                     render_kw={"disabled": True})
        if done else SelectChoice(str(att.id), user.name)
        for att, user, done in people]


def _kiosk_person(people, value: str):
    """(the person picked on the tablet, None) or (None, why they cannot answer here)."""
    for att, user, done in people:
        if str(att.id) == value:
            return (None, _already_answered(user)) if done else (user, None)
    return None, _("That name is not on the list of those at this meeting.")


def _already_answered(user) -> str:
    """The refusal for someone who answered: their answer stays as it is, and is not shown."""
    return _("%(name)s has already answered. An answer is never changed on the shared tablet.",
             name=user.name)
