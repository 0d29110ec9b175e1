"""A real Synapse homeserver for the Matrix tests: started on 127.0.0.1, SQLite, no network.

Use :func:`start_synapse` / :meth:`Synapse.stop`, or the session fixture in the Matrix test
files. A killed test run leaves no Synapse behind, three ways:

* Synapse runs in its own process group and the fixture's finalizer kills that group;
* Synapse is started with ``PR_SET_PDEATHSIG`` (through ctypes), so the kernel kills it when
  the process that started it dies, even by SIGKILL;
* every running Synapse leaves a pid file in :data:`PID_DIR` naming the process that started
  it; the next start kills any whose starter is gone (checking the pid still is a homeserver
  of ours first), and leaves parallel test runs' homeservers alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    JoinResponse,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
)

PID_DIR = Path(tempfile.gettempdir()) / "lawbot-test-synapse"
SERVER_NAME = "lawbot.test"
START_TIMEOUT = 120.0
PR_SET_PDEATHSIG = 1
LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
BIG = {"per_second": 10000, "burst_count": 10000}

# Every rate limit Synapse has, raised so that tests never wait on one.
RATE_LIMITS = {
    "rc_message": BIG,
    "rc_registration": BIG,
    "rc_registration_token_validity": BIG,
    "rc_login": {"address": BIG, "account": BIG, "failed_attempts": BIG},
    "rc_joins": {"local": BIG, "remote": BIG},
    "rc_joins_per_room": BIG,
    "rc_invites": {"per_room": BIG, "per_user": BIG, "per_issuer": BIG},
    "rc_3pid_validation": BIG,
    "rc_admin_redaction": BIG,
    "rc_room_creation": BIG,
    "rc_presence": {"per_user": BIG},
    "rc_delayed_event_mgmt": BIG,
    "rc_reports": BIG,
}


class SynapseError(Exception):
    """The test homeserver could not be started or did not answer as expected."""


@dataclass(frozen=True)
class MatrixUser:
    """A user registered on the test homeserver."""

    user_id: str
    password: str
    access_token: str
    device_id: str


@dataclass
class Synapse:
    """A running homeserver: its URL, its folder and the users registered on it."""

    url: str
    folder: Path
    process: subprocess.Popen[bytes]
    shared_secret: str
    startup_seconds: float = 0.0
    startup_seconds_with_users: float = 0.0
    started_at: float = field(default_factory=time.monotonic)
    users: dict[str, MatrixUser] = field(default_factory=dict)

    def register(self, localpart: str, *, admin: bool = False) -> MatrixUser:
        """Register ``localpart`` through the shared-secret admin API."""
        nonce = _request(f"{self.url}/_synapse/admin/v1/register")["nonce"]
        password = f"pw-{localpart}-{secrets.token_hex(4)}"
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": _hmac_hex(self.shared_secret, nonce, localpart, password, admin),
        }
        answer = _request(f"{self.url}/_synapse/admin/v1/register", body)
        user = MatrixUser(answer["user_id"], password, answer["access_token"], answer["device_id"])
        self.users[localpart] = user
        return user

    def limit_messages(self, user_id: str, per_second: int, burst: int) -> None:
        """Give ``user_id`` its own (tight) message rate limit through the admin API."""
        admin = self.users["admin"]
        req = urllib.request.Request(
            f"{self.url}/_synapse/admin/v1/users/{user_id}/override_ratelimit",
            data=json.dumps({"messages_per_second": per_second, "burst_count": burst}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {admin.access_token}",
            },
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()

    def stop(self) -> None:
        """Stop the homeserver (its whole process group) and forget its pid file."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        (PID_DIR / f"{self.process.pid}.pid").unlink(missing_ok=True)

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the homeserver's log, for failure messages."""
        log = self.folder / "homeserver.log"
        if not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _hmac_hex(secret: str, nonce: str, user: str, password: str, admin: bool) -> str:
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
    mac.update(b"\x00".join(p.encode() for p in (nonce, user, password)))
    mac.update(b"\x00")
    mac.update(b"admin" if admin else b"notadmin")
    return mac.hexdigest()


