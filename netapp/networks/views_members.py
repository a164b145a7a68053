"""The member directory, roles, leaving, composition and one's own profile.

A guest facilitator (an external coach) sees who is in the room (name, practice, role)
but not the contact details members share with each other; the network's own facilitator does.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.extensions import db
from netapp.networks import bp, choices, services
from netapp.networks.access import network_for
from netapp.networks.composition import DEMOGRAPHICS_MIN, compose
from netapp.networks.forms import ButtonForm, PositionForm
from netapp.networks.member_forms import ProfileForm
from netapp.networks.models import Role
from netapp.networks.profiles import profile_of, save_profile


def _last() -> str:
    return _("The network needs a coordinator: hand the role on to someone else first.")


@bp.get("/<int:network_id>/members")
@login_required
def members(network_id: int):
    """Who is in the network, with the contact details each member chose to share."""
    network, membership = network_for(network_id)
    return render_template(
        "networks/members.html",
        network=network,
        membership=membership,
        rows=services.directory(network.id),
        c=choices,
        position_of=services.position_of,
        show_contact=not membership.is_guest,
        form=PositionForm(),
        button=ButtonForm(),
    )


@bp.post("/<int:network_id>/members/<int:membership_id>/role")
@login_required
def change_role(network_id: int, membership_id: int):
    """A coordinator changes a member's role or participation."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    target = services.membership_in(network, membership_id) or abort(404)
    form = PositionForm()
    if form.validate_on_submit():
        if services.set_position(target, form.position.data, current_user):
            db.session.commit()
            flash(
                _(
                    "%(name)s is now: %(role)s.",
                    name=target.user.name,
                    role=choices.POSITIONS[form.position.data][2],
                ),
                "ok",
            )
        else:
            flash(_last(), "error")
    return redirect(url_for("networks.members", network_id=network.id))


@bp.post("/<int:network_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(network_id: int, membership_id: int):
    """A coordinator takes a member out of the network."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    target = services.membership_in(network, membership_id) or abort(404)
    if ButtonForm().validate_on_submit():
        name = target.user.name
        if services.remove(target, current_user):
            db.session.commit()
            flash(_("%(name)s is no longer in the network.", name=name), "ok")
        else:
            flash(_last(), "error")
    return redirect(url_for("networks.members", network_id=network.id))


@bp.post("/<int:network_id>/members/<int:membership_id>/hand-on")
@login_required
def hand_on(network_id: int, membership_id: int):
    """Rotation: hand the coordinator role on to another member."""
    network, me = network_for(network_id, Role.COORDINATOR)
    target = services.membership_in(network, membership_id) or abort(404)
    if ButtonForm().validate_on_submit() and target.id != me.id:
        services.hand_on(me, target, current_user)
        db.session.commit()
        flash(_("%(name)s is now coordinator of the network.", name=target.user.name), "ok")
    return redirect(url_for("networks.members", network_id=network.id))


@bp.post("/<int:network_id>/leave")
@login_required
def leave(network_id: int):
    """Leave the network (the last coordinator hands the role on first)."""
    network, me = network_for(network_id)
    if ButtonForm().validate_on_submit():
        if services.remove(me, current_user):
            db.session.commit()
            flash(_("You have left %(network)s.", network=network.name), "ok")
            return redirect(url_for("main.home"))
        flash(_last(), "error")
    return redirect(url_for("networks.network", network_id=network.id))


@bp.get("/<int:network_id>/composition")
@login_required
def composition(network_id: int):
    """The mix of the group, and whether it has both common ground and difference."""
    network, membership = network_for(network_id, Role.COORDINATOR, Role.MEMBER)
    result = compose(
        services.composition_people(network.id), network.size.value if network.size else None
    )
    return render_template(
        "networks/composition.html",
        network=network,
        membership=membership,
        result=result,
        c=choices,
        demographics_min=DEMOGRAPHICS_MIN,
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """My profile for composing networks, and what the directory may show of me: a part of
    the one profile page, where a GET goes and an invalid answer is shown again."""
    if request.method == "GET":
        return redirect(url_for("auth.profile", _anchor="member-profile"))
    profile = profile_of(current_user.id)
    form = member_profile_form(profile)
    if form.validate_on_submit():
        data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "consent")}
        dropped = not form.consent.data and (data.get("gender") or data.get("age_band"))
        save_profile(profile, data, form.consent.data)
        db.session.commit()
        if dropped:  # say so beside the consent, and keep the choice for a second try
            form.consent.errors.append(_(
                "Your gender and age band were not saved: they are stored only with your "
                "consent. Tick the consent and save again, or leave them empty."))
            flash(_("Your profile is saved, except gender and age band."), "error")
        else:
            flash(_("Your member profile is saved."), "ok")
            return redirect(url_for("auth.profile", _anchor="member-profile"))
    from netapp.auth.views import profile_page

    return profile_page(member_form=form)


def member_profile_form(profile=None) -> ProfileForm:
    """The member profile's form, filled from what is stored (reading never writes)."""
    profile = profile or profile_of(current_user.id)
    return ProfileForm(obj=profile, consent=profile.has_consent)
