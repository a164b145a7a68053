"""Organisation admin pages: every network's figures, new networks, coordinators.

An organisation admin is not a member by that role: these pages show figures only,
and the network pages themselves answer 404 to them like to any non-member.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.meetings import planning
from netapp.meetings.zones import to_local, zone_of
from netapp.networks import bp, choices, phases, services
from netapp.networks import coordinators as coordinator_changes
from netapp.networks import invitations as inv
from netapp.networks.access import admin_organisation_ids
from netapp.networks.forms import AppointForm, ButtonForm, OrgNetworkForm
from netapp.networks.models import CoordinatorHow, Membership, Role
from netapp.once import first_submit


def _organisation(organisation_id: int):
    """The organisation if I administer it; otherwise it does not exist for me."""
    return services.organisation_of_admin(organisation_id, current_user.id) or abort(404)


def _refuse_self(field) -> bool:
    """The admin sees figures, never content: she cannot make herself a coordinator."""
    if (field.data or "").strip().lower() != current_user.email.lower():
        return False
    field.errors.append(_(
        "You cannot appoint yourself: as the organisation's admin you see the networks' "
        "figures, never their content. Appoint someone from the network, or ask its "
        "coordinator to invite you as a member."))
    return True


def _appoint(network, email: str) -> str:
    """Appoint an existing account, or e-mail an invitation in the coordinator role."""
    user = db.session.scalar(User.by_email(email))
    if user is not None:
        services.appoint(network, user, current_user)
        db.session.commit()
        return _("%(name)s is coordinator of %(network)s.", name=user.name, network=network.name)
    outgoing, _problems = inv.invite_many(network, current_user, email, "coordinator")
    for each in outgoing:
        inv.send(each, current_user)  # queued: stored with the invitation, or neither
    db.session.commit()
    return _(
        "%(email)s has no account yet: an invitation to coordinate %(network)s is sent.",
        email=email,
        network=network.name,
    )


@bp.get("/org")
@login_required
def org_home():
    """Go to the organisation I administer."""
    ids = admin_organisation_ids(current_user.id) or abort(404)
    return redirect(url_for("networks.org", organisation_id=ids[0]))


@bp.get("/org/<int:organisation_id>")
@login_required
def org(organisation_id: int):
    """All networks of the organisation with their key figures (never their content)."""
    organisation = _organisation(organisation_id)
    return render_template(
        "networks/org.html",
        organisation=organisation,
        rows=services.organisation_overview(organisation.id),
    )


@bp.route("/org/<int:organisation_id>/new", methods=["GET", "POST"])
@login_required
def org_new(organisation_id: int):
    """Create a network and name its first coordinator."""
    organisation = _organisation(organisation_id)
    form = OrgNetworkForm()
    if form.validate_on_submit() and not _refuse_self(form.coordinator):
        if not first_submit(form):
            return redirect(url_for("networks.org", organisation_id=organisation.id))
        network = services.create_network(organisation.id, form.name.data, form.purpose.data or "")
        db.session.commit()
        flash(_appoint(network, form.coordinator.data), "ok")
        return redirect(url_for("networks.org", organisation_id=organisation.id))
    return render_template("networks/org_new.html", organisation=organisation, form=form)


@bp.route(
    "/org/<int:organisation_id>/networks/<int:network_id>/coordinators", methods=["GET", "POST"]
)
@login_required
def org_coordinators(organisation_id: int, network_id: int):
    """See, appoint and change the coordinators of one network."""
    organisation = _organisation(organisation_id)
    network = services.org_network(organisation, network_id) or abort(404)
    form = AppointForm()
    if form.validate_on_submit() and not _refuse_self(form.coordinator):
        flash(_appoint(network, form.coordinator.data), "ok")
        return redirect(
            url_for(
                "networks.org_coordinators", organisation_id=organisation.id, network_id=network.id
            )
        )
    coordinators = [m for m, _p in services.directory(network.id) if m.role == Role.COORDINATOR]
    return render_template(
        "networks/org_coordinators.html",
        organisation=organisation,
        network=network,
        coordinators=coordinators,
        history=coordinator_changes.history(network.id),
        form=form,
        button=ButtonForm(),
    )


@bp.post("/org/<int:organisation_id>/networks/<int:network_id>/coordinators/<int:membership_id>")
@login_required
def org_unappoint(organisation_id: int, network_id: int, membership_id: int):
    """Take the coordinator role from someone (they stay a member); never the last one."""
    organisation = _organisation(organisation_id)
    network = services.org_network(organisation, network_id) or abort(404)
    target: Membership = services.membership_in(network, membership_id) or abort(404)
    if ButtonForm().validate_on_submit() and target.is_coordinator:
        if services.set_position(target, "core", current_user, CoordinatorHow.UNAPPOINTED):
            db.session.commit()
        else:
            flash(_("Appoint another coordinator first: a network needs one."), "error")
    return redirect(
        url_for("networks.org_coordinators", organisation_id=organisation.id, network_id=network.id)
    )


@bp.get("/org/<int:organisation_id>/networks/<int:network_id>")
@login_required
def org_network(organisation_id: int, network_id: int):
    """One network's set-up answers and phase plan, to read: figures and structure only
    (how many in each phase and meeting, never names, topics or what is written)."""
    organisation = _organisation(organisation_id)
    network = services.org_network(organisation, network_id) or abort(404)
    plan = phases.phases_of(network.id)
    meetings = list(db.session.scalars(planning.network_meetings(network.id)))
    today = to_local(utcnow(), zone_of(network)).date()
    return render_template(
        "networks/org_network.html", organisation=organisation, network=network, c=choices,
        line=phases.timeline(network, plan, meetings, today),
        counts=services.participation_counts(network.id),
    )
