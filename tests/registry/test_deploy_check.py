"""`manage.py check --deploy` passes with production settings, warnings included (ST-45)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.registry.test_headers import PRODUCTION_ENVIRONMENT, PRODUCTION_UNSET, production_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def deploy_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name not in PRODUCTION_UNSET}
    environment.update(PRODUCTION_ENVIRONMENT)
    # Django 6.1's checks look at every database, so production's is stood in for by an empty one.
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}"
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_passes_with_production_settings(tmp_path):
    result = deploy_check(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    # auth.W004 is the one check silenced, for the reason given beside it in the settings.
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert "WARNING" not in result.stderr


def test_only_the_justified_check_is_silenced(monkeypatch):
    assert production_settings(monkeypatch)["SILENCED_SYSTEM_CHECKS"] == ["auth.W004"]


@pytest.mark.parametrize(
    ("overrides", "check_id"),
    [
        pytest.param({"SECURE_SSL_REDIRECT": "false"}, "security.W008", id="no-https-redirect"),
        pytest.param({"SECRET_KEY": "too-short"}, "security.W009", id="weak-secret-key"),
        pytest.param({"SIGN_IN_METHOD": "persona"}, "registry.E001", id="persona-sign-in"),
    ],
)
def test_the_deploy_check_fails_when_production_settings_are_weakened(tmp_path, overrides, check_id):
    # The check is worth running only if it can fail.
    result = deploy_check(tmp_path, **overrides)

    assert result.returncode != 0
    assert check_id in result.stderr
