"""Citations in the forms residents and lawyers write, and Chinese numerals."""

from __future__ import annotations

import pytest

from knowledge.citations import (
    Citation,
    CitationSyntaxError,
    cn_number,
    find_citations,
    parse_citation,
    parse_cn_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《中华人民共和国民法典》第七百二十二条", Citation("民法典", 722)),
        ("民法典第722条", Citation("民法典", 722)),
        ("《民法典》第七百二十二条第二款", Citation("民法典", 722, paragraph=2)),
        ("劳动合同法第47条", Citation("劳动合同法", 47)),
        ("刑法第一百三十三条之一", Citation("刑法", 133, sub=1)),
        ("刑法第133条之1", Citation("刑法", 133, sub=1)),
        ("《劳动合同法实施条例》 第 五 条", Citation("劳动合同法实施条例", 5)),
        ("《民法典》第一千零七十九条第三款第（一）项".replace("（一）", "一"),
         Citation("民法典", 1079, paragraph=3, item=1)),
        ("\u200b《民法典》第七百零三条", Citation("民法典", 703)),
        ("民法典第７２２条", Citation("民法典", 722)),
        ("婚姻家庭编解释（一）第五条", Citation("婚姻家庭编解释（一）", 5)),
        ("婚姻家庭编解释(一)第五条", Citation("婚姻家庭编解释（一）", 5)),
        ("《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第五条",
         Citation("最高人民法院关于适用民法典婚姻家庭编的解释（一）", 5)),
        ("《最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）》第五条",
         Citation("最高人民法院关于适用民法典婚姻家庭编的解释（一）", 5)),
        ("最高人民法院关于适用〈民法典〉婚姻家庭编的解释（一）第五条",
         Citation("最高人民法院关于适用民法典婚姻家庭编的解释（一）", 5)),
        ("民间借贷规定第二十五条第一款", Citation("民间借贷规定", 25, paragraph=1)),
        ("网络消费纠纷规定（一）第二条", Citation("网络消费纠纷规定（一）", 2)),
        ("劳动争议解释(一)第44条", Citation("劳动争议解释（一）", 44)),
        ("《工伤保险条例》第十七条第二款", Citation("工伤保险条例", 17, paragraph=2)),
        ("工资支付暂行规定第十五条", Citation("工资支付暂行规定", 15)),
        ("社会救助暂行办法第九条", Citation("社会救助暂行办法", 9)),
        ("《劳动合同法》第四十条第三项", Citation("劳动合同法", 40, item=3)),
        ("民法典第一千二百六十条", Citation("民法典", 1260)),
    ],
)
def test_parse_citation_forms(text: str, expected: Citation) -> None:
    assert parse_citation(text) == expected


@pytest.mark.parametrize(
    "text", ["", "民法典", "第722条", "民法典第条", "《民法典》第x条", "hello"]
)
def test_parse_citation_rejects_non_citations(text: str) -> None:
    with pytest.raises(CitationSyntaxError):
        parse_citation(text)


@pytest.mark.parametrize(
    ("text", "numeral"),
    [
        ("民法典第九九九九条", "九九九九"),
        ("民法典第一二六一条", "一二六一"),
        ("民法典第十十条", "十十"),
        ("民法典第一千零零五条", "一千零零五"),
        ("民法典第七百二十二条第二二款", "二二"),
        ("刑法第一百三十三条之一一", "一一"),
    ],
)
def test_malformed_numerals_are_refused_naming_the_numeral(text: str, numeral: str) -> None:
    with pytest.raises(CitationSyntaxError) as caught:
        parse_citation(text)
    assert caught.value.numeral == numeral
    assert f"「{numeral}」不是规范的数字" in str(caught.value)
    assert find_citations(f"见{text}。") == []


def test_citation_prints_canonically() -> None:
    assert str(parse_citation("刑法第133条之1")) == "《刑法》第一百三十三条之一"
    assert str(parse_citation("民法典第722条第2款")) == "《民法典》第七百二十二条第二款"


def test_find_citations_in_free_text() -> None:
    text = "根据民法典第722条和《劳动合同法》第四十七条第一款，另见刑法第一百三十三条之一。"
    assert find_citations(text) == [
        Citation("民法典", 722),
        Citation("劳动合同法", 47, paragraph=1),
        Citation("刑法", 133, sub=1),
    ]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (105, "一百零五"), (110, "一百一十"),
        (703, "七百零三"), (722, "七百二十二"), (1000, "一千"), (1010, "一千零一十"),
        (1079, "一千零七十九"), (1260, "一千二百六十"), (10001, "一万零一"),
    ],
)
def test_chinese_numerals_both_ways(n: int, text: str) -> None:
    assert cn_number(n) == text
    assert parse_cn_number(text) == n


def test_numerals_round_trip_and_accept_variants() -> None:
    assert all(parse_cn_number(cn_number(n)) == n for n in range(1, 20001))
    assert parse_cn_number("一十五") == 15
    assert parse_cn_number("两百") == 200
    assert parse_cn_number("722") == 722
    with pytest.raises(ValueError):
        parse_cn_number("七x")
    for malformed in ("九九九九", "一二六一", "百", "零", "二十十"):
        with pytest.raises(ValueError):
            parse_cn_number(malformed)
