"""`lawbot review`: the learning loop's list of questions that needed people, in a terminal."""

from __future__ import annotations

from pathlib import Path

import click

from bot.app import open_database
from bot.cli.base import cli, db_option, load_config
from bot.clock import system_now
from bot.desk.staff import REVIEW_DAYS, REVIEW_LIMIT, render_review, review_items
from bot.faq_index import FaqIndex
from bot.texts import knowledge_cli as t
from knowledge.faq import FaqStore
from knowledge.laws import LawStore


@cli.command()
@click.option(
    "--days", type=click.IntRange(min=1), default=REVIEW_DAYS, show_default=True,
    help="查看最近多少天",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=REVIEW_LIMIT, show_default=True,
    help="最多列出多少条",
)
@db_option
def review(db_path: Path, days: int, limit: int) -> None:
    """待整理的提问：未能回答、转人工、被点👎的问题，及最接近的知识库条目。"""
    config = load_config()
    db = open_database(db_path)
    try:
        faq = FaqStore(db, LawStore(db))
        items = review_items(db, faq, FaqIndex(faq), system_now(), days, limit)
    finally:
        db.close()
    click.echo(render_review(items, config.tz, days, limit))
    if any(item.candidate is not None for item in items):
        click.echo(t.REVIEW_HINT)
