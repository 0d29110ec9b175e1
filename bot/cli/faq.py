"""`lawbot faq import/export/list/show/add/edit/publish/archive`: FAQ curation."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import sqlite_utils

from bot.app import open_database
from bot.cli.base import cli, db_option, fail
from bot.desk.org import Organisation
from bot.faq_index import FaqIndex, answered_elsewhere
from bot.texts import knowledge_cli as t
from knowledge.faq import CONTENT_FIELDS, FaqEntry, FaqNotFound, FaqStore, InvalidEntry
from knowledge.faqcheck import STATUSES
from knowledge.io import ImportFailed, UnsupportedFormat, export_faq, import_rows, read_faq_file
from knowledge.laws import LawStore
from knowledge.texts import field_name

F = TypeVar("F", bound=Callable[..., Any])
# Below this many rows an import is quick enough to need no progress bar.
PROGRESS_MIN_ROWS = 500


def default_by() -> str:
    """Who is making the change when ``--by`` is not given: the OS user, else ``cli``."""
    try:
        return getpass.getuser() or "cli"
    except (OSError, KeyError):
        return "cli"


def by_option(fn: F) -> F:
    """Add ``--by NAME`` (who makes the change)."""
    return click.option("--by", "by", default=default_by, show_default="系统用户名",
                        help=t.HELP_BY)(fn)


def open_stores(db_path: Path) -> tuple[sqlite_utils.Database, FaqStore]:
    """The database and an FAQ store that checks citations when statutes are loaded."""
    db = open_database(db_path)
    laws = LawStore(db)
    return db, FaqStore(db, laws if laws.count() else None)


def get_entry(store: FaqStore, id: str) -> FaqEntry:
    """The entry ``id`` or a failed command naming it."""
    try:
        return store.get(id)
    except FaqNotFound as e:
        fail(str(e))
        raise


def invalid(command: str, id: str, error: InvalidEntry) -> None:
    """Fail with every problem of an entry, naming the command and entry."""
    problems = "\n".join(
        t.FAQ_PROBLEM.format(field=field_name(f), message=m) for f, m in error.problems
    )
    fail(t.FAQ_INVALID.format(command=command, id=id or "（新条目）", problems=problems))


@cli.group(help=t.HELP_FAQ)
def faq() -> None:
    """FAQ curation commands."""


def require_adviser(db: sqlite_utils.Database, name: str) -> None:
    """Fail unless ``name`` is an adviser of the organisation (only they sign off)."""
    person = Organisation.load(db).person(name)
    if person is None or person.role != "adviser":
        fail(t.FAQ_SIGNOFF_NOT_ADVISER.format(name=name))


@faq.command("import", help=t.HELP_FAQ_IMPORT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--signoff", "adviser", help=t.HELP_IMPORT_SIGNOFF)
@db_option
@by_option
def import_(file: Path, adviser: str | None, db_path: Path, by: str) -> None:
    """Import an FAQ file, all or nothing."""
    if not file.is_file():
        fail(t.FAQ_FILE_MISSING.format(path=file))
    db, store = open_stores(db_path)
    if adviser is not None:
        require_adviser(db, adviser)
    try:
        rows, errors = read_faq_file(file)
        if len(rows) >= PROGRESS_MIN_ROWS:
            with click.progressbar(length=len(rows), label=t.FAQ_IMPORTING,
                                   file=sys.stderr) as bar:
                count = import_rows(db, rows, by, store.laws, bar.update, read_errors=errors,
                                    signoff=adviser)
        else:
            count = import_rows(db, rows, by, store.laws, read_errors=errors, signoff=adviser)
    except (UnsupportedFormat, ImportFailed) as e:
        fail(str(e))
        raise
    click.echo(t.FAQ_IMPORTED.format(count=count, total=store.count()))


@faq.command(help=t.HELP_FAQ_EXPORT)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@db_option
def export(file: Path, db_path: Path) -> None:
    """Export every entry to CSV, XLSX or JSONL."""
    db, _store = open_stores(db_path)
    try:
        count = export_faq(db, file)
    except UnsupportedFormat as e:
        fail(str(e))
        raise
    click.echo(t.FAQ_EXPORTED.format(count=count, path=file))


@faq.command("list", help=t.HELP_FAQ_LIST)
@click.option("--status", type=click.Choice(STATUSES), help=t.HELP_STATUS)
@click.option("--category", help=t.HELP_CATEGORY)
@click.option("--community", help=t.HELP_COMMUNITY)
@click.option("--unreviewed", is_flag=True, help=t.HELP_UNREVIEWED)
@db_option
def list_(status: str | None, category: str | None, community: str | None,
          unreviewed: bool, db_path: Path) -> None:
    """List entries: id, status, category, question."""
    _db, store = open_stores(db_path)
    entries = store.list(status=status, category=category, community=community)
    if unreviewed:
        pending = {e.id for e in store.unreviewed()}
        entries = [e for e in entries if e.id in pending]
    if not entries:
        click.echo(t.FAQ_LIST_EMPTY)
        return
    for e in entries:
        click.echo(t.FAQ_LIST_ROW.format(id=e.id, status=t.STATUS_LABELS.get(e.status, e.status),
                                         category=e.category, question=e.question))
    click.echo(t.FAQ_LIST_TOTAL.format(count=len(entries)))


@faq.command(help=t.HELP_FAQ_OVERLAP)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help=t.HELP_OVERLAP_LIMIT)
@db_option
def overlap(limit: int, db_path: Path) -> None:
    """Published entries whose answer threshold another entry's phrasing raises, highest
    first: where advisers can merge entries or reword a phrasing."""
    _db, store = open_stores(db_path)
    matcher = FaqIndex(store).matcher
    raised = [
        (by, doc) for e, doc in enumerate(matcher.docs) if (by := matcher.raised_by(e))
    ]
    if not raised:
        click.echo(t.OVERLAP_NONE.format(floor=matcher.floor))
        return
    raised.sort(key=lambda item: -item[0][2])
    click.echo(t.OVERLAP_HEADER.format(count=len(raised), floor=matcher.floor))
    for (other, phrasing, score), doc in raised[:limit]:
        click.echo(t.OVERLAP_ROW.format(id=doc.id, question=doc.question, at=score,
                                        other=other, phrasing=phrasing))


def entry_lines(entry: FaqEntry, laws: LawStore | None) -> list[str]:
    """An entry as `faq show` prints it, citations checked when statutes are loaded."""
    lines = [
        t.SHOW_ID.format(id=entry.id),
        t.SHOW_CATEGORY.format(category=entry.category),
        t.SHOW_STATUS.format(status=t.STATUS_LABELS.get(entry.status, entry.status)),
        t.SHOW_VERSION.format(version=entry.version, by=entry.updated_by, at=entry.updated_at),
    ]
    if entry.extra.get("duplicate_of"):
        lines.append(t.SHOW_DUPLICATE.format(other=entry.extra["duplicate_of"]))
    if entry.reviewed_by:
        lines.append(t.SHOW_REVIEWED.format(by=entry.reviewed_by, at=entry.reviewed_at))
    else:
        lines.append(t.SHOW_UNREVIEWED)
    if entry.review_by:
        lines.append(t.SHOW_REVIEW.format(date=entry.review_by))
    communities = "、".join(entry.communities) or t.SHOW_ALL_COMMUNITIES
    lines += [t.SHOW_COMMUNITIES.format(communities=communities),
              t.SHOW_QUESTION.format(question=entry.question)]
    if entry.alternates:
        lines.append(t.SHOW_ALTERNATES)
        lines += [t.SHOW_ITEM.format(item=a) for a in entry.alternates]
    lines.append(t.SHOW_ANSWER.format(answer=entry.answer))
    if entry.legal_basis:
        lines.append(t.SHOW_BASIS)
        for citation in entry.legal_basis:
            if laws is None:
                lines.append(t.SHOW_BASIS_UNVERIFIED.format(citation=citation))
                continue
            problem = laws.check(citation)
            template = t.SHOW_BASIS_OK if problem is None else t.SHOW_BASIS_BAD
            lines.append(template.format(citation=citation, problem=problem))
    return lines


def field_text(entry: FaqEntry, field: str) -> str:
    """A field's value as one printable string (lists joined with 、)."""
    value = getattr(entry, field)
    if isinstance(value, tuple):
        return "、".join(value) or "—"
    if field == "status":
        return t.STATUS_LABELS.get(value, value)
    return str(value) if value else "—"


