"""The log format: one line per event, logfmt or JSON, with secrets scrubbed.

Every record becomes one line (a traceback included: its newlines are escaped), with time,
level, logger, message and any ``error_id`` given as ``extra``. An error shown to a person
carries a short id (:func:`new_error_id`) that is also on the log line, so a report can be
matched to it. Log calls name messages by id, never by their text; the formatter also blanks
the configured secrets (bot token, Matrix password or token) and anything shaped like a
Telegram bot token wherever they appear, exception messages included.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

FORMATS = ("logfmt", "json")
REDACTED = "[redacted]"
# A Telegram bot token: the bot's numeric id, a colon, 35 URL-safe characters.
# Also inside a URL (".../bot123456:AA.../getMe"), where no word boundary precedes it.
TOKEN_SHAPE = re.compile(r"(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}")
_BARE = re.compile(r"^[^\s=\"\\]+$")


def new_error_id() -> str:
    """A short id for one error, shown to the person and written on the log line."""
    return secrets.token_hex(3)


class OneLineFormatter(logging.Formatter):
    """Formats each record as one logfmt or JSON line, secrets replaced by ``[redacted]``."""

    def __init__(self, fmt: str = "logfmt", secrets: Iterable[str] = ()) -> None:
        super().__init__()
        if fmt not in FORMATS:
            raise ValueError(f"unknown log format {fmt!r}")
        self.fmt = fmt
        self.secrets = tuple(s for s in secrets if s and len(s) >= 4)

    def scrub(self, text: str) -> str:
        """``text`` without any configured secret or token-shaped string."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        """The record's fields in output order."""
        at = datetime.fromtimestamp(record.created, UTC)
        fields: dict[str, Any] = {
            "ts": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": self.scrub(record.getMessage()),
        }
        error_id = getattr(record, "error_id", None)
        if error_id:
            fields["error_id"] = str(error_id)
        if record.exc_info:
            fields["exc"] = self.scrub(self.formatException(record.exc_info))
        return fields

    def format(self, record: logging.LogRecord) -> str:
        """One line: ``key=value`` pairs (logfmt) or a JSON object."""
        fields = self.fields(record)
        if self.fmt == "json":
            return json.dumps(fields, ensure_ascii=False)
        return " ".join(f"{key}={_logfmt_value(str(value))}" for key, value in fields.items())


def _logfmt_value(value: str) -> str:
    if value and _BARE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def configure(fmt: str = "logfmt", level: int = logging.INFO, secrets: Iterable[str] = ()) -> None:
    """Send every log record to stderr, one line each (journald keeps stderr)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(fmt, secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
