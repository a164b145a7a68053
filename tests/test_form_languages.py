"""WTForms' own messages reach every member in their own language (da, nb, en)."""

from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from flask_babel import force_locale

from netapp.forms import BaseForm
from netapp.networks.models import Role
from tests import factories as f
from tests.submits import once

HX = {"HX-Request": "true"}
# Messages WTForms raises at a programmer, never at a member filling a form in.
PROGRAMMER_ERRORS = {"Invalid field name '%s'.", "Choices cannot be None."}


def _wtforms_messages():
    pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    with pot.open("rb") as f_:
        return [m.id for m in read_po(f_) if m.id and
                (m.id if isinstance(m.id, str) else m.id[0]) not in PROGRAMMER_ERRORS]


@pytest.mark.parametrize("locale", ["da", "nb"])
def test_every_message_wtforms_can_show_is_translated(app, locale):
    """Each message of WTForms' catalog comes out of a form's Meta in the member's language."""
    with app.test_request_context(), force_locale(locale):
        translations = BaseForm(meta={"csrf": False}).meta.get_translations(None)
        english = []
        for message in _wtforms_messages():
            if isinstance(message, tuple):
                shown = [translations.ngettext(*message, n) for n in (1, 2)]
                english += [m for m, s in zip(message, shown, strict=True) if m == s]
            elif translations.gettext(message) == message:
                english.append(message)
    assert not english, f"English in the {locale} forms: {english}"


@pytest.mark.parametrize(("language", "message"), [
    ("da", "Feltet skal udfyldes."), ("nb", "Feltet må fylles ut."),
    ("en", "This field is required.")])
def test_an_empty_required_field_says_so_in_the_members_language(
        app, client, login_as, language, message):
    """The flipover's empty point is refused in the member's own language, nothing stored."""
    net = f.network(f.organisation())
    member = f.member(net, Role.MEMBER, name="Mona Member", language=language)
    meeting = f.meeting(net)
    f.attendance(meeting, member, checked_in=True)
    login_as(member)
    answer = client.post(f"/live/meeting/{meeting.id}/flipover",
                         data={"once": once(), "text": ""}, headers=HX)
    assert answer.status_code == 200 and message in answer.text
    others = {"Feltet skal udfyldes.", "Feltet må fylles ut.", "This field is required."}
    assert not any(m in answer.text for m in others - {message})
