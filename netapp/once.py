"""Double submits: however often a creating form arrives, it stores one row.

One rule, two tools, chosen by what the row is:

1. **A form that makes a new row each time** (a network, a meeting or series, an agenda item
   or template, a goal, a wish, a ground rule, an invitation batch or link, an exercise, a
   question, a flipover point, a note, an account from an invitation): the form carries
   `once = OnceField()` as its last field (rendered by `form.hidden_tag()`), and the view
   calls `first_submit(form)` at the top of its POST branch, after validation. The token
   is claimed with INSERT ... ON CONFLICT DO NOTHING in the request's own transaction, so
   a second copy waits for the first to commit (or roll back and free the token) and then
   answers as the first did: `earlier_answer(form)` is where the first went (`answered()`
   records it before the commit), otherwise the page the form came from.
   A button that e-mails the members (nothing typed) uses `first_button(form)` the same way.
   The token is REQUIRED: a POST without one (a page rendered before the field existed, a
   script, a form whose template forgot `hidden_tag()`) could arrive three times and store
   three rows, so it is refused like an expired form: re-rendered with what was typed, a
   fresh token and "send it again". Nothing is lost and nothing is stored twice.
   A claim is keyed by the account, the URL and the token together, so a token replayed on
   another network's form (or by another account) is a different claim there, and the
   first form's answer is never shown to it.

2. **A row that a natural key allows only once** (one membership per person and network,
   one attendance answer per member and meeting, one evaluation answer per member and
   round): a unique constraint in the schema and `insert_once()` (or the service's upsert),
   so a later copy updates or finds the row, whichever page it came from. No token needed:
   even two different pages must not make two rows.
"""

import hashlib
import secrets

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from wtforms import HiddenField
from wtforms.validators import ValidationError

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.main.models import Submission


def _fresh() -> str:
    return secrets.token_urlsafe(24)


class OnceField(HiddenField):
    """A hidden field that carries a fresh token each time the form is rendered."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default=_fresh, **kwargs)

    def process_formdata(self, valuelist):
        self.data = (valuelist[0] if valuelist else "")[:64]

    def pre_validate(self, form):
        """No token: an out-of-date page; it is shown again with a token to send it with."""
        if not self.data:
            self.data = _fresh()
            raise ValidationError("once")


def insert_for(model):
    """An INSERT of the database in use, which knows ON CONFLICT DO NOTHING."""
    return (pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(model)


def _key(form) -> str:
    who = current_user.get_id() if current_user.is_authenticated else "-"
    raw = f"{who}\x1f{request.path}\x1f{form.once.data}"
    return hashlib.sha256(raw.encode()).hexdigest()


def first_submit(form) -> bool:
    """Claim the form's token; False when this form was sent here before (never raises)."""
    if not _sent(form):
        return False  # nothing to claim: treated as a repeat, so nothing is stored
    claimed = db.session.execute(
        insert_for(Submission)
        .values(token=_key(form), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["token"])
        .returning(Submission.token)
    ).first()
    return claimed is not None


def first_button(form) -> bool:
    """For a button with nothing typed (sending e-mails): True for its first copy only; a POST
    without a token is told to send again, since there is no form to show it in."""
    if not (form.validate_on_submit() and _sent(form)):
        flash(_("The form had expired. Send it again."), "error")
        return False
    return first_submit(form)


def _sent(form) -> bool:
    """The token came with the request (a POST with no fields at all leaves WTForms to fill
    in the field's default, a fresh token, which must not count as sent)."""
    return bool(request.form.get(form.once.name))


def renew(form) -> None:
    """A fresh token for a form shown again after its first copy was stored (what is left in
    it is a new submission)."""
    form.once.data = _fresh()


def answered(form, url: str) -> str:
    """Remember where the first copy answered (before the commit); returns the URL."""
    db.session.execute(
        Submission.__table__.update()
        .where(Submission.token == _key(form))
        .values(answer=url[:500])
    )
    return url


def earlier_answer(form) -> str | None:
    """Where the first copy of this form answered, if it said."""
    return db.session.scalar(db.select(Submission.answer).where(Submission.token == _key(form)))


def insert_once(model, values: dict, key: list[str]) -> bool:
    """Insert the row unless its natural key exists; True when this call made it."""
    made = db.session.execute(  # RETURNING: psycopg reports no rowcount for this statement
        insert_for(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(model.__table__.c[key[0]])
    ).first()
    return made is not None
