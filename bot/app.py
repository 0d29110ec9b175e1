"""The composition root: the only place that opens the database and builds the services."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlite_utils

from bot import accounts, console_notes, questions, store, worklog
from bot.channels import web_store
from bot.config import DEFAULT_RETAIN_DAYS, Config
from bot.desk import appointments, org, org_cache
from bot.runner import ChannelRunner
from knowledge import schema
from knowledge.db import Migrations, open_db

if TYPE_CHECKING:
    from bot.conversation import Index
    from bot.service import Service

# Order matters: later owners may reference earlier owners' tables.
MIGRATIONS: tuple[Migrations, ...] = (
    schema.migrations, org.migrations, store.migrations, questions.migrations,
    worklog.migrations, web_store.migrations, appointments.migrations,
    accounts.migrations, console_notes.migrations, org_cache.migrations,
)


def open_database(path: str | Path | None) -> sqlite_utils.Database:
    """Open the database at ``path`` (memory when None) with every migration applied."""
    db = open_db(path)
    for migrations in MIGRATIONS:
        migrations.apply(db)
    return db


def build_service(
    db: sqlite_utils.Database,
    tz: ZoneInfo,
    index: Index | None = None,
    retain_days: int = DEFAULT_RETAIN_DAYS,
) -> Service:
    """The service with every collaborator built once (``index``: the FAQ index by default)."""
    from bot.booking import Booking
    from bot.conversation import Conversation
    from bot.desk.appointments import Appointments
    from bot.desk.commands import Desk
    from bot.desk.outbox import Outbox
    from bot.desk.staff import Staff
    from bot.desk.tickets import Tickets
    from bot.escalation import Escalation
    from bot.faq_index import FaqIndex
    from bot.legal_aid import LegalAidCheck
    from bot.questions import QuestionLog
    from bot.residents import Residents
    from bot.service import Service
    from bot.worklog import WorkLog
    from knowledge.faq import FaqStore
    from knowledge.laws import LawStore

    laws = LawStore(db)
    faq = FaqStore(db, laws)
    index = index if index is not None else FaqIndex(faq)
    tickets = Tickets(db)
    residents = Residents(db)
    questions = QuestionLog(db)
    escalation = Escalation(tz, tickets, residents, questions)
    return Service(
        db,
        tz,
        org=org_cache.OrgCache(db),
        faq=faq,
        index=index,
        outbox=Outbox(db),
        tickets=tickets,
        residents=residents,
        conversation=Conversation(
            db, tz, faq, index, laws, tickets, residents, questions,
            escalation,
            Booking(tz, Appointments(db)),
            LegalAidCheck(tz, escalation, WorkLog(db), residents),
        ),
        desk=Desk(tickets, tz, faq),
        staff=Staff(db, tz, faq, index, questions),
        retain_days=retain_days,
    )


def build_channels(
    config: Config, service: Service, db_path: str | Path | None = None
) -> list[ChannelRunner]:
    """Build every network channel the configuration enables (none: an empty list).

    ``db_path``: the database file, for the web chat's ``GET /healthz`` (absent without it).
    """
    channels: list[ChannelRunner] = []
    if config.telegram_enabled:
        from bot.channels.telegram import TelegramChannel

        assert config.telegram_token is not None
        channels.append(
            TelegramChannel(service, config.telegram_token, base_url=config.telegram_base_url)
        )
    if config.matrix_enabled:
        from bot.channels.matrix import MatrixChannel

        assert config.matrix_homeserver is not None and config.matrix_user_id is not None
        channels.append(
            MatrixChannel(
                service,
                config.matrix_homeserver,
                config.matrix_user_id,
                password=config.matrix_password,
                access_token=config.matrix_access_token,
            )
        )
    if config.web_enabled:
        from bot.channels.web import WebChannel

        assert config.web_host is not None and config.web_port is not None
        health = None
        if db_path is not None:  # GET /healthz: what `lawbot status` reports
            from bot.ops.health import report_for

            health = partial(report_for, Path(db_path), config.backup_dir is not None)
        pages = web_store.WebStore(service.db)
        channels.append(
            WebChannel(service, pages, config.web_host, config.web_port, health=health)
        )
    return channels
