"""Staff logins for the web console: password hashes, sessions, lockout and the audit log.

Staff are the people of the organisation file (and the administrator, ``管理员``, who is in
no team). A password is stored as a scrypt hash (hashlib, no extra library); a session is a
random token in an HttpOnly cookie whose SHA-256 is the row key, so a copy of the database
holds no usable session. Every console action is a row of ``console_audit``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.clock import iso, parse_iso
from bot.desk.org import Organisation, Person
from bot.texts import desk as dt
from knowledge.db import Migrations

migrations = Migrations("accounts")

# scrypt at n=2**14, r=8: ~16 MB and ~50 ms a check, OWASP's minimum; a login is rare.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
IDLE = timedelta(minutes=30)  # a session not used for this long ends (a shared desk PC)
LOCK_AFTER = 5  # failed logins of one name within LOCK_WINDOW lock it for LOCK_WINDOW
LOCK_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 8
DEMO_PASSWORD = "demo-2026"
# Console access by role: a volunteer works the desk, an adviser also curates the FAQ,
# a lead (and the administrator) also sees the organisation and the statistics.
LEVEL = {"volunteer": 1, "adviser": 2, "lead": 3}
DESK, FAQ, ADMIN = 1, 2, 3


@migrations
def create_accounts(db: sqlite_utils.Database) -> None:
    """Passwords, sessions, failed logins and the audit log of the console."""
    db.executescript(
        """
        CREATE TABLE staff_passwords (
            name TEXT PRIMARY KEY, hash TEXT NOT NULL, set_at TEXT NOT NULL
        );
        CREATE TABLE console_sessions (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL,
            seen_at TEXT NOT NULL, flash TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE console_failures (name TEXT NOT NULL, at TEXT NOT NULL);
        CREATE INDEX console_failures_name ON console_failures (name, at);
        CREATE TABLE console_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, name TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT ''
        );
        """
    )


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """True when ``password`` hashes to ``stored`` (compared in constant time)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False
    return kind == "scrypt" and hmac.compare_digest(computed.hex(), digest)


def staff_person(org: Organisation, name: str) -> Person | None:
    """The person ``name`` may log in as: someone of the organisation, or the administrator."""
    person = org.person(name)
    if person is None and name == dt.ADMIN:
        return Person(dt.ADMIN, "lead", "")  # as `lawbot tickets … --as 管理员`: every team
    return person


def level(person: Person) -> int:
    """What ``person`` may reach in the console (DESK, FAQ or ADMIN)."""
    return LEVEL.get(person.role, 0)


@dataclass(frozen=True)
class Session:
    """A logged-in person's session: ``token`` is the cookie value (never stored)."""

    token: str
    name: str
    flash: str


class Accounts:
    """The tables of staff logins."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def set_password(self, name: str, password: str, now: datetime) -> None:
        """Store ``password``'s hash for ``name`` and end their sessions."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO staff_passwords (name, hash, set_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
                [name, hash_password(password), iso(now)],
            )
            self.db.execute("DELETE FROM console_sessions WHERE name = ?", [name])
            self.audit(name, "passwd", now)

    def has_password(self, name: str) -> bool:
        """True when ``name`` has a console password."""
        row = self.db.execute("SELECT 1 FROM staff_passwords WHERE name = ?", [name])
        return row.fetchone() is not None

    def with_password(self, password: str) -> list[str]:
        """The names whose password is ``password`` (the demo one: `make run` prints them)."""
        rows = self.db.execute("SELECT name, hash FROM staff_passwords ORDER BY rowid")
        return [name for name, stored in rows.fetchall() if check_password(password, stored)]

    def locked(self, name: str, now: datetime) -> bool:
        """True when ``name`` failed LOCK_AFTER logins within the last LOCK_WINDOW."""
        since = iso(now - LOCK_WINDOW)
        row = self.db.execute(
            "SELECT count(*) FROM console_failures WHERE name = ? AND at > ?", [name, since]
        ).fetchone()
        return int(row[0]) >= LOCK_AFTER

    def login(self, name: str, password: str, now: datetime) -> Session | None:
        """A new session when ``password`` is ``name``'s; None (a failure counted) when not.

        The caller checks :meth:`locked` first and that ``name`` is staff.
        """
        row = self.db.execute("SELECT hash FROM staff_passwords WHERE name = ?", [name]).fetchone()
        if row is None or not check_password(password, row[0]):
            with self.db.atomic():
                self.db.execute("INSERT INTO console_failures VALUES (?, ?)", [name, iso(now)])
                self.audit(name, "login-failed", now)
            return None
        token = secrets.token_urlsafe(32)
        with self.db.atomic():
            self.db.execute("DELETE FROM console_failures WHERE name = ?", [name])
            self.db.execute(
                "INSERT INTO console_sessions (id, name, created_at, seen_at) VALUES (?, ?, ?, ?)",
                [_key(token), name, iso(now), iso(now)],
            )
            self.audit(name, "login", now)
        return Session(token, name, "")

    def session(self, token: str, now: datetime, touch: bool = True) -> Session | None:
        """The live session of cookie ``token`` (its idle clock restarted), else None.

        ``touch=False`` (what a page's script asks by itself, not the person): the idle clock
        runs on and the one-time notice stays for the next page the person opens.
        """
        row = self.db.execute(
            "SELECT name, seen_at, flash FROM console_sessions WHERE id = ?", [_key(token)]
        ).fetchone()
        if row is None:
            return None
        if now - parse_iso(row[1]) > IDLE:
            self.db.execute("DELETE FROM console_sessions WHERE id = ?", [_key(token)])
            return None
        if touch:
            self.db.execute(
                "UPDATE console_sessions SET seen_at = ?, flash = '' WHERE id = ?",
                [iso(now), _key(token)],
            )
        return Session(token, row[0], row[2])

    def flash(self, token: str, text: str) -> None:
        """A message shown once on the session's next page (what an action answered)."""
        self.db.execute("UPDATE console_sessions SET flash = ? WHERE id = ?", [text, _key(token)])

    def logout(self, session: Session, now: datetime) -> None:
        """End ``session``."""
        with self.db.atomic():
            self.db.execute("DELETE FROM console_sessions WHERE id = ?", [_key(session.token)])
            self.audit(session.name, "logout", now)

    def audit(
        self, name: str, action: str, now: datetime, target: str = "", detail: str = ""
    ) -> None:
        """Record who did what, when, to what."""
        self.db.execute(
            "INSERT INTO console_audit (at, name, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            [iso(now), name, action, target, detail],
        )

    def audit_log(self, limit: int = 100) -> list[dict[str, str]]:
        """The latest audit rows, newest first."""
        return [
            dict(r) for r in self.db.query(
                "SELECT at, name, action, target, detail FROM console_audit "
                "ORDER BY id DESC LIMIT ?", [limit],
            )
        ]


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
