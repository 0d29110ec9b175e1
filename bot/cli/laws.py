"""`lawbot laws import PATH`, `laws show CITATION`, `laws list`, `laws check CITATION…`."""

from __future__ import annotations

from pathlib import Path

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, fail
from bot.texts import knowledge_cli as t
from knowledge.citations import CitationSyntaxError, parse_citation
from knowledge.laws import (
    Article,
    CorpusError,
    LawStore,
    UnknownArticle,
    UnknownLaw,
    UnknownPart,
)


@cli.group(help=t.HELP_LAWS)
def laws() -> None:
    """Statute corpus commands."""


def import_corpus(store: LawStore, path: Path) -> int:
    """Import ``path`` into ``store``; a bad file stops the command with a message."""
    try:
        return store.import_path(path)
    except (OSError, UnicodeDecodeError, CorpusError) as e:
        fail(t.LAWS_BAD_FILE.format(path=path, error=e))
        raise  # unreachable: fail() raises


@laws.command("import", help=t.HELP_LAWS_IMPORT)
@click.argument("path", type=click.Path(path_type=Path))
@db_option
def import_(path: Path, db_path: Path) -> None:
    """Load a statute corpus (JSONL or LawRefBook Markdown)."""
    if not path.exists():
        fail(t.LAWS_NOT_FOUND.format(path=path))
    db = open_database(db_path)
    store = LawStore(db)
    count = import_corpus(store, path)
    if count == 0:
        fail(t.LAWS_NOTHING.format(path=path))
    click.echo(t.LAWS_IMPORTED.format(articles=count, laws=len(store.laws()), total=store.count()))


def article_lines(article: Article, text: str | None = None, part: str = "") -> list[str]:
    """An article as printed: citation (and the 款/项 cited), place, text, kind and version,
    and a flag when superseded."""
    lines = [article.citation() + part]
    where = " ".join(x for x in (article.chapter, article.section) if x)
    if where:
        lines.append(t.LAWS_CHAPTER.format(where=where))
    lines += ["", article.text if text is None else text, ""]
    if article.kind:
        lines.append(t.LAWS_KIND.format(kind=article.kind))
    lines.append(t.LAWS_VERSION.format(date=article.version_date or "—"))
    if not article.in_force:
        lines.append(t.LAWS_NOT_IN_FORCE.format(note=article.version_note))
    return lines


@laws.command(help=t.HELP_LAWS_SHOW)
@click.argument("citation")
@db_option
def show(citation: str, db_path: Path) -> None:
    """Print one article with its law and version date."""
    store = LawStore(open_database(db_path))
    if store.count() == 0:
        fail(t.LAWS_EMPTY)
    try:
        article, text = store.quote(citation)
    except (CitationSyntaxError, UnknownLaw, UnknownArticle, UnknownPart) as e:
        fail(str(e))
        raise
    part = parse_citation(citation).part_cn()
    click.echo("\n".join(article_lines(article, text, part)))


@laws.command("list", help=t.HELP_LAWS_LIST)
@db_option
def list_(db_path: Path) -> None:
    """List the loaded laws with their article counts and versions."""
    store = LawStore(open_database(db_path))
    rows = store.laws()
    if not rows:
        fail(t.LAWS_EMPTY)
    for _law, short, articles, date, note, kind in rows:
        flag = t.LAWS_LIST_SUPERSEDED if note else ""
        click.echo(t.LAWS_LIST_ROW.format(short=short, articles=articles, date=date, note=flag,
                                          kind=kind or "—"))


@laws.command(help=t.HELP_LAWS_CHECK)
@click.argument("citations", nargs=-1, required=True)
@db_option
def check(citations: tuple[str, ...], db_path: Path) -> None:
    """Check citations; exit status 1 when any is unknown or not in force."""
    store = LawStore(open_database(db_path))
    if store.count() == 0:
        fail(t.LAWS_EMPTY)
    bad = 0
    for citation in citations:
        problem = store.check(citation)
        if problem is None:
            click.echo(t.LAWS_CHECK_OK.format(citation=citation))
        else:
            bad += 1
            click.echo(t.LAWS_CHECK_BAD.format(citation=citation, problem=problem))
    if bad:
        raise click.exceptions.Exit(1)
