"""Personal numbers in residents' text are masked in everything the desk sees."""

from __future__ import annotations

import re

# Mainland mobile numbers: 11 digits starting 13–19; not part of a longer digit run.
PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
# Resident ID card: 17 digits and a check digit (0–9 or X).
ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")


def mask(text: str) -> str:
    """``text`` with phones as ``138****5678`` and ID cards as ``440104********123X``."""
    text = ID_CARD.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    return PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
