"""Secrets: argon2 password hashes, random tokens stored as SHA-256, HMAC signatures."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from goodwill.errors import InvalidInput

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "gw_"  # noqa: S105 - a label, not a secret


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking the password policy."""
    check_password_policy(password)
    return _hasher.hash(password)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password: at least {MIN_PASSWORD_LENGTH} characters are required")
    if password.strip() != password or len(set(password)) < 5:
        raise InvalidInput("password: too simple (repeated characters or surrounding spaces)")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        _hasher.hash("timing-equaliser")  # spend the same time as a real check
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A new opaque credential: 256 random bits, URL-safe, with a recognisable prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 of a high-entropy token: what is stored and looked up (a slow hash adds nothing)."""
    return hashlib.sha256(token.encode()).hexdigest()


def hmac_sha256(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
