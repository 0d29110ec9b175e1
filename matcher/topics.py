"""Uncovered topics: example questions on subjects the FAQ does not answer.

A question that shares everyday words with an FAQ entry (房, 离婚, 工资) while its real subject
is elsewhere (取保候审, 军婚, 二手房过户) looks like a match to word statistics alone. The
matcher indexes these examples beside the FAQ; a question closer to an uncovered topic than to
every entry goes to the adviser instead of being answered with the nearest entry.

The examples are YAML files in ``matcher/data/uncovered/`` that advisers extend, one topic
a block::

    topics:
      - topic: 刑事：家人被拘留、取保候审
        questions:
          - 我弟弟被派出所带走了，家里人能做什么
          - 取保候审要交多少保证金

When the FAQ gains entries on a topic, delete the topic here: otherwise it competes with them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from matcher.lexicon import DATA_DIR
from matcher.types import Document

UNCOVERED_DIR = DATA_DIR / "uncovered"
ID_PREFIX = "uncovered:"


class TopicsError(Exception):
    """An uncovered-topics file is malformed; the message names file, topic and field."""


def parse_topics(text: str, source: str) -> tuple[Document, ...]:
    """The topics of one file as documents (id ``uncovered:<source>:<n>``, category = topic)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TopicsError(f"{source}: not valid YAML: {error}") from error
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, list):
        raise TopicsError(f"{source}: needs a 'topics:' list")
    docs: list[Document] = []
    for n, block in enumerate(topics, start=1):
        where = f"{source}, topic {n}"
        if not isinstance(block, dict):
            raise TopicsError(f"{where}: must be a mapping with 'topic' and 'questions'")
        name = block.get("topic")
        questions = block.get("questions")
        if not isinstance(name, str) or not name.strip():
            raise TopicsError(f"{where}: field 'topic' must be a non-empty text")
        if not isinstance(questions, list) or not questions:
            raise TopicsError(f"{where} ({name}): field 'questions' must be a non-empty list")
        texts = [str(q).strip() for q in questions if str(q).strip()]
        if len(texts) != len(questions):
            raise TopicsError(f"{where} ({name}): field 'questions' has an empty question")
        docs.append(
            Document(
                id=f"{ID_PREFIX}{source}:{n}",
                question=texts[0],
                alternates=tuple(texts[1:]),
                category=name.strip(),
            )
        )
    return tuple(docs)


@lru_cache(maxsize=4)
def load_topics(folder: Path = UNCOVERED_DIR) -> tuple[Document, ...]:
    """Every topic of every ``*.yaml`` file in ``folder`` (none when the folder is absent)."""
    if not folder.is_dir():
        return ()
    docs: list[Document] = []
    for path in sorted(folder.glob("*.yaml")):
        docs.extend(parse_topics(path.read_text(encoding="utf-8"), path.stem))
    return tuple(docs)
