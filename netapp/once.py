"""Double-submit protection: a hidden one-time token per rendered form, claimed once.

Add `once = OnceField()` to a FlaskForm (it renders with `form.hidden_tag()`), and call
`first_submit(form)` before writing: False means this exact form was already sent (a
double tap, a resend after a slow answer), so the view shows the stored result instead.
"""

import secrets

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from wtforms import HiddenField

from netapp.auth.models import utcnow
from netapp.extensions import db
from netapp.main.models import Submission


class OnceField(HiddenField):
    """A hidden field that carries a fresh token each time the form is rendered."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default=lambda: secrets.token_urlsafe(24), **kwargs)

    def process_formdata(self, valuelist):
        self.data = (valuelist[0] if valuelist else "")[:64]


def first_submit(form) -> bool:
    """Claim the form's token; False when it was claimed before (never raises on a race)."""
    token = form.once.data
    if not token:
        return True  # an old page without a token: nothing to compare with
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    table = Submission.__table__
    claimed = db.session.execute(
        insert(table)
        .values(token=token, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["token"])
        .returning(table.c.token)
    ).first()
    return claimed is not None
