"""The starter FAQ's content rules: coverage, distinct phrasings, practical answers.

Citations resolving against the statute corpus are checked by the knowledge tests; these
check what an adviser reviewing the files would check by eye.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

import pytest
from starter_text import entries, normalise

ID_PATTERN = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")
ENTRIES = entries()


def test_at_least_150_entries_in_12_categories() -> None:
    assert len(ENTRIES) >= 150
    assert len({e["category"] for e in ENTRIES}) >= 12


def test_ids_are_unique_and_readable() -> None:
    counts = Counter(e["id"] for e in ENTRIES)
    assert [i for i, n in counts.items() if n > 1] == []
    assert [e["id"] for e in ENTRIES if not ID_PATTERN.match(e["id"])] == []


def test_no_two_entries_share_a_phrasing() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in ENTRIES:
        for text in [entry["question"], *entry["alternates"]]:
            key = normalise(text)
            if key in owner and owner[key] != entry["id"]:
                clashes.append((text, owner[key], entry["id"]))
            owner[key] = entry["id"]
    assert clashes == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_entry_is_complete(entry: dict[str, Any]) -> None:
    alternates = entry["alternates"]
    assert len({normalise(a) for a in alternates}) >= 4, "at least 4 distinct alternates"
    assert any(len(a) >= 30 for a in alternates), "one long, story-like phrasing"
    answer = entry["answer"]
    # 500: room for every deadline a resident can lose a right by and the interpretation a
    # number rests on (the longest, family-property-division, is 479 after issue 17).
    assert 150 <= len(answer) <= 500, f"answer has {len(answer)} characters"
    assert "建议：" in answer, "the answer says what to do next"
    assert "\\" not in answer, "no stray backslash (a YAML escape inside a block scalar)"
    assert entry["legal_basis"], "at least one citation"
    assert entry.get("status", "published") == "published"


# What reviewers found wrong or missing (issue 17), as the corrected answers must say it:
# entry id → (phrases the answer contains, citations its legal basis includes).
CORRECTED = {
    "labour-probation-rules": (
        ["赔偿金", "试用期满后的月工资", "超出法定期限的时间", "一年"],
        ["《劳动合同法》第八十三条"],
    ),
    "workinjury-death-benefits": (
        ["从事故伤害发生之日", "不是从死亡之日起算", "30日", "1年内"],
        ["《工伤保险条例》第十七条第二款", "《工伤保险条例》第三十九条"],
    ),
    "labour-severance-calculation": (
        ["只适用于一种情形", "没有提前30天书面通知", "没有\"+1\"", "仲裁时效一年"],
        ["《劳动合同法》第四十条", "《劳动争议调解仲裁法》第二十七条"],
    ),
    "family-divorce-fault-damages": (
        ["必须在离婚诉讼中同时提出", "可以以后单独起诉", "明确放弃的不予支持"],
        ["《婚姻家庭编解释（一）》第八十八条", "《婚姻家庭编解释（一）》第八十九条"],
    ),
    "family-betrothal-gift-return": (
        ["2024年2月1日起施行", "共同生活时间较短且彩礼数额过高", "不算彩礼"],
        ["《彩礼纠纷规定》第五条", "《彩礼纠纷规定》第六条"],
    ),
    "family-property-division": (
        ["父母全额出资", "合理补偿", "第七十八条"],
        ["《婚姻家庭编解释（二）》第八条", "《婚姻家庭编解释（一）》第七十八条"],
    ),
    "labour-no-written-contract": (
        ["第一个月内", "不付经济补偿", "2025年9月1日", "重大过失", "最多十一个月"],
        ["《劳动合同法实施条例》第五条", "《劳动合同法实施条例》第七条"],
    ),
    "family-child-support": (
        ["百分之二十至三十", "百分之五十"], ["《婚姻家庭编解释（一）》第四十九条"],
    ),
    "labour-annual-leave": (
        ["年假5天", "10天", "15天", "300%"], ["《职工带薪年休假条例》第三条"],
    ),
    "labour-wage-deduction-fines": (["20%", "最低工资标准"], ["《工资支付暂行规定》第十六条"]),
    "labour-non-compete": (["30%", "三个月"], ["《劳动争议解释（一）》第三十六条"]),
    "loans-interest-rules": (["四倍"], ["《民间借贷规定》第二十五条"]),
    "workinjury-disputed-recognition": (
        ["60日内", "6个月内", "15日内"], ["《行政复议法》第二十条", "《行政诉讼法》第四十六条"],
    ),
    "workinjury-what-counts": (["30日内", "1年内"], ["《工伤保险条例》第十七条"]),
    "labour-unlawful-dismissal": (["一年内"], ["《劳动争议调解仲裁法》第二十七条"]),
    "property-owners-vote-thresholds": (
        ["一年内起诉"], ["《建筑物区分所有权解释》第十二条"],
    ),
}


@pytest.mark.parametrize("entry_id", sorted(CORRECTED))
def test_flagged_entries_state_the_corrected_deadlines_and_amounts(entry_id: str) -> None:
    entry = next(e for e in ENTRIES if e["id"] == entry_id)
    phrases, citations = CORRECTED[entry_id]
    assert [p for p in phrases if p not in entry["answer"]] == []
    assert [c for c in citations if c not in entry["legal_basis"]] == []


def test_no_answer_leans_on_an_unnamed_interpretation() -> None:
    vague = re.compile(r"根据(最高人民法院的)?司法解释|依照(最高人民法院的)?司法解释|按有关规定")
    assert [e["id"] for e in ENTRIES if vague.search(e["answer"])] == []
    # the family's deadline for 工伤认定 runs from the accident, never from the death
    assert [e["id"] for e in ENTRIES if "死亡之日起一年" in e["answer"]] == []


@pytest.mark.parametrize(
    ("question", "decision", "entry"),
    [
        # everyday wage questions, worded unlike any phrasing: the wage entry answers
        ("公司不发工资", "answer", "labour-unpaid-wages"),
        ("老板欠我工资跑路了", "answer", "labour-unpaid-wages"),
        ("厂里三个月没发工资了", "answer", "labour-unpaid-wages"),
        # sick pay: the wage entry is offered, not answered (0.199, above its threshold, 0.076
        # ahead of the work-injury leave entry, but 病假 is not in it: coverage 0.64 < 0.65)
        ("请病假公司不发工资", "suggest", "labour-unpaid-wages"),
        # no uncovered topic competes any more: the entry answers
        ("电动车撞人了怎么办", "answer", "traffic-ebike-accident"),
        # 孩子 and 学校 are the school-injury entries' own words, however many entries on other
        # topics the FAQ holds (matcher.domain measures them in the entries that use them);
        # answered since the word lists of issue 16's third round (confidence 0.209; the entry's
        # threshold is the FAQ's floor, 0.16)
        ("孩子在学校被打了", "answer", "injury-child-at-school"),
        # the entries added with the grown FAQ (criminal, house, fraud) are reached; the
        # detention entry answers (0.280, threshold 0.265, 0.071 ahead of the next: margin
        # 0.07 since issue 16's fifth round): its answer gives the time limits and what the
        # family should do (a lawyer, 取保候审, a complaint when the limit passes)
        ("儿子被刑事拘留了怎么办", "answer", "criminal-detention-time-limits"),
        ("买二手房怎么过户", "answer", "house-secondhand-transfer"),
        ("网上刷单被骗", "answer", "scams-task-and-investment"),
        # the settlement entry's phrasings say it; the commuting work-injury entry, whose answer
        # mentions 交通事故 and 全责, no longer leads (matcher.index.Weights.rank_phrasing)
        ("交通事故对方全责但是拖着不赔钱", "suggest", "traffic-settlement-agreement"),
        # a field named in a question frame: 问问 / 方面 / 关于 say nothing of the topic (they
        # are stopwords), so the field's entries are offered instead of a ticket
        ("我想问问工伤方面的", "suggest", "workinjury-what-counts"),
        ("关于离婚方面的", "suggest", "family-divorce-lawsuit"),
    ],
)
def test_everyday_questions_reach_their_entry(question: str, decision: str, entry: str) -> None:
    """Short wage questions used to lose to the uncovered sick-pay topic, whose examples
    share 发工资 and 老板 with them; questions near a topic used to go to the adviser even
    when an entry led."""
    from bot.faq_index import to_document
    from knowledge.seed import STARTER_DIR, read_starter

    found, errors = read_starter(STARTER_DIR, None)
    assert errors == []
    result = _starter_matcher(tuple(to_document(e) for e in found)).match(question)
    assert (result.decision, result.top[0].id) == (decision, entry), result.reason


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("被骗了钱怎么办", ("scams-", "fraud-")),  # no hidden marital assets among them
        ("弟弟被刑拘了家属能做什么", ("criminal-",)),
        ("孩子被同学打了", ("injury-",)),  # 孩子在学校被打了 is answered now
    ],
)
def test_did_you_mean_lists_only_entries_on_the_questions_topic(
    question: str, topic: tuple[str, ...]
) -> None:
    """Suggestions clear their own floor: no filler from other topics pads the list."""
    from bot.faq_index import to_document
    from knowledge.seed import STARTER_DIR, read_starter

    found, _ = read_starter(STARTER_DIR, None)
    result = _starter_matcher(tuple(to_document(e) for e in found)).match(question)
    assert result.decision == "suggest"
    assert [c.id for c in result.top if not c.id.startswith(topic)] == []


@functools.cache
def _starter_matcher(docs: tuple[Any, ...]) -> Any:
    from matcher import Matcher

    return Matcher.build(docs)
