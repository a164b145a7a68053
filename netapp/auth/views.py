"""Log in and out, forgotten password, password change and profile."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from netapp import mail
from netapp.auth import bp, services
from netapp.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from netapp.auth.models import User
from netapp.extensions import db, login_manager
from netapp.htmx import is_htmx

# Built once: every logged-in request runs it, and building a statement costs more than
# running this one.
USER_BY_TOKEN = db.select(User).where(User.session_token == sa.bindparam("token"))


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Find the user by the rotating session token, so old cookies stop working."""
    return db.session.scalar(USER_BY_TOKEN, {"token": session_token})


@login_manager.unauthorized_handler
def unauthorized():
    """Send the visitor to log in; an htmx request gets HX-Redirect, not a login fragment."""
    back = request.full_path if request.query_string else request.path
    target = url_for("auth.login", next=back if request.method == "GET" else None)
    if is_htmx():
        return "", 401, {"HX-Redirect": target}
    flash(_("Log in to see that page."), "info")
    return redirect(target)


def safe_next(target: str | None) -> str:
    """Only redirect inside netapp after login."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log the member in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user, throttled = services.authenticate(
            form.email.data, form.password.data, request.remote_addr or "?"
        )
        if throttled:
            form.password.errors.append(_("Too many attempts. Wait a quarter of an hour."))
        elif user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    db.session.commit()  # keeps the record of a failed attempt
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """End this session and every copy of its cookie."""
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """E-mail a reset link; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = db.session.scalar(User.by_email(form.email.data))
        if user is not None and user.active:
            link = url_for("auth.reset", token=services.reset_token(user), _external=True)
            mail.send_template(user, "auth/email/reset", link=link)
        flash(_("If the address is known, we have sent a link to it. Look in your inbox."), "ok")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Set a new password from an e-mailed link."""
    user, problem = services.user_for_reset(token)
    if user is None:
        return render_template("auth/reset_invalid.html", problem=problem), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        flash(_("Your password is changed. Log in with the new one."), "ok")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("That is not your current password."))
        else:
            user = current_user._get_current_object()
            user.set_password(form.password.data)
            db.session.commit()
            login_user(user)  # this device stays logged in with the new token
            flash(_("Your password is changed."), "ok")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Name, e-mail and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        taken = db.session.scalar(User.by_email(form.email.data))
        if taken is not None and taken.id != current_user.id:
            form.email.errors.append(_("Another account uses that address."))
        else:
            form.populate_obj(current_user)
            current_user.email = form.email.data.strip().lower()
            db.session.commit()
            flash(_("Your profile is saved."), "ok")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)
