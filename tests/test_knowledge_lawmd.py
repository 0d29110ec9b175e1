"""Importing LawRefBook/Laws Markdown files, with the quirks PROVENANCE.md describes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from knowledge.lawmd import parse_law_markdown
from knowledge.laws import LawStore, UnknownArticle

LABOUR = """# 中华人民共和国劳动法

1994年7月5日第八届全国人民代表大会常务委员会第八次会议通过
根据2018年12月29日第十三届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国劳动法〉等七部法律的决定》第二次修正

<!-- INFO END -->

## 第一章\u3000总则

第一条 为了保护劳动者的合法权益，根据宪法，制定本法。

第二条 在中华人民共和国境内的企业、个体经济组织和与之形成劳动关系的劳动者，适用本法。

国家机关、事业组织、社会团体和与之建立劳动合同关系的劳动者，依照本法执行。

# 第二章  促进就业

#### 第一节\u2002一般 规定

第十条 国家通过促进经济和社会发展，创造就业条件，扩大就业机会。
(一)第一项；
(二)第二项。
"""

CIVIL_CONTRACT = """# 中华人民共和国民法典
# 合同编

2020年5月28日第十三届全国人民代表大会第三次会议通过
2021年1月1日起施行

<!-- INFO END -->

## 第三编  合同

### 第一分编 通则

#### 第一章 一般规定

第四百六十四条 合同是民事主体之间设立、变更、终止民事法律关系的协议。

### 第二分编\u3000典型合同

#### 第十四章 租赁合同

第七百二十二条 承租人无正当理由未支付或者迟延支付租金的，出租人可以请求承租人在合理期限内支付。
"""

CIVIL_PERSONALITY = """# 中华人民共和国民法典
# 人格权编

2020年5月28日第十三届全国人民代表大会第三次会议通过

<!-- INFO END -->

## 第四编 人格权

### 第四章\u3000肖 像 权

第一千零一十八条 自然人享有肖像权，\u200b有权依法制作、使用、公开或者许可他人使用自己的肖像。

## 附则

第一千二百六十条 本法自2021年1月1日起施行。
"""

CRIMINAL = """#  中华人民共和国刑法

1979年7月1日第五届全国人民代表大会第二次会议通过
2023年12月29日第十四届全国人民代表大会常务委员会第七次会议通过的《中华人民共和国刑法修正案（十二）》修正

<!-- INFO END -->

# 第二编 分则
## 第二章 危害公共安全罪

第一百三十三条 违反交通运输管理法规，因而发生重大事故的，处三年以下有期徒刑或者拘役。

第一百三十三条之一\u3000在道路上驾驶机动车，有下列情形之一的，处拘役，并处罚金：
（一）追逐竞驶，情节恶劣的；

## 附则

第四百五十二条 本法自1997年10月1日起施行。

## 附件一

全国人民代表大会常务委员会制定的下列条例、补充规定和决定，已纳入本法，予以废止：
1．中华人民共和国惩治军人违反职责罪暂行条例
"""


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A tiny LawRefBook/Laws-like clone folder."""
    root = tmp_path / "Laws"
    (root / "社会法").mkdir(parents=True)
    (root / "民法典").mkdir()
    (root / "刑法").mkdir()
    (root / "社会法" / "劳动法(2018-12-29).md").write_text(LABOUR, encoding="utf-8")
    (root / "民法典" / "合同编.md").write_text(CIVIL_CONTRACT, encoding="utf-8")
    (root / "民法典" / "人格权编.md").write_text(CIVIL_PERSONALITY, encoding="utf-8")
    (root / "刑法" / "刑法.md").write_text(CRIMINAL, encoding="utf-8")
    (root / "README.md").write_text("# 法律法规\n\n本仓库收录……\n", encoding="utf-8")
    return root


def test_parse_one_file(tmp_path: Path) -> None:
    path = tmp_path / "劳动法(2018-12-29).md"
    path.write_text(LABOUR, encoding="utf-8")
    records = parse_law_markdown(path)
    assert [r["article_cn"] for r in records] == ["第一条", "第二条", "第十条"]
    first, second, tenth = records
    assert first["law"] == "中华人民共和国劳动法" and first["short"] == "劳动法"
    assert first["chapter"] == "第一章 总则"
    assert first["version_date"] == "2018-12-29"
    assert second["text"].count("\n") == 1  # two paragraphs
    assert tenth["chapter"] == "第二章 促进就业"
    assert tenth["section"] == "第一节 一般规定"
    assert tenth["text"].splitlines()[1:] == ["（一）第一项；", "（二）第二项。"]


