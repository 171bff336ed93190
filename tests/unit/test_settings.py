"""Every environment variable is read in one place, Settings.from_env, and a value it cannot
use is refused there, naming the variable."""

from __future__ import annotations

import pytest

from shell.settings import Settings, SettingsError


def test_the_web_process_s_own_variables_are_read_with_the_rest() -> None:
    unset = Settings.from_env({})
    assert unset.proxy_hops == 0 and unset.project_in_process
    told = Settings.from_env({"TRACKER_PROXY_HOPS": "1", "TRACKER_PROJECT_IN_PROCESS": "0"})
    assert told.proxy_hops == 1 and not told.project_in_process


@pytest.mark.parametrize("hops", ["one", "-1", "1.5", "11", "١"])
def test_a_proxy_count_that_is_not_a_small_whole_number_is_refused(hops: str) -> None:
    with pytest.raises(SettingsError, match="TRACKER_PROXY_HOPS"):
        Settings.from_env({"TRACKER_PROXY_HOPS": hops})


def test_a_process_sending_links_without_a_base_url_says_where_they_lead() -> None:
    unset = Settings.from_env({})
    assert unset.unplaced_links() is not None and "http://127.0.0.1:8000" in (
        unset.unplaced_links() or ""
    )
    assert Settings.from_env({"TRACKER_BASE_URL": "https://t.example"}).unplaced_links() is None
