"""Response headers for a strict Content-Security-Policy and private pages."""

from flask import request
from flask_login import current_user

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
    """Every response: CSP, nosniff, referrer policy; logged-in pages are never cached."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user and current_user.is_authenticated and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    """Attach the header hook."""
    app.after_request(set_headers)
