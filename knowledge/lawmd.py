"""Reading the Markdown law files of a LawRefBook/Laws clone into article records.

See ../shared/data/laws/PROVENANCE.md: ``# 全称`` on line 1, dated header lines up to
``<!-- INFO END -->``, headings by word (编/分编/章/节) not by ``#`` count, articles starting
a line with ``第X条`` (or ``第X条之N``) and a separator, zero-width spaces to strip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from knowledge.citations import ZERO_WIDTH, MalformedNumeral, normalize_law_name, parse_cn_number

CN_NUM = r"[零〇一二两三四五六七八九十百千]+"
SEPARATORS = "\u3000\u2002\u2003\u00a0\t"
_HEADING = re.compile(r"^#+\s*(?P<body>.*)$")
_STRUCTURE = re.compile(r"^(?P<num>第" + CN_NUM + r"(?P<kind>分编|编|章|节))\s*(?P<title>.*)$")
_ARTICLE = re.compile(
    r"^(?P<label>第(?P<num>" + CN_NUM + r")条(?:之(?P<sub>" + CN_NUM + r"))?)(?:\s+(?P<text>.*)|$)"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_HALF_ITEM = re.compile(r"^\((" + CN_NUM + r")\)")
# A trailing bracket that dates or labels a version, as in 劳动法（2018修正）; （一） stays.
_VERSION_SUFFIX = re.compile(r"[（(][^（）()]*[0-9０-９][^（）()]*[)）]$")

# Folders of a LawRefBook clone that say what kind of text a file holds.
KIND_FOLDERS = {"司法解释": "司法解释", "行政法规": "行政法规", "部门规章": "部门规章"}
LAW_FOLDERS = ("宪法相关法", "民法典", "民法商法", "行政法", "经济法", "社会法", "刑法",
               "诉讼与非诉讼程序法")

# The short names people use for the judicial interpretations (as in the JSONL corpus),
# keyed by the normalised full title.
JUDICIAL_SHORT = {
    "最高人民法院关于适用民法典总则编若干问题的解释": "总则编解释",
    "最高人民法院关于适用民法典物权编的解释（一）": "物权编解释（一）",
    "最高人民法院关于适用民法典合同编通则若干问题的解释": "合同编通则解释",
    "最高人民法院关于适用民法典有关担保制度的解释": "担保制度解释",
    "最高人民法院关于适用民法典婚姻家庭编的解释（一）": "婚姻家庭编解释（一）",
    "最高人民法院关于适用民法典婚姻家庭编的解释（二）": "婚姻家庭编解释（二）",
    "最高人民法院关于适用民法典继承编的解释（一）": "继承编解释（一）",
    "最高人民法院关于适用民法典侵权责任编的解释（一）": "侵权责任编解释（一）",
    "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）": "劳动争议解释（一）",
    "最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释": "人身损害赔偿解释",
    "最高人民法院关于审理民间借贷案件适用法律若干问题的规定": "民间借贷规定",
    "最高人民法院关于审理道路交通事故损害赔偿案件适用法律若干问题的解释":
        "道路交通事故损害赔偿解释",
    "最高人民法院关于审理物业服务纠纷案件适用法律若干问题的解释": "物业服务纠纷解释",
    "最高人民法院关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释": "建筑物区分所有权解释",
    "最高人民法院关于审理城镇房屋租赁合同纠纷案件具体应用法律若干问题的解释": "房屋租赁合同解释",
    "最高人民法院关于审理商品房买卖合同纠纷案件适用法律若干问题的解释": "商品房买卖合同解释",
    "最高人民法院关于审理涉彩礼纠纷案件适用法律若干问题的规定": "彩礼纠纷规定",
    "最高人民法院关于审理预付式消费民事纠纷案件适用法律若干问题的解释": "预付式消费解释",
    "最高人民法院关于审理网络消费纠纷案件适用法律若干问题的规定（一）": "网络消费纠纷规定（一）",
    "最高人民法院关于适用刑事诉讼法的解释": "刑事诉讼法解释",
    "最高人民法院关于适用行政诉讼法的解释": "行政诉讼法解释",
}


def clean_line(line: str) -> str:
    """A line without zero-width characters, with odd spaces made plain and ends trimmed."""
    line = line.translate(ZERO_WIDTH)
    for sep in SEPARATORS:
        line = line.replace(sep, " ")
    return line.strip()


def _heading_label(num: str, title: str) -> str:
    title = re.sub(r"\s+", "", title)
    return f"{num} {title}" if title else num


def _version_date(path: Path, header: list[str]) -> str:
    m = _FILE_DATE.search(path.stem)
    if m:
        return "-".join(m.groups())
    dated: list[tuple[str, bool]] = []
    for line in header:
        for y, mo, d in _DATE.findall(line):
            dated.append((f"{y}-{int(mo):02d}-{int(d):02d}", "施行" in line))
    enacted = [d for d, takes_effect in dated if not takes_effect]
    pool = enacted or [d for d, _ in dated]
    return max(pool) if pool else ""


def parse_law_markdown(path: Path) -> list[dict[str, Any]]:
    """The article records of one LawRefBook Markdown file (empty if it holds no articles)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    title = ""
    header: list[str] = []
    body_start = 0
    for i, raw in enumerate(lines):
        line = clean_line(raw)
        if "INFO END" in line:
            body_start = i + 1
            break
        heading = _HEADING.match(line)
        if heading and not title:
            title = re.sub(r"\s+", "", heading.group("body"))
        elif line:
            header.append(line)
    else:
        header = []
        body_start = 1 if title else 0
    title = _VERSION_SUFFIX.sub("", title)
    if not title:
        return []
    full = normalize_law_name(title)
    short = JUDICIAL_SHORT.get(full, full)
    version_date = _version_date(path, header)
    records = list(_articles(lines[body_start:], title, short, version_date, path.name))
    kind = _kind(path, title)
    for record in records:
        record["kind"] = kind
    return records


