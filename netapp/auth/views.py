"""Log in and out, forgotten password, password change and profile."""

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from netapp import audit, i18n
from netapp.auth import bp, email_change, services
from netapp.auth.forms import (
    ChangePasswordForm,
    ConfirmEmailForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from netapp.auth.models import DeviceSession, User, hash_token, utcnow
from netapp.extensions import db, login_manager
from netapp.htmx import is_htmx

# Built once: every logged-in request runs it, and building a statement costs more than
# running this one.
USER_BY_DEVICE = (
    db.select(User, DeviceSession)
    .join(DeviceSession, DeviceSession.user_id == User.id)
    .where(DeviceSession.token_hash == sa.bindparam("token_hash"), User.active)
)
# How stale a device session's last_seen_at may get before a writing request renews it.
SEEN_EVERY = timedelta(hours=1)


@login_manager.user_loader
def load_user(device_token: str) -> User | None:
    """Find the user by this device's session token: a logged-out device's cookie opens nothing."""
    if not isinstance(device_token, str):
        return None
    row = db.session.execute(USER_BY_DEVICE, {"token_hash": hash_token(device_token)}).first()
    if row is None:
        return None
    user, device = row
    user.device_token, user.kiosk_meeting_id = device_token, device.kiosk_meeting_id
    now = utcnow()
    if request.method not in ("GET", "HEAD") and device.last_seen_at < now - SEEN_EVERY:
        device.last_seen_at = now  # committed with the request's own write
    return user


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
    """Only redirect inside netapp after login; a control character goes home (a line break
    would split the Location header, and browsers drop a tab, so slash-tab-slash is //)."""
    if target and target.isprintable():
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
            login_user(user, remember=form.remember.data)  # a new device session
            if i18n.adopt_chosen_language(user):  # the login page's choice, said aloud
                name = i18n.LANGUAGE_NAMES[user.language]
                flash(_("Your profile's language is now %(language)s, as you chose on the login "
                        "page. Change it at the top of any page.", language=name), "info")
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    db.session.commit()  # keeps the record of a failed attempt
    return render_template("auth/login.html", form=form)


@bp.post("/language")
def language():
    """Switch the language: stored on the profile when logged in, else for this browser."""
    form = LanguageForm()
    if form.validate_on_submit():
        i18n.choose_language(form.language.data)
        db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.post("/logout")
@login_required
def logout():
    """End this device's session and every copy of its cookie; other devices stay logged in."""
    language = current_user.language
    current_user.end_device_session()
    db.session.commit()
    logout_user()
    i18n.keep_language_after_logout(language)
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    """End every session of this account, on every device (a lost phone, a shared tablet)."""
    current_user.end_sessions()
    db.session.commit()
    audit.record("account.logged_out_everywhere", current_user.id)
    language = current_user.language
    logout_user()
    i18n.keep_language_after_logout(language)
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """E-mail a reset link; the same answer, as fast, whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_reset(form.email.data, request.remote_addr or "?", utcnow())
        db.session.commit()
        flash(_("If the address is known, we have sent a link to it. Look in your inbox."), "ok")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Set a new password from an e-mailed link, which works once."""
    now = utcnow()
    link, problem = services.reset_for(token, now)
    if link is None:
        return render_template("auth/reset_invalid.html", problem=problem), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if not services.use_reset(link, form.password.data, now):
            db.session.rollback()
            return render_template("auth/reset_invalid.html", problem="used"), 400
        db.session.commit()
        audit.record("account.password_reset", link.user_id)
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
            login_user(user)  # this device stays logged in, in a new session
            db.session.commit()
            audit.record("account.password_changed", user.id)
            flash(_("Your password is changed."), "ok")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Name, e-mail and language; a new e-mail waits for the link sent to it."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        new_email = form.email.data.strip().lower()
        if new_email == user.email.lower():
            user.name, user.language = form.name.data, form.language.data
            db.session.commit()
            audit.record("account.profile_changed", user.id)
            flash(_("Your profile is saved."), "ok")
            return redirect(url_for("auth.profile"))
        if not form.password.data:
            form.password.errors.append(_("Enter your current password to change the e-mail."))
        elif not user.check_password(form.password.data):
            form.password.errors.append(_("That is not your current password."))
        else:
            user.name, user.language = form.name.data, form.language.data
            return _ask_for_new_email(user, new_email)
    return profile_page(form)


def profile_page(form=None, member_form=None):
    """The one profile page: the account (name, e-mail, language) and the member profile
    the networks are composed from, each form posting to its own domain."""
    from netapp.networks.views_members import member_profile_form  # networks builds on auth

    user = current_user._get_current_object()
    return render_template(
        "auth/profile.html", form=form or ProfileForm(obj=user),
        member_form=member_form or member_profile_form(),
        pending=email_change.pending_for(user), now=utcnow(),
    )


def _ask_for_new_email(user: User, new_email: str):
    """Store the change, mail the link and the notice; one answer whether the address is free."""
    try:
        token = email_change.request_change(user, new_email, utcnow())
        email_change.send_request_mails(user, new_email, token)  # queued with the change
        db.session.commit()
        audit.record("account.email_change_requested", user.id)
    except sa.exc.IntegrityError:  # the same form sent twice at once: the other one mails
        db.session.rollback()
        return redirect(url_for("auth.profile"))
    flash(_("If %(email)s can be used, we have sent a link to it. Your e-mail changes when "
            "you open that link; until then it stays %(old)s.", email=new_email, old=user.email),
          "ok")
    return redirect(url_for("auth.profile"))


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Open the link sent to a new address: after the button, it is the account's e-mail."""
    change, problem = email_change.by_token(token, utcnow())
    if change is not None and current_user.is_authenticated and change.user_id != current_user.id:
        problem = "other_account"  # a device logged in as someone else confirms nothing
    if problem:
        status = 403 if problem == "other_account" else 400
        return render_template("auth/email_invalid.html", problem=problem), status
    form = ConfirmEmailForm()
    if not form.validate_on_submit():
        return render_template("auth/email_confirm.html", form=form, change=change)
    change_id = change.id
    try:
        done = email_change.confirm(change)
        if done is not None:
            email_change.send_done_mail(*done)  # queued with the change, or not at all
        db.session.commit()
    except sa.exc.IntegrityError:  # another account confirmed the same address at once
        db.session.rollback()
        email_change.discard(change_id)
        db.session.commit()
        done = None
    if done is None:
        return render_template("auth/email_invalid.html", problem="taken"), 409
    user, _old_email = done
    audit.record("account.email_changed", user.id)
    flash(_("Your e-mail is now %(email)s.", email=user.email), "ok")
    return redirect(url_for("auth.profile" if current_user.is_authenticated else "main.index"))
