"""The flask commands: init-db, seed-demo, create-admin; and the migrations."""

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config

from netapp import create_app
from netapp.auth.models import User
from netapp.extensions import db
from netapp.meetings.models import Meeting
from netapp.networks.models import Membership, Network, OrganisationAdmin
from tests import factories as f


def _file_app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        }
    )
    app.instance_path = str(tmp_path)
    return app


def _migration_app(tmp_path, url):
    """An app on an empty database of its own: a SQLite file, or on the suite's PostgreSQL
    server when it runs with --db postgresql."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = str(tmp_path)
    return app


def _without_inline_keys(diff: list) -> list:
    """SQLite cannot add a foreign key to a table in place except inline with its column,
    and does not report an inline key's name or ON DELETE: such a key (the same columns and
    target, reflected without a name) counts as matching the model's. PostgreSQL compares
    every key in full."""
    def spec(fk):
        return (fk.table.name, tuple(c.name for c in fk.columns),
                tuple(e.target_fullname for e in fk.elements))

    nameless = {spec(d[1]) for d in diff if d[0] == "remove_fk" and d[1].name is None}
    return [d for d in diff if not (d[0] in ("remove_fk", "add_fk") and spec(d[1]) in nameless)]


def test_init_db_migrates_to_a_schema_that_matches_the_models(tmp_path, empty_database_url):
    """The models match the migrated schema (SQLite and PostgreSQL)."""
    app = _migration_app(tmp_path, empty_database_url)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        if db.engine.dialect.name == "sqlite":
            diff = _without_inline_keys(diff)
        assert diff == [], f"models and migrations differ: {diff}"
        flask_migrate.downgrade(directory=app.extensions["migrate"].directory, revision="base")
        db.engine.dispose()


def test_migrations_have_one_head_and_round_trip(tmp_path, empty_database_url):
    """Migrations: one head, upgrade from empty, downgrade and upgrade again."""
    app = _migration_app(tmp_path, empty_database_url)
    with app.app_context():
        config = Config(str(app.extensions["migrate"].directory) + "/alembic.ini")
        config.set_main_option("script_location", app.extensions["migrate"].directory)
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory)
        assert "meeting" in sa.inspect(db.engine).get_table_names()
        flask_migrate.downgrade(directory=directory, revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade(directory=directory)
        assert "meeting" in sa.inspect(db.engine).get_table_names()
        flask_migrate.downgrade(directory=directory, revision="base")
        db.engine.dispose()


def test_seed_demo_is_idempotent_and_prints_the_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "tovholder@example.com" in first.output
    assert "sparring-demo" in first.output
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (User, Network, Membership, Meeting)
    ]
    second = runner.invoke(args=["seed-demo"])
    assert "already there" in second.output
    assert counts == [
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (User, Network, Membership, Meeting)
    ]
    assert counts[0] >= 12 and counts[1] == 3  # east, west and the municipal network


def test_demo_login_works(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    response = client.post(
        "/auth/login", data={"email": "tovholder@example.com", "password": "sparring-demo"}
    )
    assert response.status_code == 302


def test_create_admin(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "Boss@Example.com",
            "--name",
            "Boss",
            "--organisation",
            "Dansk Praksisforum",
            "--password",
            "long enough secret",
        ],
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(User.by_email("boss@example.com"))
    assert user.check_password("long enough secret")
    assert db.session.scalar(
        sa.select(OrganisationAdmin).where(OrganisationAdmin.user_id == user.id)
    )


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "--email",
            "b@example.com",
            "--name",
            "B",
            "--organisation",
            "O",
            "--password",
            "short",
        ],
    )
    assert result.exit_code != 0
    assert db.session.scalar(User.by_email("b@example.com")) is None


def test_backup_copies_a_live_database_that_restores(tmp_path):
    app = _file_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    target = tmp_path / "backup" / "copy.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    restored = create_app({"TESTING": True, "SECRET_KEY": "x",
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"})
    with restored.app_context():
        emails = set(db.session.scalars(sa.select(User.email)))
        assert "tovholder@example.com" in emails
        assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 3
        db.engine.dispose()
    with app.app_context():
        db.engine.dispose()


def test_backup_refuses_an_in_memory_database(app, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("in-memory SQLite only (PostgreSQL backups: tests/test_operations.py)")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "never.sqlite")])
    assert result.exit_code != 0
    assert "SQLite file" in result.output
    assert not (tmp_path / "never.sqlite").exists()


def test_purge_expired_clears_old_tokens_and_failed_logins(app):
    from datetime import datetime

    from netapp.auth.models import LoginFailure
    from netapp.main.models import Submission

    db.session.add_all([
        LoginFailure(email="a@example.com", address="1.2.3.4", at=datetime(2026, 1, 1)),
        LoginFailure(email="b@example.com", address="1.2.3.4", at=datetime(2026, 1, 10, 11, 59)),
        Submission(token="old", created_at=datetime(2026, 1, 1)),
        Submission(token="fresh", created_at=datetime(2026, 1, 9, 12)),
    ])
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-expired", "--now", "2026-01-10T12:00"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(sa.select(LoginFailure.email)).all() == ["b@example.com"]
    assert db.session.scalars(sa.select(Submission.token)).all() == ["fresh"]


def test_purge_expired_refreshes_planner_statistics(app):
    """SQLite never gathers statistics by itself: the daily purge does, on either database."""
    f.network(name="Statistik")
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert _statistics_rows("network") > 0


def _statistics_rows(table: str) -> int:
    if db.engine.dialect.name == "sqlite":
        statistics = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = :table"
    else:
        statistics = "SELECT count(*) FROM pg_stats WHERE tablename = :table"
    return db.session.scalar(sa.text(statistics), {"table": table})


def test_seed_large_fills_an_empty_database_and_leaves_planner_statistics(app):
    """The benchmark's data set: ids for bench/run.py, then ANALYZE, so plans are not blind."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-large", "--networks", "2"])
    assert result.exit_code == 0, result.output
    ids = dict(item.split("=", 1) for item in result.output.split())
    assert ids["network"] and ids["password"] == "bench-password"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Network)) == 2
    assert _statistics_rows("meeting") > 0
    again = runner.invoke(args=["seed-large", "--networks", "2"])
    assert again.exit_code != 0 and "has data" in again.output
