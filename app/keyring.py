"""Keyed hashes for secrets we hand out (invite codes, password links).

The database keeps HMAC-SHA256(key, secret) and the id of the key used, never the secret. The keys
are not the session secret: `TOKEN_KEYS` maps key ids to keys and `TOKEN_KEY_ID` names the one new
secrets are hashed with. Rotating means adding a new key and pointing `TOKEN_KEY_ID` at it; hashes
made under older ids keep verifying for as long as their key stays in `TOKEN_KEYS`.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def _keys() -> dict[str, bytes]:
    return {key_id: key.encode() for key_id, key in current_app.config["TOKEN_KEYS"].items()}


def _digest(key: bytes, secret: str) -> str:
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def keyed_hash(secret: str) -> tuple[str, str]:
    """(key id, hash) of `secret` under the current key."""
    key_id = current_app.config["TOKEN_KEY_ID"]
    return key_id, _digest(_keys()[key_id], secret)


def candidate_hashes(secret: str) -> list[str]:
    """The hash `secret` would have under each live key: what to look a stored hash up by."""
    return [_digest(key, secret) for key in _keys().values()]


def matches(secret: str, key_id: str, stored_hash: str) -> bool:
    """Constant-time check of `secret` against a stored hash made under `key_id`."""
    key = _keys().get(key_id)
    return key is not None and hmac.compare_digest(_digest(key, secret), stored_hash)


def parse_keys(raw: str) -> dict[str, str]:
    """`k2:secretB,k1:secretA` → {"k2": "secretB", "k1": "secretA"} (the environment's format)."""
    keys = {}
    for part in raw.split(","):
        key_id, _, key = part.strip().partition(":")
        if key_id and key:
            keys[key_id] = key
    return keys
