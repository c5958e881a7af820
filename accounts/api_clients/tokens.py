"""The API token format, and the keyed hash the service keeps instead of the token.

A token reads `rotp_<environment>_<secret>_<checksum>`:

- `rotp_` and the environment (`live`, `test` or `dev`) let people and secret scanners recognise a
  token and tell which service it opens;
- the secret is 43 base64url characters: 256 random bits from `secrets`;
- the checksum is a CRC32 of everything before it, as 6 base62 characters, so that a mistyped or
  made-up token is refused without the database being asked.

The service stores HMAC-SHA-256 of the whole token under a key of its own (API_TOKEN_HMAC_KEY), so
a copy of the database alone cannot confirm a guessed token. Earlier keys
(API_TOKEN_HMAC_KEY_FALLBACKS) still verify the tokens hashed with them.
"""

import hashlib
import hmac
import re
import secrets
import zlib

from django.conf import settings

PREFIX = "rotp"
ENVIRONMENTS = ("live", "test", "dev")
SECRET_BYTES = 32
SECRET_LENGTH = 43
CHECKSUM_LENGTH = 6
# For secret scanning, and for the developer documentation.
PATTERN = rf"{PREFIX}_(?:{'|'.join(ENVIRONMENTS)})_[A-Za-z0-9_-]{{{SECRET_LENGTH}}}_[0-9A-Za-z]{{{CHECKSUM_LENGTH}}}"
_TOKEN = re.compile(PATTERN)
MAX_LENGTH = len(f"{PREFIX}_live_") + SECRET_LENGTH + 1 + CHECKSUM_LENGTH

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Used to derive a key from SECRET_KEY where no API_TOKEN_HMAC_KEY is set (only allowed with DEBUG on).
_KEY_PURPOSE = b"registry.api-token.v1"


def _base62(number: int, length: int) -> str:
    digits = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LENGTH)


def token_generate() -> str:
    """A new token. Show it once, to the person who asked for it, and keep only its hash."""
    body = f"{PREFIX}_{settings.API_TOKEN_ENVIRONMENT}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return f"{body}_{_checksum(body)}"


def token_is_well_formed(token: str | None) -> bool:
    """Whether `token` has the format and a correct checksum: checked without the database."""
    if not token or len(token) > MAX_LENGTH:
        return False
    if _TOKEN.fullmatch(token) is None:
        return False
    body, checksum = token[: -CHECKSUM_LENGTH - 1], token[-CHECKSUM_LENGTH:]
    return hmac.compare_digest(_checksum(body), checksum)


def _keys() -> list[bytes]:
    """The current hashing key first, then the earlier ones that still verify."""
    configured = settings.API_TOKEN_HMAC_KEY
    if configured:
        keys = [configured, *settings.API_TOKEN_HMAC_KEY_FALLBACKS]
        return [key.encode() for key in keys]
    return [
        hashlib.sha256(_KEY_PURPOSE + secret.encode()).digest()
        for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    ]


def _hmac(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode("ascii"), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """The hash to store for a new token: HMAC-SHA-256 under the current key, in hex."""
    return _hmac(_keys()[0], token)


def token_hashes(token: str) -> list[str]:
    """Every hash `token` may be stored under: the current key's first, then the earlier keys'."""
    return [_hmac(key, token) for key in _keys()]


def token_hint(token: str) -> str:
    """What may be shown of a token to tell it apart: its prefix and its last four characters."""
    environment = token.split("_", 2)[1]
    return f"{PREFIX}_{environment}_…{token[-4:]}"
