"""The organisation is loaded once and again only after it changed, in this or another process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import DESK_TG, ORG_YAML, T0, ScriptedIndex, load_org, msg, to

from bot.app import build_service, open_database
from bot.desk.org import import_org
from bot.desk.org_cache import OrgCache, org_revision
from bot.texts import resident as rt

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The same organisation with team dongshan's Telegram desk moved and a community added.
MOVED = ORG_YAML.replace('telegram: "-100"', 'telegram: "-900"').replace(
    "communities:\n",
    "communities:\n  - {code: ersha, name: 二沙岛社区, street: 东山街, team: dongshan}\n",
)


def test_the_same_organisation_is_kept_until_a_row_changes(db: sqlite_utils.Database) -> None:
    load_org(db)
    cache = OrgCache(db)
    first = cache.current()
    assert cache.current() is first  # nothing changed: not loaded again
    before = org_revision(db)
    db.execute("UPDATE communities SET name = '新河浦新社区' WHERE code = 'xinhepu'")
    assert org_revision(db) > before
    changed = cache.current()
    assert changed is not first
    assert changed.communities["xinhepu"].name == "新河浦新社区"
    assert cache.current() is changed


def test_an_empty_organisation_is_cached_too(db: sqlite_utils.Database) -> None:
    cache = OrgCache(db)
    empty = cache.current()
    assert empty.communities == {} and cache.current() is empty
    load_org(db)
    assert "xinhepu" in cache.current().communities


def test_an_import_by_a_second_service_is_seen_by_the_first_on_its_next_message(
    db_path: Path, tmp_path: Path
) -> None:
    serving_db = open_database(db_path)
    load_org(serving_db)
    serving = build_service(serving_db, SHANGHAI, ScriptedIndex())
    other = build_service(open_database(db_path), SHANGHAI, ScriptedIndex())
    # Both have read the organisation already.
    assert "已设置您的社区" in serving.handle(msg("/start xinhepu"), T0)[-1].text
    assert "ersha" not in other.communities()
    outs = serving.handle(msg("/start ersha", who="r2"), T0)
    assert outs[-1].text.startswith(rt.UNKNOWN_COMMUNITY.format(code="ersha"))

    new_file = tmp_path / "org.yaml"
    new_file.write_text(MOVED, encoding="utf-8")
    import_org(other.db, new_file)  # what `lawbot org import` does while `lawbot run` serves

    later = T0 + timedelta(minutes=1)
    assert "二沙岛社区" in serving.handle(msg("/start ersha", who="r3"), later)[-1].text
    outs = serving.handle(msg("公司拖欠了我整整三个月的工资"), later)
    assert to(outs, "telegram", "-900") and not to(outs, *DESK_TG)  # the moved desk
    assert serving.desk_chats("telegram") == {"-900", "-200"}
    assert "ersha" in serving.communities()
