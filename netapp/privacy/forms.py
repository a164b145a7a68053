"""Forms that ask for the password again before the member's data leaves or goes."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from netapp.forms import BaseForm


class ConfirmPasswordForm(BaseForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=128)],
    )


class DeleteAccountForm(ConfirmPasswordForm):
    confirm = BooleanField(
        _l("I understand that my account and my data are deleted and cannot be restored."),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
