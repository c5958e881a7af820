"""Fixtures of the failure drills: a PostgreSQL server of their own, a released database for each
drill, Redis as for tests/production, and the static files.

The drills stop and start PostgreSQL, so they never use a server anything else depends on: they make
one of their own (tests/support/private_postgres.py), and skip, saying why, where they cannot.
"""

import secrets

import pytest

from tests.drills.stack import HOST, release
from tests.production.conftest import PYTHON, base_environment, free_port, redis_cache, run_command
from tests.support.private_postgres import PrivatePostgres, unavailable_reason

__all__ = ["redis_cache"]

TEMPLATE_DATABASE = "registry_released"


def build_environment(**settings: str) -> dict[str, str]:
    """Production settings with stand-in secrets, for the steps that need the settings but no secret."""
    return base_environment(
        DEBUG="false",
        SECRET_KEY="build",
        API_TOKEN_HMAC_KEY="build-only-not-a-secret-32-characters",
        ALLOWED_HOSTS=HOST,
        SERVICE_URL=f"https://{HOST}",
        DFE_SIGN_IN_ISSUER="https://build.invalid",
        DFE_SIGN_IN_CLIENT_ID="build",
        DFE_SIGN_IN_CLIENT_SECRET="build",
        GOVUK_NOTIFY_API_KEY="build",
        GOVUK_NOTIFY_TEMPLATE_SIGN_IN_DETAILS="build",
        GOVUK_NOTIFY_TEMPLATE_ACCOUNT_REMOVED="build",
        **settings,
    )


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files, collected once for every drill's web processes, as the image build does."""
    root = tmp_path_factory.mktemp("drill-static")
    environment = build_environment(STATIC_ROOT=str(root))
    run_command([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], environment=environment)
    return root


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the drills alone, removed afterwards: the drills may stop it."""
    if reason := unavailable_reason():
        pytest.skip(f"The failure drills need a PostgreSQL server of their own: {reason}.")
    server = PrivatePostgres(port=free_port())
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def released_database(postgres_server):
    """A database after the release steps (migrated, the fixture users loaded), for drills to copy."""
    import psycopg

    with psycopg.connect(postgres_server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {TEMPLATE_DATABASE}")
    release(build_environment(DATABASE_URL=postgres_server.url(TEMPLATE_DATABASE)))
    return TEMPLATE_DATABASE


@pytest.fixture(scope="module")
def drill_database(postgres_server, released_database):
    """A released database of this drill's own (a copy of the released one); its URL.

    The URL gives a connect timeout, as docs/deploy.md asks, so a database that cannot be reached
    fails a request in seconds.
    """
    import psycopg

    name = f"registry_drill_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {released_database}")
    try:
        yield postgres_server.url(name, connect_timeout="3")
    finally:
        if not postgres_server.running:
            postgres_server.start()
        with psycopg.connect(postgres_server.url(), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
