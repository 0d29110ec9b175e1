"""The legal-aid pre-check: its citations exist and are in force, every path through the real
Service and the terminal channel, the referral in the work log, the ticket, and bad files."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import ORG_YAML, ScriptedIndex

from bot.app import build_service
from bot.channels.terminal import TerminalChat
from bot.clock import FixedClock
from bot.desk.org import Organisation, OrgImportError, import_org, load_demo
from bot.legal_aid import FLOW_FILE, FlowError, citations, load_flow
from bot.service import Service
from bot.texts import legal_aid as lt
from knowledge.citations import find_citations
from knowledge.laws import LawStore

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=TZ)
CENTRE = "申请地点：区法律援助中心（演示），演示路 1 号（请改为本区地址），电话 12348。"


def test_every_article_the_flow_cites_exists_and_is_in_force(laws: LawStore) -> None:
    flow = load_flow()
    cited = citations(flow) + [str(c) for c in find_citations(lt.RESULT)]
    assert "《法律援助法》第三十一条" in cited and "《法律援助法》第四十二条" in cited
    for citation in cited:
        article = laws.resolve(citation)
        assert article.in_force, citation
    assert "经济困难的标准" in laws.resolve("《法律援助法》第三十四条").text
    assert "不受经济困难条件的限制" in laws.resolve("《法律援助法》第三十二条").text
    assert "免予核查经济困难状况" in laws.resolve("《法律援助法》第四十二条").text
    assert "作出是否给予法律援助的决定" in laws.resolve("《法律援助法》第四十三条").text


def chat(service: Service, community: str | None = "xinhepu") -> tuple[TerminalChat, list[str]]:
    printed: list[str] = []
    session = TerminalChat(service, "张三", printed.append, FixedClock(NOW))
    session.start(community)
    return session, printed


@pytest.fixture
def service(db: sqlite_utils.Database) -> Service:
    load_demo(db)
    return build_service(db, TZ, ScriptedIndex())


def work_log(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT type, community, day, count, note FROM work_log"))


@pytest.mark.parametrize(("presses", "verdict", "logged"), [
    (["1", "3"], "较有可能获得法律援助", True),  # wages, a migrant worker (第四十二条)
    (["2", "4", "1"], "较有可能获得法律援助", True),  # injury, no group, income below
    (["3", "4", "2"], "有可能获得法律援助", True),  # maintenance, income unsure
    (["1", "4", "3"], "获得法律援助的可能性不大", False),  # income above the standard
    (["6"], "较有可能获得法律援助", True),  # domestic violence (第三十二条)
    (["8"], "有可能获得法律援助", True),  # another matter
])
def test_each_path_ends_in_a_likelihood_with_documents_and_the_centre(
    service: Service, presses: list[str], verdict: str, logged: bool,
) -> None:
    session, printed = chat(service)
    session.say("/legalaid")
    assert "【法律援助预评估】您要办的事情属于下面哪一类？" in printed[-1]
    assert "（依据：《法律援助法》第三十一条、《法律援助法》第三十二条）" in printed[-1]
    for press in presses:
        session.say(press)
    result = printed[-1]
    assert result.startswith(f"【法律援助预评估结果】{verdict}\n")
    assert "是否给予法律援助由法律援助机构审查后决定" in result
    assert "· 身份证或户口本" in result and CENTRE in result
    assert "1. 📅 预约线下咨询" in result and "2. 转人工咨询" in result
    assert "符合条件。" not in result and "您符合" not in result  # never a decision
    expected = [{"type": "法律援助转介", "community": "xinhepu", "day": "2026-12-04",
                 "count": 1, "note": f"机器人法律援助预评估：{verdict}"}]
    assert work_log(service.db) == (expected if logged else [])


def test_the_income_question_names_the_districts_standard(service: Service) -> None:
    session, printed = chat(service)
    session.say("/legalaid")
    session.say("1")
    session.say("4")
    assert "您家庭每月人均收入是否低于 2300 元" in printed[-1]
    assert "（依据：《法律援助法》第三十四条）" in printed[-1]
    session.say("4")  # 查看《法律援助法》第三十四条 (needs the corpus: not loaded here)
    assert "法条" in printed[-1]


def test_a_question_about_legal_aid_is_offered_the_pre_check(service: Service) -> None:
    session, printed = chat(service)
    session.say("我想申请法律援助，要什么条件")
    assert "工单号 #1" in printed[-2] and "\n1. 📅 预约线下咨询\n" in printed[-2]
    # the offer's button goes on from the ticket's: one numbering across the turn
    assert printed[-1].startswith(lt.OFFER) and "\n2. ⚖️ 法律援助预评估\n" in printed[-1]
    session.say("2")
    assert "【法律援助预评估】" in printed[-1]


def test_the_ticket_button_opens_a_legal_aid_ticket(service: Service) -> None:
    session, printed = chat(service)
    session.say("/legalaid")
    session.say("6")
    session.say("2")  # 转人工咨询
    assert "工单号 #1" in printed[-1]
    ticket = service.tickets.get(1)
    assert ticket.category == "法律援助" and ticket.community == "xinhepu"
    assert "结果：较有可能获得法律援助" in ticket.question
    desk = [r["text"] for r in service.db.query("SELECT text FROM outbox WHERE chat_id = '王律师'")]
    assert any("居民做了法律援助预评估后要求转人工" in t for t in desk)


def test_without_a_community_nothing_is_logged_and_without_a_centre_12348_is_named(
    db: sqlite_utils.Database, tmp_path: Path,
) -> None:
    org_file = tmp_path / "org.yaml"
    org_file.write_text(ORG_YAML, encoding="utf-8")
    import_org(db, org_file)
    service = build_service(db, TZ, ScriptedIndex())
    session, printed = chat(service, None)
    session.say("/legalaid")
    session.say("1")
    session.say("4")
    assert "低于 本地标准 元" in printed[-1]
    session.say("1")
    assert "请拨打 12348 公共法律服务热线" in printed[-1] and "预约线下咨询" not in printed[-1]
    assert work_log(db) == []


def test_a_stale_button_restarts_and_changes_nothing(service: Service) -> None:
    session, printed = chat(service)
    for stale in ("/legalaid nosuch 1", "/legalaid matter 99", "/legalaid matter x"):
        session.say(stale)
        assert printed[-1].startswith("这个选项已失效，请重新开始预评估。")
    assert work_log(service.db) == [] and service.tickets.by_status() == []


def test_a_broken_flow_file_is_named_with_what_is_wrong(tmp_path: Path) -> None:
    text = FLOW_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "flow.yaml"
    bad.write_text(
        text.replace("next: income}", "next: incom}").replace("verdict: possibly", "verdict: 是")
        .replace("    cites: [《法律援助法》第四十二条]\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(FlowError) as info:
        load_flow(bad)
    message = str(info.value)
    assert "问题 group 的选项“都不是”指向不存在的 incom" in message
    assert "结果 possibly 的 verdict 应为 likely、possibly 或 unlikely，而不是 是" in message
    assert "问题 group 没有注明依据的法条（cites）" in message
    bad.write_text("steps: {a: {options: []}}\n", encoding="utf-8")
    with pytest.raises(FlowError, match="缺少字段"):
        load_flow(bad)
    bad.write_text("[1, 2\n", encoding="utf-8")
    with pytest.raises(FlowError, match="无法读取"):
        load_flow(bad)


def test_the_importer_checks_the_legal_aid_key(db: sqlite_utils.Database, tmp_path: Path) -> None:
    load_demo(db)
    bad = tmp_path / "org.yaml"
    bad.write_text(ORG_YAML + (
        "legal_aid: {centre: 中心, phone: '12348', income_standard: 两千, fax: 1}\n"
    ), encoding="utf-8")
    with pytest.raises(OrgImportError) as info:
        import_org(db, bad)
    found = [(e.field, e.message) for e in info.value.errors if e.sheet == "legal_aid"]
    assert found == [
        ("fax", "未知字段 fax"),
        ("address", "必填，不能为空"),
        ("income_standard", "应为每月人均收入的元数（正整数，如 2300），而不是 两千"),
    ]
    assert Organisation.load(db).legal_aid is not None  # the demo's, unchanged
    good = tmp_path / "good.yaml"
    good.write_text(ORG_YAML + (
        "legal_aid:\n  centre: 东山法律援助处\n  address: 东山路 1 号\n  phone: '12348'\n"
        "  income_standard: 2100\n"
    ), encoding="utf-8")
    import_org(db, good)
    aid = Organisation.load(db).legal_aid
    assert aid is not None and (aid.centre, aid.income_standard) == ("东山法律援助处", 2100)


def test_a_repeated_pre_check_is_one_referral_per_resident_and_day(service: Service) -> None:
    """Running the check again (or to another likely result) the same day logs nothing more;
    the next day it is a new referral, and another resident is their own."""
    session, _ = chat(service)
    for presses in (["6"], ["6"], ["8"]):  # likely, likely again, possible
        session.say("/legalaid")
        for press in presses:
            session.say(press)
    [first] = work_log(service.db)
    assert first["note"] == "机器人法律援助预评估：较有可能获得法律援助"
    other = TerminalChat(service, "李四", [].append, FixedClock(NOW))
    other.start("xinhepu")
    other.say("/legalaid")
    other.say("6")
    tomorrow = TerminalChat(service, "张三", [].append, FixedClock(NOW + timedelta(days=1)))
    tomorrow.say("/legalaid")
    tomorrow.say("6")
    days = [(row["day"], row["count"]) for row in work_log(service.db)]
    assert days == [("2026-12-04", 1), ("2026-12-04", 1), ("2026-12-05", 1)]
