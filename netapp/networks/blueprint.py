"""The networks blueprint; the view modules register their routes on it."""

from flask import Blueprint

bp = Blueprint("networks", __name__, url_prefix="/networks")
