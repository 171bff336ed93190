"""The embedded store's files are their owner's alone, whatever the process's umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
