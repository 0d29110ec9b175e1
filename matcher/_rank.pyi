"""Types of the C scoring pass (matcher/_rank.c); see matcher.index.Index.rank."""

from typing import Any

def rank(
    phrasing_ids: Any,
    phrasing_weights: Any,
    entry_ids: Any,
    entry_weights: Any,
    indptr: Any,
    indices: Any,
    data: Any,
    out: Any,
    deep_entries: Any,
    deep_start: Any,
    deep_slots: Any,
    mask: Any,
    n_slots: int,
    n_documents: int,
    n_ranked: int,
    grid: int,
    width: int,
    single_offset: int,
    share: float,
    k: int,
    /,
) -> tuple[list[int], list[float], list[float], int, float]: ...
