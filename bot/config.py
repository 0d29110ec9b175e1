"""Configuration: one frozen dataclass built from the environment, every bad key reported."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DB = "data/lawbot.db"
DEFAULT_RETAIN_DAYS = 180  # resident text older than this is blanked daily (LAWBOT_RETAIN_DAYS)
MAX_RETAIN_DAYS = 3650
DEFAULT_BACKUP_KEEP = 14
LOG_FORMATS = ("logfmt", "json")


class ConfigError(Exception):
    """The environment holds missing or malformed settings (all of them named)."""


SHARED_LAWS = Path("shared") / "data" / "laws" / "laws.jsonl"
CHECKOUT = Path(__file__).resolve().parent.parent


def default_laws_path() -> Path:
    """The shared statute corpus beside the checkout: ``../shared/data/laws/laws.jsonl``.

    Looked for beside the current folder first, then beside the folder this code lives in,
    so ``lawbot init`` finds it from wherever it is run in a source checkout.
    """
    beside_cwd = Path.cwd().parent / SHARED_LAWS
    beside_code = CHECKOUT.parent / SHARED_LAWS
    return beside_cwd if beside_cwd.exists() or not beside_code.exists() else beside_code


@dataclass(frozen=True)
class Config:
    """Everything the composition root needs from the environment."""

    db_path: Path
    laws_path: Path
    tz: ZoneInfo
    telegram_token: str | None = None
    telegram_base_url: str | None = None
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_password: str | None = None
    matrix_access_token: str | None = None
    retain_days: int = DEFAULT_RETAIN_DAYS
    backup_dir: Path | None = None
    backup_keep: int = DEFAULT_BACKUP_KEEP
    log_format: str = LOG_FORMATS[0]
    web_host: str | None = None
    web_port: int | None = None

    @property
    def web_enabled(self) -> bool:
        """True when LAWBOT_WEB names an address for the web chat."""
        return self.web_host is not None and self.web_port is not None

    @property
    def telegram_enabled(self) -> bool:
        """True when a Telegram bot token is set."""
        return bool(self.telegram_token)

    @property
    def matrix_enabled(self) -> bool:
        """True when a Matrix homeserver is set."""
        return bool(self.matrix_homeserver)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """Build the configuration from ``env`` (default ``os.environ``).

        Raises:
            ConfigError: naming every missing or malformed key at once.
        """
        env = os.environ if env is None else env
        errors: list[str] = []

        def get(key: str) -> str | None:
            value = env.get(key, "").strip()
            return value or None

        tz_name = get("LAWBOT_TZ") or "Asia/Shanghai"
        try:
            tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(f"LAWBOT_TZ：未知时区 {tz_name!r}（例如 Asia/Shanghai）")
            tz = ZoneInfo("Asia/Shanghai")

        token = get("TELEGRAM_BOT_TOKEN")
        if token is not None and ":" not in token:
            errors.append("TELEGRAM_BOT_TOKEN：格式应为 数字:字母串（向 @BotFather 获取）")
        base_url = get("TELEGRAM_BASE_URL")
        if base_url is not None and not base_url.startswith(("http://", "https://")):
            errors.append("TELEGRAM_BASE_URL：应以 http:// 或 https:// 开头")
        if base_url is not None and token is None:
            errors.append("TELEGRAM_BOT_TOKEN：设置了 TELEGRAM_BASE_URL 但缺少机器人令牌")

        homeserver = get("MATRIX_HOMESERVER")
        user_id = get("MATRIX_USER_ID")
        password = get("MATRIX_PASSWORD")
        access_token = get("MATRIX_ACCESS_TOKEN")
        if homeserver is not None:
            if not homeserver.startswith(("http://", "https://")):
                errors.append("MATRIX_HOMESERVER：应以 http:// 或 https:// 开头")
            if user_id is None:
                errors.append("MATRIX_USER_ID：已设置 MATRIX_HOMESERVER，但缺少机器人账号")
            elif not (user_id.startswith("@") and ":" in user_id):
                errors.append("MATRIX_USER_ID：格式应为 @名字:服务器")
            if password is None and access_token is None:
                errors.append("MATRIX_PASSWORD 或 MATRIX_ACCESS_TOKEN：至少设置一个")
        elif user_id or password or access_token:
            errors.append("MATRIX_HOMESERVER：设置了 Matrix 账号但缺少服务器地址")

        retain = get("LAWBOT_RETAIN_DAYS") or str(DEFAULT_RETAIN_DAYS)
        if not retain.isdigit() or not 1 <= int(retain) <= MAX_RETAIN_DAYS:
            errors.append(
                f"LAWBOT_RETAIN_DAYS：应为 1 到 {MAX_RETAIN_DAYS} 之间的天数，而不是 {retain!r}"
            )
            retain = str(DEFAULT_RETAIN_DAYS)
        backup_dir = get("LAWBOT_BACKUP_DIR")
        keep_text = get("LAWBOT_BACKUP_KEEP")
        backup_keep = DEFAULT_BACKUP_KEEP
        if keep_text is not None:
            if keep_text.isascii() and keep_text.isdigit() and 1 <= int(keep_text) <= 10_000:
                backup_keep = int(keep_text)
            else:
                errors.append("LAWBOT_BACKUP_KEEP：应为 1 到 10000 之间的整数（保留几份备份）")
        log_format = (get("LAWBOT_LOG_FORMAT") or LOG_FORMATS[0]).lower()
        if log_format not in LOG_FORMATS:
            errors.append("LAWBOT_LOG_FORMAT：应为 logfmt 或 json")
        web = get("LAWBOT_WEB")
        web_address = parse_web_address(web) if web is not None else None
        if web is not None and web_address is None:
            errors.append("LAWBOT_WEB：格式应为 主机:端口，例如 127.0.0.1:8080（端口 1–65535）")

        if errors:
            raise ConfigError("配置有误：\n" + "\n".join(f"  - {e}" for e in errors))
        return cls(
            db_path=Path(get("LAWBOT_DB") or DEFAULT_DB),
            laws_path=Path(get("LAWBOT_LAWS") or default_laws_path()),
            tz=tz,
            telegram_token=token,
            telegram_base_url=base_url,
            matrix_homeserver=homeserver,
            matrix_user_id=user_id,
            matrix_password=password,
            matrix_access_token=access_token,
            retain_days=int(retain),
            backup_dir=Path(backup_dir) if backup_dir else None,
            backup_keep=backup_keep,
            log_format=log_format,
            web_host=web_address[0] if web_address else None,
            web_port=web_address[1] if web_address else None,
        )


def parse_web_address(text: str) -> tuple[str, int] | None:
    """``"127.0.0.1:8080"`` → ("127.0.0.1", 8080); ``"[::1]:8080"`` → ("::1", 8080); else None."""
    host, colon, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        return None
    if any(c.isspace() or c in "/[]" for c in host):
        return None
    return host, int(port)
