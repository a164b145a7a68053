"""The private calendar feed: its address for a member, a new one, and the feed itself."""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.links import public_url_for
from netapp.meetings import bp, calendar
from netapp.privacy.forms import ConfirmPasswordForm


@bp.get("/calendar")
@login_required
def calendar_page():
    """My private calendar feed address, to subscribe to in a calendar app (shown once)."""
    return _page(ConfirmPasswordForm(), session.pop("new_feed_url", None))


@bp.post("/calendar/reset")
@login_required
def calendar_reset():
    """Make a new feed address, after the password again: the address reads the member's
    meetings for as long as it lives, past logging out, so a borrowed tablet may not make one."""
    form = ConfirmPasswordForm()
    if not form.validate_on_submit():
        return _page(form)
    if not current_user.check_password(form.password.data):
        form.password.errors.append(_("That is not your password."))
        return _page(form)
    had_one = calendar.feed_of(current_user.id) is not None
    token = calendar.reset_feed(current_user.id)
    db.session.commit()
    session["new_feed_url"] = public_url_for("meetings.feed", token=token)
    flash(_("Your calendar address is new. Subscribe again with it.") if had_one
          else _("Your calendar address is made. Subscribe to it in your calendar app."), "ok")
    return redirect(url_for("meetings.calendar_page"))


def _page(form: ConfirmPasswordForm, url: str | None = None):
    feed = calendar.feed_of(current_user.id)
    return render_template("meetings/calendar.html", feed=feed, url=url if feed else None,
                           form=form)


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """The member's meetings as a calendar feed; the secret token is the only key."""
    user = calendar.feed_user(token) or abort(404)
    meetings = calendar.feed_meetings(user, utcnow() - timedelta(days=365))
    urls = {m.id: public_url_for("meetings.meeting", meeting_id=m.id) for m in meetings}
    return Response(calendar.calendar_bytes(meetings, urls, "netapp"), mimetype="text/calendar")
