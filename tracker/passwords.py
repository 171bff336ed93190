"""Passwords: argon2id hashes, and the rules a new password must meet.

The hash is what the Account records; the password itself never leaves the command that
hashes or checks it.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; a bound keeps a request from buying CPU time


class Passwords:
    """argon2-cffi's recommended parameters (RFC 9106, low memory) unless told otherwise."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        # Checking a password for an account that does not exist still costs one verify,
        # so the time taken does not tell whether the email is registered.
        self._decoy = self._hasher.hash("a password nobody has")

    @classmethod
    def cheapest(cls) -> Passwords:
        """For tests only: the same algorithm at the lowest cost, so hundreds of accounts
        take milliseconds. Hashes made this way are upgraded at the next sign-in."""
        return cls(PasswordHasher.from_parameters(profiles.CHEAPEST))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def weakness(password: str) -> str | None:
    """Why a new password is refused, in words for the person choosing it; None if fine."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    if password.strip().lower() in _common():
        return "this is one of the most common passwords; choose another"
    return None


@functools.cache
def _common() -> frozenset[str]:
    # zxcvbn's list of the 30,000 most common passwords, from real breaches. Only those
    # long enough to pass the length rule matter here.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_LENGTH)
