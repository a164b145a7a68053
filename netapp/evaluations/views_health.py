"""The coordinator's health page, settings and export; the organisation overview."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from netapp import audit
from netapp.auth.models import utcnow
from netapp.evaluations import bp, charts, figures, services
from netapp.evaluations.export import evaluations_csv
from netapp.evaluations.forms import SettingsForm
from netapp.extensions import db
from netapp.networks.access import admin_organisation_ids, network_for
from netapp.networks.models import Organisation, Role
from netapp.privacy.forms import ConfirmPasswordForm


def health_charts(history) -> dict[str, charts.Chart]:
    """The three charts of the health page, drawn from the per-meeting figures."""
    dates = [m.starts_at for m in history]
    return {
        "attendance": charts.bar_chart(dates, [
            (_("Present"), "s-present", [m.present for m in history]),
            (_("Cancellations"), "s-afbud", [m.afbud for m in history])]),
        "scales": charts.line_chart(dates, [
            (_("Energy"), "s-energy", [m.energy for m in history]),
            (_("Rating"), "s-rating", [m.rating for m in history])]),
        "check": charts.line_chart(dates, [
            (_("Personal benefit"), "s-benefit", [m.check_benefit for m in history]),
            (_("Agree on the goal"), "s-goal", [m.check_goal for m in history]),
            (_("On track, keeping focus"), "s-track", [m.check_track for m in history])]),
    }


@bp.get("/network/<int:network_id>/health")
def health(network_id: int):
    """The coordinator's health page: trends, a table, and the early warnings."""
    network, membership = network_for(network_id, Role.COORDINATOR)
    data = figures.network_health(network_id)
    has_check = any(m.check_benefit is not None for m in data.history)
    return render_template("evaluations/health.html", network=network, data=data,
                           charts=health_charts(data.history), has_check=has_check,
                           now=utcnow())


@bp.route("/network/<int:network_id>/settings", methods=["GET", "POST"])
def settings(network_id: int):
    """The coordinator chooses anonymity of free text and how often the network check runs."""
    network, _membership = network_for(network_id, Role.COORDINATOR)
    form = SettingsForm(obj=services.settings_for(network_id))
    if form.validate_on_submit():
        services.save_settings(network_id, form.anonymous_text.data, form.check_every.data)
        db.session.commit()
        flash(_("The evaluation settings are saved."), "ok")
        return redirect(url_for(".settings", network_id=network_id))
    return render_template("evaluations/settings.html", network=network, form=form)


@bp.route("/network/<int:network_id>/export.csv", methods=["GET", "POST"])
def export(network_id: int):
    """The network's evaluations as CSV, after the password (anonymous text stays anonymous)."""
    network, _membership = network_for(network_id, Role.COORDINATOR)
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            filename = f"evaluations-network-{network.id}.csv"
            audit.record("export.evaluations", current_user.id, network=network.id)
            return evaluations_csv(network_id), 200, {
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{filename}"',
            }
        form.password.errors.append(_("That is not your password."))
    return render_template("evaluations/export.html", network=network, form=form)


@bp.get("/org/<int:org_id>")
def org(org_id: int):
    """Every network of the organisation side by side: figures and warnings, never content."""
    if org_id not in admin_organisation_ids(current_user.id):
        abort(404)
    organisation = db.session.get(Organisation, org_id)
    sort = request.args.get("sort", "name")
    rows = figures.organisation_overview(org_id, sort)
    return render_template("evaluations/org.html", organisation=organisation, rows=rows,
                           sort=sort)
