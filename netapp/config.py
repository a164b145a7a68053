"""Default configuration; instance/config.py and NETAPP_* environment variables override it."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


class Defaults:
    """Settings every deployment starts from."""

    SQLALCHEMY_DATABASE_URI = None  # filled in by database_uri() when left empty
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # completed by engine_options()
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # A tablet stays open through a long meeting: the CSRF token must not expire in an hour.
    WTF_CSRF_TIME_LIMIT = None
    # A live screen's event stream ends after this many seconds and reconnects by itself, so
    # no connection (not even one that is never read) holds a worker for longer.
    LIVE_STREAM_SECONDS = 300
    # A response whose client takes nothing of it for this long is cut off (netapp.write_timeout),
    # so a client that never reads holds no worker, socket or stream; 0 switches it off.
    WRITE_TIMEOUT_SECONDS = 30
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=16)  # a full meeting day on one tablet
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    LANGUAGES = ("da", "nb", "en")
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "netapp <noreply@netapp.invalid>"
    MAIL_TIMEOUT_SECONDS = 20  # one SMTP conversation step, in the worker only
    # The outbox worker (`flask send-mail`): a failed attempt waits MAIL_RETRY_SECONDS,
    # doubled each time up to MAIL_RETRY_MAX_SECONDS; a refused recipient (5xx) is given up
    # after MAIL_PERMANENT_ATTEMPTS tries, anything else after MAIL_GIVE_UP_HOURS.
    MAIL_RETRY_SECONDS = 60
    MAIL_RETRY_MAX_SECONDS = 3600
    MAIL_PERMANENT_ATTEMPTS = 3
    MAIL_GIVE_UP_HOURS = 72
    MAIL_CLAIM_SECONDS = 600  # a claim older than this belongs to a worker that died
    MAIL_KEEP_SENT_DAYS = 30  # `flask purge-mail` deletes the rows of mails sent before this
    # Without MAIL_SERVER, write the queued mail to instance/outbox/ right after each
    # request (`make run` turns it on, so the demo's mail is there to read at once).
    MAIL_FILES_AFTER_REQUEST = False
    # Flask-Compress (netapp/compression.py): text compressed, streams never (a compressor
    # holds bytes back, which would delay live events); text/event-stream is not listed.
    COMPRESS_STREAMS = False
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/plain", "text/xml", "text/calendar", "text/csv",
        "text/javascript", "application/javascript", "application/json",
        "application/manifest+json", "application/xml", "image/svg+xml",
    ]
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_DAYS = 14  # how long an invitation to a network stays open
    # The address every link in e-mails, calendar files and QR codes points at, e.g.
    # https://netapp.example.dk; a request's Host never decides it (netapp/links.py).
    # Required in production; tests and debug fall back to SERVER_NAME or 127.0.0.1:5000.
    PUBLIC_URL = None
    EXTRA_HOSTS: list = []  # other host names this instance answers to (Host header)
    # Failures per account from one address within LOGIN_WINDOW: nobody elsewhere can lock
    # a member out, and each person behind a shared address has their own count.
    LOGIN_MAX_FAILURES = 10
    # All failures from one address (spraying many accounts); twenty members behind one
    # venue's NAT, each mistyping a few times, stay far below it.
    LOGIN_MAX_FAILURES_PER_ADDRESS = 100
    EMAIL_CHANGE_HOURS = 24  # how long the link that confirms a new e-mail address works
    DEVICE_SESSION_IDLE_DAYS = 90  # a device's login not used to write for this long is purged
    LOGIN_WINDOW = timedelta(minutes=15)
    RESET_MAX_PER_ACCOUNT = 3  # reset mails per account within RESET_ACCOUNT_WINDOW
    RESET_ACCOUNT_WINDOW = timedelta(hours=1)
    RESET_MAX_PER_ADDRESS = 10  # forgot-password requests per address within LOGIN_WINDOW
    # A database that hangs must not hang every worker: seconds to connect, for one
    # statement (PostgreSQL), and to wait for a free connection of the pool.
    DATABASE_CONNECT_TIMEOUT = 3
    DATABASE_STATEMENT_TIMEOUT = 5
    DATABASE_POOL_TIMEOUT = 5
    # Connections one worker process keeps (and may open beyond them, briefly). A gevent
    # worker serves hundreds of requests at once: a press makes a room's 17 screens ask
    # together, and a restart reconnects every screen at once; with too few connections they
    # queue for the pool past DATABASE_POOL_TIMEOUT (503) while the processor is not busy.
    # The pool opens connections only when needed (a gthread worker uses 2 to 4). An instance
    # needs at most workers x (POOL_SIZE + MAX_OVERFLOW) of PostgreSQL's max_connections.
    DATABASE_POOL_SIZE = 10
    DATABASE_MAX_OVERFLOW = 10


def database_uri(app) -> str:
    """Pick the database: DATABASE_URL wins, else a SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "netapp.sqlite")
    if url.startswith("postgres://"):  # the form some hosts hand out
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def engine_options(app) -> dict:
    """Engine settings. A database server's connections are pinged when taken from the pool
    (netapp.database: unless one was returned moments ago and its socket is quiet), so a
    restart of PostgreSQL stays invisible to users; a SQLite file cannot go away between
    requests, and there the ping would only cost a query per request. Statements' parameters
    (note text, evaluation text) never appear in a logged error. Connecting, each statement
    and waiting for a pooled connection are bounded (DATABASE_*_TIMEOUT, in seconds)."""
    config = app.config
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    server = not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    options.setdefault("pool_pre_ping", server)
    options.setdefault("hide_parameters", True)
    if server:
        options.setdefault("pool_timeout", config["DATABASE_POOL_TIMEOUT"])
        options.setdefault("pool_size", config["DATABASE_POOL_SIZE"])
        options.setdefault("max_overflow", config["DATABASE_MAX_OVERFLOW"])
        # The connection returned last is taken first: a busy worker keeps reusing the few it
        # needs (returned moments ago, so handed out without a ping), and the rest stay idle.
        options.setdefault("pool_use_lifo", True)
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", int(config["DATABASE_CONNECT_TIMEOUT"]))
        statement_ms = int(float(config["DATABASE_STATEMENT_TIMEOUT"]) * 1000)
        connect_args.setdefault(
            "options", f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}")
        options["connect_args"] = connect_args
    return options


def secret_key(instance_path: str) -> str:
    """Read the instance's secret key, creating it once so every worker shares it."""
    path = Path(instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()
