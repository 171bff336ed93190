"""Passwords: argon2id hashes, and the rules a new password must meet.

The hash is what the Account records; the password itself never leaves the command that
hashes or checks it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; a bound keeps a request from buying CPU time
# zxcvbn's scale: 3 is "safely unguessable", well past a throttled online attack.
MIN_SCORE = 3
SCORED_LENGTH = 72  # zxcvbn refuses longer: the first 72 characters are what it judges


def normalised(password: str) -> str:
    """The same password however it was typed: composed or decomposed accents, full-width
    forms, ligatures (NFKC), so one typed on another keyboard still matches."""
    return unicodedata.normalize("NFKC", password)


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
        return self._hasher.hash(normalised(password))

    def verify(self, password_hash: str | None, password: str) -> bool:
        if self._verify(password_hash, normalised(password)):
            return True
        # Hashed before passwords were normalised: as typed then.
        return normalised(password) != password and self._verify(password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def weakness(password: str, own_words: Sequence[str] = ()) -> str | None:
    """Why a new password is refused, in words for the person choosing it; None if fine.
    ``own_words`` are the person's own (email, name): a password made of them is weak.
    Its length is bounded as typed, as signing in bounds it, and once normalised."""
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    password = normalised(password)
    if not password.strip():
        return "use something other than spaces alone"
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    words = [word for word in own_words if word]
    words += [part for word in words for part in word.replace("@", " ").replace(".", " ").split()]
    judged = zxcvbn(password[:SCORED_LENGTH], user_inputs=words)
    if judged["score"] < MIN_SCORE:
        advice = judged["feedback"]["warning"] or "It would be guessed quickly."
        return f"choose a stronger password. {advice} A few unrelated words together work well."
    return None
