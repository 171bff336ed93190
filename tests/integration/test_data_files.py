"""The embedded store's files are their owner's alone, whatever the process's umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.conftest import PASSWORDS
from tracker.clock import SettableClock


def test_the_data_folder_and_every_file_in_it_are_the_owners_alone(
    tmp_path: Path, clock: SettableClock
) -> None:
    data = tmp_path / "var"
    umask = os.umask(0o022)  # what a shell usually has: files readable by everyone
    try:
        tracker = Tracker.build(Settings(data, None, None), clock, PASSWORDS)
        try:
            tracker.service.register_account(
                {"email": "ann@example.org", "name": "Ann", "password": "a long enough secret"}
            )
            tracker.engine.run_once()
            tracker.settings.secret_key()
            files = sorted(p.name for p in data.iterdir())
            assert {"events.sqlite", "events.sqlite-wal", "views.sqlite", "secret_key"} <= set(
                files
            )
            assert stat.S_IMODE(data.stat().st_mode) == 0o700
            for path in data.iterdir():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        finally:
            tracker.close()
    finally:
        os.umask(umask)


def test_a_data_folder_made_open_beforehand_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    Settings(data, None, None).secret_key()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_the_secret_key_is_never_readable_by_others_even_while_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its draft is made 0600 empty, then written: never a moment with the key and 0644."""
    seen: list[int] = []
    write_text = Path.write_text

    def watched(path: Path, text: str) -> int:
        seen.append(stat.S_IMODE(path.stat().st_mode))  # the mode as the key goes in
        return write_text(path, text)

    monkeypatch.setattr(Path, "write_text", watched)
    umask = os.umask(0o022)
    try:
        Settings(tmp_path / "var", None, None).secret_key()
    finally:
        os.umask(umask)
    assert seen == [0o600]
