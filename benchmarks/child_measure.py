"""Measuring one case in its own subprocess, so that its peak memory is its own.

The benchmark script runs itself again with ``--child CASE ARG ARG``; the child does the work
and prints one JSON line with :func:`peak_rss_mb`; the parent reads it with :func:`measure`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM belongs to the process image, so it starts afresh at exec; ru_maxrss would carry
    over the parent's peak from before the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(script: str, case: str, *args: Path) -> dict[str, float]:
    """Run ``script --child case args…`` and return the JSON its last line prints."""
    out = subprocess.run(
        [sys.executable, script, "--child", case, *map(str, args)],
        check=True, capture_output=True, text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result
