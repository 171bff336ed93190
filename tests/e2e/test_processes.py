"""The tracker as its users run it: the `tracker` command, and gunicorn with a projector."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shell.bootstrap import Tracker
from shell.demo import COACH_EMAIL, DEMO_PASSWORDS
from shell.settings import Settings
from tests.receivers import free_port
from tests.support import views_position
from tracker.application import TrackerApplication
from tracker.clock import SettableClock
from tracker.service import TrackerService

ROOT = Path(__file__).resolve().parents[2]


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_DATA_DIR")}
    env["TRACKER_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    return env


def _tracker(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shell.cli", *args],
        env=_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def _running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        assert process.stderr is not None
        process.stderr.close()


@contextmanager
def serving(settings: Settings, **more_env: str) -> Iterator[str]:
    """`tracker serve` on the settings' store, on a free port, answering; its address."""
    port = free_port()
    command = [sys.executable, "-m", "shell.cli", "serve", "--port", str(port)]
    with _running(command, _env(settings) | more_env):
        base = f"http://127.0.0.1:{port}"
        _get(f"{base}/healthz")
        yield base


def _get(url: str, deadline: float = 30.0) -> tuple[int, str]:
    give_up = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.1)


def _sign_in(base: str, email: str, password: str) -> urllib.request.OpenerDirector:
    """A browser's part: keep cookies, send the form with its token."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/signin", timeout=5) as response:
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode())
    assert found
    form = {"email": email, "password": password, "csrf_token": found.group(1)}
    with opener.open(f"{base}/signin", urllib.parse.urlencode(form).encode(), timeout=5) as page:
        assert page.status == 200 and "Signed in as" in page.read().decode()
    return opener


@pytest.mark.slow
def test_demo_then_serve_then_rebuild(settings: Settings) -> None:
    first = _tracker(settings, "demo", "--if-empty")
    assert first.returncode == 0, first.stderr
    again = _tracker(settings, "demo", "--if-empty")
    assert again.returncode == 0 and "already holds events" in again.stderr
    password = DEMO_PASSWORDS[COACH_EMAIL]
    for run in (first, again):
        assert f"sign in as {COACH_EMAIL} with the password {password}" in run.stdout
    recorded = TrackerApplication(env=settings.event_store_env())
    try:
        last = recorded.recorder.max_notification_id()
        newest = recorded.mapper.to_domain_event(
            recorded.recorder.select_notifications(start=last, limit=1)[0]
        ).timestamp
    finally:
        recorded.close()
    assert timedelta(0) < datetime.now(UTC) - newest < timedelta(days=12), "it ends this week"
    port = free_port()
    command = [sys.executable, "-m", "shell.cli", "serve", "--port", str(port)]
    with _running(command, _env(settings)) as server:
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert views_position(settings) > 100
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Sign in" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.headers["Server"] == "alliance-tracker", "no versions to anyone"
        browser = _sign_in(f"http://127.0.0.1:{port}", COACH_EMAIL, password)
        with browser.open(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert "Cora &amp; Cliff: leadership coaching" in response.read().decode()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    rebuilt = _tracker(settings, "rebuild")
    assert rebuilt.returncode == 0 and "rebuilt every view" in rebuilt.stderr


@pytest.mark.slow
def test_gunicorn_workers_serve_what_a_separate_projector_keeps(settings: Settings) -> None:
    assert _tracker(settings, "demo").returncode == 0
    port = free_port()
    env = _env(settings) | {"TRACKER_BIND": f"127.0.0.1:{port}", "TRACKER_WORKERS": "2"}
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
    projector = [sys.executable, "-m", "shell.cli", "project"]
    with _running(gunicorn, env), _running(projector, env):
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        before = views_position(settings)
        # Sessions live in the shared store, so every worker knows who is signed in.
        base = f"http://127.0.0.1:{port}"
        browser = _sign_in(base, COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])
        for _ in range(6):
            with browser.open(f"{base}/", timeout=5) as response:
                assert "Signed in as Cora Lindqvist" in response.read().decode()
        # A write from another process reaches the views through the projector alone.
        app = TrackerApplication(env=settings.event_store_env())
        try:
            TrackerService(app).register_account(
                {"email": "new@example.org", "name": "Nina", "password": "nina secret!"}
            )
        finally:
            app.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            position = views_position(settings)
            if position > before:
                break
            time.sleep(0.1)
        assert position > before


@pytest.mark.slow
def test_the_scheduler_process_prompts_what_is_due(settings: Settings) -> None:
    """`tracker scheduler` beside `tracker project`: a daily rhythm whose slot came an hour
    ago (agreed yesterday) is prompted once, at the scheduler's first pass."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    slot = now - timedelta(hours=1)
    recorder = Tracker.build(settings, SettableClock(now - timedelta(days=1)))
    try:
        ada = recorder.service.register_account(
            {"email": "ada@example.org", "name": "Ada", "password": "ada keeps time"}
        )["account_id"]
        alliance = recorder.service.found_alliance(
            ada, {"title": "Daily", "purpose": "", "kind": "team", "role": "lead"}
        )["alliance_id"]
        schedule = {
            "rule": "FREQ=DAILY",
            "start": slot.replace(tzinfo=None).isoformat(),
            "zone": "UTC",
        }
        recorder.service.propose(
            ada,
            alliance,
            {"kind": "add", "category": "rhythm", "text": "Daily", "schedule": schedule},
        )
    finally:
        recorder.close()
    env = _env(settings)
    scheduler = [sys.executable, "-m", "shell.cli", "scheduler"]
    projector = [sys.executable, "-m", "shell.cli", "project"]
    with _running(projector, env), _running(scheduler, env) as running:
        reader = Tracker.build(settings)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if reader.queries.checkins(alliance, ada):
                    break
                time.sleep(0.2)
            found = reader.queries.checkins(alliance, ada)
        finally:
            reader.close()
        running.send_signal(signal.SIGTERM)
        assert running.wait(timeout=30) == 0
    assert [c["slot"] for c in found] == [slot.strftime("%Y-%m-%dT%H:%M:%S.000000Z")]
    assert found[0]["scheduled"] is True
