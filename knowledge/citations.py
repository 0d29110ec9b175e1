"""Statute citations as residents and lawyers write them, and Chinese numerals.

Parses ``《中华人民共和国民法典》第七百二十二条``, ``民法典第722条``,
``《民法典》第七百二十二条第二款第三项``, ``刑法第一百三十三条之一`` and the titles of judicial
interpretations, full or short, with nested brackets:
``《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》第五条`` and
``婚姻家庭编解释（一）第五条``. Numerals are Arabic digits or well-formed Chinese numerals
(一千二百六十); ``第九九九九条`` is refused rather than read as some other number.
Pure: no database; :class:`knowledge.laws.LawStore` resolves a :class:`Citation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge import texts

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_DIGITS = "零一二三四五六七八九"
NUMERAL = r"[0-9０-９零〇一二两三四五六七八九十百千万]+"
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Words that often stand right before an unbracketed law name in free text.
LEAD_WORDS = (
    "根据", "依据", "依照", "按照", "参照", "参见", "适用", "违反",
    "以及", "还有", "参考", "按", "依", "据", "另", "见", "和", "及", "与", "、",
)

# A title inside a title: 〈民法典〉 or 《民法典》 within a longer name.
_INNER = r"(?:〈[^〈〉《》]{1,30}〉|《[^〈〉《》]{1,30}》)"
# A bare name ends with the word that says what it is, maybe numbered: 解释（一）.
_KIND_END = r"(?:法典|法|条例|规定|办法|解释)(?:[（(][一二三四五六七八九十]{1,3}[)）])?"
_CITATION = re.compile(
    r"(?:《\s*(?P<bracketed>(?:[^《》〈〉]|" + _INNER + r"){1,80}?)\s*》"
    r"|(?P<bare>(?:[\u4e00-\u9fff]|" + _INNER + r"){1,60}?" + _KIND_END + r"))"
    r"\s*第\s*(?P<article>" + NUMERAL + r")\s*条"
    r"(?:\s*之\s*(?P<sub>" + NUMERAL + r"))?"
    r"(?:\s*第\s*(?P<paragraph>" + NUMERAL + r")\s*款)?"
    r"(?:\s*第\s*(?P<item>" + NUMERAL + r")\s*项)?"
)


class CitationSyntaxError(ValueError):
    """The text is not a statute citation we can read (``numeral`` names a malformed one)."""

    def __init__(self, text: str, numeral: str | None = None) -> None:
        super().__init__(texts.citation_syntax(text, numeral))
        self.text = text
        self.numeral = numeral


class MalformedNumeral(ValueError):
    """A run of numeral characters that is not a well-formed number (九九九九, 一二六一)."""

    def __init__(self, numeral: str) -> None:
        super().__init__(numeral)
        self.numeral = numeral


@dataclass(frozen=True)
class Citation:
    """A pointer into a statute: law name as written, article, 之N, paragraph (款), item (项)."""

    law: str
    article: int
    sub: int = 0
    paragraph: int | None = None
    item: int | None = None

    def article_cn(self) -> str:
        """The article label in Chinese, e.g. ``第一百三十三条之一``."""
        label = f"第{cn_number(self.article)}条"
        if self.sub:
            label += f"之{cn_number(self.sub)}"
        return label

    def part_cn(self) -> str:
        """The paragraph and item cited, e.g. ``第二款第三项`` ('' for the whole article)."""
        text = ""
        if self.paragraph is not None:
            text += f"第{cn_number(self.paragraph)}款"
        if self.item is not None:
            text += f"第{cn_number(self.item)}项"
        return text

    def __str__(self) -> str:
        return f"《{self.law}》{self.article_cn()}{self.part_cn()}"


def cn_number(n: int) -> str:
    """Write ``n`` (0 ≤ n < 100,000,000) as a standard Chinese numeral: 722 → 七百二十二."""
    if n < 0 or n >= 10**8:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = ""
        if low:
            rest = ("零" if low < 1000 else "") + _below_10000(low, leading=False)
        return _below_10000(high, leading=True) + "万" + rest
    return _below_10000(n, leading=True)


def _below_10000(n: int, leading: bool) -> str:
    """Chinese numeral for 1..9999; ``leading`` drops the 一 of 一十 (10 → 十, 110 → 一百一十)."""
    out: list[str] = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = (n // unit_value) % 10
        if digit == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        if unit == "十" and digit == 1 and not out and leading:
            out.append("十")
        else:
            out.append(CN_DIGITS[digit] + unit)
    return "".join(out)


def parse_cn_number(s: str) -> int:
    """Read a Chinese (一千二百六十, 十五, 一百零五) or Arabic (722, full-width too) numeral.

    Raises:
        MalformedNumeral: for anything else, including digit strings written with Chinese
            characters (九九九九) and numerals that do not read back the same (一二六一).
    """
    s = s.strip().translate(ZERO_WIDTH)
    if not s:
        raise MalformedNumeral(s)
    ascii_digits = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if ascii_digits.isascii() and ascii_digits.isdigit():
        return int(ascii_digits)
    n = _read_cn_number(s)
    # Well-formed means it is how the number is written: 一百零五, 十五 or 一十五, 两 for 二.
    canonical = s.replace("〇", "零").replace("两", "二")
    if n < 1 or canonical not in (cn_number(n), _below_10000(n, leading=False)):
        raise MalformedNumeral(s)
    return n


def _read_cn_number(s: str) -> int:
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            raise MalformedNumeral(s)
    return total + section + (digit or 0)


def normalize_law_name(name: str) -> str:
    """The law name without brackets, spaces, zero-width characters or 中华人民共和国.

    ``(一)`` becomes ``（一）``, so 婚姻家庭编解释(一) and 婚姻家庭编解释（一） are one name.
    """
    name = name.translate(ZERO_WIDTH)
    name = re.sub(r"[\s《》<>〈〉]", "", name)
    name = name.replace("(", "（").replace(")", "）")
    return name.replace("中华人民共和国", "")


def _from_match(m: re.Match[str]) -> Citation:
    law = m.group("bracketed") or m.group("bare") or ""
    law = normalize_law_name(law)
    if m.group("bare"):
        changed = True
        while changed:
            changed = False
            for word in LEAD_WORDS:
                if law.startswith(word) and len(law) > len(word) + 1:
                    law = law[len(word):]
                    changed = True
    sub = m.group("sub")
    paragraph = m.group("paragraph")
    item = m.group("item")
    return Citation(
        law=law,
        article=parse_cn_number(m.group("article")),
        sub=parse_cn_number(sub) if sub else 0,
        paragraph=parse_cn_number(paragraph) if paragraph else None,
        item=parse_cn_number(item) if item else None,
    )


def parse_citation(text: str) -> Citation:
    """Parse one whole citation; raises CitationSyntaxError when ``text`` is anything else."""
    cleaned = text.translate(ZERO_WIDTH).strip()
    m = _CITATION.fullmatch(cleaned)
    if m is None:
        raise CitationSyntaxError(text)
    try:
        citation = _from_match(m)
    except MalformedNumeral as e:
        raise CitationSyntaxError(text, e.numeral) from e
    if not citation.law or citation.article < 1:
        raise CitationSyntaxError(text)
    return citation


def find_citations(text: str) -> list[Citation]:
    """Every citation in free text, in order of appearance."""
    found = []
    for m in _CITATION.finditer(text.translate(ZERO_WIDTH)):
        try:
            citation = _from_match(m)
        except MalformedNumeral:
            continue
        if citation.law and citation.article >= 1:
            found.append(citation)
    return found
