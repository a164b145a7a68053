"""Every form × a fixed list of hostile values, every run, and every id route × ids beyond
the database's range: never a 5xx; NUL, CR/LF and a file part in a text field are refused
with the field's message (or stored clean), and a refused form saves nothing.

One app and one access world (tests/access_world.py) for the whole module; a request that
changes the world (tests/test_access_matrix.CHANGES_WORLD) gets a fresh world after it
got through. Forms are found by posting to each POST route once as someone allowed there
and recording which forms the view builds, so a new route or field is covered by itself.
"""

import contextlib
import io
import itertools
import os
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, NumberRange

from netapp import DOMAINS, create_app, forms
from netapp.auth.models import User
from netapp.extensions import db
from netapp.fields import IntegerField
from tests import access_world
from tests import factories as f
from tests.conftest import FreshContextClient, own_database
from tests.test_access_matrix import ACCESS, CHANGES_WORLD

_n = itertools.count(1)


def _crlf() -> str:
    return f"line\r\nBcc: evil{next(_n)}@example.com"


# name → value (a callable gives a fresh one per request). Fixed, not drawn at random.
HOSTILE = {
    "nul": lambda: "Ledere\x00x",
    "crlf": _crlf,
    "escape": lambda: "a\x1b[31mb\x7f",
    "2^31": lambda: str(2**31),
    "2^63": lambda: str(2**63),
    "-1": lambda: "-1",
    "100k": lambda: "x" * 100_000,
    "override": lambda: "\u202eevil\u202c",
    "rtl": lambda: "\u200fשלום\u200e",
    "emoji": lambda: "👩‍👩‍👧‍👦 🎉 \U0001f600",
    "2026-02-30": lambda: "2026-02-30",
    "10000-01-01": lambda: "10000-01-01",
    "file": lambda: (io.BytesIO(b"%PDF-1.4 \x00\xff"), "cv.pdf"),
}
REFUSED = {"nul": forms.CONTROL, "escape": forms.CONTROL, "override": forms.CONTROL,
           "file": forms.NOT_A_FILE}
# Values some views read by a name no form field has (tests/test_input_hygiene.py lists them).
RAW_FIELDS = {
    "meetings.task_assign": ["assignee_id"],
    "meetings.wish_adopt": ["meeting_id"],
    "meetings.goal_follow_up": ["back_to_meeting"],
    "networks.setup": ["go"],
}
# Who posts: anonymous where anonymous may (the most exposed), else a coordinator, ...
PREFERENCE = ("anonymous", "coordinator", "member", "facilitator", "other_member",
              "other_coordinator", "org_admin")
# ... except where that persona never sees the form: the last coordinator may not delete
# the account, a member of the network has nothing to ask for with its join link.
PERSONA = {"privacy.delete": "member", "networks.join": "other_member"}
# A password change ends the other sessions, a join request is asked once: they change
# the world as much as those listed.
WORLD_CHANGING = {endpoint for endpoint, method in CHANGES_WORLD} | {"auth.password",
                                                                     "networks.join"}
BIG_IDS = (2**31, 2**63, 2**64, 10**30)


@pytest.fixture(scope="module")
def setting(database_url, tmp_path_factory):
    """One app and one world for the module (building either per value would be slow), on
    a database of its own: it makes and drops its schema."""
    folder = tmp_path_factory.mktemp("hostile")
    with contextlib.ExitStack() as stack:
        url = database_url if database_url == "sqlite://" else stack.enter_context(
            own_database(database_url, folder))
        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                          "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                          "SERVER_NAME": "netapp.test"})
        app.test_client_class = FreshContextClient
        app.instance_path = str(folder / "instance")
        os.makedirs(app.instance_path, exist_ok=True)
        with app.app_context():
            db.create_all()
            state = {"world": access_world.build(app)}
            yield app, state
            db.session.rollback()
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _client(app, person):
    """A client logged in by session as `person` (None: anonymous), token read afresh."""
    client = app.test_client()
    if person is not None:
        token = f.device_token(db.session.get(User, person.id))
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = token, True
    return client


def _url(rule, world, **replace) -> str:
    values = world.values(rule.endpoint) | replace
    return rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]


def _persona(endpoint: str) -> str:
    return PERSONA.get(endpoint) or next(p for p in PREFERENCE if p in ACCESS[endpoint])


# --- ids beyond the range -----------------------------------------------------------

