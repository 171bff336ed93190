"""Configuration from the environment, read in one place.

TRACKER_DATA_DIR   folder of the embedded SQLite files (default ./var)
DATABASE_URL       postgresql://user:pass@host:port/db switches events and views to PostgreSQL
TRACKER_CIPHER_KEY base64 AES key (16, 24 or 32 bytes): encrypts event payloads at rest
TRACKER_SECRET_KEY signs cookies and webhooks (default: a key kept in the data folder)
TRACKER_SMTP_URL   smtp://user:pass@host:587?from=addr: mail invitations and check-in prompts
TRACKER_BASE_URL   the address members reach the app at, for links in mail and webhooks
TRACKER_WEBHOOK_PRIVATE=allow  lets webhooks call private and loopback addresses (a LAN)
TRACKER_PROXY_HOPS how many reverse proxies stand in front, whose X-Forwarded-* are trusted
TRACKER_PROJECT_IN_PROCESS=0   the web process leaves the views to a separate projector
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tracker.private_files import create_private


class SettingsError(ValueError):
    pass


def private_folder(path: Path) -> None:
    """The data folder is its owner's alone (0700): it holds every note ever written. One
    made before, or by hand, is closed too."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)  # the mode only when it is made
    if path.stat().st_mode & 0o077:
        try:
            path.chmod(0o700)
        except PermissionError:  # another user's folder: used as it is, and said
            logging.getLogger("tracker").warning(
                "the data folder %s is open to others and not ours to close", path
            )


DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _proxy_hops(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or int(raw) > 10:
        raise SettingsError(f"TRACKER_PROXY_HOPS must be a whole number from 0 to 10, not {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None
    cipher_key: str | None
    smtp_url: str | None = None
    base_url: str = DEFAULT_BASE_URL
    base_url_given: bool = False
    given_secret_key: str | None = None
    webhook_private_allowed: bool = False
    proxy_hops: int = 0
    project_in_process: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get("DATABASE_URL") or None
        if url is not None and urlsplit(url).scheme not in ("postgresql", "postgres"):
            raise SettingsError("DATABASE_URL must be a postgresql:// URL")
        return cls(
            data_dir=Path(env.get("TRACKER_DATA_DIR") or "var"),
            database_url=url,
            cipher_key=env.get("TRACKER_CIPHER_KEY") or None,
            smtp_url=env.get("TRACKER_SMTP_URL") or None,
            base_url=(env.get("TRACKER_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
            base_url_given=bool(env.get("TRACKER_BASE_URL")),
            given_secret_key=env.get("TRACKER_SECRET_KEY") or None,
            webhook_private_allowed=env.get("TRACKER_WEBHOOK_PRIVATE") == "allow",
            proxy_hops=_proxy_hops(env.get("TRACKER_PROXY_HOPS") or "0"),
            project_in_process=env.get("TRACKER_PROJECT_IN_PROCESS", "1") != "0",
        )

    def served_at(self, host: str, port: int) -> Settings:
        """Where `tracker serve` listens is where its links lead, unless TRACKER_BASE_URL
        says otherwise (a proxy in front, a public name)."""
        if self.base_url_given:
            return self
        if host in ("0.0.0.0", "::", ""):
            host = "localhost"  # every address of this machine: this one reaches it here
        shown = f"[{host}]" if ":" in host else host
        return replace(self, base_url=f"http://{shown}:{port}")

    def unplaced_links(self) -> str | None:
        """What a process that sends links (the web app under gunicorn, the scheduler) says
        at its start when TRACKER_BASE_URL does not tell it where people reach the tracker:
        its links would lead to the embedded default's address."""
        if self.base_url_given:
            return None
        return (
            f"TRACKER_BASE_URL is unset: links in mails, webhook calls, invitations and "
            f"calendar feeds lead to {self.base_url}; set it to where people reach the tracker"
        )

    def secret_key(self) -> str:
        """TRACKER_SECRET_KEY, or for the embedded default a key kept beside the data, so
        sessions and webhook signatures survive restarts. Processes start together; linking
        a finished file into place lets exactly one key win."""
        if self.given_secret_key:
            return self.given_secret_key
        private_folder(self.data_dir)
        path = self.data_dir / "secret_key"
        if not path.exists():
            draft = self.data_dir / f".secret_key.{secrets.token_hex(8)}"
            create_private(draft)  # 0600 before the key is in it
            draft.write_text(secrets.token_urlsafe(32))
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another process's key is in place; use it
            finally:
                draft.unlink()
        return path.read_text().strip()

    @property
    def uses_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def views_target(self) -> str:
        """Where the views live: the same PostgreSQL database, or their own SQLite file."""
        if self.database_url is not None:
            return self.database_url
        return str(self.data_dir / "views.sqlite")

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing library's own settings for the event store."""
        env: dict[str, str] = {}
        if self.database_url is not None:
            parts = urlsplit(self.database_url)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                APPLICATION_RECORDER_TOPIC="tracker.persistence:GaplessPostgresApplicationRecorder",
                POSTGRES_DBNAME=parts.path.lstrip("/") or "postgres",
                POSTGRES_HOST=parts.hostname or "127.0.0.1",
                POSTGRES_PORT=str(parts.port or 5432),
                POSTGRES_USER=unquote(parts.username or "postgres"),
                POSTGRES_PASSWORD=unquote(parts.password or ""),
                POSTGRES_POOL_SIZE="5",
                POSTGRES_MAX_OVERFLOW="10",
                POSTGRES_LOCK_TIMEOUT="10",
            )
        else:
            private_folder(self.data_dir)
            create_private(self.data_dir / "events.sqlite")
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                SQLITE_DBNAME=str(self.data_dir / "events.sqlite"),
                SQLITE_LOCK_TIMEOUT="30",
                APPLICATION_RECORDER_TOPIC=(
                    "tracker.sqlite_recorder:TrackerSQLiteApplicationRecorder"
                ),
            )
        if self.cipher_key is not None:
            env.update(
                CIPHER_TOPIC="eventsourcing.cryptography:AESCipher",
                CIPHER_KEY=self.cipher_key,
            )
        return env
