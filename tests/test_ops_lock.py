"""The run lock: one holder per database, its pid readable, released however the holder ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.ops.lock import AlreadyRunning, RunLock, holder, lock_path
from bot.texts import ops as ot

HOLD = (
    "import sys; from pathlib import Path; from bot.ops.lock import RunLock\n"
    "lock = RunLock.acquire(Path(sys.argv[1])); print('held', flush=True); sys.stdin.read()"
)


def hold_in_another_process(db_path: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_the_lock_is_exclusive_and_names_its_holder(db_path: Path) -> None:
    assert holder(db_path) is None
    with RunLock.acquire(db_path) as lock:
        assert lock.path == lock_path(db_path) == db_path.with_name("lawbot.db.lock")
        assert holder(db_path) == os.getpid()
        with pytest.raises(AlreadyRunning) as refused:
            RunLock.acquire(db_path)
        assert refused.value.pid == os.getpid()
    assert holder(db_path) is None
    RunLock.acquire(db_path).release()


def test_a_killed_holder_leaves_no_stale_lock(db_path: Path) -> None:
    process = hold_in_another_process(db_path)
    assert holder(db_path) == process.pid
    with pytest.raises(AlreadyRunning):
        RunLock.acquire(db_path)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert holder(db_path) is None
    RunLock.acquire(db_path).release()


def test_lawbot_run_refuses_while_another_process_holds_the_database(db_path: Path) -> None:
    process = hold_in_another_process(db_path)
    try:
        result = CliRunner().invoke(cli, ["run", "--db", str(db_path)], env={"LAWBOT_DB": ""})
    finally:
        process.kill()
        process.wait(10)
    assert result.exit_code == 1
    assert ot.ALREADY_RUNNING.format(pid=process.pid) in result.output
    assert not db_path.exists()  # refused before opening (or creating) the database
