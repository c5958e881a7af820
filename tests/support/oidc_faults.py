"""How the stand-in DfE Sign-in (`tests.support.oidc_provider`) can misbehave at any of its addresses.

`OIDCProvider.fail(path, fault)` makes the address answer `fault` instead: too late, not at all, an
error page, or JSON that is not what was asked for.
"""

import dataclasses
import json


@dataclasses.dataclass(frozen=True)
class Fault:
    """What an address answers instead of its usual answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    # Say nothing until the client has given up (or the provider stops), then hang up.
    hang: bool = False
    # Hang up at once, without answering.
    drop: bool = False

    @classmethod
    def json(cls, document, status: int = 200) -> "Fault":
        return cls(status=status, body=json.dumps(document).encode())


SLOW = Fault(hang=True)
HANG_UP = Fault(drop=True)
SERVER_ERROR = Fault(
    status=500, body=b"<html><body><h1>500 Internal Server Error</h1></body></html>", content_type="text/html"
)
GATEWAY_TIMEOUT = Fault(status=504, body=b"<html><body>504 Gateway Time-out</body></html>", content_type="text/html")
NOT_JSON = Fault(body=b"<html><body>DfE Sign-in is down for maintenance</body></html>", content_type="text/html")
EMPTY = Fault(body=b"")
