"""The planning year: the coming meetings with a topic each, edited as one table."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.forms import BaseForm
from netapp.hygiene import one_line
from netapp.meetings import bp, planning, wishes
from netapp.networks.access import network_for
from netapp.networks.phases import phases_of
from netapp.networks.models import Role


class YearForm(BaseForm):
    """The table's CSRF token; the topics are one field per meeting, named topic-<id>."""


@bp.route("/network/<int:network_id>/year", methods=["GET", "POST"])
@login_required
def planning_year(network_id: int):
    """The coordinator gives each coming meeting its topic, from wishes, the guide or typed."""
    network, _m = network_for(network_id, Role.COORDINATOR)
    coming = planning.coming_meetings(network.id, utcnow())
    form, errors = YearForm(), {}
    typed = {m.id: m.topic for m in coming}
    if form.validate_on_submit():
        typed = {m.id: one_line(request.form.get(f"topic-{m.id}", m.topic)) for m in coming}
        try:
            changed = planning.set_topics(coming, typed)
        except planning.PlanningError as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(_("The planning year is saved (%(n)d topics changed).", n=changed), "ok")
            return redirect(url_for("meetings.planning_year", network_id=network.id))
    return render_template("meetings/year.html", network=network, form=form, coming=coming,
                           typed=typed, errors=errors,
                           phase_names={p.id: p.name for p in phases_of(network.id)},
                           suggestions=wishes.topic_suggestions(network.id))
