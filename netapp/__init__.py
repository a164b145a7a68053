"""netapp: peer networks for leaders, from the contract to the sparring clock."""

import os
from pathlib import Path

from flask import Flask

from netapp import config as defaults
from netapp.hygiene import Routes

# The domains, each a blueprint package with its own templates folder and catalog.
DOMAINS = ("auth", "main", "privacy", "networks", "meetings", "live", "evaluations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then NETAPP_* variables."""
    root = Path(__file__).resolve().parent.parent
    app = _Flask(
        __name__,
        instance_relative_config=True,
        # An operator keeps the instance folder (SQLite file, secret key) out of the code's.
        instance_path=os.environ.get("NETAPP_INSTANCE_PATH") or None,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    app.config.from_object(defaults.Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("NETAPP")
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = defaults.database_uri(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = defaults.engine_options(app)
    from netapp.database import create_sqlite_file, parse_url

    parse_url(app.config["SQLALCHEMY_DATABASE_URI"])
    create_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = defaults.secret_key(app.instance_path)
    if app.testing:  # the test client speaks plain http
        app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(p) for p in translation_directories()
    )

    from netapp import compression

    compression.init_app(app)  # first: its after_request hook runs after all the others
    _init_extensions(app)
    _reads_only_read(app)
    _bound_statements(app)
    _register_blueprints(app)
    if app.config.get("PROXY_FIX"):  # behind N reverse proxies: trust their X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from netapp import write_timeout

    write_timeout.init_app(app)
    if test_config is None and app.config.get("CHECK_DATABASE_ON_START", True):
        from netapp.database import check_on_start

        check_on_start(app)

    from netapp import assets, cli, errors, instrumentation, links, logs, mail, security

    logs.init_app(app)
    links.init_app(app)
    assets.init_app(app)
    instrumentation.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    mail.init_app(app)
    return app


class _Flask(Flask):
    """Flask whose URL map refuses ids beyond the database's range and control characters
    in path segments (netapp.hygiene): no such path reaches a view, so it is a 404."""

    url_map_class = Routes

    def log_exception(self, exc_info) -> None:
        """A failed request logs one line and one traceback, its path without tokens."""
        from netapp.logs import log_failed_request

        log_failed_request(self.logger, exc_info[1])


def translation_directories() -> list[Path]:
    """The shared catalog plus one per domain; Flask-Babel merges them."""
    here = Path(__file__).resolve().parent
    dirs = [here / "translations"]
    dirs += [here / d / "translations" for d in DOMAINS if (here / d / "translations").is_dir()]
    return dirs


def _init_extensions(app: Flask) -> None:
    from netapp.models import load_all

    load_all()  # every table known to metadata and migrations
    from netapp import i18n
    from netapp.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    # "basic", not "strong": a tablet moves between Wi-Fi and mobile data, and
    # "basic" only marks a session from a new address as not fresh. "strong" would log it
    # out, which live.views.answer_unchanged_poll (a poll that loads no user) does not check.
    login_manager.session_protection = "basic"
    # login_user() asks the user for the id to keep in the cookies: a new device session's
    # token, so each device logs out alone (User.start_device_session).
    login_manager.id_attribute = "start_device_session"
    app.jinja_env.add_extension("jinja2.ext.i18n")
    i18n.init_app(app)


def _reads_only_read(app: Flask) -> None:
    """GET and HEAD never write: their sessions only read (netapp.database), declared before
    any other hook runs a query."""
    from flask import request

    from netapp.database import end_of_request, read_only_request

    @app.before_request
    def _read_only():
        if request.method in ("GET", "HEAD"):
            read_only_request()

    @app.teardown_request
    def _reading_ends(_exc=None):
        end_of_request()


def _bound_statements(app: Flask) -> None:
    """A request waits on a database server for a statement a little longer than the server
    itself would (its statement_timeout), and for a ping as long as for a connection."""
    from netapp.database import watch_statements
    from netapp.extensions import db

    with app.app_context():
        watch_statements(db.engine,
                         float(app.config["DATABASE_STATEMENT_TIMEOUT"]) + 2,
                         float(app.config["DATABASE_CONNECT_TIMEOUT"]))


def is_view_module(name: str) -> bool:
    """The one naming of the modules that hang routes or home panels on a domain's bp:
    views.py, views_<topic>.py (the topic the URL names after the domain) and panels.py."""
    return name in ("views", "panels") or name.startswith("views_")


def _register_blueprints(app: Flask) -> None:
    """Each domain's __init__.py creates bp; importing its view modules fills it in."""
    import pkgutil
    from importlib import import_module

    for name in DOMAINS:
        package = import_module(f"netapp.{name}")
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
            if is_view_module(module):
                import_module(f"netapp.{name}.{module}")
        app.register_blueprint(package.bp)
