"""The organisation kept in memory, read again only after it changed.

Loading the organisation is a dozen queries; the core needs it for every message. Triggers
on the organisation's tables advance one counter (``org_revision``), so any writer — ``lawbot
org import`` in another process, the console's upload, a test writing rows — is seen on the
next read of that counter: one single-row query instead of the whole load.
"""

from __future__ import annotations

import sqlite_utils

from bot.desk.org import Organisation
from knowledge.db import Migrations, changes, count_changes

migrations = Migrations("org_cache")


@migrations
def count_org_changes(db: sqlite_utils.Database) -> None:
    """One counter every change to the organisation's tables advances."""
    count_changes(db, "org_revision", (
        "teams", "team_desks", "communities", "people", "person_identities", "roster",
        "org_meta", "pools", "pool_members", "onsite",
    ))


def org_revision(db: sqlite_utils.Database) -> int:
    """The organisation's change counter: it differs from an earlier reading after a change."""
    return changes(db, "org_revision")


class OrgCache:
    """The current organisation of ``db``, loaded again only when its revision moved."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._org: Organisation | None = None
        self._revision = -1

    def current(self) -> Organisation:
        """The organisation as the database holds it now."""
        revision = org_revision(self.db)
        if self._org is None or revision != self._revision:
            # Read in this order, a change committed in between is loaded now and loaded
            # once more next time (its revision is newer): never a stale organisation kept.
            self._org = Organisation.load(self.db)
            self._revision = revision
        return self._org
