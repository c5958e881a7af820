"""Static files are served by the web processes themselves (whitenoise)."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.registry.test_headers import production_settings


def test_in_production_they_are_collected_with_hashed_names_and_compressed(monkeypatch):
    production = production_settings(monkeypatch)

    assert production["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Served from what collectstatic wrote, read once at start-up.
    assert production["WHITENOISE_AUTOREFRESH"] is False
    assert production["WHITENOISE_USE_FINDERS"] is False
    assert production["STATIC_ROOT"] == Path(django_settings.BASE_DIR) / "staticfiles"


def test_whitenoise_answers_before_anything_reads_the_session(monkeypatch):
    middleware = production_settings(monkeypatch)["MIDDLEWARE"]

    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


def test_where_they_are_collected_can_be_chosen(monkeypatch, tmp_path):
    monkeypatch.setenv("STATIC_ROOT", str(tmp_path))

    assert production_settings(monkeypatch)["STATIC_ROOT"] == tmp_path


@pytest.mark.django_db
def test_locally_they_are_served_from_the_apps_without_collecting_them(client):
    response = client.get("/static/admin/css/base.css")

    try:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/css")
        assert b"".join(response.streaming_content)
    finally:
        response.close()
