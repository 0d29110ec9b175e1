"""The word-list files advisers extend: parsing, errors, and the digest that keys the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher.lexicon import DATA_DIR, FILES, LexiconError, load_lexicon, parse_synonyms, parse_terms


def test_shipped_lists_load_with_the_required_words() -> None:
    lexicon = load_lexicon()
    terms = {word for word, _ in lexicon.terms}
    assert {
        "劳动仲裁",
        "经济补偿金",
        "加装电梯",
        "物业费",
        "抚养权",
        "诉讼时效",
        "法律援助",
    } <= terms
    assert lexicon.synonyms["老公"] == "丈夫"
    assert {lexicon.synonyms[w] for w in ("辞退", "开除", "炒鱿鱼")} == {"解雇"}
    assert lexicon.synonyms["按金"] == "押金"
    assert lexicon.synonyms["人工"] == "工资"
    assert lexicon.synonyms["欠钱"] == "借钱"
    assert {"请问", "怎么办", "吗"} <= lexicon.stopwords


def test_lists_are_normalised_like_questions() -> None:
    # 𨋢 (Cantonese: lift) becomes 䢂 in OpenCC's t2s, so the synonym must follow it.
    assert load_lexicon().synonyms["䢂"] == "电梯"


def test_comments_blank_lines_and_frequencies() -> None:
    assert parse_terms("# c\n\n劳动仲裁\n物业费 500\n") == (("劳动仲裁", None), ("物业费", 500))
    assert parse_synonyms("# c\n丈夫: 老公 老伴儿\n") == {"老公": "丈夫", "老伴儿": "丈夫"}


@pytest.mark.parametrize("bad", ["劳动仲裁 lots", "a b c"])
def test_bad_term_line_is_named(bad: str) -> None:
    with pytest.raises(LexiconError, match="legal term"):
        parse_terms(bad)


@pytest.mark.parametrize("bad", ["丈夫 老公", ": 老公", "丈夫:"])
def test_bad_synonym_line_is_named(bad: str) -> None:
    with pytest.raises(LexiconError, match="synonym"):
        parse_synonyms(bad)


def test_variant_with_two_meanings_is_refused() -> None:
    with pytest.raises(LexiconError, match="both"):
        parse_synonyms("丈夫: 老公\n妻子: 老公\n")


def test_digest_follows_the_contents(tmp_path: Path) -> None:
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    assert load_lexicon(tmp_path).digest == load_lexicon().digest
    with (tmp_path / "legal_terms.txt").open("a", encoding="utf-8") as fh:
        fh.write("居住权\n")
    assert load_lexicon(tmp_path).digest != load_lexicon().digest


def test_the_statute_word_lists_are_what_the_generator_makes_of_the_corpus(
    laws_jsonl: Path,
) -> None:
    """matcher/data/domain_words.txt and statute_vocabulary.txt are regenerated, never edited:
    a change of the tokenizer's word lists or of the corpus must come with a regeneration
    (`.venv/bin/python eval/build_domain_words.py`), else coverage and the domain signal drift."""
    import importlib.util

    from matcher.domain import DOMAIN_FILE, VOCABULARY_FILE, statute_words

    script = Path(__file__).resolve().parent.parent / "eval" / "build_domain_words.py"
    spec = importlib.util.spec_from_file_location("build_domain_words", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    words, vocabulary = module.word_lists(laws_jsonl)
    assert set(words) == statute_words(DOMAIN_FILE)
    assert set(vocabulary) == statute_words(VOCABULARY_FILE)
    assert set(words) <= set(vocabulary)  # Domain.vocabulary holds the domain words too
    assert {"现役军人", "病假", "宅基地"} <= set(vocabulary)
    assert not {"跺脚", "手头紧", "吊牌"} & set(vocabulary)
