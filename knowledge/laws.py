"""The statute corpus: importing it (JSONL or LawRefBook Markdown) and resolving citations."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from knowledge import texts
from knowledge.citations import (
    Citation,
    CitationSyntaxError,
    cn_number,
    normalize_law_name,
    parse_citation,
)
from knowledge.files import DuplicateKey, unique_keys
from knowledge.lawmd import markdown_files, parse_law_markdown

Progress = Callable[[int], None]

# Texts a LawRefBook clone may still carry after they were replaced: (short, version_date).
KNOWN_SUPERSEDED = {
    ("治安管理处罚法", "2012-10-26"): (
        "SUPERSEDED: revised 2025-06-27 (主席令第五十一号), in force 2026-01-01"
    ),
    ("婚姻登记条例", "2003-08-08"): (
        "SUPERSEDED: revised 2025-04-06 (国务院令第804号), in force 2025-05-10"
    ),
}

# Short forms people write that are not a suffix of the title.
ABBREVIATIONS = {
    "民诉法": "民事诉讼法",
    "劳动法实施条例": "劳动合同法实施条例",
    "消法": "消费者权益保护法",
    "消保法": "消费者权益保护法",
    "道交法": "道路交通安全法",
    "个保法": "个人信息保护法",
    "治安法": "治安管理处罚法",
    "刑诉法": "刑事诉讼法",
    "刑诉法解释": "刑事诉讼法解释",
    "刑诉解释": "刑事诉讼法解释",
    "行诉法": "行政诉讼法",
    "行诉法解释": "行政诉讼法解释",
    "反诈法": "反电信网络诈骗法",
    "噪声法": "噪声污染防治法",
    "房地产管理法": "城市房地产管理法",
}

COLUMNS = (
    "law", "short", "article", "article_sub", "article_cn", "chapter", "section", "text",
    "version_date", "version_note", "source_file", "kind",
)
# Limits for a corpus file: the shared corpus is 5 MB with lines under 10,000 characters;
# every Chinese law and regulation together stays far below these.
MAX_CORPUS_BYTES = 500 * 1024 * 1024
MAX_LINE_CHARS = 200_000
MAX_ARTICLE = 100_000


class UnknownLaw(LookupError):
    """The cited law is not in the loaded corpus."""

    def __init__(self, name: str) -> None:
        super().__init__(texts.unknown_law(name))
        self.name = name


class UnknownArticle(LookupError):
    """The cited law has no such article."""

    def __init__(self, short: str, label: str, count: int, last_label: str) -> None:
        super().__init__(texts.unknown_article(short, label, count, last_label))
        self.short = short
        self.label = label
        self.count = count


class UnknownPart(LookupError):
    """The cited article has no such paragraph (款) or item (项)."""

    def __init__(self, citation: str, part: str, count: int) -> None:
        super().__init__(texts.unknown_part(citation, part, count))
        self.count = count


class CorpusError(ValueError):
    """A statute corpus file has a record we cannot load (the message names the line)."""


def _valid_record(record: object) -> bool:
    """True for a JSON object with a law title, an integer article number and its text."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("law"), str) and bool(record["law"])
        and isinstance(record.get("article"), int) and 0 < record["article"] <= MAX_ARTICLE
        and isinstance(record.get("text"), str)
        and isinstance(record.get("article_sub") or 0, int)
        and 0 <= (record.get("article_sub") or 0) <= MAX_ARTICLE
        and all(
            isinstance(record.get(c), str | None)
            for c in COLUMNS
            if c not in ("article", "article_sub")
        )
    )


@dataclass(frozen=True)
class Article:
    """One statute article as loaded."""

    law: str
    short: str
    article: int
    article_sub: int
    article_cn: str
    chapter: str | None
    text: str
    version_date: str
    version_note: str | None
    section: str | None = None
    kind: str | None = None

    @property
    def in_force(self) -> bool:
        """True unless this text is marked superseded."""
        return self.version_note is None

    def citation(self) -> str:
        """The canonical citation, e.g. ``《中华人民共和国民法典》第七百二十二条``.

        A title inside the title is bracketed 〈〉, as Chinese typesetting nests them.
        """
        law = self.law.replace("《", "〈").replace("》", "〉")
        return f"《{law}》{self.article_cn}"

    def paragraphs(self) -> list[str]:
        """The article's paragraphs (款); an item line （一）… stays with its paragraph."""
        found: list[str] = []
        for line in self.text.split("\n"):
            if found and _ITEM.match(line):
                found[-1] += "\n" + line
            elif line.strip():
                found.append(line)
        return found

    def part(self, paragraph: int | None, item: int | None) -> str:
        """The text of 第Y款 and/or 第Z项 (item Z of paragraph Y, or of the first paragraph
        that has items); the whole article when neither is given. Raises UnknownPart."""
        if paragraph is None and item is None:
            return self.text
        paragraphs = self.paragraphs()
        if paragraph is not None and not 1 <= paragraph <= len(paragraphs):
            raise UnknownPart(self.citation(), f"第{cn_number(paragraph)}款", len(paragraphs))
        if item is None:
            return paragraphs[(paragraph or 1) - 1]
        if paragraph is not None:
            scope = [paragraphs[paragraph - 1]]
        else:
            scope = [p for p in paragraphs if "\n" in p][:1] or paragraphs[:1]
        items = [line for p in scope for line in p.split("\n") if _ITEM.match(line)]
        label = f"第{cn_number(item)}项"
        if not 1 <= item <= len(items):
            raise UnknownPart(self.citation(), label, len(items))
        return items[item - 1]


