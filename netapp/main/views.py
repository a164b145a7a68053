"""The home page and the health check."""

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from netapp.database import answers_within
from netapp.extensions import db
from netapp.main import bp
from netapp.main.panels import render_context


@bp.get("/")
def index():
    """Send visitors to their home page or to the login."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.get("/home")
@login_required
def home():
    """What needs me, my networks and their next meetings."""
    return render_template("main/home.html", panels=render_context(current_user))


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not, within 2 s either way."""
    if not answers_within(db.engine):
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200
