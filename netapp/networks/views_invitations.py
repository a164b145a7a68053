"""Inviting (by e-mail or link), answering an invitation, and requests to join."""

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from netapp.auth.models import User, utcnow
from netapp.extensions import db
from netapp.links import public_url_for
from netapp.networks import bp, choices
from netapp.networks import invitations as inv
from netapp.networks.access import membership_of, network_for
from netapp.networks.forms import ButtonForm
from netapp.networks.member_forms import AccountForm, InviteForm, JoinRequestForm, LinkForm
from netapp.networks.models import Role
from netapp.once import answered, earlier_answer, first_submit, renew


def _page(network, membership, form, problems=()):
    return render_template(
        "networks/invitations.html",
        network=network,
        membership=membership,
        form=form,
        problems=problems,
        link_form=LinkForm(),
        button=ButtonForm(),
        invitations=inv.listing(network.id),
        delivery=inv.delivery(network.id),
        requests=inv.requests_of(network.id),
        new_link=session.pop("new_link", None),
        now=utcnow(),
        c=choices,
    )


@bp.route("/<int:network_id>/invitations", methods=["GET", "POST"])
@login_required
def invitations(network_id: int):
    """Invite many addresses at once; the ones that cannot be invited stay in the box."""
    network, me = network_for(network_id, Role.COORDINATOR)
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(network, me, form)
    if not first_submit(form):
        return redirect(url_for("networks.invitations", network_id=network.id))
    outgoing, problems = inv.invite_many(
        network, current_user, form.emails.data, form.position.data
    )
    for each in outgoing:
        inv.send(each, current_user)  # queued: stored with the invitations, or neither
    db.session.commit()
    if outgoing:
        sent = ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", len(outgoing))
        flash(sent, "ok")
    if not problems:
        return redirect(url_for("networks.invitations", network_id=network.id))
    form.emails.data = "\n".join(address for address, _reason in problems)
    renew(form)
    return _page(network, me, form, problems)


@bp.post("/<int:network_id>/invitations/link")
@login_required
def invitation_link(network_id: int):
    """Make a link to share; it is shown once, since only its hash is kept."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    form = LinkForm()
    if form.validate_on_submit() and first_submit(form):
        outgoing = inv.create_link(network, current_user, form.position.data)
        db.session.commit()
        session["new_link"] = public_url_for("networks.invitation", token=outgoing.token)
    return redirect(url_for("networks.invitations", network_id=network.id))


@bp.post("/<int:network_id>/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@login_required
def invitation_action(network_id: int, invitation_id: int, action: str):
    """Send an invitation again (with a new link and expiry), or revoke it."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    invitation = inv.in_network(network, invitation_id) or abort(404)
    if ButtonForm().validate_on_submit() and invitation.accepted_at is None:
        if action == "revoke":
            inv.revoke(invitation)
            db.session.commit()
            flash(_("The invitation is revoked; its link no longer works."), "ok")
        elif invitation.is_link:
            pass
        elif (renewed := inv.renew(invitation)) is None:
            flash(_("%(email)s already has an open invitation to this network.",
                    email=invitation.email), "error")
        else:
            inv.send(renewed, current_user)
            db.session.commit()
            flash(_("The invitation is sent again to %(email)s.", email=invitation.email), "ok")
    return redirect(url_for("networks.invitations", network_id=network.id))


@bp.post("/<int:network_id>/join-link")
@login_required
def join_link(network_id: int):
    """Make (or renew) the open network's link for requests to join."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    if ButtonForm().validate_on_submit() and network.is_open:
        inv.rotate_join_token(network)
        db.session.commit()
    return redirect(url_for("networks.invitations", network_id=network.id))


@bp.post("/<int:network_id>/requests/<int:request_id>/<any(approve, decline):decision>")
@login_required
def decide_request(network_id: int, request_id: int, decision: str):
    """A coordinator approves or declines a request to join."""
    network, _me = network_for(network_id, Role.COORDINATOR)
    join_request = inv.request_in(network, request_id) or abort(404)
    if ButtonForm().validate_on_submit() and join_request.decided_at is None:
        inv.decide(join_request, decision == "approve", current_user)
        db.session.commit()
    return redirect(url_for("networks.invitations", network_id=network.id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Answer an invitation: join with this account, log in first, or create an account."""
    invitation = inv.by_token(token)
    problem = "unknown" if invitation is None else invitation.problem(utcnow())
    if problem:
        status = 404 if problem == "unknown" else 410
        return render_template(
            "networks/invitation_problem.html", problem=problem, invitation=invitation
        ), status
    if current_user.is_authenticated:
        return _join_as_current_user(invitation)
    account = db.session.scalar(User.by_email(invitation.email)) if invitation.email else None
    form = AccountForm(email=invitation.email) if invitation.email else AccountForm()
    if invitation.email:
        form.email.data = invitation.email  # an e-mail invitation names the address
    if account is None and form.validate_on_submit():
        if not first_submit(form):
            return redirect(earlier_answer(form) or url_for("networks.invitation", token=token))
        user = inv.create_account(
            form.name.data, form.email.data, form.password.data, str(get_locale())
        )
        if user is None:
            form.email.errors.append(_("An account uses that address already: log in first."))
        else:
            inv.accept(invitation, user)
            # the answer is stored under the anonymous claim, before the login changes who asks
            target = answered(form, url_for("networks.network", network_id=invitation.network_id))
            login_user(user)  # a device session, committed with the membership
            db.session.commit()
            flash(_("Welcome to %(network)s.", network=invitation.network.name), "ok")
            return redirect(target)
    return render_template(
        "networks/invitation.html", invitation=invitation, form=form, account=account, c=choices
    )


def _join_as_current_user(invitation):
    form = ButtonForm()
    if form.validate_on_submit():
        if invitation.inviter_id == current_user.id:
            # Accepting one's own invitation, sent to another address of one's own, would be
            # appointing oneself (the admin may not): it is for the person it was sent to.
            return render_template("networks/invitation_problem.html", problem="own",
                                   invitation=invitation), 403
        if inv.accept(invitation, current_user._get_current_object()) is None:
            abort(410)
        db.session.commit()
        flash(_("Welcome to %(network)s.", network=invitation.network.name), "ok")
        return redirect(url_for("networks.network", network_id=invitation.network_id))
    return render_template(
        "networks/invitation.html",
        invitation=invitation,
        form=form,
        account=current_user,
        c=choices,
    )


@bp.route("/join/<token>", methods=["GET", "POST"])
@login_required
def join(token: str):
    """Ask to join an open network from its join link; a coordinator decides."""
    network = inv.by_join_token(token) or abort(404)
    form = JoinRequestForm()
    pending = inv.pending_request(network.id, current_user.id)
    if form.validate_on_submit():
        if pending is None and first_submit(form):
            inv.request_join(network, current_user._get_current_object(), form.message.data or "")
            db.session.commit()
            flash(_("Your request is sent. A coordinator will answer it."), "ok")
        return redirect(url_for("networks.join", token=token))
    return render_template(
        "networks/join.html",
        network=network,
        form=form,
        pending=pending,
        member=membership_of(network.id, current_user.id),
    )
