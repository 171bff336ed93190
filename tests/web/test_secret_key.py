"""The embedded default's session key: made once, however many workers start at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from web import _local_secret


def test_workers_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: _local_secret(tmp_path / "var"), range(32)))
    assert len(keys) == 1
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["secret_key"]
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
