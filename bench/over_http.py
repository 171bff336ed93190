"""Logging a note over HTTP, as a deployment serves it, against the bare tracker command.

gunicorn with deploy/gunicorn.conf.py (2 workers), the views kept by a `tracker project`
process, wrk on loopback with 32 connections. The bare figure is the same command called in
this process, on the same store, in the same run.

The same server then answers its cheapest request, GET /healthz (one read of the views'
quarantine), under the same load: the floor of what this stack serves on this machine, against
which the note's rate and tail are read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from bench import workload
from projections.stores import open_store
from projections.view_tables import position_of
from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.receivers import free_port
from web.access import Access

ROOT = Path(__file__).resolve().parents[1]
NOTE = {"text": "I noticed you listened before answering.", "valence": "appreciation"}


def missing_reason() -> str | None:
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install wrk)"
    return None


def log_a_note(
    settings: Settings, *, bare_calls: int = 3000, seconds: int = 15, connections: int = 32
) -> dict[str, Any]:
    tracker = Tracker.build(settings)
    try:
        coach, client = workload.people(tracker.app)
        alliance = workload.pair(coach, client, workload.T0)
        tracker.app.save(alliance)
        access = Access(tracker.store, tracker.service.clock)
        access.setup()
        token, _ = access.issue_token(coach)
        bare_rate = _bare(tracker, coach, alliance.id, bare_calls)
        recorded = tracker.app.recorder.max_notification_id() or 0
    finally:
        tracker.close()
    url = f"/api/v1/alliances/{alliance.id}/feedback"
    with _served(settings) as base:
        _views_reach(settings, recorded)
        _check_one(base + url, token)
        figures = _named("http", _wrk(base + url, seconds, connections, _note_script(token)))
        figures.update(_named("http_floor", _wrk(f"{base}/healthz", seconds, connections)))
    figures["http_log_feedback_per_s"] = figures.pop("http_per_s")
    figures["bare_log_feedback_per_s"] = bare_rate
    figures["http_log_feedback_ratio"] = figures["http_log_feedback_per_s"] / bare_rate
    return figures


def _bare(tracker: Tracker, author: UUID, alliance: UUID, calls: int) -> float:
    """The command alone, one after another: no views kept meanwhile, no HTTP."""
    started = time.perf_counter()
    for _ in range(calls):
        tracker.service.log_feedback(author, alliance, dict(NOTE))
    return calls / (time.perf_counter() - started)


def _views_reach(settings: Settings, position: int, deadline: float = 60.0) -> None:
    """The projector has the alliance and the bare run's notes in the views."""
    give_up = time.monotonic() + deadline
    store = open_store(settings.views_target)
    while True:
        if position_of(store) >= position:
            store.close()
            return
        if time.monotonic() > give_up:
            raise RuntimeError("the projector did not catch up")
        time.sleep(0.1)


def _check_one(url: str, token: str) -> None:
    """One note by hand first: a bench of 4xx answers would measure nothing."""
    request = urllib.request.Request(
        url,
        data=json.dumps(NOTE).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201, response.status


@contextmanager
def _served(settings: Settings) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_DATA_DIR")}
    env.update(
        TRACKER_DATA_DIR=str(settings.data_dir),
        TRACKER_BIND=f"127.0.0.1:{port}",
        TRACKER_WORKERS="2",
        TRACKER_LOG_LEVEL="warning",
    )
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
    gunicorn += ["--access-logfile", "/dev/null"]
    projector = [sys.executable, "-m", "shell.cli", "project"]
    processes = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for command in (projector, gunicorn)
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz")
        yield base
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, deadline: float = 60.0) -> None:
    give_up = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.2)


SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
"""


def _note_script(token: str) -> str:
    return SCRIPT.format(body=json.dumps(json.dumps(NOTE)), token=token)


def _wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict[str, Any]:
    """wrk's rate, median, tail and errors: GET ``url``, or what the Lua ``script`` sends."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "10s"]
    script_file = None
    if script is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as written:
            written.write(script)
        script_file = written.name
        command += ["-s", script_file]
    try:
        output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    finally:
        if script_file is not None:
            os.unlink(script_file)
    return {
        "per_s": float(_found(r"Requests/sec:\s+([\d.]+)", output)),
        "requests": int(_found(r"(\d+) requests in", output)),
        "p50_ms": _ms(_found(r"\s50%\s+([\d.]+\w+)", output)),
        "p99_ms": _ms(_found(r"\s99%\s+([\d.]+\w+)", output)),
        "errors": _errors(output),
        "connections": connections,
    }


def _named(prefix: str, figures: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{name}": value for name, value in figures.items()}


def _found(pattern: str, output: str) -> str:
    found = re.search(pattern, output)
    if found is None:
        raise RuntimeError(f"wrk said something unexpected:\n{output}")
    return found.group(1)


def _ms(figure: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", figure).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _errors(output: str) -> int:
    """Answers other than 2xx/3xx and socket errors (connect, read, write, timeout)."""
    count = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        count += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        count += sum(int(n) for n in sockets.groups())
    return count
