"""The privacy page, downloading one's own data, and deleting one's account."""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from netapp import audit
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.privacy import bp, services
from netapp.privacy.forms import ConfirmPasswordForm, DeleteAccountForm


@bp.get("/")
def policy():
    """What netapp stores, why, and for how long."""
    return render_template("privacy/policy.html")


@bp.route("/export", methods=["GET", "POST"])
@login_required
def export():
    """Download all my data as JSON, after typing the password again."""
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("That is not your password."))
        else:
            body = json.dumps(services.export(current_user, utcnow()), ensure_ascii=False, indent=2)
            audit.record("export.my_data", current_user.id)
            return Response(
                body,
                mimetype="application/json",
                headers={"Content-Disposition": "attachment; filename=netapp-my-data.json"},
            )
    return render_template("privacy/export.html", form=form)


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Delete my account, after the password and a tick; not while a network needs me."""
    form = DeleteAccountForm()
    blocking = services.networks_left_without_coordinator(current_user)
    if form.validate_on_submit() and not blocking:
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("That is not your password."))
        else:
            user = current_user._get_current_object()
            logout_user()
            user_id = user.id
            services.delete_account(user)
            db.session.commit()
            audit.record("account.deleted", user_id)
            flash(_("Your account and your data are deleted."), "ok")
            return redirect(url_for("auth.login"))
    return render_template("privacy/delete.html", form=form, blocking=blocking)
