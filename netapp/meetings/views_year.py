"""The planning year: the coming meetings with a topic each, edited as one table."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings import bp, planning, wishes
from netapp.meetings.forms import year_form
from netapp.networks.access import network_for
from netapp.networks.models import Role
from netapp.networks.phases import phases_of


@bp.route("/network/<int:network_id>/year", methods=["GET", "POST"])
@login_required
def planning_year(network_id: int):
    """The coordinator gives each coming meeting its topic, from wishes, the guide or typed."""
    network, _m = network_for(network_id, Role.COORDINATOR)
    coming = planning.coming_meetings(network.id, utcnow())
    form = year_form(coming)
    if form.validate_on_submit():
        typed = {m.id: form[f"topic_{m.id}"].data or "" for m in coming}
        try:
            changed = planning.set_topics(coming, typed)
        except planning.PlanningError as error:
            db.session.rollback()
            for field, message in error.errors.items():
                form[field].errors.append(message)
        else:
            db.session.commit()
            flash(_("The planning year is saved (%(n)d topics changed).", n=changed), "ok")
            return redirect(url_for("meetings.planning_year", network_id=network.id))
    return render_template("meetings/year.html", network=network, form=form, coming=coming,
                           phase_names={p.id: p.name for p in phases_of(network.id)},
                           suggestions=wishes.topic_suggestions(network.id))
