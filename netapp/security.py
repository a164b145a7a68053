"""Response headers for a strict Content-Security-Policy and private pages."""

from flask import request, session

from netapp.auth.models import LOGIN_SESSION_KEY

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_headers(response):
    """Every response: CSP, nosniff, referrer policy; logged-in pages are never cached.

    Logged in is read off the session, where Flask-Login keeps the login token: asking
    current_user would load the user for answers that never needed it (a clock poll's 204).
    """
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static" and LOGIN_SESSION_KEY in session:  # logged in (or was)
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    """Attach the header hook."""
    app.after_request(set_headers)
