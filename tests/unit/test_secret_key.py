"""The embedded default's secret key: made once, however many processes start at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shell.settings import Settings


def test_workers_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        settings = Settings(tmp_path / "var", None, None)
        keys = set(pool.map(lambda _: settings.secret_key(), range(32)))
    assert len(keys) == 1
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