def test_version_date_from_header_when_file_name_has_none(tmp_path: Path) -> None:
    path = tmp_path / "刑法.md"
    path.write_text(CRIMINAL, encoding="utf-8")
    records = parse_law_markdown(path)
    assert {r["version_date"] for r in records} == {"2023-12-29"}
    civil = tmp_path / "合同编.md"
    civil.write_text(CIVIL_CONTRACT, encoding="utf-8")
    # The 施行 date is when it took effect, not the version.
    assert parse_law_markdown(civil)[0]["version_date"] == "2020-05-28"


def test_sub_articles_annex_and_supplementary(tmp_path: Path) -> None:
    path = tmp_path / "刑法.md"
    path.write_text(CRIMINAL, encoding="utf-8")
    records = {r["article_cn"]: r for r in parse_law_markdown(path)}
    assert list(records) == ["第一百三十三条", "第一百三十三条之一", "第四百五十二条"]
    sub = records["第一百三十三条之一"]
    assert (sub["article"], sub["article_sub"]) == (133, 1)
    assert sub["text"].endswith("（一）追逐竞驶，情节恶劣的；")
    last = records["第四百五十二条"]
    assert last["chapter"] == "附则"
    assert last["text"] == "本法自1997年10月1日起施行。"  # the annex is not part of it


def test_import_a_clone_folder(db: sqlite_utils.Database, clone: Path) -> None:
    laws = LawStore(db)
    assert laws.import_markdown(clone) == 3 + 2 + 2 + 3
    assert {short for _, short, *_ in laws.laws()} == {"劳动法", "民法典", "刑法"}
    rent = laws.resolve("民法典第722条")
    assert rent.chapter == "第十四章 租赁合同"
    assert rent.version_date == "2020-05-28"
    portrait = laws.resolve("《中华人民共和国民法典》第一千零一十八条")
    assert "\u200b" not in portrait.text
    assert portrait.chapter == "第四章 肖像权"
    assert laws.resolve("刑法第133条之1").article_sub == 1
    with pytest.raises(UnknownArticle) as error:
        laws.resolve("民法典第1261条")
    assert "1,260" in str(error.value)


def test_import_path_dispatches_on_file_or_folder(db: sqlite_utils.Database, clone: Path) -> None:
    laws = LawStore(db)
    assert laws.import_path(clone / "刑法" / "刑法.md") == 3
    assert laws.import_path(clone) == 10
    assert laws.is_loaded(clone)


def test_newest_version_of_a_law_wins(db: sqlite_utils.Database, clone: Path) -> None:
    old = LABOUR.replace("第十条 国家", "第十一条 国家")
    (clone / "社会法" / "劳动法(2009-08-27).md").write_text(old, encoding="utf-8")
    laws = LawStore(db)
    laws.import_markdown(clone)
    assert laws.resolve("劳动法第10条").version_date == "2018-12-29"
    with pytest.raises(UnknownArticle):
        laws.resolve("劳动法第11条")


def test_known_superseded_text_is_flagged(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = tmp_path / "治安管理处罚法(2012-10-26).md"
    path.write_text(
        "# 中华人民共和国治安管理处罚法\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
        "第一条 为维护社会治安秩序，制定本法。\n",
        encoding="utf-8",
    )
    laws = LawStore(db)
    laws.import_markdown(path)
    assert not laws.resolve("治安管理处罚法第1条").in_force
    assert laws.check("治安管理处罚法第1条") is not None


def test_judicial_interpretation_keeps_its_number_and_gets_its_short_name(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    folder = tmp_path / "司法解释"
    folder.mkdir()
    for number, marker in (("一", "第一部"), ("二", "第二部")):
        title = f"最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（{number}）"
        (folder / f"{title}(2020-12-29).md").write_text(
            f"# {title}\n\n<!-- INFO END -->\n\n第五条 {marker}的第五条。\n",
            encoding="utf-8",
        )
    dated = tmp_path / "劳动法（2018修正）.md"
    dated.write_text("# 中华人民共和国劳动法（2018修正）\n\n第一条 正文。\n", encoding="utf-8")
    first = parse_law_markdown(next(p for p in folder.iterdir() if "（一）" in p.name))
    assert first[0]["law"].endswith("婚姻家庭编的解释（一）")
    assert first[0]["short"] == "婚姻家庭编解释（一）" and first[0]["kind"] == "司法解释"
    assert parse_law_markdown(dated)[0]["law"] == "中华人民共和国劳动法"
    laws = LawStore(db)
    laws.import_markdown(tmp_path)
    assert "第二部" in laws.resolve("婚姻家庭编解释（二）第五条").text
    assert "第一部" in laws.resolve(
        "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第五条"
    ).text
