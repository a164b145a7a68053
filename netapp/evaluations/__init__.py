"""Meeting evaluations, the network check, network health and the organisation overview."""

from flask import Blueprint

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")
