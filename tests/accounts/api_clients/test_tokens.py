import hashlib
import hmac
import re
import secrets
import zlib

import pytest

from accounts.api_clients import tokens
from tests.accounts.api_clients.fixtures import TOKEN_PATTERN


def test_a_token_is_recognisable_and_carries_256_random_bits(settings):
    settings.API_TOKEN_ENVIRONMENT = "live"
    token = tokens.token_generate()
    assert re.fullmatch(TOKEN_PATTERN, token)
    assert re.fullmatch(tokens.PATTERN, token)
    assert token.startswith("rotp_live_")
    secret = token.removeprefix("rotp_live_")[: tokens.SECRET_LENGTH]
    # 43 base64url characters carry 258 bits, of which token_urlsafe(32) fills 256.
    assert len(secret) == 43


def test_tokens_come_from_secrets(monkeypatch):
    calls = []
    real = secrets.token_urlsafe

    def spy(nbytes):
        calls.append(nbytes)
        return real(nbytes)

    monkeypatch.setattr(tokens.secrets, "token_urlsafe", spy)
    tokens.token_generate()
    assert calls == [32]


def test_no_two_tokens_are_the_same():
    assert len({tokens.token_generate() for _ in range(1000)}) == 1000


def test_a_token_says_which_service_it_opens(settings):
    settings.API_TOKEN_ENVIRONMENT = "test"
    assert tokens.token_generate().startswith("rotp_test_")


def test_a_generated_token_is_well_formed():
    assert all(tokens.token_is_well_formed(tokens.token_generate()) for _ in range(200))


def _with_last_character_changed(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(_with_last_character_changed, id="bad checksum"),
        pytest.param(lambda token: token[:15] + ("x" if token[15] != "x" else "y") + token[16:], id="changed secret"),
        pytest.param(lambda token: token.replace("rotp_", "rotq_"), id="other prefix"),
        pytest.param(lambda token: re.sub(r"^rotp_[a-z]+_", "rotp_prod_", token), id="unknown environment"),
        pytest.param(lambda token: token[:-2], id="too short"),
        pytest.param(lambda token: token + "a", id="too long"),
        pytest.param(lambda token: token.upper(), id="upper case"),
        pytest.param(lambda token: "", id="empty"),
        pytest.param(lambda token: "x" * 10_000, id="huge"),
        pytest.param(lambda token: f" {token}", id="leading space"),
        pytest.param(lambda token: token.replace("_", "-"), id="other separators"),
    ],
)
def test_a_malformed_token_is_found_out_without_the_database(mangle):
    assert not tokens.token_is_well_formed(mangle(tokens.token_generate()))


def test_the_checksum_is_a_crc32_in_base62():
    token = tokens.token_generate()
    body, checksum = token[:-7], token[-6:]
    value = 0
    for character in checksum:
        value = value * 62 + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".index(character)
    assert value == zlib.crc32(body.encode())


def test_the_hash_is_hmac_sha256_under_the_configured_key(settings):
    settings.API_TOKEN_HMAC_KEY = "k" * 40
    token = tokens.token_generate()
    expected = hmac.new(b"k" * 40, token.encode(), hashlib.sha256).hexdigest()
    assert tokens.token_hash(token) == expected
    assert len(expected) == 64
    # Not a plain hash: without the key, a copy of the database cannot confirm a guess.
    assert tokens.token_hash(token) != hashlib.sha256(token.encode()).hexdigest()


def test_without_a_configured_key_one_is_derived_from_the_secret_key(settings):
    settings.API_TOKEN_HMAC_KEY = ""
    token = tokens.token_generate()
    first = tokens.token_hash(token)
    settings.SECRET_KEY = "another-secret-key"
    assert tokens.token_hash(token) != first


def test_earlier_keys_still_verify_and_the_current_one_comes_first(settings):
    settings.API_TOKEN_HMAC_KEY = "old" * 12
    token = tokens.token_generate()
    old_hash = tokens.token_hash(token)
    settings.API_TOKEN_HMAC_KEY = "new" * 12
    settings.API_TOKEN_HMAC_KEY_FALLBACKS = ["old" * 12]
    assert tokens.token_hashes(token) == [tokens.token_hash(token), old_hash]


def test_the_hint_shows_only_the_prefix_and_the_last_four_characters(settings):
    settings.API_TOKEN_ENVIRONMENT = "dev"
    token = tokens.token_generate()
    hint = tokens.token_hint(token)
    assert hint == f"rotp_dev_…{token[-4:]}"
    assert token[10:-4] not in hint
