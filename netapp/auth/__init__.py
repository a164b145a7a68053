"""Accounts: login and logout, password reset and change, the profile."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
