"""Passwords, access tokens and refresh tokens.

Passwords: argon2id (argon2-cffi's PasswordHasher defaults).  Access tokens are stateless: an HMAC-SHA256
over ``{uid, did, exp}`` with the database's ``token_secret``, so every server process on one database
accepts the others' tokens without a lookup (revocation is checked on the device row at each request).
Refresh tokens are 256-bit random strings; only their SHA-256 is stored, and each is used once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the user does not exist, so an unknown name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("dangjian-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; ``password_hash`` None (unknown user) takes the same time and fails."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    device_id: str
    expires_at: int  # unix seconds


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode("ascii"), payload.encode("ascii"), hashlib.sha256).digest())


def make_access_token(secret: str, *, user_id: str, device_id: str, expires_at: int) -> str:
    payload = _b64(json.dumps({"uid": user_id, "did": device_id, "exp": expires_at},
                              separators=(",", ":")).encode("utf-8"))
    return f"{payload}.{_sign(secret, payload)}"


def read_access_token(secret: str, token: str, *, now: int) -> AccessClaims | None:
    """The claims of a token this database signed and that has not expired at ``now``; None otherwise."""
    if not token.isascii():  # a header of any other text is no token of ours (and would not encode)
        return None
    payload, dot, signature = token.partition(".")
    if not dot or not hmac.compare_digest(_sign(secret, payload), signature):
        return None
    try:
        claims = json.loads(_unb64(payload))
        result = AccessClaims(str(claims["uid"]), str(claims["did"]), int(claims["exp"]))
    except (ValueError, KeyError, TypeError):
        return None
    return result if result.expires_at > now else None


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_refresh_token() -> tuple[str, str]:
    """A new refresh token (43 URL-safe characters: short enough for Windows' credential store) and its
    SHA-256 hex, the only form the server keeps."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)
