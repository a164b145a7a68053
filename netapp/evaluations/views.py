"""The evaluation round: the member's form, the shared tablet, the room's live results."""

import io

import segno
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from netapp.evaluations import bp, charts, services
from netapp.evaluations.forms import ConfirmForm, EvaluationForm, KioskForm, OpenForm
from netapp.extensions import db
from netapp.htmx import is_htmx, render
from netapp.networks.access import network_for
from netapp.networks.models import Role

FACILITATING = (Role.COORDINATOR, Role.FACILITATOR)
STOP_POLLING = 286  # htmx stops polling on this status


@bp.before_request
@login_required
def require_login():
    """Every evaluation page is for logged-in people only."""


@bp.context_processor
def chart_helpers() -> dict:
    """The room's scale charts are drawn in the template from the counts."""
    return {"charts_distribution": lambda counts: charts.distribution(counts, "s-scale")}


@bp.get("/network/<int:network_id>")
def index(network_id: int):
    """The network's meetings and the state of each one's evaluation."""
    network, membership = network_for(network_id)
    rounds = services.meetings_with_rounds(network_id)
    return render_template("evaluations/index.html", network=network,
                           membership=membership, rounds=rounds)


@bp.route("/meeting/<int:meeting_id>", methods=["GET", "POST"])
def answer(meeting_id: int):
    """A member answers the evaluation on their own phone, and may change it until it closes."""
    meeting, network, membership = services.meeting_for(meeting_id)
    evaluation = services.evaluation_of(meeting_id)
    present = services.is_present(meeting_id, current_user.id)
    mine = evaluation and services.answer_of(evaluation.id, current_user.id)
    form = EvaluationForm(obj=mine, includes_check=bool(evaluation and evaluation.includes_check))
    if form.is_submitted() and not (evaluation and evaluation.is_open and present):
        form.validate()  # show the typed text again, with why it could not be saved
        problem = _refusal(evaluation, present)
    elif form.validate_on_submit():
        services.save_answer(evaluation.id, current_user.id, form.answer_data())
        db.session.commit()
        flash(_("Thank you! Your answer is saved. You can change it until the evaluation "
                "closes."), "ok")
        return redirect(url_for(".answer", meeting_id=meeting_id))
    else:
        problem = None if form.is_submitted() else _refusal(evaluation, present)
    return render_template("evaluations/answer.html", meeting=meeting, network=network,
                           membership=membership, evaluation=evaluation, form=form,
                           problem=problem, answered=mine is not None)


def _refusal(evaluation, present: bool) -> str | None:
    """Why this member cannot answer now, or None."""
    if evaluation is None:
        return _("The evaluation of this meeting has not been opened yet.")
    if not evaluation.is_open:
        return _("The evaluation of this meeting has closed, so your answer was not saved.")
    if not present:
        return _("You are not registered as present at this meeting. Ask the facilitator "
                 "to check you in.")
    return None


@bp.get("/meeting/<int:meeting_id>/round")
def round(meeting_id: int):  # noqa: A001  (the users' word: the evaluation round)
    """The room's view: answers arrive live; the fragment polls itself until the round closes."""
    meeting, network, membership = services.meeting_for(meeting_id, *FACILITATING)
    evaluation = services.evaluation_of(meeting_id)
    results = evaluation and services.round_results(evaluation)
    due = evaluation is None and services.check_is_due(
        meeting, services.settings_for(network.id).check_every)
    response = render("evaluations/round.html", "evaluations/_round.html", meeting=meeting,
                      network=network, evaluation=evaluation, results=results,
                      open_form=OpenForm(include_check=due), close_form=ConfirmForm())
    if is_htmx() and (evaluation is None or not evaluation.is_open):
        response.status_code = STOP_POLLING
    return response


@bp.post("/meeting/<int:meeting_id>/open")
def open_round(meeting_id: int):
    """The facilitator opens (or reopens) the evaluation."""
    meeting, _network, _membership = services.meeting_for(meeting_id, *FACILITATING)
    form = OpenForm()
    if form.validate_on_submit():
        services.open_round(meeting, form.include_check.data)
        db.session.commit()
        flash(_("The evaluation is open."), "ok")
    return redirect(url_for(".round", meeting_id=meeting_id))


@bp.post("/meeting/<int:meeting_id>/close")
def close_round(meeting_id: int):
    """The facilitator closes the evaluation; no answers are taken after this."""
    services.meeting_for(meeting_id, *FACILITATING)
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
    services.meeting_for(meeting_id, *FACILITATING)
    target = url_for(".answer", meeting_id=meeting_id, _external=True)
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False,
                                      dark="#1d2627", light="#ffffff")
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml"}


@bp.route("/meeting/<int:meeting_id>/kiosk", methods=["GET", "POST"])
def kiosk(meeting_id: int):
    """The shared tablet: each picks their name and answers; the form resets for the next."""
    meeting, network, _membership = services.meeting_for(meeting_id, *FACILITATING)
    evaluation = services.evaluation_of(meeting_id)
    people = services.attendees(meeting)
    form = KioskForm(includes_check=bool(evaluation and evaluation.includes_check))
    form.person.choices = [SelectChoice("", _("Choose your name"))] + [
        SelectChoice(str(att.id), user.name) for att, user, _done in people]
    chosen = {str(att.id): user for att, user, _done in people}
    if form.validate_on_submit() and evaluation and evaluation.is_open:
        user = chosen.get(form.person.data)
        if user is None:
            form.person.errors.append(_("That name is not on the list of those at this "
                                        "meeting."))
        else:
            services.save_answer(evaluation.id, user.id, form.answer_data())
            db.session.commit()
            flash(_("Thank you, %(name)s! Pass the tablet on.", name=user.name), "ok")
            return redirect(url_for(".kiosk", meeting_id=meeting_id))
    return render_template("evaluations/kiosk.html", meeting=meeting, network=network,
                           evaluation=evaluation, form=form, people=people)
