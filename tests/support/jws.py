"""Compact JWS (ID tokens) as the stand-in DfE Sign-in signs them: RS256 with its published key, or
one of the wrong ways a test asks for (`Signing`), and the published key as a JWK."""

import base64
import enum
import hashlib
import hmac
import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class Signing(enum.Enum):
    """How the ID token is signed."""

    RS256 = "RS256 with the published key"
    OTHER_KEY = "RS256 with a key that is not published, under the published key's id"
    NONE = "not at all (alg none)"
    HS256_WITH_PUBLIC_KEY = "HS256, keyed with the published public key"


def public_jwk(key, kid: str) -> dict:
    numbers = key.public_key().public_numbers()
    return {
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": kid,
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
    }


def jws(claims: dict, *, key, kid: str, signing: Signing = Signing.RS256) -> str:
    """A compact JWS of `claims`, signed as `signing` says."""
    header = {"alg": "RS256", "typ": "JWT", "kid": kid}
    if signing is Signing.NONE:
        header = {"alg": "none", "typ": "JWT"}
    elif signing is Signing.HS256_WITH_PUBLIC_KEY:
        header = {**header, "alg": "HS256"}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}".encode()
    if signing is Signing.NONE:
        signature = b""
    elif signing is Signing.HS256_WITH_PUBLIC_KEY:
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signature = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    else:
        signer = key if signing is Signing.RS256 else rsa.generate_private_key(65537, 2048)
        signature = signer.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input.decode()}.{b64url(signature)}"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
