"""Form fields shared by every domain."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField as _IntegerField

# Beyond this a number is a typing accident, and it would overflow a database integer.
LARGEST = 2_000_000_000


class IntegerField(_IntegerField):
    """WTForms' IntegerField that refuses absurd numbers with a message, never a crash.

    Without the bound a 400-digit number reaches NumberRange, which converts it to a
    float and raises OverflowError (a 500), or reaches the database and overflows there.
    """

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > LARGEST:
            self.data = None
            raise ValueError(_l("That number is far too large."))
