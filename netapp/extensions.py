"""The Flask extensions, created unbound; create_app() binds them."""

import weakref

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints keep migrations portable between SQLite and PostgreSQL.
naming = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Set on a session whose request only reads (netapp.database.read_only_request).
READ_ONLY = "netapp_read_only"


class Session(FlaskSession):
    """Flask-SQLAlchemy's session; one that only reads takes its connection in autocommit on
    a database server: no BEGIN and ROLLBACK round trips, and psycopg keeps its prepared
    statements (a ROLLBACK makes it deallocate every one, so each statement was planned anew
    on every request)."""

    def get_bind(self, *args, **kwargs):
        engine = super().get_bind(*args, **kwargs)
        if self.info.get(READ_ONLY) and engine.dialect.name != "sqlite":
            return _autocommit(engine)
        return engine


_autocommits: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _autocommit(engine: Engine) -> Engine:
    """The engine's autocommit variant: the same pool; the connection is put back as it was
    when it returns to the pool."""
    if engine not in _autocommits:
        _autocommits[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return _autocommits[engine]


db = SQLAlchemy(metadata=MetaData(naming_convention=naming), session_options={"class_": Session})
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
babel = Babel()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL, a busy timeout and foreign keys on every SQLite connection."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
