"""The test homeserver helper cleans up after killed runs, and only after killed runs."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from synapse_server import PID_DIR, kill_stale

# A stand-in for a homeserver: a sleeping Python whose command line looks like one of ours.
FAKE = ["-c", "import time; time.sleep(120)", "synapse.app.homeserver", "lawbot-synapse-fake"]


def orphan() -> int:
    """Start a fake homeserver whose starter has exited; return its pid."""
    starter = subprocess.run(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; "
            f"p = subprocess.Popen([sys.executable, *{FAKE!r}], start_new_session=True, "
            "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(p.pid)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(starter.stdout)


def record(pid: int, owner: int, folder: Path) -> Path:
    PID_DIR.mkdir(parents=True, exist_ok=True)
    path = PID_DIR / f"{pid}.pid"
    path.write_text(json.dumps({"owner": owner, "folder": str(folder)}))
    return path


def test_a_homeserver_whose_run_died_is_killed_and_its_folder_removed() -> None:
    pid = orphan()
    folder = Path(tempfile.mkdtemp(prefix="lawbot-synapse-"))
    dead_owner = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid_file = record(pid, int(dead_owner.stdout), folder)
    try:
        assert pid in kill_stale()
        assert not pid_file.exists() and not folder.exists()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_a_homeserver_of_a_live_run_is_left_alone(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, *FAKE])
    pid_file = record(process.pid, os.getpid(), tmp_path)
    try:
        assert process.pid not in kill_stale()
        assert pid_file.exists() and process.poll() is None
    finally:
        process.kill()
        process.wait()
        pid_file.unlink(missing_ok=True)
