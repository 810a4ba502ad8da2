"""Key format, hashing and roles.

A key reads ``ssk_<key id>_<secret>``: the ``ssk_`` prefix makes leaked keys greppable, the key id
(public) finds the row, and only a SHA-256 of the whole key is stored. The secret carries 256 bits
of entropy, so a fast hash is enough (there is nothing to brute-force, unlike a password).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum

KEY_PREFIX = "ssk_"


class Role(StrEnum):
    viewer = "viewer"
    planner = "planner"
    scheduler = "scheduler"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, required: Role) -> bool:
        """Roles are ordered: each one may do what the ones below it may.

        >>> Role.scheduler.allows(Role.planner), Role.viewer.allows(Role.planner)
        (True, False)
        """
        return self.rank >= required.rank


_RANK = {Role.viewer: 0, Role.planner: 1, Role.scheduler: 2, Role.admin: 3}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str, str]:
    """A fresh key: ``(key id, full key shown once, its hash)``."""
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return key_id, key, hash_key(key)


def parse_key(key: str) -> str | None:
    """The key id of a well-formed key, else None.

    >>> parse_key("ssk_0a1b2c3d4e5f_abc"), parse_key("nope")
    ('0a1b2c3d4e5f', None)
    """
    if not key.startswith(KEY_PREFIX):
        return None
    key_id, sep, secret = key[len(KEY_PREFIX) :].partition("_")
    if not sep or not secret or len(key_id) != 12:
        return None
    return key_id


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), stored_hash)
