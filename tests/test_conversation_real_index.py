"""End to end with the real FaqIndex over a small FAQ added through FaqStore."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlite_utils
from fakes import T0, button_data, msg, texts

from bot.app import build_service
from bot.desk.org import load_demo
from knowledge.faq import FaqEntry, FaqStore

FAQ = (
    FaqEntry(
        id="deposit", category="租房", question="退租后房东不退押金怎么办？",
        alternates=("房东扣押金不还", "押金要不回来"),
        answer="先书面催告，协商不成可以调解或起诉。",
        legal_basis=("《民法典》第七百三十三条",), status="published",
    ),
    FaqEntry(
        id="wages", category="劳动", question="老板拖欠工资怎么办？",
        alternates=("公司不发工资", "欠薪怎么讨"),
        answer="可以向劳动保障监察投诉，或申请劳动仲裁。",
        legal_basis=("《劳动合同法》第三十条",), status="published",
    ),
)


def test_real_index_answers_escalates_and_sees_new_entries(db: sqlite_utils.Database) -> None:
    load_demo(db)
    store = FaqStore(db)
    for e in FAQ:
        store.add(e, by="test")
    service = build_service(db, ZoneInfo("Asia/Shanghai"))
    outs = service.handle(msg("/start xinhepu"), T0)
    outs = service.handle(msg("退租以后房东不退押金，怎么办"), T0)
    assert "先书面催告" in outs[-1].text
    assert "《民法典》第七百三十三条" in outs[-1].text
    assert "/law 《民法典》第七百三十三条" in button_data(outs[-1])

    outs = service.handle(msg("火星上的土地归谁所有"), T0)
    assert "请选择问题的类别" in texts(outs)  # short, no legal term: asked once
    outs = service.handle(msg("我是说火星上的土地到底归哪个国家所有"), T0)
    assert "工单号 #1" in texts(outs)
    both = "火星上的土地归谁所有\n我是说火星上的土地到底归哪个国家所有"
    assert service.tickets.get(1).question == both
    assert "王律师、小李值班" in texts(outs)


def test_a_vague_question_lists_the_fields_with_the_most_published_entries_first(
    db: sqlite_utils.Database,
) -> None:
    load_demo(db)
    store = FaqStore(db)
    entries = [("a-appeal", "行政复议", "published")]
    entries += [(f"b-rent{i}", "租房", "published") for i in range(2)]
    entries += [(f"c-wage{i}", "劳动", "published") for i in range(3)]
    entries += [(f"d-crime{i}", "刑事", "draft") for i in range(5)]  # residents do not see drafts
    for n, (id, category, status) in enumerate(entries):
        store.add(FaqEntry(
            id=id, category=category, question=f"第{n}个问题怎么办？", answer="先协商。",
            legal_basis=("《民法典》第七百三十三条",), status="draft",
        ), by="test")
        if status == "published":
            store.publish(id, by="test", reviewed_by="王律师")
    service = build_service(db, ZoneInfo("Asia/Shanghai"))
    service.handle(msg("/start xinhepu"), T0)
    outs = service.handle(msg("我遇到麻烦了"), T0)
    assert "请选择问题的类别" in texts(outs)
    assert button_data(outs[-1]) == ["/topic 劳动", "/topic 租房", "/topic 行政复议", "/human"]
