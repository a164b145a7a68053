"""The privacy page and the member's own data: export and deletion."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