@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_ids_beyond_the_database_range_are_404(setting, persona):
    app, state = setting
    world = state["world"]
    client = _client(app, world.people.get(persona))
    problems, tried = [], 0
    for rule in app.url_map.iter_rules():
        ints = re.findall(r"<int:(\w+)>", rule.rule)
        for arg, big, method in itertools.product(ints, BIG_IDS, rule.methods - {"OPTIONS"}):
            url = _url(rule, world, **{arg: big})
            response = client.open(url, method=method)
            response.close()
            tried += 1
            if response.status_code != 404:
                problems.append(f"{method} {url}: {response.status_code}")
    assert tried > 300, "too few id routes were tried to prove anything"
    assert not problems, "\n".join(problems)


# --- every form × every hostile value --------------------------------------------------

def _messages(app, message) -> set[str]:
    with app.test_request_context():
        texts = set()
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                texts.add(str(escape(str(message))))
        return texts


def _choice(field) -> str:
    values = [str(c[0]) for c in field.iter_choices() if str(c[0])]
    return values[0] if values else ""


def _plausible(field) -> object:
    """A value that passes the field's own checks, so the hostile one is the only fault."""
    name = field.short_name
    if isinstance(field, (SelectField, RadioField, SelectMultipleField)):
        return _choice(field)
    if isinstance(field, BooleanField):
        return "y"
    if isinstance(field, DateField):
        return "2090-03-14"
    if isinstance(field, TimeField):
        return {"start": "17:00"}.get(name, "20:00")
    if isinstance(field, IntegerField):
        low = [v.min for v in field.validators if isinstance(v, NumberRange) and v.min is not None]
        return str(field.default if field.default is not None else (low[0] if low else 1))
    if isinstance(field, PasswordField):
        return f.PASSWORD
    if isinstance(field, EmailField):
        return "hostile@example.com"
    if any(isinstance(v, URL) for v in field.validators):
        return "https://example.com/x"
    if name == "once":
        return f"once-{next(_n)}"
    if isinstance(field, HiddenField):
        return field.data or "1"
    return "Plain words"


class _Writes:
    """Whether a request committed a flush (a refused form must save nothing)."""

    def __init__(self):
        self.flushed = self.committed = False

    def after_flush(self, session, context):
        self.flushed = True

    def after_commit(self, session):
        self.committed = self.committed or self.flushed

    def after_rollback(self, session):
        self.flushed = False


def _post(app, state, rule, persona, data, headers=None, writes=None):
    """Post as the persona; a world-changing request that got through renews the world.
    Logging the client in writes its device session: `writes` counts only the request's."""
    client = _client(app, state["world"].people.get(persona))
    if writes is not None:
        writes.flushed = writes.committed = False
    response = client.post(_url(rule, state["world"]), data=data, headers=headers or {})
    response.close()
    if rule.endpoint in WORLD_CHANGING and response.status_code in (301, 302, 303):
        state["world"] = access_world.build(app)
    return response


