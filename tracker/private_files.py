"""Files that hold the tracker's data are their owner's alone, whatever the process's umask."""

from __future__ import annotations

import os
from pathlib import Path


def create_private(path: Path) -> None:
    """Make ``path`` 0600 if it does not exist yet; before SQLite opens a database, so that
    its write-ahead log and shared memory files take the same permissions.

    A file that exists is left alone, never opened and closed: closing any descriptor of a
    file drops every POSIX lock the process holds on it, SQLite's own included, and the next
    process to close the database would take its write-ahead log for unused and delete it
    under the others' feet."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
    except FileExistsError:
        pass
