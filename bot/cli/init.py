"""`lawbot init [--demo] [--empty]`: create/migrate the database, load statutes and FAQ."""

from __future__ import annotations

import os
from pathlib import Path

import click
import sqlite_utils

from bot.cli.base import cli, db_option, fail
from bot.cli.laws import import_corpus
from bot.clock import system_now
from bot.config import default_laws_path
from bot.ops.backup import OpsError
from bot.ops.upgrade import open_upgraded
from bot.texts import knowledge_cli as t
from bot.texts import ops as ops_texts
from knowledge.faq import FaqStore
from knowledge.io import ImportFailed
from knowledge.laws import LawStore
from knowledge.seed import load_starter


def laws_path(option: Path | None) -> Path:
    """The corpus to load: ``--laws``, else ``LAWBOT_LAWS``, else the shared one beside us."""
    if option is not None:
        return option
    env = os.environ.get("LAWBOT_LAWS", "").strip()
    return Path(env) if env else default_laws_path()


def load_laws(store: LawStore, path: Path) -> None:
    """Import the corpus unless this very corpus is already loaded; say what happened."""
    if not path.exists():
        click.echo(t.INIT_LAWS_MISSING.format(path=path))
        return
    if store.is_loaded(path):
        click.echo(
            t.INIT_LAWS_CURRENT.format(articles=store.count(), laws=len(store.laws()), path=path)
        )
        return
    click.echo(t.INIT_LAWS_IMPORTING.format(path=path), err=True)
    count = import_corpus(store, path)
    click.echo(t.INIT_LAWS_IMPORTED.format(articles=count, laws=len(store.laws())))


def load_demo(db: sqlite_utils.Database) -> None:
    """Load the demo organisation through the org engineer's ``load_demo`` when it exists."""
    try:
        from bot.desk.org import load_demo as org_load_demo
    except ImportError:
        click.echo(t.INIT_DEMO_MISSING)
        return
    loaded = org_load_demo(db)
    click.echo(t.INIT_DEMO_KEPT if loaded is False else t.INIT_DEMO_LOADED)
    demo_passwords(db)


def demo_passwords(db: sqlite_utils.Database) -> None:
    """Give the demo people (and the administrator) without a password the demo password."""
    from bot.accounts import DEMO_PASSWORD, Accounts
    from bot.desk.org import Organisation
    from bot.texts import console as console_texts
    from bot.texts import desk as desk_texts

    accounts = Accounts(db)
    names = [*Organisation.load(db).people, desk_texts.ADMIN]
    for name in names:
        if not accounts.has_password(name):
            accounts.set_password(name, DEMO_PASSWORD, system_now())
    click.echo(console_texts.DEMO_PASSWORDS.format(names="、".join(names), password=DEMO_PASSWORD))


@cli.command(help=t.HELP_INIT)
@click.option("--demo", is_flag=True, help=t.HELP_DEMO)
@click.option("--empty", is_flag=True, help=t.HELP_EMPTY)
@click.option("--laws", "laws_option", type=click.Path(path_type=Path), help=t.HELP_LAWS_PATH)
@db_option
def init(demo: bool, empty: bool, laws_option: Path | None, db_path: Path) -> None:
    """Create or migrate the database; load statutes, the starter FAQ and maybe the demo org."""
    try:
        db, upgrade = open_upgraded(db_path, system_now())
    except OpsError as error:
        fail(str(error))
    if upgrade is not None:
        click.echo(ops_texts.UPGRADE_BACKUP.format(path=upgrade.path))
    click.echo(t.INIT_DB.format(path=db_path))
    store = LawStore(db)
    load_laws(store, laws_path(laws_option))
    faq = FaqStore(db)
    if empty:
        click.echo(t.INIT_FAQ_EMPTY.format(total=faq.count()))
    else:
        try:
            changed = load_starter(db, laws=store if store.count() else None, publish=demo)
        except ImportFailed as e:
            fail(t.STARTER_FAILED.format(errors="\n".join(f"  {x}" for x in e.errors)))
            raise
        published = len(faq.published())
        click.echo(t.INIT_FAQ.format(total=faq.count(), published=published, changed=changed))
        click.echo(t.INIT_FAQ_DEMO if demo else t.INIT_FAQ_REVIEW)
    if demo:
        load_demo(db)
    click.echo(t.INIT_DONE.format(articles=store.count(), laws=len(store.laws()),
                                  faq=faq.count(), published=len(faq.published())))
