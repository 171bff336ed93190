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
from projections.views.base import iso
from tracker.clock import Clock

SESSION_LIFETIME = timedelta(days=14)
TOKEN_LIFETIME = timedelta(days=365)
TOKEN_PREFIX = "atk_"  # recognisable in logs and by secret scanners
SETUP_LOCK_KEY = 7_291_003  # a PostgreSQL advisory lock of its own, for creating the tables

TABLES = {
    "access_sessions": (
        "session_digest TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "created_at TEXT NOT NULL, expires_at TEXT NOT NULL"
    ),
    "access_tokens": (
        "token_digest TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "created_at TEXT NOT NULL, expires_at TEXT NOT NULL"
    ),
    "access_attempts": (
        "bucket TEXT NOT NULL, window_start TEXT NOT NULL, attempts INTEGER NOT NULL, "
        "PRIMARY KEY (bucket, window_start)"
    ),
}


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
            for table, columns in TABLES.items():
                cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
            cur.execute(
                "CREATE INDEX IF NOT EXISTS ix_access_sessions_account "
                "ON access_sessions (account_id)"
            )

    # --- sessions -------------------------------------------------------------------------

    def start_session(self, account_id: UUID) -> str:
        """A new session for the account; returns its id, to be kept in the cookie only."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.store.transaction() as cur:
            # Expired sessions go here, where a write happens anyway.
            cur.execute("DELETE FROM access_sessions WHERE expires_at <= ?", (iso(now),))
            cur.execute(
                "INSERT INTO access_sessions (session_digest, account_id, created_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (_digest(session_id), str(account_id), iso(now), iso(now + SESSION_LIFETIME)),
            )
        return session_id

    def session_account(self, session_id: str) -> UUID | None:
        with self.store.read() as cur:
            cur.execute(
                "SELECT account_id FROM access_sessions "
                "WHERE session_digest = ? AND expires_at > ?",
                (_digest(session_id), iso(self.clock.now())),
            )
            row = cur.fetchone()
        return UUID(row["account_id"]) if row else None

    def end_session(self, session_id: str) -> None:
        with self.store.transaction() as cur:
            cur.execute(
                "DELETE FROM access_sessions WHERE session_digest = ?", (_digest(session_id),)
            )

    # --- API tokens -----------------------------------------------------------------------

    def issue_token(self, account_id: UUID) -> tuple[str, datetime]:
        """A bearer token for the API and when it expires; only its digest is kept."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.clock.now()
        expires = now + TOKEN_LIFETIME
        with self.store.transaction() as cur:
            cur.execute("DELETE FROM access_tokens WHERE expires_at <= ?", (iso(now),))
            cur.execute(
                "INSERT INTO access_tokens (token_digest, account_id, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (_digest(token), str(account_id), iso(now), iso(expires)),
            )
        return token, expires

    def token_account(self, token: str) -> UUID | None:
        with self.store.read() as cur:
            cur.execute(
                "SELECT account_id FROM access_tokens WHERE token_digest = ? AND expires_at > ?",
                (_digest(token), iso(self.clock.now())),
            )
            row = cur.fetchone()
        return UUID(row["account_id"]) if row else None

    def revoke_token(self, token: str) -> None:
        with self.store.transaction() as cur:
            cur.execute("DELETE FROM access_tokens WHERE token_digest = ?", (_digest(token),))

    # --- attempts -------------------------------------------------------------------------

    def attempt(self, bucket: str, limit: int, window: timedelta) -> int | None:
        """Count one attempt in ``bucket``. Returns None while within ``limit`` attempts per
        fixed window, else the whole seconds until the window ends. Every worker counts in
        the same table, so the limit holds however many there are."""
        now = self.clock.now()
        span = window.total_seconds()
        start = datetime.fromtimestamp(math.floor(now.timestamp() / span) * span, now.tzinfo)
        with self.store.transaction() as cur:
            cur.execute(
                "DELETE FROM access_attempts WHERE window_start < ?",
                (iso(now - max(window, timedelta(days=1))),),
            )
            cur.execute(
                "INSERT INTO access_attempts (bucket, window_start, attempts) VALUES (?, ?, 1) "
                "ON CONFLICT (bucket, window_start) "
                "DO UPDATE SET attempts = access_attempts.attempts + 1 RETURNING attempts",
                (bucket, iso(start)),
            )
            row = cur.fetchone()
        if row is not None and int(row["attempts"]) > limit:
            return max(1, math.ceil((start + window - now).total_seconds()))
        return None
