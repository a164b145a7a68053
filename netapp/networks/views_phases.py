"""The phase plan: phases with their periods and participants, and the co-driver."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields import SelectChoice

from netapp import access
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings import planning
from netapp.meetings.zones import to_local, zone_of
from netapp.networks import bp, choices, phases
from netapp.networks.access import network_for
from netapp.networks.forms import ButtonForm, CoDriverForm, PhaseForm
from netapp.networks.phases import PhaseError, PhaseInput
from netapp.once import answered, earlier_answer, first_submit


def _planner(network_id: int):
    """The network, for its coordinators and its co-driver (netapp.access.plans_phases)."""
    network, membership = network_for(network_id)
    if not access.plans_phases(network, membership):
        abort(403)
    return network, membership


def _phase_form(network, phase=None, form=None) -> PhaseForm:
    """The phase form offering the network's participants per phase, filled from a phase."""
    form = form or PhaseForm(obj=phase)
    form.participants.choices = [SelectChoice(u.id, u.name)
                                 for u in phases.per_phase_people(network.id)]
    if phase is not None and not form.is_submitted():
        form.participants.data = sorted(phase.participant_ids)
    return form


def _co_driver_form(network) -> CoDriverForm:
    form = CoDriverForm(co_driver=network.co_driver_id)
    form.co_driver.choices = [SelectChoice("", _("Nobody (a second coordinator)"))] + [
        SelectChoice(u.id, u.name) for u in phases.core_people(network.id)]
    return form


def _data(form: PhaseForm) -> PhaseInput:
    return PhaseInput(form.name.data or "", form.purpose.data or "", form.starts_on.data,
                      form.ends_on.data, set(form.participants.data or []))


def _page(network, membership, form, phase=None, co_driver=None, status=200):
    plan = phases.phases_of(network.id)
    meetings = list(db.session.scalars(planning.network_meetings(network.id)))
    today = to_local(utcnow(), zone_of(network)).date()
    return render_template(
        "networks/phases.html", network=network, membership=membership, form=form,
        editing=phase, co_driver=co_driver or _co_driver_form(network), c=choices,
        line=phases.timeline(network, plan, meetings, today),
        core=phases.core_people(network.id), per_phase=phases.per_phase_people(network.id),
    ), status


@bp.route("/<int:network_id>/phases", methods=["GET", "POST"])
@login_required
def phases_plan(network_id: int):
    """The plan as a timeline, and a new phase (coordinators and the co-driver)."""
    network, membership = _planner(network_id)
    form = PhaseForm()
    _phase_form(network, form=form)
    if form.validate_on_submit():
        if not first_submit(form):
            return redirect(earlier_answer(form) or url_for(
                "networks.phases_plan", network_id=network.id))
        try:
            phases.save_phase(network, None, _data(form))
        except PhaseError as error:
            db.session.rollback()  # frees the token: the corrected form is still the first
            _show(form, error)
        else:
            target = answered(form, url_for("networks.phases_plan", network_id=network.id))
            db.session.commit()
            flash(_("The phase is saved."), "ok")
            return redirect(target)
    return _page(network, membership, form)


@bp.route("/<int:network_id>/phases/<int:phase_id>", methods=["GET", "POST"])
@login_required
def edit_phase(network_id: int, phase_id: int):
    """Change a phase: its name, purpose, period or participants."""
    network, membership = _planner(network_id)
    phase = phases.phase_in(network, phase_id) or abort(404)
    form = _phase_form(network, phase)
    if form.validate_on_submit():
        try:
            phases.save_phase(network, phase, _data(form))
        except PhaseError as error:
            db.session.rollback()
            phase = phases.phase_in(network, phase_id)
            _show(form, error)
        else:
            db.session.commit()
            flash(_("The phase is saved."), "ok")
            return redirect(url_for("networks.phases_plan", network_id=network.id))
    return _page(network, membership, form, phase)


@bp.post("/<int:network_id>/phases/<int:phase_id>/delete")
@login_required
def delete_phase(network_id: int, phase_id: int):
    """Remove a phase; its meetings stay, outside the plan until a phase holds them."""
    network, membership = _planner(network_id)
    phase = phases.phase_in(network, phase_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("networks.phases_plan", network_id=network.id))
    try:
        phases.delete_phase(network, phase)
    except PhaseError as error:
        db.session.rollback()
        flash(str(next(iter(error.errors.values()))), "error")
    else:
        db.session.commit()
        flash(_("The phase is removed."), "ok")
    return redirect(url_for("networks.phases_plan", network_id=network.id))


@bp.post("/<int:network_id>/co-driver")
@login_required
def set_co_driver(network_id: int):
    """A coordinator names the co-driver who plans the phases with them."""
    network, membership = network_for(network_id)
    if not membership.is_coordinator:
        abort(403)
    form = _co_driver_form(network)
    if form.validate_on_submit():
        try:
            phases.set_co_driver(network, form.co_driver.data)
        except PhaseError as error:
            _show(form, error)
        else:
            db.session.commit()
            flash(_("The co-driver is saved."), "ok")
            return redirect(url_for("networks.phases_plan", network_id=network.id))
    return _page(network, membership, _phase_form(network), co_driver=form)


def _show(form, error) -> None:
    for field, message in error.errors.items():
        getattr(form, field).errors.append(message)
