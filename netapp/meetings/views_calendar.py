"""The private calendar feed: its address for a member, a new one, and the feed itself."""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.links import public_url_for
from netapp.meetings import bp, calendar


@bp.get("/calendar")
@login_required
def calendar_page():
    """My private calendar feed address, to subscribe to in a calendar app (shown once)."""
    feed = calendar.feed_of(current_user.id)
    url = session.pop("new_feed_url", None) if feed else None
    return render_template("meetings/calendar.html", feed=feed, url=url)


@bp.post("/calendar/reset")
@login_required
def calendar_reset():
    """Make a new feed address; the old one stops working."""
    had_one = calendar.feed_of(current_user.id) is not None
    token = calendar.reset_feed(current_user.id)
    db.session.commit()
    session["new_feed_url"] = public_url_for("meetings.feed", token=token)
    flash(_("Your calendar address is new. Subscribe again with it.") if had_one
          else _("Your calendar address is made. Subscribe to it in your calendar app."), "ok")
    return redirect(url_for("meetings.calendar_page"))


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """The member's meetings as a calendar feed; the secret token is the only key."""
    user = calendar.feed_user(token) or abort(404)
    meetings = calendar.feed_meetings(user, utcnow() - timedelta(days=365))
    urls = {m.id: public_url_for("meetings.meeting", meeting_id=m.id) for m in meetings}
    return Response(calendar.calendar_bytes(meetings, urls, "netapp"), mimetype="text/calendar")
