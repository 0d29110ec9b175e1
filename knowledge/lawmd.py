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

from knowledge.citations import ZERO_WIDTH, normalize_law_name, parse_cn_number

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
    title = re.sub(r"[（(][^（）()]*[)）]$", "", title)
    if not title:
        return []
    short = normalize_law_name(title)
    version_date = _version_date(path, header)
    return list(_articles(lines[body_start:], title, short, version_date, path.name))


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


def _full_width_item(line: str) -> str:
    return _HALF_ITEM.sub(r"（\1）", line)


def markdown_files(path: Path) -> list[Path]:
    """The ``.md`` files of a clone folder (or the one file), in a stable order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.md") if not any(s.startswith(".") for s in p.parts))
