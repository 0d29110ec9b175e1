"""The matcher on a small FAQ: ranking in residents' words, community scope, explanations."""

from __future__ import annotations

import pytest
from matcher_samples import DOCS

from matcher import Document, Matcher, Thresholds
from matcher.index import Weights


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(DOCS)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("房東唔退按金點算", "deposit"),  # traditional + Cantonese
        ("老板把我炒鱿鱼了，能拿经济补偿吗", "dismissal"),
        ("离婚了小孩归谁养", "custody"),
        ("厂里三个月不发人工", "wages"),
        ("朋友欠钱不还怎么办", "loan"),
        ("ＡＢ小区加装电梯要几多业主同意", "lift"),  # full-width letters
    ],
)
def test_ranks_the_right_entry_first(matcher: Matcher, question: str, expected: str) -> None:
    assert matcher.match(question).top[0].id == expected


def test_exact_question_is_answered(matcher: Matcher) -> None:
    result = matcher.match("被公司辞退有没有经济补偿金？")
    assert result.decision == "answer"
    assert result.rule == "confident"
    assert result.top[0].score > result.top[1].score


def test_unrelated_question_is_escalated(matcher: Matcher) -> None:
    result = matcher.match("明天去北京的火车票怎么买")
    assert result.decision == "escalate"


def test_result_explains_itself(matcher: Matcher) -> None:
    result = matcher.match("请问房东不退押金怎么办", explain=True)
    best = result.top[0]
    assert best.id == "deposit"
    assert set(best.matched_terms) >= {"房东", "押金"}
    assert best.phrasing == "退租后房东不退押金怎么办？"
    assert result.query_terms == ("房东", "不退", "押金")
    assert "best" in result.reason and result.rule


def test_top_is_sorted_and_bounded(matcher: Matcher) -> None:
    result = matcher.match("工资", k=3)
    assert len(result.top) == 3
    scores = [c.score for c in result.top]
    assert scores == sorted(scores, reverse=True)


def test_community_scope(matcher: Matcher) -> None:
    question = "旧楼加装电梯需要多少业主同意？"
    assert matcher.match(question, community="xinhepu").top[0].id == "lift"
    elsewhere = matcher.match(question, community="other")
    assert "lift" not in [c.id for c in elsewhere.top]
    assert elsewhere.decision != "answer"
    assert matcher.match(question).top[0].id == "lift"  # no community: every entry


def test_len_counts_entries(matcher: Matcher) -> None:
    assert len(matcher) == len(DOCS)


def test_empty_index_escalates() -> None:
    result = Matcher.build([]).match("房东不退押金")
    assert result.decision == "escalate"
    assert result.top == ()
    assert result.rule == "no_entries"


def test_close_runner_up_is_suggested_not_answered() -> None:
    twins = [
        Document("a", "房东不退押金怎么办"),
        Document("b", "请问房东不退押金吗"),  # same words once fillers are gone
    ]
    result = Matcher.build(twins).match("房东不退押金")
    assert result.decision == "suggest"
    assert result.rule == "close_runner_up"


def test_thresholds_are_used() -> None:
    strict = Matcher.build(DOCS, Thresholds(answer=0.99, quantile=0.0))
    assert strict.floor == 0.99
    assert strict.match("房东不退押金").decision != "answer"
    lenient = Matcher.build(DOCS, Thresholds(answer=0.01, quantile=0.0, margin=0.0))
    assert lenient.match("房东不退押金").decision == "answer"


def test_duplicate_phrasings_do_not_break_the_index() -> None:
    doc = Document("d", "押金不退", alternates=("押金不退", "押金不退"))
    assert Matcher.build([doc]).match("押金不退").top[0].id == "d"


def test_entry_with_many_phrasings_finds_its_late_ones() -> None:
    """Past eight phrasings an entry continues in extra columns of the scoring grid."""
    many = Document(
        "many",
        "邻居装修太吵",
        alternates=(*(f"邻居装修第{n}种情况" for n in range(15)), "楼上漏水泡坏天花板"),
    )
    docs = [many, *DOCS]
    result = Matcher.build(docs).match("楼上漏水泡坏了我家天花板", explain=True)
    assert result.top[0].id == "many"
    assert result.top[0].phrasing == "楼上漏水泡坏天花板"


