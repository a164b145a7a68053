"""The network's topic wishes: wishing, supporting, and adopting one for a meeting."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from netapp.access import members_only
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.htmx import render
from netapp.meetings import bp, meeting_date, planning, wishes
from netapp.meetings.forms import AdoptForm, WishForm
from netapp.networks.access import network_for
from netapp.networks.models import Role
from netapp.once import first_submit


def _wishes_page(network, membership, form=None, status=200):
    rows = wishes.wishes_of(network.id, current_user.id)
    coming = planning.visible_meetings(network.id, current_user.id, membership.role)
    adopt = AdoptForm(formdata=None)
    coming = [m for m in coming if m.starts_at > utcnow()]
    adopt.meeting_id.choices = [
        SelectChoice(
            str(m.id),
            meeting_date(m.starts_at, network, "medium") + (f" · {m.topic}" if m.topic else ""),
        )
        for m in coming
    ]
    return render(
        "meetings/wishes.html",
        "meetings/_wishes.html",
        network=network,
        membership=membership,
        rows=rows,
        form=form or WishForm(formdata=None),
        adopt=adopt,
        coming=coming,
        suggestions=wishes.SUGGESTED_TOPICS,
    ), status


@bp.route("/network/<int:network_id>/wishes", methods=["GET", "POST"])
@login_required
def topic_wishes(network_id: int):
    """Wishes for topic, method and form; send one, support others."""
    network, membership = members_only(network_id)
    form = WishForm()
    if form.validate_on_submit():
        if first_submit(form):
            wishes.add_wish(network.id, current_user.id, form.kind.data, form.text.data)
        db.session.commit()
        return redirect(url_for("meetings.topic_wishes", network_id=network.id))
    return _wishes_page(network, membership, form)


@bp.post("/network/<int:network_id>/wishes/<int:wish_id>/vote")
@login_required
def wish_vote(network_id: int, wish_id: int):
    """Support a wish, or take the support back (one vote each)."""
    network, membership = members_only(network_id)
    wish = wishes.wish_in(network.id, wish_id) or abort(404)
    wishes.toggle_vote(wish, current_user.id)
    db.session.commit()
    return _wishes_page(network, membership)


@bp.post("/network/<int:network_id>/wishes/<int:wish_id>/adopt")
@login_required
def wish_adopt(network_id: int, wish_id: int):
    """Make a wish the topic of a coming meeting (coordinators)."""
    network, membership = network_for(network_id, Role.COORDINATOR)
    wish = wishes.wish_in(network.id, wish_id) or abort(404)
    chosen = request.form.get("meeting_id", "")
    target = next(
        (
            m
            for m in planning.visible_meetings(network.id, current_user.id, membership.role)
            if str(m.id) == chosen
        ),
        None,
    )
    if target is None:
        flash(_("Choose a coming meeting of this network."), "error")
    else:
        wishes.adopt(wish, target)
        db.session.commit()
        flash(_("The wish is now the topic of the meeting."), "ok")
    return redirect(url_for("meetings.topic_wishes", network_id=network.id))
