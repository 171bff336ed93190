"""`make bench`: the tracker beside the bare eventsourcing library, on SQLite and PostgreSQL.

Prints a table and writes bench/results/latest.json. Every figure is measured in this run;
ratios compare the tracker with the bare library doing the same work on the same store.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import hostile_rules, measures, over_http
from shell.settings import Settings
from tests.postgres_cluster import PostgresCluster, missing_reason

RESULTS = Path(__file__).parent / "results"


def main() -> int:
    results: dict[str, Any] = {"python": platform.python_version(), "stores": {}}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as scratch:
        folders = iter(range(1000))

        def fresh_sqlite() -> Settings:
            return Settings(Path(scratch) / f"sqlite-{next(folders)}", None, None)

        cluster = None
        if missing_reason() is None:
            cluster = PostgresCluster().start()
        else:
            print(f"PostgreSQL skipped: {missing_reason()}", file=sys.stderr)
        if over_http.missing_reason() is not None:
            print(f"HTTP bench skipped: {over_http.missing_reason()}", file=sys.stderr)
        results["rules"] = hostile_rules.hostile_rules()
        try:
            results["stores"]["sqlite"] = measures.run_all(fresh_sqlite(), fresh_sqlite)
            if cluster is not None:

                def fresh() -> Settings:
                    url = cluster.database_url(cluster.create_database())
                    return Settings(Path(scratch) / "pg", url, None)

                results["stores"]["postgresql"] = measures.run_all(fresh(), fresh)
        finally:
            if cluster is not None:
                cluster.stop()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(measures.table(results))
    print(hostile_rules.row(results["rules"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