def _request(url: str, body: dict[str, object] | None = None) -> dict[str, str]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as exc:
        raise SynapseError(f"{url}: {exc.code} {exc.read()!r}") from exc


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(folder: Path, port: int, shared_secret: str) -> Path:
    """Write a homeserver config (JSON is valid YAML) and a quiet log config into ``folder``."""
    log_config = folder / "log.yaml"
    log_config.write_text(
        json.dumps(
            {
                "version": 1,
                "formatters": {"plain": {"format": LOG_FORMAT}},
                "handlers": {
                    "file": {
                        "class": "logging.FileHandler",
                        "formatter": "plain",
                        "filename": str(folder / "homeserver.log"),
                    }
                },
                "root": {"level": "WARNING", "handlers": ["file"]},
                "disable_existing_loggers": False,
            }
        )
    )
    config = {
        "server_name": SERVER_NAME,
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "log_config": str(log_config),
        "media_store_path": str(folder / "media"),
        "signing_key_path": str(folder / "signing.key"),
        "registration_shared_secret": shared_secret,
        "macaroon_secret_key": secrets.token_hex(16),
        "form_secret": secrets.token_hex(16),
        "enable_registration": False,
        "report_stats": False,
        "enable_metrics": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "federation_domain_whitelist": [],
        "encryption_enabled_by_default_for_room_type": "off",
        **RATE_LIMITS,
    }
    path = folder / "homeserver.yaml"
    path.write_text(json.dumps(config, indent=2))
    return path


