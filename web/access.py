"""Who is signed in, and how often an address or an account has tried to sign in.

These are server-side records shared by every worker, kept in the views' database (SQLite
file or PostgreSQL) but not among the views: a rebuild never touches them, and they are not
history, so they are not events. Session ids are stored only as SHA-256 digests; the id
itself lives in the person's signed, HttpOnly cookie.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from uuid import UUID

from projections.db import ViewStore
from projections.instants import iso
from tracker.clock import Clock

SESSION_LIFETIME = timedelta(days=14)
ATTEMPTS_KEPT = timedelta(days=1)  # longer than any limit's window
TOKEN_LIFETIME = timedelta(days=365)
TOKEN_PREFIX = "atk_"  # recognisable in logs and by secret scanners
SETUP_LOCK_KEY = 7_291_003  # a PostgreSQL advisory lock of its own, for creating the tables

# Sessions and API tokens are the same thing kept apart: a secret given to a person, known
# here only by its digest, standing for an account until it expires or is given back.
_GRANT_COLUMNS = (
    "digest TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
    "created_at TEXT NOT NULL, expires_at TEXT NOT NULL"
)
SESSIONS, TOKENS = "access_sessions", "access_tokens"
TABLES = {
    SESSIONS: _GRANT_COLUMNS,
    TOKENS: _GRANT_COLUMNS,
    # One row per attempt that counts (a failed sign-in, a sign-up), for a sliding window.
    "access_attempts_at": "bucket TEXT NOT NULL, at TEXT NOT NULL",
}
INDEXES = [
    "ix_access_attempts_at ON access_attempts_at (bucket, at)",
    "ix_access_attempts_time ON access_attempts_at (at)",
]
RETIRED_TABLES = ["access_attempts"]  # fixed windows, counted per window


def _digest(secret: str) -> str:
    # The secrets are 256 random bits, so one round of SHA-256 is as good as a slow hash.
    return hashlib.sha256(secret.encode()).hexdigest()


class Access:
    def __init__(self, store: ViewStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def setup(self) -> None:
        with self.store.transaction() as cur:
            if cur.dialect == "postgresql":
                cur.execute("SELECT pg_advisory_xact_lock(?)", (SETUP_LOCK_KEY,))
            for table in RETIRED_TABLES:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            for table, columns in TABLES.items():
                cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
            for index in INDEXES:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {index}")

    # --- sessions and API tokens -----------------------------------------------------------

    def start_session(self, account_id: UUID) -> str:
        """A new session for the account; returns its id, to be kept in the cookie only."""
        return self._grant(SESSIONS, secrets.token_urlsafe(32), account_id, SESSION_LIFETIME)

    def session_account(self, session_id: str) -> UUID | None:
        return self._holder(SESSIONS, session_id)

    def end_session(self, session_id: str) -> None:
        self._give_back(SESSIONS, session_id)

    def issue_token(self, account_id: UUID) -> tuple[str, datetime]:
        """A bearer token for the API and when it expires."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._grant(TOKENS, token, account_id, TOKEN_LIFETIME)
        return token, self.clock.now() + TOKEN_LIFETIME

    def token_account(self, token: str) -> UUID | None:
        return self._holder(TOKENS, token)

    def revoke_token(self, token: str) -> None:
        self._give_back(TOKENS, token)

    def end_every_grant(self, account_id: UUID) -> None:
        """Every session and token of the account ends (its owner took it back)."""
        with self.store.transaction() as cur:
            for table in (SESSIONS, TOKENS):
                cur.execute(f"DELETE FROM {table} WHERE account_id = ?", (str(account_id),))

    def _grant(self, table: str, secret: str, account_id: UUID, lifetime: timedelta) -> str:
        now = self.clock.now()
        with self.store.transaction() as cur:
            # Expired grants go here, where a write happens anyway.
            cur.execute(f"DELETE FROM {table} WHERE expires_at <= ?", (iso(now),))
            cur.execute(
                f"INSERT INTO {table} (digest, account_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (_digest(secret), str(account_id), iso(now), iso(now + lifetime)),
            )
        return secret

    def _holder(self, table: str, secret: str) -> UUID | None:
        with self.store.read() as cur:
            cur.execute(
                f"SELECT account_id FROM {table} WHERE digest = ? AND expires_at > ?",
                (_digest(secret), iso(self.clock.now())),
            )
            row = cur.fetchone()
        return UUID(row["account_id"]) if row else None

    def _give_back(self, table: str, secret: str) -> None:
        with self.store.transaction() as cur:
            cur.execute(f"DELETE FROM {table} WHERE digest = ?", (_digest(secret),))

    # --- attempts -------------------------------------------------------------------------

    def wait_needed(self, bucket: str, limit: int, window: timedelta) -> int | None:
        """None while ``bucket`` holds fewer than ``limit`` attempts in the last ``window``
        (a sliding window: each attempt counts for exactly that long), else the whole seconds
        until the oldest of them stops counting. Every worker counts in the same table."""
        now = self.clock.now()
        with self.store.read() as cur:
            cur.execute(
                "SELECT COUNT(*) AS attempts, MIN(at) AS oldest FROM access_attempts_at "
                "WHERE bucket = ? AND at > ?",
                (bucket, iso(now - window)),
            )
            row = cur.fetchone()
        if row is None or int(row["attempts"]) < limit:
            return None
        oldest = datetime.fromisoformat(row["oldest"])
        return max(1, math.ceil((oldest + window - now).total_seconds()))

    def count_attempt(self, *buckets: str) -> None:
        now = self.clock.now()
        with self.store.transaction() as cur:
            # What no window looks back to goes here, where a write happens anyway.
            cur.execute("DELETE FROM access_attempts_at WHERE at < ?", (iso(now - ATTEMPTS_KEPT),))
            cur.executemany(
                "INSERT INTO access_attempts_at (bucket, at) VALUES (?, ?)",
                [(bucket, iso(now)) for bucket in buckets],
            )

    def forget_attempts(self, bucket: str) -> None:
        with self.store.transaction() as cur:
            cur.execute("DELETE FROM access_attempts_at WHERE bucket = ?", (bucket,))
