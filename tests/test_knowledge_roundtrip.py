"""Export then import gives back exactly what was stored, for any text (property test)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knowledge_samples import CITATIONS

from bot.app import open_database
from knowledge.faq import FaqEntry, FaqStore
from knowledge.io import export_faq, import_faq

# Printable text: no control characters (refused on input) and no surrogates.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())
MULTILINE = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
ITEM = TEXT.filter(lambda s: "|" not in s)


@st.composite
def entries(draw: st.DrawFn) -> list[FaqEntry]:
    count = draw(st.integers(min_value=1, max_value=5))
    ids = draw(st.lists(st.from_regex(r"[a-z0-9\-]{1,12}", fullmatch=True), min_size=count,
                        max_size=count, unique=True))
    return [
        FaqEntry(
            id=id,
            category=draw(TEXT.filter(lambda s: len(s.strip()) <= 40)),
            question=draw(TEXT),
            answer=draw(MULTILINE),
            alternates=tuple(draw(st.lists(ITEM, max_size=3))),
            legal_basis=tuple(draw(st.lists(st.sampled_from(CITATIONS), min_size=1, max_size=2,
                                            unique=True))),
            communities=tuple(draw(st.lists(ITEM, max_size=2))),
            status=draw(st.sampled_from(["published", "draft", "archived"])),
        )
        for id in ids
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=entries())
def test_any_text_round_trips(suffix: str, batch: list[FaqEntry]) -> None:
    source = open_database(None)
    store = FaqStore(source)
    for entry in batch:
        store.add(entry, by="t")
    target = open_database(None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"faq{suffix}"
        export_faq(source, path)
        import_faq(target, path, by="t", signoff="王律师")
    left = [(e.id, e.content()) for e in store.list()]
    right = [(e.id, e.content()) for e in FaqStore(target).list()]
    assert left == right
