"""Feed tokens: ``ssf_<token id>_<secret>``, 256 bits of secret, kept only as an HMAC.

The token is the whole credential of a feed URL (calendar apps cannot send headers), so it is
as strong as an API key; the server keeps ``HMAC-SHA256(server key, token)``, so a leaked
database does not leak working feed URLs.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

FEED_PREFIX = "ssf_"
_TOKEN = re.compile(r"^ssf_([0-9a-f]{16})_[A-Za-z0-9_-]{43,}$")


def new_feed_token(server_key: bytes) -> tuple[str, str, str]:
    """A fresh token: ``(token id, full token shown once, its keyed hash)``."""
    token_id = secrets.token_hex(8)
    token = f"{FEED_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    return token_id, token, keyed_hash(server_key, token)


def keyed_hash(server_key: bytes, token: str) -> str:
    return hmac.new(server_key, token.encode(), hashlib.sha256).hexdigest()


def token_id_of(token: str) -> str | None:
    """The token id of a well-formed token, else None.

    >>> token_id_of("ssf_0123456789abcdef_" + "x" * 43), token_id_of("ssf_nope")
    ('0123456789abcdef', None)
    """
    match = _TOKEN.match(token)
    return match.group(1) if match else None


def redact(text: str) -> str:
    """``text`` with every feed token's secret replaced (for logs).

    >>> redact("/v1/feeds/ssf_0123456789abcdef_" + "s" * 43 + ".ics")
    '/v1/feeds/ssf_0123456789abcdef_…redacted….ics'
    """
    return re.sub(r"(ssf_[0-9a-f]{16}_)[A-Za-z0-9_-]+", r"\1…redacted…", text)
