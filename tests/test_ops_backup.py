"""Online backups and restores on real SQLite files: consistent under write load, verified,
rotated, and a restore that refuses (changing nothing) while the bot runs or the file is bad."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes import T0, ScriptedIndex, entry, load_org, msg

from bot.app import build_service, open_database
from bot.ops.backup import (
    OpsError,
    backup,
    backup_to_folder,
    check,
    dated_name,
    last_backup,
    restore,
)
from bot.ops.lock import RunLock
from bot.service import Service
from knowledge.faq import FaqStore

TZ = ZoneInfo("Asia/Shanghai")


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()




def org_tables(path: Path) -> list[str]:
    """The organisation's tables (owned by the ``org`` migrations)."""
    names = rows(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    bot_or_knowledge = {
        "messages", "residents", "tickets", "ticket_events", "outbox", "question_log",
        "channel_state", "laws", "law_sources", "faq", "faq_history", "faq_revision",
        "_migrations",
    }
    return [str(n) for (n,) in names if n not in bot_or_knowledge and not n.startswith("sqlite")]


def chat(service: Service, n: int, start: int = 0) -> None:
    """``n`` messages from 10 residents: each starts, then every question escalates."""
    for i in range(start, start + n):
        who = f"r{i % 10}"
        text = "/start xinhepu" if i < 10 else f"房东一直不肯退还我的押金，这是我第{i}次来问了"
        service.handle(msg(text, who=who), T0 + timedelta(seconds=i))


@pytest.fixture
def live(db_path: Path) -> Path:
    """A database file with the test organisation, an FAQ entry and some conversations."""
    db = open_database(db_path)
    load_org(db)
    FaqStore(db).add(entry("tenancy-deposit", "押金不退怎么办", "先协商。"), "test")
    chat(build_service(db, TZ, ScriptedIndex()), 40)
    db.close()
    return db_path


def test_a_backup_is_verified_standalone_and_recorded(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    report = backup(live, out, T0)
    assert report.path == out and report.size == out.stat().st_size
    assert report.counts["tickets"] == 10 and report.counts["faq_history"] == 1
    assert check(out) == report.counts
    assert not Path(f"{out}-wal").exists()  # a standalone file, safe to copy around
    assert rows(out, "PRAGMA journal_mode") == [("delete",)]
    db = open_database(live)
    assert last_backup(db) == (T0, str(out.resolve()))
    db.close()


def test_backing_up_a_missing_database_fails_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(OpsError, match="不存在"):
        backup(tmp_path / "none.db", tmp_path / "out.db", T0)
    assert sorted(tmp_path.iterdir()) == []


def test_dated_backups_in_a_folder_keep_only_the_newest(live: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    moments = [T0 + timedelta(days=d) for d in range(4)]
    reports = [backup_to_folder(live, folder, 2, now) for now in moments]
    assert sorted(p.name for p in folder.iterdir()) == [dated_name(m) for m in moments[2:]]
    assert [len(r.removed) for r in reports] == [0, 0, 1, 1]
    assert dated_name(T0) == "lawbot-20261201-020000.db"
    (folder / "notes.txt").write_text("kept", encoding="utf-8")  # not ours: never removed
    backup_to_folder(live, folder, 1, T0 + timedelta(days=9))
    assert sorted(p.name for p in folder.iterdir()) == [
        dated_name(T0 + timedelta(days=9)), "notes.txt"
    ]


def test_restore_replaces_the_database_and_keeps_the_old_one_aside(
    live: Path, tmp_path: Path
) -> None:
    out = tmp_path / "copy.db"
    backup(live, out, T0)
    db = open_database(live)
    chat(build_service(db, TZ, ScriptedIndex()), 20, start=40)  # changes after the backup
    db.close()
    before = rows(live, "SELECT count(*) FROM ticket_events")
    assert out.stat().st_mode & 0o777 == 0o600  # personal data
    live.chmod(0o640)
    report = restore(out, live, T0 + timedelta(hours=1))
    assert live.stat().st_mode & 0o777 == 0o640  # the replaced file's mode
    assert report.aside == live.with_name("lawbot.db.replaced-20261201-030000")
    assert rows(report.aside, "SELECT count(*) FROM ticket_events") == before
    assert rows(live, "SELECT * FROM ticket_events") == rows(out, "SELECT * FROM ticket_events")
    assert check(live)["tickets"] == 10


def snapshot(path: Path) -> bytes:
    """The database's bytes, its WAL folded in (what 'unchanged' means for a refusal)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


def test_restore_refuses_while_the_bot_holds_the_lock(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    backup(live, out, T0)
    db = open_database(live)
    chat(build_service(db, TZ, ScriptedIndex()), 5, start=40)
    db.close()
    before = snapshot(live)
    with RunLock.acquire(live), pytest.raises(OpsError, match="正在使用"):
        restore(out, live, T0)
    assert live.read_bytes() == before
    assert sorted(p.name for p in live.parent.iterdir() if "replaced" in p.name) == []


@pytest.mark.parametrize("kind", ["garbage", "truncated", "not lawbot"])
def test_restore_refuses_a_bad_file_and_changes_nothing(
    live: Path, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / "bad.db"
    if kind == "garbage":
        bad.write_bytes(b"this is not a database" * 100)
    elif kind == "truncated":
        backup(live, bad, T0)
        bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    else:
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE t (x)")
        other.commit()
        other.close()
    before = snapshot(live)
    with pytest.raises(OpsError):
        restore(bad, live, T0)
    assert live.read_bytes() == before
    assert not live.with_name("lawbot.db.restoring").exists()
    assert sorted(p.name for p in live.parent.iterdir() if "replaced" in p.name) == []


# Each writer rests a millisecond between its writes: still hundreds of writes a second, but
# not a loop that holds the write lock nearly all the time. SQLite's lock is not fair: a
# writer polling for it (busy_timeout) can miss every free instant of such a loop for 5 s and
# fail with "database is locked", which once happened here on CI (the adviser's first edit,
# after 64,000 chats).
PACE = 0.001


def test_a_backup_under_write_load_restores_to_the_database_of_its_moment(
    live: Path, tmp_path: Path
) -> None:
    """Residents chat through the real Service and an adviser edits the FAQ in other threads
    while the backup runs; the restored database is the source as it was at one moment."""
    stop = threading.Event()
    errors: list[BaseException] = []
    progress = {"chat": 0, "faq": 0}
    moved = threading.Condition()

    def advance(key: str, value: int) -> None:
        with moved:
            progress[key] = value
            moved.notify_all()

    def wait(predicate: Callable[[], bool]) -> bool:
        with moved:
            return moved.wait_for(predicate, 60)

    def residents() -> None:
        db = open_database(live)
        service = build_service(db, TZ, ScriptedIndex())
        try:
            i = 40
            while not stop.is_set():
                chat(service, 1, start=i)
                i += 1
                advance("chat", i)
                stop.wait(PACE)
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            db.close()

    def adviser() -> None:
        db = open_database(live)
        faq = FaqStore(db)
        try:
            n = 0
            while not stop.is_set():
                n += 1
                faq.edit("tenancy-deposit", "王律师", answer=f"先协商，第{n}版。")
                advance("faq", n)
                stop.wait(PACE)
        except BaseException as error:
            errors.append(error)
        finally:
            db.close()

    workers = [threading.Thread(target=residents), threading.Thread(target=adviser)]
    for w in workers:
        w.start()
    try:
        assert wait(lambda: progress["chat"] > 100 and progress["faq"] > 10), (progress, errors)
        out = tmp_path / "under-load.db"
        report = backup(live, out, T0)
        with moved:
            at_backup = dict(progress)
        assert wait(lambda: progress["chat"] > at_backup["chat"] + 50), (progress, errors)
    finally:
        stop.set()
        for w in workers:
            w.join(30)
    assert errors == []
    # Nobody got the apology: no write failed for the other writers or the backup.
    assert rows(live, "SELECT count(*) FROM outbox WHERE text LIKE '%系统出了点问题%'") == [(0,)]
    fresh = tmp_path / "fresh" / "lawbot.db"
    restore(out, fresh, T0)
    assert check(fresh) == report.counts
    # The source went on after the backup: the restored database is a moment of it.
    assert rows(live, "SELECT count(*) FROM messages")[0][0] > report.counts["messages"]
    # FAQ history is append-only: the restored history is the source's first versions, and
    # the current entry is the last of them.
    history = rows(fresh, "SELECT * FROM faq_history ORDER BY id, version")
    assert history == rows(live, "SELECT * FROM faq_history ORDER BY id, version")[: len(history)]
    current = rows(fresh, "SELECT answer, version FROM faq")
    assert current == rows(fresh, "SELECT answer, version FROM faq_history ORDER BY version DESC"
                                  " LIMIT 1")
    # Tickets and their events: every restored one as in the source, each ticket complete.
    tickets = rows(fresh, "SELECT id, resident_id, community, team, question, created_at"
                          " FROM tickets ORDER BY id")
    source_tickets = rows(live, "SELECT id, resident_id, community, team, question, created_at"
                                " FROM tickets ORDER BY id")
    assert tickets == source_tickets[: len(tickets)]
    events = rows(fresh, "SELECT * FROM ticket_events ORDER BY id")
    assert events == rows(live, "SELECT * FROM ticket_events ORDER BY id")[: len(events)]
    # Every stored message was decided in the same moment: its replies are in the outbox.
    handled = rows(fresh, "SELECT count(*) FROM messages")[0][0]
    assert handled == report.counts["messages"] and handled > 100
    # The organisation is the same.
    for table in org_tables(fresh):
        assert rows(fresh, f'SELECT * FROM "{table}"') == rows(live, f'SELECT * FROM "{table}"')
    assert org_tables(fresh)



def test_the_backup_command_reports_what_it_wrote_and_refuses_bad_options(
    live: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    folder = tmp_path / "dated"
    done = CliRunner().invoke(
        cli, ["backup", "--out", str(folder), "--keep", "2", "--db", str(live)]
    )
    assert done.exit_code == 0, done.output
    (written,) = folder.glob("lawbot-*.db")
    assert str(written) in done.output and "tickets 10" in done.output
    zero = CliRunner().invoke(
        cli, ["backup", "--out", str(folder), "--keep", "0", "--db", str(live)]
    )
    assert zero.exit_code == 1 and "--keep 至少为 1" in zero.output
    a_file = tmp_path / "file.db"
    a_file.write_bytes(b"")
    on_file = CliRunner().invoke(
        cli, ["backup", "--out", str(a_file), "--keep", "2", "--db", str(live)]
    )
    assert on_file.exit_code == 1 and "文件夹" in on_file.output
    assert a_file.read_bytes() == b"" and list(folder.glob("lawbot-*.db")) == [written]
