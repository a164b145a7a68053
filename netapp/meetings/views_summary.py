"""The summary after a meeting: writing it, and e-mailing it to the members."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from netapp.access import PLAN, meeting_for
from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.meetings import bp, mailing, summary
from netapp.meetings.forms import MailForm, SummaryForm
from netapp.once import first_button


@bp.route("/<int:meeting_id>/summary", methods=["GET", "POST"])
@login_required
def meeting_summary(meeting_id: int):
    """Write the summary (opsamling): notes per agenda item and a free summary."""
    meeting, network, _m = meeting_for(meeting_id, PLAN)
    form = SummaryForm(obj=meeting)
    if form.validate_on_submit():
        notes = {item.id: form.clean_data.get(f"note-{item.id}", "") for item in meeting.agenda}
        try:
            summary.save_summary(meeting, form.summary.data, notes)
        except summary.SummaryError as error:
            form.summary.errors.append(error.errors["summary"])
        else:
            db.session.commit()
            flash(_("The summary is saved."), "ok")
            return redirect(url_for("meetings.meeting", meeting_id=meeting.id) + "#summary")
    typed = {item.id: form.clean_data.get(f"note-{item.id}", item.notes)
             for item in meeting.agenda}
    return render_template(
        "meetings/summary_edit.html", meeting=meeting, network=network, form=form, typed=typed
    )


@bp.post("/<int:meeting_id>/summary/send")
@login_required
def send_summary(meeting_id: int):
    """E-mail the summary to the members (coordinators)."""
    meeting, _n, _m = meeting_for(meeting_id, PLAN)
    if not first_button(MailForm()):
        return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
    if not meeting.summary and not any(item.notes for item in meeting.agenda):
        flash(_("Write the summary before sending it."), "error")
    else:
        sent = mailing.send_summary(meeting, utcnow())
        db.session.commit()
        flash(ngettext("The summary is sent to %(n)s person.",
                       "The summary is sent to %(n)s people.", sent, n=sent), "ok")
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
