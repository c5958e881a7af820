"""A token's plaintext exists only in the response that issues it: never in the database, its
history or the logs."""

import logging

import pytest
from django.apps import apps
from django.db import models

from tests.accounts.api_clients.fixtures import bearer, mistyped

pytestmark = pytest.mark.django_db


def _every_text_value_in_the_database() -> str:
    values = []
    for model in apps.get_models(include_auto_created=True):
        fields = [field.attname for field in model._meta.concrete_fields]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            values.extend(str(value) for value in row if value is not None)
    return "\n".join(values)


def _secret_part(token: str) -> str:
    return token.split("_", 2)[2][:-7]


def test_a_token_is_nowhere_in_the_database_nor_the_logs(client, token, caplog):
    with caplog.at_level(logging.DEBUG):
        created = client.post(
            "/api/v1/clients", {"name": "Second"}, content_type="application/json", headers=bearer(token)
        ).json()
        second = created["token"]
        client_id = created["data"]["id"]
        rotated = client.post(
            f"/api/v1/clients/{client_id}/rotate", {}, content_type="application/json", headers=bearer(second)
        ).json()["token"]
        client.get("/api/v1/providers", headers=bearer(rotated))
        client.get("/api/v1/providers", headers=bearer(mistyped(rotated)))
        client.delete(f"/api/v1/clients/{client_id}", headers=bearer(token))
        client.get("/api/v1/info", headers=bearer(second))
    stored = _every_text_value_in_the_database()
    assert "historicalapitoken" in str(apps.get_models(include_auto_created=True)).lower()
    logged = caplog.text + "\n".join(repr(vars(record)) for record in caplog.records)
    for plaintext in (token, second, rotated):
        assert plaintext not in stored
        assert _secret_part(plaintext) not in stored
        assert _secret_part(plaintext) not in logged


def test_models_keep_no_plaintext_column():
    from accounts.models import ApiToken

    text_fields = {field.name for field in ApiToken._meta.concrete_fields if isinstance(field, models.CharField)}
    assert text_fields == {"token_hash", "hint"}
