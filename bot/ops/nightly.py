"""The running bot's own backups: one a night into ``LAWBOT_BACKUP_DIR``, the newest kept."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.ops.backup import OpsError, backup_to_folder

log = logging.getLogger(__name__)

BACKUP_HOUR = time(3, 0)  # local time: the quietest hour of a community service
INTERVAL = timedelta(hours=24)
RETRY = timedelta(minutes=30)


def next_backup_at(last: datetime | None, now: datetime, tz: ZoneInfo) -> datetime:
    """When the next nightly backup is due: the first 03:00 local time at least 23 hours
    after the last one (``now`` when that has passed, or when there was none)."""
    if last is None:
        return now
    candidate = datetime.combine(last.astimezone(tz).date(), BACKUP_HOUR, tzinfo=tz)
    while candidate - last < INTERVAL - timedelta(hours=1):
        candidate += timedelta(days=1)
    return candidate if candidate > now else now


async def nightly_backups(
    db_path: Path,
    folder: Path,
    keep: int,
    tz: ZoneInfo,
    clock: Callable[[], datetime],
    last: datetime | None,
    stop: asyncio.Event,
) -> None:
    """Back up at each due time until ``stop``; the copy runs in a thread off the loop."""
    while not stop.is_set():
        wait = (next_backup_at(last, clock(), tz) - clock()).total_seconds()
        if wait > 0:
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
            continue
        now = clock()
        try:
            report = await asyncio.to_thread(backup_to_folder, db_path, folder, keep, now)
        except (OpsError, OSError) as error:
            log.error("nightly backup into %s failed, retrying in 30 min: %s", folder, error)
            last = now - INTERVAL + RETRY
            continue
        last = now
        log.info(
            "nightly backup written to %s (%d bytes), %d old copies removed",
            report.path, report.size, len(report.removed),
        )