def test_unknown_words_weaken_a_one_word_match() -> None:
    """A question mostly about things the FAQ never mentions is not a match on one word."""
    from matcher.index import Weights

    question = "香港杜鹃花第一次开花是在押金什么时候"
    strict = Matcher.build(DOCS, weights=Weights(oov=0.25)).match(question)
    lax = Matcher.build(DOCS, weights=Weights(oov=0.0)).match(question)
    assert strict.top[0].score < lax.top[0].score


def test_question_whose_rare_words_no_entry_has_is_suggested_not_answered() -> None:
    # 现役军人 is in no entry: custody holds only part of the question's informative words.
    strict = Matcher.build(DOCS, Thresholds(answer=0.2, quantile=0.0, margin=0.04, coverage=0.9))
    covered = strict.match("离婚后孩子的抚养权归谁？")
    assert (covered.decision, covered.rule) == ("answer", "confident")
    result = strict.match("现役军人离婚孩子抚养权归谁")
    assert result.top[0].id == "custody"
    assert result.decision == "suggest"
    assert result.rule in ("low_coverage", "unknown_words")
    assert "coverage" in result.reason and "(>= 0.90)" in result.reason


def test_coverage_counts_the_law_s_words_a_question_adds_but_not_its_story_words() -> None:
    """A word no FAQ text has lowers coverage only if the statutes use it: 现役军人 says the
    question asks something the deposit entry does not answer; 跺脚 is the resident's story.
    That an earlier FAQ of the process knew 跺脚 must not matter."""
    Matcher.build(
        [*DOCS, Document("noise", "楼上邻居天天跺脚怎么办", "可以先找物业和居委会调解。")]
    )
    m = Matcher.build(DOCS)

    def coverage(question: str) -> float:
        result = m.match(question)
        assert result.top[0].id == "deposit"
        deposit = [d.id for d in DOCS].index("deposit")
        return m.evidence(m.index.query(question), deposit, [1.0]).coverage

    assert coverage("房东不退押金怎么办") == 1.0
    assert coverage("房东不退押金，我气得直跺脚怎么办") == 1.0
    assert coverage("房东不退押金，我是现役军人怎么办") < 0.65


def test_without_explain_candidates_carry_no_details_but_the_same_ranking(
    matcher: Matcher,
) -> None:
    plain = matcher.match("请问房东不退押金怎么办")
    explained = matcher.match("请问房东不退押金怎么办", explain=True)
    assert [(c.id, c.score) for c in plain.top] == [(c.id, c.score) for c in explained.top]
    assert (plain.decision, plain.rule) == (explained.decision, explained.rule)
    assert all(c.phrasing == "" and c.matched_terms == () for c in plain.top)


def test_decision_weighs_confidences_and_single_characters_only_rank() -> None:
    """Scores rank (single characters included); the decision weighs each candidate's
    confidence, which leaves them out: set the answer threshold between the two and the
    question is answered only if the confidence reaches it."""
    loose = {"quantile": 0.0, "margin": 0.0, "coverage": 0.0}
    m = Matcher.build(DOCS, thresholds=Thresholds(**loose))
    best = m.match("房东扣着我的押金不还").top[0]
    assert best.id == "deposit"
    assert 0 < best.confidence < best.score
    middle = (best.confidence + best.score) / 2
    below = Matcher.build(DOCS, thresholds=Thresholds(answer=middle, **loose))
    result = below.match("房东扣着我的押金不还")
    assert result.decision != "answer"
    assert f"{best.confidence:.3f}" in result.reason
    at = Matcher.build(DOCS, thresholds=Thresholds(answer=best.confidence - 1e-4, **loose))
    assert at.match("房东扣着我的押金不还").decision == "answer"


CROWDED = [  # three entries on 加装电梯
    *DOCS,
    Document("lift-cost", "加装电梯的费用怎么分摊", alternates=("装电梯每户出多少钱",)),
    Document("lift-noise", "加装的电梯噪音大怎么办", alternates=("电梯吵得睡不着",)),
]


def test_each_entry_answers_above_what_other_entries_phrasings_reach_on_it() -> None:
    """An entry among near neighbours needs a higher confidence than one alone on its topic;
    every threshold is at least the FAQ's floor, which is at least ``Thresholds.answer``."""
    docs = CROWDED
    m = Matcher.build(docs)
    at = {d.id: m.answer_at(i) for i, d in enumerate(docs)}
    assert m.floor >= Thresholds().answer
    assert min(at.values()) >= m.floor
    assert at["lift"] > m.floor and at["lift"] > at["custody"]
    raised = Matcher.build(docs, Thresholds(quantile=1.0))
    assert raised.floor >= m.floor


