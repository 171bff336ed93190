"""The `tracker` command: serve, demo, rebuild, quarantine, project, scheduler.

Configuration comes from the environment (see shell.settings); flags only choose what to do.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType
from typing import Any

from projections.db import RebuildUnderWay
from shell.bootstrap import Tracker
from shell.outbox import Outbox
from shell.scheduler import TICK, CheckInScheduler
from shell.settings import Settings, SettingsError
from tracker import ids
from tracker.clock import SettableClock, SystemClock

log = logging.getLogger("tracker")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tracker", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the web app with the views kept in-process")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    demo = commands.add_parser("demo", help="record the demo alliance")
    demo.add_argument(
        "--if-empty", action="store_true", help="only when the store holds no event yet"
    )
    commands.add_parser(
        "rebuild", help="replay the whole log into fresh views, then put them in place of the old"
    )
    held = commands.add_parser(
        "quarantine", help="list the events a view could not apply, or --retry them"
    )
    held.add_argument(
        "--retry", action="store_true", help="apply each held event to its view again"
    )
    commands.add_parser("project", help="keep the views up to date, as a process of its own")
    commands.add_parser(
        "scheduler", help="prompt check-ins on every agreed rhythm, as a process of its own"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        parser.error(str(error))
    handler = {
        "serve": _serve,
        "demo": _demo,
        "rebuild": _rebuild,
        "quarantine": _quarantine,
        "project": _project,
        "scheduler": _scheduler,
    }
    return handler[args.command](settings, args)


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from shell.demo import DEMO_PASSWORDS, load_demo, open_this_week
    from shell.demo.story import start_ending

    # The story ends this week, so that its health, inbox and check-ins are current.
    now = SystemClock().now()
    start = start_ending(now)
    clock = SettableClock(start)
    tracker = Tracker.build(settings, clock)
    try:
        if args.if_empty and tracker.app.recorder.max_notification_id():
            log.info("the store already holds events; no demo recorded")
        else:
            alliance_id = load_demo(tracker.service, clock, start=start)
            open_this_week(tracker.service, clock, alliance_id, start, now)
            applied = tracker.engine.run_once()
            log.info("demo alliance %s recorded; %d events projected", alliance_id, applied)
        for email, password in DEMO_PASSWORDS.items():
            if tracker.queries.account(ids.account_id(email)) is not None:
                print(f"Demo member: sign in as {email} with the password {password}")
        return 0
    finally:
        tracker.close()


def _rebuild(settings: Settings, _: argparse.Namespace) -> int:
    tracker = Tracker.build(settings)
    try:
        started = time.perf_counter()
        try:
            applied = tracker.engine.rebuild()
        except RebuildUnderWay as running:
            log.error("%s", running)
            return 1
        elapsed = time.perf_counter() - started
        log.info("rebuilt every view from %d events in %.2f s", applied, elapsed)
        return 0
    finally:
        tracker.close()


def _quarantine(settings: Settings, args: argparse.Namespace) -> int:
    """Exit status 0 when nothing is held (after the retry, with --retry), 1 otherwise."""
    tracker = Tracker.build(settings)
    try:
        held = tracker.engine.retry_held() if args.retry else tracker.engine.held()
        if not held:
            print("No event is held in quarantine.")
            return 0
        print(f"{len(held)} held (view, notification, topic, since, attempts, error):")
        for item in held:
            print(
                f"{item.view}\t{item.notification_id}\t{item.topic}\t{item.held_at}\t"
                f"{item.attempts}\t{item.error}"
            )
        return 1
    finally:
        tracker.close()


def _project(settings: Settings, _: argparse.Namespace) -> int:
    tracker = Tracker.build(settings)
    stop = threading.Event()
    _stop_on_signals(stop)
    try:
        log.info("keeping the views from position %d", tracker.engine.position())
        tracker.engine.run_forever(stop)
        return 0
    finally:
        tracker.close()


def _scheduler(settings: Settings, _: argparse.Namespace) -> int:
    if (unplaced := settings.unplaced_links()) is not None:
        log.warning(unplaced)
    tracker = Tracker.build(settings)
    scheduler = CheckInScheduler.for_tracker(tracker, Outbox.for_tracker(tracker))
    stop = threading.Event()
    _stop_on_signals(stop)
    try:
        scheduler.start()
        log.info("prompting check-ins every %d s", TICK.total_seconds())
        stop.wait()
        return 0
    finally:
        scheduler.stop()
        tracker.close()


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from web import create_app

    tracker = Tracker.build(settings.served_at(args.host, args.port))
    tracker.project_in_background()
    # The embedded default: the views, the scheduler and the app in one process.
    scheduler = CheckInScheduler.for_tracker(tracker, Outbox.for_tracker(tracker))
    scheduler.start()
    tracker.app.on_new_events(scheduler.deliver_soon)  # the web's saves are this process's
    app = create_app(tracker=tracker)
    server = make_server(
        args.host, args.port, app, threaded=True, request_handler=_request_handler()
    )
    stop = threading.Event()
    _stop_on_signals(stop)

    def shut_down_when_told() -> None:
        stop.wait()
        server.shutdown()

    threading.Thread(target=shut_down_when_told, daemon=True).start()
    log.info("serving on http://%s:%d", args.host, args.port)
    try:
        server.serve_forever()
        return 0
    finally:
        server.server_close()
        scheduler.stop()
        tracker.close()


def _request_handler() -> type:
    from werkzeug.serving import WSGIRequestHandler

    from web.secret_paths import redacted

    class RequestHandler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "alliance-tracker"  # no versions of the server or of Python to anyone

        def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 (werkzeug's)
            # Every line werkzeug logs for a request, its request line and its errors.
            shown = tuple(redacted(arg) if isinstance(arg, str) else arg for arg in args)
            super().log(type, message, *shown)

    return RequestHandler


def _stop_on_signals(stop: threading.Event) -> None:
    def handle(signum: int, _: FrameType | None) -> None:
        log.info("received signal %d; stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


if __name__ == "__main__":
    sys.exit(main())