_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")


def _fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for p in paths:
        digest.update(p.name.encode())
        digest.update(p.read_bytes())
    return digest.hexdigest()


def _corpus_files(path: Path) -> list[Path]:
    if path.is_dir():
        return markdown_files(path)
    return [path]


# Citations whose check is remembered (an FAQ of 10,000 entries cites a few thousand).
MAX_REMEMBERED_CHECKS = 20_000


class LawStore:
    """The loaded statutes, in the ``laws`` table."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._names: dict[str, tuple[str, str]] | None = None
        self._checks: dict[str, str | None] = {}

    # --- import ---------------------------------------------------------------------------

    def import_jsonl(self, path: str | Path, progress: Progress | None = None) -> int:
        """Load a corpus in the shape of ../shared/data/laws/laws.jsonl; return articles loaded."""
        records = []
        size = Path(path).stat().st_size
        if size > MAX_CORPUS_BYTES:
            raise CorpusError(texts.corpus_too_large(size, MAX_CORPUS_BYTES))
        with Path(path).open("rb") as f:
            for number, raw in enumerate(f, start=1):
                try:
                    line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as e:
                    raise CorpusError(texts.bad_corpus_line(number, texts.not_utf8())) from e
                if not line.strip():
                    continue
                if len(line) > MAX_LINE_CHARS:
                    detail = texts.line_too_long(MAX_LINE_CHARS)
                    raise CorpusError(texts.bad_corpus_line(number, detail))
                try:
                    record = json.loads(line, object_pairs_hook=unique_keys)
                except json.JSONDecodeError as e:
                    raise CorpusError(texts.bad_corpus_line(number, str(e))) from e
                except DuplicateKey as e:
                    detail = texts.duplicate_key(e.key)
                    raise CorpusError(texts.bad_corpus_line(number, detail)) from e
                except RecursionError as e:
                    detail = texts.nested_too_deep(sys.getrecursionlimit())
                    raise CorpusError(texts.bad_corpus_line(number, detail)) from e
                if not _valid_record(record):
                    raise CorpusError(texts.bad_corpus_line(number, "law, article, text"))
                records.append(record)
        count = self._replace(records, progress)
        self._remember(Path(path), count)
        return count

    def import_markdown(self, path: str | Path, progress: Progress | None = None) -> int:
        """Load a LawRefBook/Laws clone folder (or one ``.md`` file); return articles loaded."""
        latest: dict[str, list[dict[str, Any]]] = {}
        for file in markdown_files(Path(path)):
            records = parse_law_markdown(file)
            if not records:
                continue
            law = records[0]["law"]
            kept = latest.get(law)
            date = records[0]["version_date"]
            if kept and kept[0]["version_date"] > date:
                continue
            if kept and kept[0]["version_date"] == date and kept[0]["source_file"] != file.name:
                kept.extend(records)  # 民法典 comes as one file per 编, same law and date
            else:
                latest[law] = records
        merged = [r for records in latest.values() for r in records]
        for r in merged:
            note = KNOWN_SUPERSEDED.get((r["short"], r["version_date"]))
            if note:
                r["version_note"] = note
        count = self._replace(merged, progress)
        self._remember(Path(path), count)
        return count

    def import_path(self, path: str | Path, progress: Progress | None = None) -> int:
        """Load ``path``: a ``.jsonl`` corpus, a Markdown clone folder or one ``.md`` file."""
        p = Path(path)
        if p.is_file() and p.suffix.lower() in (".jsonl", ".json"):
            return self.import_jsonl(p, progress)
        return self.import_markdown(p, progress)

    def is_loaded(self, path: str | Path) -> bool:
        """True when exactly this corpus (same file contents) was imported before."""
        p = Path(path)
        fingerprint = _fingerprint(_corpus_files(p))
        row = self.db.execute(
            "SELECT 1 FROM law_sources WHERE fingerprint = ?", [fingerprint]
        ).fetchone()
        return row is not None and self.count() > 0

    def _replace(self, records: list[dict[str, Any]], progress: Progress | None) -> int:
        """Replace every law present in ``records`` by those records, in one transaction."""
        laws = {r["law"] for r in records}
        rows = []
        for r in records:
            row = {c: r.get(c) for c in COLUMNS}
            row["article_sub"] = row["article_sub"] or 0
            row["short"] = row["short"] or normalize_law_name(str(row["law"]))
            if not row["article_cn"]:
                row["article_cn"] = f"第{cn_number(int(row['article'] or 0))}条"
            rows.append(row)
        placeholders = ", ".join("?" for _ in COLUMNS)
        sql = f"INSERT OR REPLACE INTO laws ({', '.join(COLUMNS)}) VALUES ({placeholders})"
        with self.db.atomic():
            for law in laws:
                self.db.execute("DELETE FROM laws WHERE law = ?", [law])
            step = 500
            for start in range(0, len(rows), step):
                chunk = rows[start:start + step]
                self.db.conn.executemany(sql, [[row[c] for c in COLUMNS] for row in chunk])
                if progress:
                    progress(len(chunk))
        self._names = None
        self._checks = {}
        return len(rows)

    def _remember(self, path: Path, count: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO law_sources (fingerprint, path, articles, imported_at)"
                " VALUES (?, ?, ?, ?)",
                [
                    _fingerprint(_corpus_files(path)),
                    str(path),
                    count,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ],
            )

    # --- lookups --------------------------------------------------------------------------

    def count(self) -> int:
        """Number of articles loaded."""
        return int(self.db.execute("SELECT count(*) FROM laws").fetchone()[0])

    def laws(self) -> list[tuple[str, str, int, str, str | None, str | None]]:
        """Every loaded law: (title, short, articles, version_date, version_note, kind)."""
        return [
            (r[0], r[1], int(r[2]), r[3], r[4], r[5])
            for r in self.db.execute(
                "SELECT law, short, count(*), max(version_date), max(version_note), max(kind)"
                " FROM laws GROUP BY law ORDER BY min(rowid)"
            )
        ]

    def _name_index(self) -> dict[str, tuple[str, str]]:
        if self._names is None:
            names: dict[str, tuple[str, str]] = {}
            for law, short in self.db.execute("SELECT DISTINCT law, short FROM laws"):
                for name in (law, short, normalize_law_name(law), normalize_law_name(short)):
                    names[name] = (law, short)
            self._names = names
        return self._names

    def find_law(self, name: str) -> tuple[str, str]:
        """The (title, short) a written law name stands for; raises UnknownLaw."""
        names = self._name_index()
        key = normalize_law_name(name)
        key = ABBREVIATIONS.get(key, key)
        if key in names:
            return names[key]
        # Free text puts words before the name ("我想问民法典"): take the longest known suffix.
        for start in range(1, len(key)):
            if key[start:] in names and len(key) - start >= 2:
                return names[key[start:]]
        raise UnknownLaw(name)

    def resolve_citation(self, citation: Citation) -> Article:
        """The article a parsed citation points to; raises UnknownLaw or UnknownArticle."""
        law, short = self.find_law(citation.law)
        row = self.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM laws WHERE law = ? AND article = ?"
            " AND article_sub = ?",
            [law, citation.article, citation.sub],
        ).fetchone()
        if row is None:
            last_article = self.db.execute(
                "SELECT max(article) FROM laws WHERE law = ?", [law]
            ).fetchone()[0]
            last_sub = self.db.execute(
                "SELECT max(article_sub) FROM laws WHERE law = ? AND article = ?",
                [law, last_article],
            ).fetchone()[0]
            last = f"第{cn_number(int(last_article))}条"
            if last_sub:
                last += f"之{cn_number(int(last_sub))}"
            raise UnknownArticle(short, citation.article_cn(), int(last_article), last)
        values = dict(zip(COLUMNS, row, strict=True))
        return Article(
            law=values["law"],
            short=values["short"],
            article=values["article"],
            article_sub=values["article_sub"],
            article_cn=values["article_cn"],
            chapter=values["chapter"],
            text=values["text"],
            version_date=values["version_date"],
            version_note=values["version_note"],
            section=values["section"],
            kind=values["kind"],
        )

    def resolve(self, citation: str) -> Article:
        """The article ``citation`` points to.

        Raises:
            CitationSyntaxError, UnknownLaw, UnknownArticle
        """
        return self.resolve_citation(parse_citation(citation))

    def quote(self, citation: str) -> tuple[Article, str]:
        """The article ``citation`` points to and the text it cites (one 款 or 项, or all).

        Raises:
            CitationSyntaxError, UnknownLaw, UnknownArticle, UnknownPart
        """
        parsed = parse_citation(citation)
        article = self.resolve_citation(parsed)
        return article, article.part(parsed.paragraph, parsed.item)

    def check(self, citation: str) -> str | None:
        """None if ``citation`` resolves to a text in force; else the problem, in Chinese."""
        if citation not in self._checks:
            if len(self._checks) >= MAX_REMEMBERED_CHECKS:  # typed-as-you-go checks add up
                self._checks.clear()
            self._checks[citation] = self._check(citation)
        return self._checks[citation]

    def _check(self, citation: str) -> str | None:
        try:
            article, _text = self.quote(citation)
        except (CitationSyntaxError, UnknownLaw, UnknownArticle, UnknownPart) as e:
            return str(e)
        if not article.in_force:
            return texts.not_in_force(
                article.citation(), article.version_date, article.version_note or ""
            )
        return None
