"""Advisers' commands through Service.handle: /duty, /faq curation, /review (real FAQ index)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from fakes import T0, button_data, msg, texts

from bot.app import build_service
from bot.desk.org import import_org
from bot.messages import Outgoing
from bot.service import Service
from bot.texts import resident as rt
from bot.texts import staff as st
from knowledge.faq import FaqEntry, FaqStore
from knowledge.laws import LawStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADVISER, VOLUNTEER = "111", "222"  # telegram user ids of 王律师 and 小李

ORG = """
teams:
  - {id: dongshan, name: 东山街团队, desk: {telegram: "-100"}}
communities:
  - {code: xinhepu, name: 新河浦社区, street: 东山街, team: dongshan}
people:
  - {name: 王律师, role: adviser, team: dongshan, telegram: "111"}
  - {name: 小李, role: volunteer, team: dongshan, telegram: "222"}
roster:
  - {person: 王律师, days: [mon-fri], hours: "09:00-18:00"}
  - {person: 小李, days: [tue], hours: "14:00-18:00"}
"""

FAQ = (
    FaqEntry(
        id="rent-deposit", category="租赁", question="房东不退押金怎么办",
        answer="先协商；协商不成可以向法院起诉要求退还押金。", alternates=("租房押金不退",),
        legal_basis=("《民法典》第七百二十二条",), status="published",
    ),
    FaqEntry(
        id="rent-repair", category="租赁", question="租的房子坏了谁负责维修",
        answer="出租人应当履行租赁物的维修义务。",
        legal_basis=("《民法典》第七百一十二条",), status="published",
    ),
    FaqEntry(
        id="wage-arrears", category="劳动", question="公司拖欠工资怎么办",
        answer="可以向劳动监察投诉或申请劳动仲裁。",
        legal_basis=("《民法典》第五百七十七条",), status="published",
    ),
)
UNANSWERED = "热水器坏了让我自己出钱"  # the real index escalates it; best candidate rent-repair


def make_service(db: sqlite_utils.Database, laws_jsonl: Path, tmp_path: Path) -> Service:
    """Organisation from a YAML file, the real statutes, a small real FAQ, the real index."""
    org_file = tmp_path / "org.yaml"
    org_file.write_text(ORG, encoding="utf-8")
    import_org(db, org_file)
    laws = LawStore(db)
    laws.import_jsonl(laws_jsonl)
    faq = FaqStore(db, laws)
    for entry in FAQ:
        faq.add(entry, by="导入")
    return build_service(db, SHANGHAI)


@pytest.fixture
def service(
    db: sqlite_utils.Database, laws_jsonl: Path, tmp_path: Path
) -> Iterator[Service]:
    yield make_service(db, laws_jsonl, tmp_path)


def say(service: Service, text: str, who: str = ADVISER, **kw: object) -> str:
    """What the bot answers ``who`` (every text to that chat)."""
    outs = service.handle(msg(text, who=who, **kw), T0 + timedelta(hours=1))  # type: ignore[arg-type]
    return texts(outs)


def ask(service: Service, who: str, question: str, at: timedelta = timedelta()) -> list[Outgoing]:
    """A resident of 新河浦 asks ``question``."""
    service.handle(msg("/start xinhepu", who=who), T0 + at)
    return service.handle(msg(question, who=who), T0 + at)


# --- /duty ------------------------------------------------------------------------------------


def test_duty_names_who_is_on_duty_now_and_who_is_next(service: Service) -> None:
    outs = service.handle(msg("/duty", who=ADVISER), T0)  # Tuesday 10:00 in Shanghai
    assert outs[0].text == (
        "现在值班（东山街团队）：王律师（顾问）\n下一班：小李（志愿者），周二 12月1日 14:00 开始"
    )
    evening = service.handle(msg("/duty", who=VOLUNTEER), T0 + timedelta(hours=10))
    assert evening[0].text == (
        "现在没有人值班（东山街团队）。\n下一班：王律师（顾问），周三 12月2日 09:00 开始"
    )


def test_duty_works_in_the_desk_room(service: Service) -> None:
    outs = service.handle(msg("/duty", who=VOLUNTEER, chat="-100", group=True), T0)
    assert [(o.chat_id, o.text.splitlines()[0]) for o in outs] == [
        ("-100", "现在值班（东山街团队）：王律师（顾问）")
    ]


def test_residents_typing_staff_commands_get_the_resident_behaviour(service: Service) -> None:
    ask(service, "r1", "你好")
    for command in ("/faq show rent-deposit", "/faq add 租赁|问|答"):
        assert rt.FAQ_NOT_FOUND in say(service, command, who="r1")
    assert say(service, "/duty", who="r1") == rt.UNKNOWN_COMMAND
    assert say(service, "/review", who="r1") == rt.UNKNOWN_COMMAND
    assert FaqStore(service.db).count() == len(FAQ)


# --- /faq ------------------------------------------------------------------------------------


def test_faq_show_gives_everything_an_adviser_reviews(service: Service) -> None:
    shown = say(service, "/faq show rent-deposit")
    assert shown == (
        "条目 rent-deposit（租赁）  状态：已发布  第 1 版，导入 修改\n"
        "问题：房东不退押金怎么办\n"
        "其他说法：租房押金不退\n"
        "答案：先协商；协商不成可以向法院起诉要求退还押金。\n"
        "法律依据：《民法典》第七百二十二条"
    )
    assert say(service, "/faq show nothing-here") == st.FAQ_NOT_FOUND.format(id="nothing-here")


def test_faq_add_answer_alt_publish_by_an_adviser(service: Service) -> None:
    added = say(
        service,
        "/faq add 劳动|工伤了公司不管怎么办|可以申请工伤认定。|《民法典》第一千一百九十一条",
    )
    assert added.startswith("已新建草稿 faq-0001：工伤了公司不管怎么办")
    draft = service.faq.get("faq-0001")
    assert (draft.status, draft.category, draft.updated_by, draft.version) == (
        "draft", "劳动", "王律师", 1
    )
    assert draft.legal_basis == ("《民法典》第一千一百九十一条",)

    assert say(service, "/faq answer faq-0001 先申请工伤认定，再要求工伤保险待遇。") == (
        st.FAQ_ANSWER_SET.format(id="faq-0001", version=2)
    )
    assert "已为条目 faq-0001 增加说法“上班受伤老板不赔”" in say(
        service, "/faq alt faq-0001 上班受伤老板不赔"
    )
    assert say(service, "/faq alt faq-0001 上班受伤老板不赔") == st.FAQ_ALT_EXISTS.format(
        id="faq-0001", alternate="上班受伤老板不赔"
    )
    assert "已发布" in say(service, "/faq publish faq-0001")
    history = service.faq.history("faq-0001")
    assert [(v.version, v.updated_by, v.status) for v in history] == [
        (1, "王律师", "draft"), (2, "王律师", "draft"), (3, "王律师", "draft"),
        (4, "王律师", "published"),
    ]
    assert history[-1].answer == "先申请工伤认定，再要求工伤保险待遇。"
    assert history[-1].alternates == ("上班受伤老板不赔",)
    # live: a resident's question now gets the new entry's answer
    answer = texts(ask(service, "r9", "上班受伤老板不赔"))
    assert "先申请工伤认定" in answer


def test_faq_add_with_a_citation_that_does_not_resolve_is_refused(service: Service) -> None:
    refused = say(service, "/faq add 租赁|问题甲|答案甲|《民法典》第九千条")
    assert refused.startswith("未能保存条目：") and "第九千条" in refused
    assert service.faq.count() == len(FAQ)


def test_publish_is_refused_naming_a_citation_not_in_force(service: Service) -> None:
    # imported before the statutes were loaded: only the citation's syntax was checked then
    unverified = FaqStore(service.db)
    unverified.add(
        FaqEntry(
            id="fight", category="治安", question="被人打了对方会被拘留吗", answer="可能。",
            legal_basis=("《治安管理处罚法》第四十三条",), status="draft",
        ),
        by="导入",
    )
    refused = say(service, "/faq publish fight")
    assert refused.startswith("不能发布条目 fight：") and "治安管理处罚法" in refused
    assert service.faq.get("fight").status == "draft"


def test_faq_usage_help_when_arguments_are_missing_or_wrong(service: Service) -> None:
    for command in (
        "/faq", "/faq edit rent-deposit x", "/faq add 只有类别", "/faq answer rent-deposit",
        "/faq alt", "/faq publish",
    ):
        assert say(service, command) == st.FAQ_USAGE, command


def test_a_volunteer_may_only_show(service: Service) -> None:
    assert "问题：房东不退押金怎么办" in say(service, "/faq show rent-deposit", who=VOLUNTEER)
    for command in (
        "/faq answer rent-deposit 别管了", "/faq alt rent-deposit 押金", "/faq publish x",
        "/faq add 租赁|问|答",
    ):
        assert say(service, command, who=VOLUNTEER) == st.FAQ_ONLY_SHOW
    assert say(service, "/review", who=VOLUNTEER) == st.REVIEW_ONLY_CURATORS
    assert service.faq.get("rent-deposit").version == 1 and service.faq.count() == len(FAQ)


def test_a_bare_faq_id_still_shows_the_entry(service: Service) -> None:
    # a resident pressing a suggestion button
    ask(service, "r1", "你好")
    assert "先协商" in say(service, "/faq rent-deposit", who="r1", button=True)
    # a staff member in their private chat sees what residents see
    outs = service.handle(msg("/faq rent-deposit", who=ADVISER), T0)
    assert "先协商" in texts(outs) and "/rate" in " ".join(button_data(outs[-1]))
    # in the desk room a bare id shows the entry for review
    outs = service.handle(msg("/faq rent-deposit", who=VOLUNTEER, chat="-100", group=True), T0)
    assert outs[0].text.startswith("条目 rent-deposit（租赁）")


# --- /review ---------------------------------------------------------------------------------


def test_review_lists_an_escalated_question_and_one_tap_adds_it(service: Service) -> None:
    outs = ask(service, "r1", UNANSWERED)
    assert "请选择问题的类别" in texts(outs)  # the FAQ could not answer: asked to clarify
    ask(service, "r2", "我想问遗产继承怎么分")
    service.handle(msg("/forget", who="r2"), T0)  # forgotten: skipped
    ask(service, "r3", "公司倒闭了社保怎么办", at=-timedelta(days=8))  # too old

    outs = service.handle(msg("/review", who=ADVISER), T0 + timedelta(hours=1))
    listing = outs[0]
    assert listing.text.startswith("最近 7 天需要人工处理的提问")
    assert f"{UNANSWERED}\n   最接近的条目：rent-repair 租的房子坏了谁负责维修" in listing.text
    assert "遗产" not in listing.text and "社保" not in listing.text
    [row] = listing.buttons
    assert row[0].label.startswith("加为说法：租的房子坏了谁负责维修")
    assert row[0].data.startswith("/faq altq ") and row[0].data.endswith(" rent-repair")

    done = service.handle(msg(row[0].data, who=ADVISER, button=True), T0 + timedelta(hours=1))
    assert "已为条目 rent-repair 增加说法“热水器坏了让我自己出钱”" in done[0].text
    entry = service.faq.get("rent-repair")
    assert entry.alternates == (UNANSWERED,) and entry.updated_by == "王律师"
    # the live index now answers that wording
    answer = texts(ask(service, "r4", UNANSWERED, at=timedelta(hours=2)))
    assert "出租人应当履行租赁物的维修义务" in answer and "工单号" not in answer
    # and the list no longer offers it
    again = service.handle(msg("/review", who=ADVISER), T0 + timedelta(hours=3))
    assert UNANSWERED not in again[0].text


def test_review_lists_down_rated_answers_masked_without_the_rejected_entry(
    service: Service,
) -> None:
    outs = ask(service, "r1", "房东不退押金怎么办，我电话13812345678")
    rate = next(d for o in outs for d in button_data(o) if d.endswith(" down"))
    service.handle(msg(rate, who="r1", button=True), T0)
    listing = service.handle(msg("/review", who=ADVISER), T0 + timedelta(hours=1))[0].text
    assert "居民点了👎：房东不退押金怎么办，我电话138****5678" in listing
    assert "13812345678" not in listing
    assert "最接近的条目：rent-deposit" not in listing


def test_review_with_nothing_to_review(service: Service) -> None:
    assert say(service, "/review") == st.REVIEW_NONE.format(days=7)


def test_a_tap_after_the_resident_was_forgotten_adds_nothing(service: Service) -> None:
    ask(service, "r1", UNANSWERED)
    listing = service.handle(msg("/review", who=ADVISER), T0 + timedelta(hours=1))[0]
    service.handle(msg("/forget", who="r1"), T0 + timedelta(hours=1))
    tap = listing.buttons[0][0].data
    qid = tap.split()[2]
    assert say(service, tap, button=True) == st.FAQ_QUESTION_GONE.format(qid=qid)
    assert service.faq.get("rent-repair").alternates == ()


def test_help_and_the_telegram_group_menu_name_the_staff_commands() -> None:
    from bot.commands import desk_help, menu, names

    for command in names("staff"):
        assert f"/{command}" in desk_help()
        assert command in dict(menu(("desk", "staff")))


def test_review_lists_a_suggestion_the_resident_turned_down(service: Service) -> None:
    outs = ask(service, "r1", "房东不管维修")
    assert "/human none" in button_data(outs[-1])  # did you mean …, or 都不是，转人工
    service.handle(msg("/human none", who="r1", button=True), T0)
    listing = service.handle(msg("/review", who=ADVISER), T0 + timedelta(hours=1))[0].text
    assert "推荐未采纳：房东不管维修" in listing


def test_duty_with_someone_always_on_duty(db: sqlite_utils.Database) -> None:
    from bot.desk.org import load_demo

    load_demo(db)  # 王律师 and 小李 on duty at every hour
    service = build_service(db, SHANGHAI)
    outs = service.handle(msg("/duty", who="王律师", channel="terminal"), T0)
    assert outs[0].text == (
        "现在值班（东山街法律顾问团队）：王律师（顾问）、小李（志愿者）\n未来两周没有新的班次开始。"
    )


def test_an_alternate_another_entry_already_answers_is_added_with_a_warning(
    service: Service,
) -> None:
    """The phrasing is still added (the adviser decides), but the entry that already answers
    it is named: filed under the wrong entry it would raise that entry's answer threshold."""
    said = say(service, "/faq alt wage-arrears 房东不退押金怎么办")
    assert "已为条目 wage-arrears 增加说法“房东不退押金怎么办”" in said
    assert "已能由已发布的条目 rent-deposit 直接回答" in said
    assert service.faq.get("wage-arrears").alternates == ("房东不退押金怎么办",)
    fitting = say(service, "/faq alt wage-arrears 老板三个月不发工资")
    assert "增加说法“老板三个月不发工资”" in fitting and "直接回答" not in fitting