def _die_with_parent() -> None:
    """Runs in the child before exec: the kernel sends SIGKILL when our parent dies."""
    os.setsid()
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _parent_of(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^PPid:\s*(\d+)", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def kill_stale() -> list[int]:
    """Kill homeservers whose test run died (their starter is gone); return their pids.

    Homeservers of test runs still alive (other engineers' or CI's, in parallel) are left
    alone: a homeserver whose parent is the process that started it belongs to a live run.
    """
    killed = []
    PID_DIR.mkdir(parents=True, exist_ok=True)
    for pid_file in PID_DIR.glob("*.pid"):
        pid = int(pid_file.stem)
        try:
            record = json.loads(pid_file.read_text())
            owner, folder = int(record["owner"]), Path(record["folder"])
        except (OSError, ValueError, KeyError, TypeError):
            owner, folder = None, Path()
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            cmdline = b""
        running = b"synapse.app.homeserver" in cmdline and b"lawbot-synapse-" in cmdline
        parent = _parent_of(pid) if running else 0
        if running and parent > 1 and (owner is None or parent == owner):
            continue  # its test run is alive
        if not running and owner is not None and _alive(owner):
            continue  # being started or stopped right now
        if running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            killed.append(pid)
        if folder.name.startswith("lawbot-synapse-") and folder.parent == PID_DIR.parent:
            shutil.rmtree(folder, ignore_errors=True)
        pid_file.unlink(missing_ok=True)
    return killed


def start_synapse(folder: Path | None = None) -> Synapse:
    """Start a homeserver in ``folder`` (a new temporary folder when None) and wait for it."""
    kill_stale()
    started = time.monotonic()
    folder = folder or Path(tempfile.mkdtemp(prefix="lawbot-synapse-"))
    shared_secret = secrets.token_hex(16)
    port = free_port()
    config = write_config(folder, port, shared_secret)
    python = sys.executable
    subprocess.run(
        [python, "-m", "synapse.app.homeserver", "-c", str(config), "--generate-keys"],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    with open(folder / "stdout.log", "wb") as out:
        process = subprocess.Popen(
            [python, "-m", "synapse.app.homeserver", "-c", str(config)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
    record = {"owner": os.getpid(), "folder": str(folder)}
    (PID_DIR / f"{process.pid}.pid").write_text(json.dumps(record))
    server = Synapse(f"http://127.0.0.1:{port}", folder, process, shared_secret, started_at=started)
    _wait_until_up(server)
    server.startup_seconds = time.monotonic() - started
    return server


def _wait_until_up(server: Synapse) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            out = (server.folder / "stdout.log").read_text(errors="replace")[-3000:]
            raise SynapseError(f"synapse exited with {server.process.returncode}:\n{out}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        # Polling a starting server: a short pause between probes, bounded by the deadline.
        time.sleep(0.1)
    server.stop()
    raise SynapseError(f"synapse did not answer within {START_TIMEOUT}s:\n{server.log_tail()}")


# --- one homeserver per test session, shared by every Matrix test module -------------------

_SHARED: list[Synapse] = []
USERS = ("bot", "resident", "volunteer", "stranger", "resident2", "limited", "tokenbot")


def shared_synapse() -> Synapse:
    """The session's homeserver with the test users registered, started on first use."""
    if not _SHARED:
        server = start_synapse()
        try:
            for name in USERS:
                server.register(name)
            server.register("admin", admin=True)
        except Exception:
            server.stop()
            raise
        server.startup_seconds_with_users = time.monotonic() - server.started_at
        _SHARED.append(server)
    return _SHARED[0]


def stop_shared() -> None:
    """Stop the session's homeserver (no-op when none runs) and remove its folder."""
    while _SHARED:
        server = _SHARED.pop()
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)


# --- test people: matrix-nio clients driving the resident, the volunteer ... ---------------


class Person:
    """A matrix-nio client for one registered user, with waits bounded by a deadline."""

    def __init__(self, server: Synapse, user: MatrixUser) -> None:
        self.user = user
        self.client = AsyncClient(server.url, user.user_id)
        self.client.access_token = user.access_token
        self.client.user_id = user.user_id
        self.client.device_id = user.device_id
        self.seen: list[tuple[str, dict[str, Any]]] = []  # (room id, event) in arrival order
        self.accepted: set[str] = set()  # rooms joined through wait_for_invite

    async def start(self) -> None:
        """Sync once so that waits only see what happens from now on."""
        await self._sync(0)

    async def close(self) -> None:
        """Close the client's connection."""
        await self.client.close()

    async def create_room(
        self,
        invite: list[str],
        *,
        direct: bool = False,
        version: str | None = None,
        alias: str | None = None,
    ) -> str:
        """Create a private room inviting ``invite``; return its id.

        Room version 12 (Synapse's default now) has ids without a server part; pass
        ``version="11"`` for an id of the classic ``!opaque:server`` shape.
        """
        response = await self.client.room_create(
            is_direct=direct,
            invite=invite,
            preset=RoomPreset.private_chat,
            room_version=version,
            alias=alias,
        )
        if not isinstance(response, RoomCreateResponse):
            raise SynapseError(f"room_create: {response}")
        return str(response.room_id)

    async def join(self, room_id: str) -> None:
        """Join ``room_id`` (after an invite)."""
        response = await self.client.join(room_id)
        if not isinstance(response, JoinResponse):
            raise SynapseError(f"join: {response}")

    async def send(
        self, room_id: str, content: dict[str, Any], kind: str = "m.room.message"
    ) -> str:
        """Send one event; return its id."""
        response = await self.client.room_send(room_id, kind, content)
        if not isinstance(response, RoomSendResponse):
            raise SynapseError(f"room_send: {response}")
        return str(response.event_id)

    async def say(self, room_id: str, text: str, *, reply_to: str | None = None) -> str:
        """Send a plain text message (a reply when ``reply_to`` is given); return its id."""
        content: dict[str, Any] = {"msgtype": "m.text", "body": text}
        if reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
            # The reply fallback real clients put in front of the text.
            content["body"] = f"> <@bot:{SERVER_NAME}> …\n\n{text}"
        return await self.send(room_id, content)

    async def leave(self, room_id: str) -> None:
        """Leave ``room_id``."""
        await self.client.room_leave(room_id)

    async def redact(self, room_id: str, event_id: str) -> None:
        """Redact (delete) one of this person's events."""
        await self.client.room_redact(room_id, event_id)

    async def wait_for(
        self,
        predicate: Callable[[str, dict[str, Any]], bool],
        timeout: float = 30.0,
        what: str = "an event",
    ) -> dict[str, Any]:
        """The first event (seen already or arriving) matching ``predicate``; fail at timeout."""
        deadline = time.monotonic() + timeout
        checked = 0
        while True:
            for room_id, event in self.seen[checked:]:
                checked += 1
                if predicate(room_id, event):
                    return event
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.user.user_id} did not see {what} in {timeout}s")
            await self._sync(int(min(left, 2.0) * 1000))

    async def wait_for_text(
        self, room_id: str, needle: str, *, sender: str | None = None, timeout: float = 30.0
    ) -> dict[str, Any]:
        """The first message in ``room_id`` whose body contains ``needle``."""

        def matches(room: str, event: dict[str, Any]) -> bool:
            body = event.get("content", {}).get("body", "")
            return (
                room == room_id
                and event.get("type") == "m.room.message"
                and (sender is None or event.get("sender") == sender)
                and needle in body
            )

        return await self.wait_for(matches, timeout, what=f"{needle!r} in {room_id}")

    async def wait_for_invite(self, timeout: float = 30.0) -> str:
        """Wait for an invite not accepted yet, join it and return its room id."""
        event = await self.wait_for(
            lambda r, e: e.get("type") == "invite" and r not in self.accepted, timeout, "invite"
        )
        room_id = str(event["room_id"])
        await self.join(room_id)
        self.accepted.add(room_id)
        return room_id

    def messages(self, room_id: str, sender: str | None = None) -> list[str]:
        """Bodies of the messages seen in ``room_id`` so far, optionally from one sender."""
        return [
            e["content"].get("body", "")
            for r, e in self.seen
            if r == room_id
            and e.get("type") == "m.room.message"
            and (sender is None or e.get("sender") == sender)
        ]

    async def _sync(self, timeout_ms: int) -> None:
        response = await self.client.sync(timeout=timeout_ms)
        if not isinstance(response, SyncResponse):
            raise SynapseError(f"sync: {response}")
        for room_id, info in response.rooms.join.items():
            self.seen.extend((room_id, event.source) for event in info.timeline.events)
        for room_id in response.rooms.invite:
            self.seen.append((room_id, {"type": "invite", "room_id": room_id}))