def _kind(path: Path, title: str) -> str | None:
    """法律 / 行政法规 / 部门规章 / 司法解释, from the clone's folder (or the title)."""
    for part in reversed(path.parent.parts):
        if part in KIND_FOLDERS:
            return KIND_FOLDERS[part]
        if part in LAW_FOLDERS:
            return "法律"
    if title.startswith("最高人民法院"):
        return "司法解释"
    return None


def _articles(
    lines: list[str], law: str, short: str, version_date: str, source: str
) -> Iterator[dict[str, Any]]:
    levels: dict[str, str | None] = {"编": None, "分编": None, "章": None, "节": None}
    current: dict[str, Any] | None = None
    paragraphs: list[str] = []

    def finish() -> dict[str, Any] | None:
        if current is None:
            return None
        current["text"] = "\n".join(paragraphs)
        return current

    for raw in lines:
        line = clean_line(raw)
        if not line or line.startswith("<!--"):
            continue
        heading = _HEADING.match(line)
        if heading:
            done = finish()
            if done:
                yield done
            current, paragraphs = None, []
            structure = _STRUCTURE.match(heading.group("body").strip())
            if structure:
                kind = structure.group("kind")
                label = _heading_label(structure.group("num"), structure.group("title"))
                levels[kind] = label
                # A higher heading clears the lower ones.
                order = ["编", "分编", "章", "节"]
                for lower in order[order.index(kind) + 1:]:
                    levels[lower] = None
            elif re.sub(r"\s+", "", heading.group("body")) == "附则":
                # Supplementary provisions hold the last articles, like a chapter.
                levels["章"], levels["节"] = "附则", None
            continue
        article = _ARTICLE.match(line)
        if article and not _well_formed(article.group("num"), article.group("sub")):
            article = None  # 第一二条… is prose that happens to start a line, not a heading
        if article:
            done = finish()
            if done:
                yield done
            sub = article.group("sub")
            current = {
                "law": law,
                "short": short,
                "article": parse_cn_number(article.group("num")),
                "article_sub": parse_cn_number(sub) if sub else 0,
                "article_cn": article.group("label"),
                "chapter": levels["章"],
                "section": levels["节"],
                "version_date": version_date,
                "version_note": None,
                "source_file": source,
            }
            first = (article.group("text") or "").strip()
            paragraphs = [_full_width_item(first)] if first else []
            continue
        if current is not None:
            paragraphs.append(_full_width_item(line))
    done = finish()
    if done:
        yield done


def _well_formed(num: str, sub: str | None) -> bool:
    try:
        parse_cn_number(num)
        if sub:
            parse_cn_number(sub)
    except MalformedNumeral:
        return False
    return True


def _full_width_item(line: str) -> str:
    return _HALF_ITEM.sub(r"（\1）", line)


def markdown_files(path: Path) -> list[Path]:
    """The ``.md`` files of a clone folder (or the one file), in a stable order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.md") if not any(s.startswith(".") for s in p.parts))