def history_lines(versions: list[FaqEntry]) -> list[str]:
    """Each version: when, who, status, which fields changed and their values then."""
    lines = [t.HISTORY_HEADING.format(count=len(versions))]
    previous: FaqEntry | None = None
    for v in versions:
        if previous is None:
            shown = [f for f in ("question", "answer", "legal_basis") if getattr(v, f)]
            changes = t.HISTORY_CREATED
        else:
            shown = [f for f in CONTENT_FIELDS if getattr(v, f) != getattr(previous, f)]
            labels = "、".join(t.FIELD_LABELS[f] for f in shown)
            changes = t.HISTORY_CHANGED.format(fields=labels) if shown else t.HISTORY_NO_CHANGE
        if v.reviewed_by and (previous is None or previous.reviewed_by != v.reviewed_by):
            changes += t.HISTORY_SIGNED.format(by=v.reviewed_by, at=v.reviewed_at)
        elif previous is not None and previous.reviewed_by and not v.reviewed_by:
            changes += t.HISTORY_SIGNOFF_CLEARED
        lines.append(t.HISTORY_ROW.format(
            version=v.version, at=v.updated_at, by=v.updated_by,
            status=t.STATUS_LABELS.get(v.status, v.status), changes=changes))
        lines += [
            t.HISTORY_VALUE.format(field=t.FIELD_LABELS[f], value=field_text(v, f))
            for f in shown if f != "status"
        ]
        previous = v
    return lines