def test_an_entrys_ceiling_is_the_best_score_of_another_entrys_phrasing_on_it() -> None:
    """The ceilings, computed a block of phrasings at a time, equal each phrasing asked alone
    (the same scorer), with every entry's own phrasings left out."""
    m = Matcher.build(CROWDED)
    index = m.index
    n = index.n_entries
    expected = [0.0] * n
    by = [-1] * n
    for row, text in enumerate(index.texts):
        owner = max(e for e in range(n) if index.entry_start[e] <= row)
        query = index.query_text_of(text)
        scores = (index.postings[:, query.ids] @ query.weights)[:n]
        for e in range(n):
            if e != owner and float(scores[e]) > expected[e]:
                expected[e], by[e] = float(scores[e]), row
    assert m.ceilings.tolist() == pytest.approx(expected, abs=1e-6)
    assert m.ceiling_rows.tolist() == by
    assert max(expected) > m.floor  # some threshold is raised, and named below
    # what raised a threshold is named by entry and phrasing; the floor is raised by nothing
    for e in range(n):
        raised = m.raised_by(e)
        if expected[e] > m.floor:
            owner = max(f for f in range(n) if index.entry_start[f] <= by[e])
            assert raised == (CROWDED[owner].id, index.texts[by[e]], pytest.approx(expected[e]))
        else:
            assert raised is None


def test_medical_and_small_talk_questions_are_not_legal() -> None:
    m = Matcher.build(DOCS)
    for question in ("2型糖尿病是否可停食降糖药？", "电话是多少？", "慢性胃炎的患者能吃茯苓粉吗"):
        result = m.match(question)
        assert result.decision == "escalate", question
        assert result.rule in ("not_legal", "no_terms"), question
        assert result.legal_terms == ()
    result = m.match("2型糖尿病是否可停食降糖药？")
    assert "降糖药" in result.unknown_terms and result.unknown > 0.3


def test_suggestions_hold_only_entries_near_the_best() -> None:
    m = Matcher.build(DOCS, Thresholds(answer=0.5, quantile=0.0))
    result = m.match("房东不退押金")
    assert result.decision == "suggest"
    floor = max(0.5 * Thresholds().suggest_share, result.top[0].confidence * 0.7)
    assert all(c.confidence >= floor for c in result.top)
    assert len(result.top) < len(DOCS)


def test_a_later_suggestion_must_hold_half_of_the_question_s_words() -> None:
    twins = ("房东不退押金怎么办", "请问房东不退押金吗")  # a close pair: suggested, not answered
    docs = [
        *(Document(f"refund{i}", q, answer="房东应当退还押金。") for i, q in enumerate(twins)),
        Document("receipt", "押金条丢了怎么办", answer="押金条丢了可以用转账记录证明交过押金。"),
        Document("wages", "老板拖欠工资怎么办", answer="可以申请劳动仲裁。"),
    ]
    question = "房东押金条不退"  # the receipt entry holds 押金条 but not 房东 / 不退

    def offered(coverage: float) -> list[str]:
        thresholds = Thresholds(suggest_within=0.5, suggest_coverage=coverage)
        result = Matcher.build(docs, thresholds).match(question)
        assert result.decision == "suggest"
        return [c.id for c in result.top]

    m = Matcher.build(docs)
    query = m.index.query(question)
    assert m.index.coverage(2, query, m.domain.vocabulary) < Thresholds().suggest_coverage
    assert offered(0.0) == ["refund0", "refund1", "receipt"]
    assert offered(Thresholds().suggest_coverage) == ["refund0", "refund1"]


def test_a_best_entry_just_over_the_suggest_floor_is_offered() -> None:
    # Candidates carry confidences rounded to 4 places: one a hair over the suggest floor
    # rounds below it, and was dropped, leaving a "suggest" decision with nothing to offer.
    probe = Matcher.build(DOCS, Thresholds(answer=0.99, quantile=0.0))
    best = probe.index.rank(probe.index.query("房东不退押金"), 1).confidences[0]
    floor = best - 1e-6
    assert round(best, 4) < floor  # the case: rounding takes it under the floor
    m = Matcher.build(DOCS, Thresholds(answer=0.99, quantile=0.0, suggest_share=floor / 0.99))
    result = m.match("房东不退押金")
    assert (result.decision, result.rule) == ("suggest", "medium")
    assert [c.id for c in result.top] == ["deposit"]


