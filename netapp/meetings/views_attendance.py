"""Answers: in the app, from the e-mailed one-click link, invitations, nudges and check-in."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from netapp.access import ANSWER, PLAN, READ, RUN, meeting_for
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.htmx import render
from netapp.links import public_url_for
from netapp.live.exercises import follow_check_in, under_way
from netapp.live.texts import KIND_NAMES
from netapp.meetings import attendance, bp, mailing
from netapp.meetings.calendar import calendar_bytes
from netapp.meetings.forms import AnswerForm, MailForm
from netapp.meetings.models import Answer, Meeting
from netapp.once import first_button


@bp.post("/<int:meeting_id>/answer")
@login_required
def answer(meeting_id: int):
    """Record the logged-in member's answer to a meeting of their own network."""
    meeting, network, membership = meeting_for(meeting_id, ANSWER)  # a cancelled one: 409
    if not membership.is_participant:
        abort(403)
    form = AnswerForm()
    if meeting.ends_at <= utcnow():
        flash(_("The meeting is over; answers are closed."), "error")
    elif form.validate_on_submit():
        attendance.record_answer(
            meeting, current_user, Answer(form.answer.data), form.reason.data, utcnow()
        )
        db.session.commit()
        flash(_("Thank you, your answer is saved."), "ok")
    else:
        flash(_("Choose yes, no or maybe."), "error")
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/rsvp/<token>", methods=["GET", "POST"])
def rsvp(meeting_id: int, token: str):
    """The e-mailed link: GET shows a confirm page, POST records; no login needed."""
    meeting = db.session.get(Meeting, meeting_id)
    try:
        user = attendance.read_answer_token(token, meeting, utcnow())
    except attendance.AnswerLinkError as error:
        return render_template("meetings/rsvp_invalid.html", reason=error.reason), (
            410 if error.reason in ("expired", "cancelled") else 400
        )
    mine = attendance.attendance_of(meeting.id, user.id)
    chosen = request.args.get("a") if request.args.get("a") in set(Answer) else None
    form = AnswerForm(
        data={
            "answer": chosen or (mine.answer.value if mine and mine.answer else None),
            "reason": mine.reason if mine else "",
        }
    )
    saved = False
    if request.method == "POST" and form.validate_on_submit():
        attendance.record_answer(
            meeting, user, Answer(form.answer.data), form.reason.data, utcnow()
        )
        db.session.commit()
        saved = True
    with force_locale(user.language or "da"):  # nobody is logged in: speak the member's language
        return render_template(
            "meetings/rsvp.html",
            meeting=meeting,
            network=meeting.network,
            person=user,
            form=form,
            saved=saved,
            mine=mine,
        )


@bp.post("/<int:meeting_id>/invite")
@login_required
def invite(meeting_id: int):
    """E-mail the invitation with agenda, calendar file and answer links (coordinators)."""
    meeting, _n, _m = meeting_for(meeting_id, PLAN)
    if not first_button(MailForm()):
        return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
    if meeting.starts_at <= utcnow():
        flash(_("The meeting has started; it is too late to invite."), "error")
    else:
        sent = mailing.send_invitations(meeting, utcnow())
        db.session.commit()
        flash(ngettext("The invitation is sent to %(n)s person.",
                       "The invitation is sent to %(n)s people.", sent, n=sent), "ok")
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/remind")
@login_required
def remind(meeting_id: int):
    """Remind those who have not answered yet (coordinators)."""
    meeting, _n, _m = meeting_for(meeting_id, PLAN)
    if first_button(MailForm()):
        sent = mailing.remind_unanswered(meeting)
        db.session.commit()
        flash(ngettext("A reminder is sent to %(n)s person.",
                       "A reminder is sent to %(n)s people.", sent, n=sent), "ok")
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


@bp.get("/<int:meeting_id>/checkin")
@login_required
def checkin(meeting_id: int):
    """The tablet check-in list: tap a name when the person arrives."""
    meeting, network, _m = meeting_for(meeting_id, RUN)
    rows = attendance.roster(meeting)
    return render(
        "meetings/checkin.html",
        "meetings/_checkin_list.html",
        meeting=meeting,
        network=network,
        rows=rows,
        counts=attendance.counts(rows),
    )


@bp.post("/<int:meeting_id>/checkin/<int:user_id>")
@login_required
def toggle_checkin(meeting_id: int, user_id: int):
    """Mark a participant as come, or undo it (htmx swaps the one row)."""
    meeting, _n, _m = meeting_for(meeting_id, RUN)
    try:
        person, row = attendance.toggle_check_in(meeting, user_id)
    except LookupError:
        abort(404)
    # Check-in decides who takes part: exercises not started yet follow it.
    followed = follow_check_in(meeting)
    db.session.commit()
    if request.headers.get("HX-Request") != "true":
        return redirect(url_for("meetings.checkin", meeting_id=meeting.id))
    return render_template("meetings/_checkin_row.html", meeting=meeting, person=person, row=row,
                           followed=followed,
                           started=[e.title or str(KIND_NAMES[e.kind]) for e in under_way(meeting)])


@bp.get("/<int:meeting_id>/meeting.ics")
@login_required
def meeting_ics(meeting_id: int):
    """The meeting as a calendar file."""
    meeting, network, _m = meeting_for(meeting_id, READ)
    url = public_url_for("meetings.meeting", meeting_id=meeting.id)
    body = calendar_bytes([meeting], {meeting.id: url}, network.name)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.id}.ics"'},
    )
