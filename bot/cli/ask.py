"""`lawbot ask` and `lawbot eval`: one question, or a labelled set, through the matcher."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli.base import cli, db_option, fail
from bot.texts import matcher as texts

if TYPE_CHECKING:
    from bot.faq_index import FaqIndex
    from matcher.evaluate import Metrics
    from matcher.types import MatchResult


def _faq_index(db_path: Path) -> FaqIndex:
    """The FAQ index over the published entries of the database at ``db_path``.

    Imported here, not at the top: every `lawbot` command loads this module, and only these
    two need the matcher, numpy and jieba.
    """
    if not db_path.exists():
        fail(texts.NO_DATABASE.format(path=db_path))
    from bot.app import open_database
    from bot.faq_index import FaqIndex
    from knowledge.faq import FaqStore

    return FaqIndex(FaqStore(open_database(db_path)))


def result_json(result: MatchResult) -> dict[str, Any]:
    """The `--json` shape of DESIGN.md: decision and the ranked entries."""
    top = [{"id": c.id, "score": c.score, "question": c.question} for c in result.top]
    return {"decision": result.decision, "top": top}


@cli.command()
@click.argument("text")
@click.option("--community", default=None, help="社区代码：只匹配适用于该社区的问答")
@click.option(
    "--json", "as_json", is_flag=True, help="输出 JSON：{decision, top: [{id, score, question}]}"
)
@db_option
def ask(text: str, community: str | None, as_json: bool, db_path: Path) -> None:
    """用知识库回答一个问题，并说明匹配依据。"""
    result = _faq_index(db_path).match(text, community, explain=not as_json)
    if as_json:
        click.echo(json.dumps(result_json(result), ensure_ascii=False))
    else:
        from bot.explain import explain  # loads the matcher: only when asked

        click.echo("\n".join(explain(result)))


def read_questions(path: Path) -> Iterator[tuple[str, str | None]]:
    """(question, expected) pairs from a JSONL file; a bad line stops with its number."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                question, expected = row["question"], row.get("expected")
                if not isinstance(question, str) or not isinstance(expected, str | None):
                    raise ValueError("question must be text, expected text or null")
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                fail(texts.BAD_EVAL_LINE.format(path=path, line=number, error=error))
            yield question, expected


def _format(value: float | None, name: str) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if name == "mrr" else f"{value:.1%}"


def metrics_lines(summary: dict[str, Metrics]) -> list[str]:
    """The eval table: every figure for in-scope and out-of-scope questions."""
    lines: list[str] = []
    for key, label in (
        ("in_scope", texts.EVAL_IN_SCOPE),
        ("out_of_scope", texts.EVAL_OUT_OF_SCOPE),
    ):
        m = summary[key]
        lines.append(texts.EVAL_HEADER.format(label=label, n=m.n))
        for name, title in texts.EVAL_ROWS:
            lines.append(f"  {title:<12} {_format(getattr(m, name), name)}")
    return lines


@cli.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="逐题结果写入此 JSONL 文件：{question, expected, decision, top}",
)
@db_option
def eval_command(file: Path, out: Path | None, db_path: Path) -> None:
    """用带标注的问题集（JSONL：question, expected）评估匹配质量。"""
    from matcher.evaluate import Outcome, summarize

    questions = list(read_questions(file))
    if not questions:
        fail(texts.EVAL_EMPTY.format(path=file))
    index = _faq_index(db_path)
    outcomes = [Outcome(q, e, index.match(q)) for q, e in questions]
    click.echo("\n".join(metrics_lines(summarize(outcomes))))
    if out is not None:
        with out.open("w", encoding="utf-8") as handle:
            for o in outcomes:
                top = [{"id": c.id, "score": c.score} for c in o.result.top]
                row = {
                    "question": o.question,
                    "expected": o.expected,
                    "decision": o.result.decision,
                    "top": top,
                }
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        click.echo(texts.EVAL_WROTE.format(path=out))
