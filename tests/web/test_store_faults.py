"""A disk that refuses writes: the answer is a 503 with Retry-After, nothing half-written,
and writing works again once there is room."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.builders import V1, pair
from tests.conftest import PASSWORDS
from tracker.clock import SettableClock
from web import create_app


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real filesystem of 4 MiB, so that it can be filled."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def full_disk_app(small_disk: Path, clock: SettableClock) -> Iterator[tuple[Flask, Tracker]]:
    settings = Settings(data_dir=small_disk / "var", database_url=None, cipher_key=None)
    tracker = Tracker.build(settings, clock, PASSWORDS)
    tracker.project_in_background(poll_interval=0.05)
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker), tracker
    tracker.close()


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            pass
    return filler


def test_a_full_disk_answers_503_with_retry_after_and_keeps_nothing(
    full_disk_app: tuple[Flask, Tracker], small_disk: Path
) -> None:
    app, tracker = full_disk_app
    api: FlaskClient = app.test_client()
    ada, _, alliance = pair(api)
    before = tracker.app.recorder.max_notification_id()
    filler = _fill(small_disk)
    note = {"text": "a note with no room " * 40, "valence": "neutral"}
    answer = api.post(f"{V1}/alliances/{alliance}/feedback", json=note, headers=ada)
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.headers["Retry-After"] == "30"
    assert answer.get_json()["detail"].startswith("the tracker cannot store anything")
    filler.unlink()
    assert tracker.app.recorder.max_notification_id() == before, "nothing half-written"
    again = api.post(f"{V1}/alliances/{alliance}/feedback", json=note, headers=ada)
    assert again.status_code == 201, again.get_data(as_text=True)