def _stray_text(app, needle: str | None = None) -> list[str]:
    """Stored text holding a control character (never allowed anywhere), or the needle."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String)]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if isinstance(value, str) and (forms.hygiene.has_control(value) if needle is None
                                               else needle in value):
                    found.append(f"{table.name}.{column.name}: {value[:40]!r}")
    db.session.rollback()
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_form_takes_every_hostile_value(setting, domain, monkeypatch):
    app, state = setting
    captured = []
    process = forms.BaseForm.process

    def recording(self, *args, **kwargs):
        process(self, *args, **kwargs)
        if self.clean_data is not forms.BaseForm.clean_data:
            captured.append(self)

    validated = []
    validate = forms.BaseForm.validate

    def validating(self, *args, **kwargs):
        validated.append(self)
        return validate(self, *args, **kwargs)

    monkeypatch.setattr(forms.BaseForm, "process", recording)
    monkeypatch.setattr(forms.BaseForm, "validate", validating)
    writes = _Writes()
    for name in ("after_flush", "after_commit", "after_rollback"):
        sa.event.listen(sa.orm.Session, name, getattr(writes, name))
    refused_texts = {key: _messages(app, message) for key, message in REFUSED.items()}
    one_line = _messages(app, forms.ONE_LINE)
    problems, reached, posts, refusals_seen = [], 0, 0, 0
    try:
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith(f"{domain}.") or "POST" not in rule.methods:
                continue
            posts += 1
            persona = _persona(rule.endpoint)
            url = _url(rule, state["world"])
            captured.clear()
            _post(app, state, rule, persona, {"probe": "1"})  # empty would be no submit
            made = list(captured)
            fields = {fl.name: fl for form in made for fl in form if fl.name != "csrf_token"}
            names = list(fields) + RAW_FIELDS.get(rule.endpoint, [])
            if names:
                reached += 1
            for name, (key, value) in itertools.product(names, HOSTILE.items()):
                data = {n: _plausible(fl) for n, fl in fields.items()}
                data[name] = value()
                validated.clear()
                response = _post(app, state, rule, persona, data, writes=writes)
                checked = {fl.name for form in validated for fl in form}
                status, text = response.status_code, response.get_data(as_text=True)
                where = f"{persona} POST {url} {name}={key}"
                if status >= 500:
                    problems.append(f"{where}: {status}")
                    continue
                field = fields.get(name)
                text_field = isinstance(field, StringField) and not isinstance(field, HiddenField)
                single = text_field and not isinstance(field, TextAreaField)
                expected = refused_texts.get(key) or (one_line if key == "crlf" and single
                                                      else None)
                shown = expected is not None and any(m in text for m in expected)
                rendered = f'name="{name}"' in text  # a field the page shows (and can type in)
                if text_field and rendered and name in checked and expected is not None \
                        and status < 300 and not shown:
                    problems.append(f"{where}: {status} without the field's message")
                refusals_seen += shown
                if key == "crlf" and single and writes.committed and not shown:
                    needle = "\n" + data[name].split("\n", 1)[1]  # the line break kept
                    problems += [f"{where}: stored with its line break in {stray}"
                                 for stray in _stray_text(app, needle)]
                if shown and writes.committed:
                    problems.append(f"{where}: refused, but something was saved")
            problems += [f"after {rule.endpoint}: {stray}" for stray in _stray_text(app)]
    finally:
        for name in ("after_flush", "after_commit", "after_rollback"):
            sa.event.remove(sa.orm.Session, name, getattr(writes, name))
    assert reached or not posts, f"no form of {domain} was reached: this would prove nothing"
    assert refusals_seen or not reached, f"no refusal of {domain} was seen: is the layer off?"
    assert not problems, "\n".join(problems[:60]) + f"\n({len(problems)} problems)"


@pytest.mark.parametrize("persona", ["anonymous", "member", "coordinator"])
def test_htmx_requests_with_a_nul_get_a_fragment(setting, persona):
    """An htmx post with a NUL in a text field: never a 5xx, and where the view answers
    htmx with a fragment, a fragment that carries the field's message."""
    app, state = setting
    refused = _messages(app, forms.CONTROL)
    problems, fragments = [], 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or persona not in ACCESS[rule.endpoint]:
            continue
        data = {"text": "Punkt\x00", "title": "Punkt\x00", "name": "Navn\x00",
                "minutes": "10", "kind": "other"}
        response = _post(app, state, rule, persona, data, {"HX-Request": "true"})
        text = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"POST {rule.rule}: {response.status_code}")
        elif "HX-Request" in response.headers.get("Vary", "") and response.status_code == 200:
            if "<html" in text:
                problems.append(f"POST {rule.rule}: a whole page for an htmx request")
            fragments += any(m in text for m in refused)
    assert not problems, "\n".join(problems)
    if persona != "anonymous":
        assert fragments, "no htmx fragment showed the message: the test proves nothing"


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_text_in_a_path_with_control_characters_is_404(setting, persona):
    """A token or file name in the path holding NUL or a line break names nothing."""
    app, state = setting
    world = state["world"]
    client = _client(app, world.people.get(persona))
    problems, tried = [], 0
    for rule in app.url_map.iter_rules():
        texts = re.findall(r"<(?:string:|path:)?(\w+)>", rule.rule)
        for arg, bad, method in itertools.product(texts, ("a\x00b", "a\r\nb", "\x7f"),
                                                  rule.methods - {"OPTIONS"}):
            response = client.open(_url(rule, world, **{arg: bad}), method=method)
            response.close()
            tried += 1
            if response.status_code != 404:
                problems.append(f"{method} {rule.rule} {arg}={bad!r}: {response.status_code}")
    assert tried > 10, "too few text routes were tried to prove anything"
    assert not problems, "\n".join(problems)
