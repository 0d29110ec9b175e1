"""One ``lawbot run`` per database: an exclusive ``flock`` on ``<database>.lock``.

The kernel drops the lock when the holding process ends, however it ends (``kill -9``
included), so a stale lock file never blocks a restart. The file holds the holder's pid so
that a refused start, ``lawbot restore`` and ``lawbot status`` can name it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(Exception):
    """Another process holds the database's run lock."""

    def __init__(self, pid: int | None) -> None:
        super().__init__(f"the database is in use by process {pid}")
        self.pid = pid


def lock_path(db_path: Path) -> Path:
    """The lock file beside the database: ``lawbot.db`` → ``lawbot.db.lock``."""
    return db_path.with_name(db_path.name + ".lock")


def _read_pid(fd: int) -> int | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 32).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


class RunLock:
    """The held lock; :meth:`release` (or the process ending) gives it up."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db_path: Path) -> RunLock:
        """Take the lock for the database at ``db_path`` and write our pid into it.

        Raises:
            AlreadyRunning: another process holds it (its pid attached when known).
        """
        path = lock_path(db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise AlreadyRunning(pid) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        os.fsync(fd)
        return cls(path, fd)

    def release(self) -> None:
        """Give the lock up (idempotent); the file stays, empty of meaning."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(db_path: Path) -> int | None:
    """The pid of the process running the bot on ``db_path``, or None when none does.

    A process that holds the lock itself also sees its own pid here.
    """
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(fd) or 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
