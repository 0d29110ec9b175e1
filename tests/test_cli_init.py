"""`lawbot init [--demo] [--empty]` against real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CorpusCounts

from bot.app import open_database
from bot.cli.base import cli
from knowledge.faq import FaqStore
from knowledge.laws import LawStore
from knowledge.seed import STARTER_DIR, read_starter


def init(db: Path, *args: str, laws: Path | None = None) -> Result:
    env = {"LAWBOT_LAWS": str(laws) if laws else ""}
    return CliRunner().invoke(cli, ["init", *args, "--db", str(db)], env=env)


def test_init_loads_statutes_and_starter_faq(
    db_path: Path, laws_jsonl: Path, corpus: CorpusCounts
) -> None:
    result = init(db_path, laws=laws_jsonl)
    assert result.exit_code == 0, result.output
    assert f"法规：已导入 {corpus.articles} 条" in result.stdout
    starter, _ = read_starter(STARTER_DIR)
    db = open_database(db_path)
    assert LawStore(db).count() == corpus.articles
    assert FaqStore(db).count() == len(starter)
    assert f"FAQ：共 {len(starter)} 条" in result.stdout
    summary = f"法规 {corpus.articles} 条（{corpus.laws} 部法律法规），FAQ {len(starter)} 条"
    assert summary in result.stdout
    # sample content no adviser has reviewed: drafts, and the output says how to review
    assert FaqStore(db).published() == []
    assert len(FaqStore(db).unreviewed()) == len(starter)
    assert "lawbot faq list --unreviewed" in result.stdout


def test_demo_publishes_the_starter_faq(db_path: Path, laws_jsonl: Path) -> None:
    result = init(db_path, "--demo", laws=laws_jsonl)
    assert result.exit_code == 0, result.output
    starter, _ = read_starter(STARTER_DIR)
    store = FaqStore(open_database(db_path))
    assert len(store.published()) == len(starter)
    assert "演示模式" in result.stdout


def test_init_twice_is_fine_and_skips_the_same_corpus(
    db_path: Path, laws_jsonl: Path, corpus: CorpusCounts
) -> None:
    init(db_path, laws=laws_jsonl)
    db = open_database(db_path)
    revision = FaqStore(db).revision()
    db.close()
    again = init(db_path, laws=laws_jsonl)
    assert again.exit_code == 0, again.output
    assert "无需重新导入" in again.stdout
    assert "本次新增或更新 0 条" in again.stdout
    db = open_database(db_path)
    assert FaqStore(db).revision() == revision
    assert LawStore(db).count() == corpus.articles


def test_empty_loads_no_starter_faq(db_path: Path, laws_jsonl: Path) -> None:
    result = init(db_path, "--empty", laws=laws_jsonl)
    assert result.exit_code == 0, result.output
    assert FaqStore(open_database(db_path)).count() == 0
    assert "--empty" in result.stdout


def test_missing_corpus_says_how_to_load_statutes(db_path: Path, tmp_path: Path) -> None:
    result = init(db_path, "--empty", laws=tmp_path / "nowhere.jsonl")
    assert result.exit_code == 0, result.output
    assert "nowhere.jsonl" in result.stdout and "lawbot laws import" in result.stdout
    assert LawStore(open_database(db_path)).count() == 0


def test_default_corpus_lies_beside_the_checkout(
    tmp_path: Path, laws_jsonl: Path, corpus: CorpusCounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "main"
    checkout.mkdir()
    shared = tmp_path / "shared" / "data" / "laws"
    shared.mkdir(parents=True)
    (shared / "laws.jsonl").symlink_to(laws_jsonl)  # read where it lies, never copied
    monkeypatch.chdir(checkout)
    result = init(Path("data/lawbot.db"), "--empty")
    assert result.exit_code == 0, result.output
    assert f"已导入 {corpus.articles} 条" in result.stdout
    assert (checkout / "data" / "lawbot.db").exists()


def test_laws_option_and_lawbot_db_env(
    tmp_path: Path, laws_jsonl: Path, corpus: CorpusCounts
) -> None:
    db_file = tmp_path / "env.db"
    result = CliRunner().invoke(
        cli, ["init", "--empty", "--laws", str(laws_jsonl)],
        env={"LAWBOT_DB": str(db_file), "LAWBOT_LAWS": ""},
    )
    assert result.exit_code == 0, result.output
    assert LawStore(open_database(db_file)).count() == corpus.articles


def test_demo_loads_the_demo_organisation(db_path: Path, laws_jsonl: Path) -> None:
    result = init(db_path, "--demo", "--empty", laws=laws_jsonl)
    assert result.exit_code == 0, result.output
    assert "演示组织" in result.stdout
