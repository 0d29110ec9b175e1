"""Types of the C scoring pass (matcher/_rank.c); see matcher.index.Index.rank."""

from typing import Any

MAX_K: int  # rank keeps at most this many entries

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
def weigh(
    word_ids: list[int],
    pair_ids: list[int],
    single_ids: list[int],
    phrasing_word_idf: Any,
    phrasing_char_idf: Any,
    entry_word_idf: Any,
    entry_char_idf: Any,
    phrasing_penalty: float,
    entry_penalty: float,
    entry_highest: float,
    word_width: int,
    phrasing_chars: bool,
    entry_chars: bool,
    /,
) -> tuple[
    tuple[tuple[int, ...], int, bytes, bytes],
    tuple[tuple[int, ...], int, bytes, bytes, tuple[tuple[int, float], ...]],
]: ...
