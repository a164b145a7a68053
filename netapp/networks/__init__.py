"""Networks and members: set-up, invitations, roles, composition and the contract."""

from flask import Blueprint

bp = Blueprint("networks", __name__, url_prefix="/networks")
