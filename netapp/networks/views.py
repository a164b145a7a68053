"""The network page, starting a network, the guided set-up and the home panel."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp import access
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.main.panels import home_panel
from netapp.meetings import planning
from netapp.meetings.zones import to_local, zone_of
from netapp.networks import bp, choices, coordinators, home, phases, services
from netapp.networks.access import network_for
from netapp.networks.contract import contract_of, my_acceptance
from netapp.networks.forms import STEPS, NewNetworkForm, answers, step_form
from netapp.networks.models import Role
from netapp.once import answered, earlier_answer, first_submit


@bp.get("/<int:network_id>")
@login_required
def network(network_id: int):
    """The network's profile, contract status and the way to everything else."""
    network, membership = network_for(network_id)
    contract = contract_of(network.id)
    mine = my_acceptance(network.id, current_user.id) if contract else None
    plan = phases.phases_of(network.id)
    visible = planning.visible_meetings(network.id, current_user.id, membership.role)
    today = to_local(utcnow(), zone_of(network)).date()
    return render_template(
        "networks/network.html",
        network=network,
        membership=membership,
        line=phases.timeline(network, plan, visible, today),
        mine=({p.id for p in plan if current_user.id in p.participant_ids}
              if access.per_phase(membership) else None),
        plans_phases=access.plans_phases(network, membership),
        per_phase=access.per_phase(membership),
        contract=contract,
        accepted=bool(mine and contract and mine.version == contract.version),
        members=services.member_count(network.id),
        coordinator_history=coordinators.history(network.id),
        c=choices,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """A coordinator (or organisation admin) starts a network and becomes its coordinator."""
    organisations = services.organisations_for_new_network(current_user.id)
    if not organisations:
        abort(403)
    form = NewNetworkForm()
    form.organisation.choices = choices.select({o.id: o.name for o in organisations})
    if len(organisations) == 1 and not form.is_submitted():
        form.organisation.data = organisations[0].id
    if form.validate_on_submit():
        if not first_submit(form):
            return redirect(earlier_answer(form) or url_for("main.home"))
        network = services.create_network(
            form.organisation.data, form.name.data, coordinator=current_user._get_current_object()
        )
        target = answered(form, url_for("networks.setup", network_id=network.id, step=1))
        db.session.commit()
        return redirect(target)
    return render_template("networks/new.html", form=form)


@bp.route("/<int:network_id>/setup/<int:step>", methods=["GET", "POST"])
@login_required
def setup(network_id: int, step: int):
    """One step of the guided set-up; each step saves, back and next keep the answers."""
    network, _membership = network_for(network_id, Role.COORDINATOR)
    if not 1 <= step <= len(STEPS):
        abort(404)
    form = step_form(step, network)
    if form.validate_on_submit():
        services.save_setup(network, answers(form))
        go = step - 1 if request.form.get("go") == "back" else step + 1
        if go > len(STEPS):
            network.setup_done = True
            db.session.commit()
            flash(_("The network's profile is saved."), "ok")
            return redirect(url_for("networks.network", network_id=network.id))
        db.session.commit()
        return redirect(url_for("networks.setup", network_id=network.id, step=max(go, 1)))
    return render_template(
        "networks/setup.html", network=network, form=form, step=step, steps=STEPS, c=choices
    )


@home_panel("networks/_home.html")
def panel(user) -> dict | None:
    """My networks, what needs me and each network's next meeting."""
    return home.panel(user)


@bp.after_app_request
def announce_coordinator_changes(response):
    """Any blueprint may change who coordinates: tell them once the view has committed."""
    return coordinators.announce_after_request(response)