@faq.command(help=t.HELP_FAQ_SHOW)
@click.argument("id")
@click.option("--history", is_flag=True, help=t.HELP_HISTORY)
@db_option
def show(id: str, history: bool, db_path: Path) -> None:
    """Print one entry, and with --history every earlier version."""
    _db, store = open_stores(db_path)
    entry = get_entry(store, id)
    lines = entry_lines(entry, store.laws)
    if history:
        lines += ["", *history_lines(store.history(id))]
    click.echo("\n".join(lines))


def content_options(fn: F) -> F:
    """The options of `faq add` and `faq edit` (only given ones change on edit)."""
    options = [
        click.option("--category", help=t.HELP_CATEGORY),
        click.option("--question", help=t.HELP_QUESTION),
        click.option("--alternate", "alternates", multiple=True, help=t.HELP_ALTERNATE),
        click.option("--answer", help=t.HELP_ANSWER),
        click.option("--legal-basis", "legal_basis", multiple=True, help=t.HELP_LEGAL_BASIS),
        click.option("--community", "communities", multiple=True, help=t.HELP_COMMUNITY),
        click.option("--status", type=click.Choice(STATUSES), help=t.HELP_STATUS),
        click.option("--review-by", "review_by", help=t.HELP_REVIEW_BY),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def given(values: dict[str, Any]) -> dict[str, Any]:
    """Only the options that were given (an empty multiple option was not given)."""
    return {k: v for k, v in values.items() if v is not None and v != ()}


@faq.command(help=t.HELP_FAQ_ADD)
@click.option("--id", "id", default="", help=t.HELP_ID)
@content_options
@db_option
@by_option
def add(id: str, db_path: Path, by: str, **values: Any) -> None:
    """Add a new draft entry; warn when a published entry already answers its phrasings."""
    _db, store = open_stores(db_path)
    fields = given(values)
    if fields.get("status") == "published":
        fail(t.FAQ_ADD_NOT_PUBLISHED)
    entry = FaqEntry(id=id, category=fields.pop("category", ""),
                     question=fields.pop("question", ""), answer=fields.pop("answer", ""),
                     **fields)
    phrasings = (entry.question, *entry.alternates)
    duplicates = answered_elsewhere(FaqIndex(store), entry.id, phrasings)
    try:
        saved = store.add(entry, by=by)
    except InvalidEntry as e:
        invalid("faq add", id, e)
        raise
    status = t.STATUS_LABELS.get(saved.status, saved.status)
    click.echo(t.FAQ_ADDED.format(id=saved.id, version=saved.version, status=status))
    for phrasing, other in duplicates:
        click.echo(t.FAQ_NEAR_DUPLICATE.format(phrasing=phrasing, other=other), err=True)


def change(command: str, store: FaqStore, id: str, by: str, changes: dict[str, Any]) -> None:
    """Apply ``changes`` to entry ``id`` as a new version and say what happened."""
    before = get_entry(store, id)
    try:
        saved = store.edit(id, by, **changes)
    except InvalidEntry as e:
        invalid(command, id, e)
        raise
    status = t.STATUS_LABELS.get(saved.status, saved.status)
    if saved.version == before.version:
        click.echo(t.FAQ_UNCHANGED.format(id=id, version=saved.version))
    else:
        click.echo(t.FAQ_EDITED.format(id=id, version=saved.version, status=status))
        if before.status == "published" and saved.status == "draft":
            click.echo(t.FAQ_WITHDRAWN.format(id=id))


def edited_alternates(
    current: tuple[str, ...], add: tuple[str, ...], remove: tuple[str, ...]
) -> tuple[str, ...]:
    """``current`` without ``remove`` and with ``add`` appended (each once)."""
    missing = [text for text in remove if text not in current]
    if missing:
        fail(t.FAQ_ALT_NOT_FOUND.format(alternates="、".join(missing)))
    kept = [a for a in current if a not in remove]
    return tuple(kept + [a for a in dict.fromkeys(add) if a not in kept])


@faq.command(help=t.HELP_FAQ_EDIT)
@click.argument("id")
@content_options
@click.option("--add-alternate", "add_alternates", multiple=True, help=t.HELP_ADD_ALTERNATE)
@click.option("--remove-alternate", "remove_alternates", multiple=True,
              help=t.HELP_REMOVE_ALTERNATE)
@click.option("--replace-alternates", is_flag=True, help=t.HELP_REPLACE_ALTERNATES)
@db_option
@by_option
def edit(id: str, db_path: Path, by: str, add_alternates: tuple[str, ...],
         remove_alternates: tuple[str, ...], replace_alternates: bool, **values: Any) -> None:
    """Change the given fields of an entry as a new version; alternates one at a time."""
    _db, store = open_stores(db_path)
    changes = given(values)
    if "alternates" in changes and not replace_alternates:
        fail(t.FAQ_ALT_REPLACE_NEEDED)
    if replace_alternates and "alternates" not in changes:
        changes["alternates"] = ()  # --replace-alternates alone removes them all
    if add_alternates or remove_alternates:
        if replace_alternates:
            fail(t.FAQ_ALT_REPLACE_NEEDED)
        current = get_entry(store, id)
        changes["alternates"] = edited_alternates(
            current.alternates, add_alternates, remove_alternates
        )
    if not changes:
        fail(t.FAQ_NO_CHANGES)
    duplicates = answered_elsewhere(FaqIndex(store), id, add_alternates) if add_alternates else []
    change("faq edit", store, id, by, changes)
    for phrasing, other in duplicates:
        click.echo(t.FAQ_NEAR_DUPLICATE.format(phrasing=phrasing, other=other), err=True)


@faq.command(help=t.HELP_FAQ_SIGNOFF)
@click.argument("id")
@click.option("--as", "adviser", required=True, help=t.HELP_AS_ADVISER)
@db_option
def signoff(id: str, adviser: str, db_path: Path) -> None:
    """Record an adviser's review of the entry's answer and citations."""
    db, store = open_stores(db_path)
    require_adviser(db, adviser)
    before = get_entry(store, id)
    try:
        saved = store.signoff(id, adviser)
    except InvalidEntry as e:
        invalid("faq signoff", id, e)
        raise
    if saved.version == before.version:
        click.echo(t.FAQ_SIGNOFF_ALREADY.format(id=id, by=adviser))
    else:
        click.echo(t.FAQ_SIGNED_OFF.format(id=id, version=saved.version, by=adviser))


@faq.command(help=t.HELP_FAQ_PUBLISH)
@click.argument("id")
@db_option
@by_option
def publish(id: str, db_path: Path, by: str) -> None:
    """Publish an entry; refused when a citation is unknown or not in force."""
    _db, store = open_stores(db_path)
    change("faq publish", store, id, by, {"status": "published"})


@faq.command(help=t.HELP_FAQ_ARCHIVE)
@click.argument("id")
@db_option
@by_option
def archive(id: str, db_path: Path, by: str) -> None:
    """Archive an entry (kept with its history, no longer shown to residents)."""
    _db, store = open_stores(db_path)
    change("faq archive", store, id, by, {"status": "archived"})