def test_a_phone_number_in_the_question_counts_neither_for_nor_against() -> None:
    m = Matcher.build(DOCS)
    plain = m.match("退租后房东不退押金怎么办")
    with_number = m.match("退租后房东不退押金怎么办，我电话13812345678")
    assert (plain.decision, plain.top[0].id) == ("answer", "deposit")
    assert (with_number.decision, with_number.top[0].id) == ("answer", "deposit")
    without_number = m.match("退租后房东不退押金怎么办，我电话")
    assert with_number.unknown == without_number.unknown  # 电话 only: the FAQ never uses it


def test_a_topics_words_stay_legal_as_entries_on_other_topics_are_added() -> None:
    """The FAQ's own domain words are measured in the entries that use them: growing the FAQ
    with other topics (as the 61 new starter entries did) must not drop 孩子 and 学校."""
    from matcher.domain import Domain
    from matcher.match import shared_tokenizer

    tokenizer = shared_tokenizer()
    school = ["孩子", "在", "学校", "受伤", "孩子", "学校", "谁", "负责"] * 40  # a topic's text
    other = ["房东", "不退", "押金", "怎么办", "租房", "合同", "到期", "押金", "退还"] * 3
    faq = Domain(tokenizer, [school, *([other] * 400)])  # 11,120 tokens
    grown = Domain(tokenizer, [school, *([other] * 3000)])  # 81,000 tokens on other topics
    assert {"孩子", "学校"} <= faq.words
    assert faq.words - set(other) == grown.words - set(other)
    assert grown.signal(["孩子", "在", "学校", "被", "打"]) > 0.4
    assert "在" not in grown.words  # a common word is not legal because the FAQ uses it


def test_a_word_of_two_short_questions_is_not_yet_the_faqs_vocabulary() -> None:
    """A large FAQ of bare questions: two uses in six tokens do not make a word legal."""
    from matcher.domain import SCOPE, Domain
    from matcher.match import shared_tokenizer

    tokenizer = shared_tokenizer()
    others = [["房东", "不退", "押金"]] * (SCOPE // 3)
    domain = Domain(tokenizer, [["好吃", "饭店", "押金"], ["好吃", "押金", "不退"], *others])
    assert "好吃" not in domain.words  # a third of its two questions, but common in Chinese
    assert domain.signal(["这家", "好吃", "吗"]) == 0.0


def test_an_entry_whose_phrasings_say_it_outranks_one_whose_answer_only_mentions_it() -> None:
    """The commuting work-injury entry's answer speaks of 交通事故 / 对方全责 / 不赔, its
    phrasings of commuting; the settlement entry's phrasings speak of the question's traffic
    accident. Ranking weighs the best phrasing (``Weights.rank_phrasing``), so the settlement
    entry leads; at the previous weight (0.1) the commuting entry led. (Since the synonym list
    keeps 私了 as one word, an alternate says 对方 where it said 司机: with 私了 whole and 司机
    the two entries were 0.0008 apart, too close to show the weight.)"""
    commute = Document(
        id="commute",
        question="上下班路上出了车祸，算工伤吗？",
        alternates=("下班顺路买菜被撞算工伤吗", "上班途中摔伤能认定工伤吗"),
        answer="上下班途中受到非本人主要责任的交通事故伤害的，应当认定为工伤。"
        "对方全责的交通事故，对方拖着不赔的，交通事故赔偿可以起诉对方，工伤待遇另行申请，"
        "不影响认定工伤。",
    )
    settlement = Document(
        id="settlement",
        question="交通事故想和对方私了，赔偿怎么谈？",
        alternates=("撞车了怎么跟对方谈赔偿", "车祸私了要写协议吗"),
        answer="私了要写清赔偿项目和金额，双方签字；谈不拢的，可以请交警调解或者向法院起诉。",
    )
    docs = [*DOCS, commute, settlement]
    question = "交通事故对方全责但是拖着不赔钱"
    result = Matcher.build(docs).match(question)
    assert [c.id for c in result.top[:2]] == ["settlement", "commute"]
    assert result.decision == "suggest"  # the two are close: neither is answered
    before = Matcher.build(docs, weights=Weights(rank_phrasing=0.1)).match(question)
    assert [c.id for c in before.top[:2]] == ["commute", "settlement"]
