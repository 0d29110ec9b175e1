"""The starter FAQ's files as text, for tests that compare phrasings (read straight from YAML)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

STARTER = Path(__file__).resolve().parent.parent / "knowledge" / "starter"


def entries() -> list[dict[str, Any]]:
    """Every starter entry as written, with its file's category and the file name."""
    found = []
    for path in sorted(STARTER.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data["entries"]:
            found.append({**entry, "category": data["category"], "file": path.name})
    return found


def phrasings() -> dict[str, list[str]]:
    """Entry id → its question and alternates."""
    return {e["id"]: [e["question"], *e["alternates"]] for e in entries()}


def normalise(text: str) -> str:
    """A phrasing without spaces and punctuation: two texts equal under it say the same."""
    return re.sub(r"[\s，。？！、,.?!]", "", text)
