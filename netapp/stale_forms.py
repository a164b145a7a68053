"""A form sent with a stale CSRF token is shown again with what was typed, nothing saved.

A tab left open overnight loses its session (and with it the CSRF token the page holds);
sending its form would otherwise end on an error page with the text gone. Instead the
request is answered by its own view a second time, in a mode where nothing can be saved:

- the token is still refused (the form's own CSRF check fails, so `validate()` is False)
  and the form's banner says the page had been open too long and nothing was saved;
- a commit raises NothingSaved, the transaction is rolled back, and the Flask session
  (the login, flashes, anything a view sets) is put back as it was, keeping only the
  fresh CSRF token the re-rendered form carries;
- only a page or fragment that re-rendered a refused form is sent (a redirect, an abort,
  a view that validates no form all get the plain "the form had expired" page);
- only for a request from a page of this site (Sec-Fetch-Site, else an Origin or Referer
  on PUBLIC_URL):
  a forged cross-site POST never gets a form filled with the forger's text to send.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, g, has_request_context, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFError, same_origin
from werkzeug.exceptions import HTTPException

from netapp.extensions import db
from netapp.links import resolve_public_url

STALE = "_stale_token"  # g: this request is being answered again without saving
SHOWN = "_stale_form_shown"  # g: a form was validated and refused for its token


class NothingSaved(Exception):
    """A commit while a stale form is shown again: the request must save nothing."""


def init_app(_app) -> None:
    """Refuse every commit of a request whose stale form is being shown again."""
    if not sa.event.contains(so.Session, "before_commit", _refuse_commit):
        sa.event.listen(so.Session, "before_commit", _refuse_commit)


def _refuse_commit(_session) -> None:
    if has_request_context() and g.get(STALE):
        raise NothingSaved


def noticed(form) -> None:
    """BaseForm.validate calls this: a form refused for its token while shown again."""
    token = getattr(form, "csrf_token", None)
    if g.get(STALE) and token is not None and token.errors:
        setattr(g, SHOWN, True)


def from_this_site() -> bool:
    """Whether the browser says the request comes from a page of this site."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin") or request.referrer
    return bool(origin) and same_origin(origin, resolve_public_url(current_app) + "/")


def _may_show_again(error: CSRFError) -> bool:
    return (request.method == "POST" and request.endpoint is not None
            and request.routing_exception is None
            and str(error.description).startswith("The CSRF")  # the token, not the referrer
            and from_this_site())


def shown_again(error: CSRFError):
    """The view's own answer with the typed form and a fresh token, or None (then the plain
    error page)."""
    if not _may_show_again(error):
        return None
    app = current_app._get_current_object()
    current_user.is_authenticated  # noqa: B018  (a remember-cookie login is restored first)
    before = dict(session)
    setattr(g, STALE, True)
    response = None
    try:
        answered = _before_request_after_csrf(app)
        if answered is None:
            response = app.make_response(app.dispatch_request())
    except (NothingSaved, HTTPException):
        response = None
    except Exception as exc:  # the plain error page is always a safe answer
        current_app.logger.warning("stale form not shown again: %s", type(exc).__name__)
        response = None
    finally:
        setattr(g, STALE, False)
        db.session.rollback()
        token = session.get("csrf_token")
        session.clear()
        session.update(before)
        if token is not None:
            session["csrf_token"] = token
    if response is None or not g.pop(SHOWN, False):
        return None
    if 300 <= response.status_code < 400 or response.status_code >= 500 \
            or "HX-Redirect" in response.headers:
        return None
    return response


def _before_request_after_csrf(app):
    """The before-request hooks that the CSRF check stopped (those after it, in Flask's
    order); the first answer one of them gives, or None."""
    past = False
    for name in (None, *reversed(request.blueprints)):
        for hook in app.before_request_funcs.get(name, ()):
            if not past:
                past = getattr(hook, "__module__", "") == "flask_wtf.csrf"
                continue
            answer = app.ensure_sync(hook)()
            if answer is not None:
                return answer
    return None
