"""Personal numbers in residents' text are masked in everything the desk sees.

A *number run* is a stretch of digits (any Unicode decimal digits, so full-width ones too)
joined by single spaces, dashes, dots or brackets, optionally led by +86 / 0086. Each run is
read as digits and classified:

- a mainland mobile (11 digits, 13x–19x, after an optional 86 / 0086) → ``138****5678``;
- a landline with its area code (010/02x + 7–8 digits, 0xxx + 7–8 digits; or after +86)
  → ``020-****5678``;
- a resident ID (18 digits with a plausible birth date, the last may be X; or 15 digits with
  a plausible yymmdd) → ``440104********123X``;
- a bank card (16–19 digits: starting 62, China UnionPay's range, where every mainland debit
  card lies, with or without a valid Luhn check digit, since a mistyped card number or one of
  the few cards that skip the check is still the resident's; or starting 3–6 and Luhn-valid,
  as other networks' cards are) → ``6222**********1234``.

Anything else (dates, amounts, years, article and ticket numbers) is left exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

_SEP = r"[ \u3000\-.\u2010-\u2014\uff0d\uff0e]"
_OPEN, _CLOSE = r"[(\uff08]", r"[)\uff09]"
_PREFIX = rf"(?:{_OPEN}?(?:\+|\uff0b|00|\uff10\uff10){_SEP}?(?:86|\uff18\uff16){_CLOSE}?{_SEP}?)"
NUMBER_RUN = re.compile(
    rf"(?<![0-9A-Za-z\d])(?P<prefix>{_PREFIX})?"
    rf"(?P<body>{_OPEN}?\d(?:{_CLOSE}?{_SEP}?{_OPEN}?\d)*)"
    r"(?P<x>[Xx\uff38\uff58](?![0-9A-Za-z]))?(?!\d)"
)


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdecimal())


def luhn_ok(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check that bank card numbers carry."""
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _plausible_date(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _id_card(digits: str, has_x: bool) -> bool:
    if len(digits) == (17 if has_x else 18):
        return digits[6:8] in ("19", "20") and _plausible_date(digits[10:12], digits[12:14])
    return len(digits) == 15 and not has_x and _plausible_date(digits[8:10], digits[10:12])


def _mobile(digits: str) -> str | None:
    """The 11-digit mobile number in ``digits`` (after an 86 / 0086 prefix), or None."""
    for lead in ("", "86", "0086"):
        rest = digits[len(lead):]
        if digits.startswith(lead) and len(rest) == 11 and re.fullmatch(r"1[3-9]\d{9}", rest):
            return rest
    return None


def _masked(prefix: str, body: str, x: str) -> str | None:
    """The masked form of one number run, or None when it is not a personal number."""
    digits = _ascii_digits(body)
    has_x = bool(x)
    if has_x:
        return digits[:6] + "*" * 8 + digits[-3:] + "X" if _id_card(digits, True) else None
    mobile = _mobile(_ascii_digits(prefix) + digits)
    if mobile is not None:
        return mobile[:3] + "****" + mobile[-4:]
    if _id_card(digits, False):
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    card = digits.startswith("62") or (digits[0] in "3456" and luhn_ok(digits))
    if 16 <= len(digits) <= 19 and card and not prefix:
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    landline = "0" + digits if prefix else digits
    area = 3 if landline[1:2] in ("1", "2") else 4  # 010, 02x; else 0xxx
    if re.fullmatch(r"0[1-9]\d+", landline) and area + 7 <= len(landline) <= area + 8:
        return landline[:area] + "-****" + landline[-4:]
    return None


def _mask_run(prefix: str, body: str, x: str, found: list[str]) -> str:
    """Mask the personal numbers in one run: the whole run, else its longest group windows.

    A run such as ``2026-12-05 138 1234 5678`` is no number as a whole; windows of its digit
    groups are tried from the left, longest first, so the phone inside is still found.
    """
    groups = [m.span() for m in re.finditer(r"\d+", body)]
    bracketed = re.match(rf"{_OPEN}\d+{_CLOSE}", body) is not None  # "(020) 8765 4321"
    out: list[str] = []
    i, done = 0, 0  # the next group to try; how much of ``body`` is already in ``out``
    while i < len(groups):
        for j in range(len(groups) - 1, i - 1, -1):
            start, end = (0 if i == 0 and bracketed else groups[i][0]), groups[j][1]
            tail = x if j == len(groups) - 1 else ""
            masked = _masked(prefix if i == 0 else "", body[start:end], tail)
            if masked is not None and tail:
                x = ""  # the X is the ID's check character, masked with it
            elif masked is None and tail:
                masked = _masked(prefix if i == 0 else "", body[start:end], "")
            if masked is not None:
                found.append(_ascii_digits(body[start:end]))
                if i == 0:  # the prefix belongs to the number; an unclosed bracket does not
                    opened = prefix[:1] in ("(", "\uff08") and not re.search(_CLOSE, prefix)
                    prefix = prefix[0] if opened else ""
                out += [body[done:start], masked]
                done, i = end, j + 1
                break
        else:
            i += 1
    return prefix + "".join(out) + body[done:] + x


def _scan(text: str, found: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        prefix, body, x = match.group("prefix") or "", match.group("body"), match.group("x") or ""
        return _mask_run(prefix, body, x, found)

    return NUMBER_RUN.sub(replace, text)


def mask(text: str) -> str:
    """``text`` with every phone, ID card and bank card number masked (see module doc)."""
    return _scan(text, [])


def personal_numbers(text: str) -> list[str]:
    """The digits of every number :func:`mask` hides in ``text`` (an ID's X left off)."""
    found: list[str] = []
    _scan(text, found)
    return found


def digits_of(text: str) -> str:
    """Every decimal digit of ``text`` as ASCII, in order (to find a number however written)."""
    return _ascii_digits(text)
