"""The dependency direction of DESIGN.md, enforced by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("bot", "knowledge", "matcher")


def imports_of(path: Path) -> set[str]:
    """Every absolute module name imported by the file at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def project_imports(path: Path) -> set[str]:
    return {name for name in imports_of(path) if name.split(".")[0] in PROJECT}


def test_matcher_imports_nothing_of_the_project() -> None:
    for path in modules("matcher"):
        bad = {n for n in project_imports(path) if not n.startswith("matcher")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_knowledge_imports_nothing_of_the_project() -> None:
    for path in modules("knowledge"):
        bad = {n for n in project_imports(path) if not n.startswith("knowledge")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_channels_never_import_each_other() -> None:
    channels = ROOT / "bot" / "channels"
    for path in sorted(channels.glob("*.py")):
        own = f"bot.channels.{path.stem.split('_')[0]}"  # matrix_sender.py belongs to matrix
        bad = {
            n
            for n in project_imports(path)
            if n.startswith("bot.channels.") and not n.startswith(own)
        }
        assert not bad, f"{path.relative_to(ROOT)} imports another channel: {sorted(bad)}"


def test_only_the_composition_root_and_cli_import_channels() -> None:
    allowed = {ROOT / "bot" / "app.py"} | set((ROOT / "bot" / "cli").glob("*.py"))
    for path in modules("bot"):
        if path in allowed or path.parent.name == "channels":
            continue
        bad = {n for n in project_imports(path) if n.startswith("bot.channels")}
        assert not bad, f"{path.relative_to(ROOT)} imports a channel: {sorted(bad)}"


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from bot.conversation import X\nimport knowledge.faq\n")
    assert {"bot.conversation", "knowledge.faq"} <= imports_of(sample)


def test_texts_import_nothing_of_the_project() -> None:
    for path in modules("bot/texts"):
        assert not project_imports(path), f"{path.relative_to(ROOT)} imports the project"


def test_only_the_composition_root_builds_the_service() -> None:
    for path in modules("bot"):
        if path == ROOT / "bot" / "app.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            node for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id
            in ("Service", "Residents", "QuestionLog", "Conversation", "Escalation")
        ]
        assert not calls, f"{path.relative_to(ROOT)} builds {calls[0].func.id}"  # type: ignore[attr-defined]


def test_the_conversation_is_one_class_and_commands_one_table() -> None:
    assert not (ROOT / "bot" / "conversation_commands.py").exists()
    tree = ast.parse((ROOT / "bot" / "conversation.py").read_text(encoding="utf-8"))
    [conversation] = [
        n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Conversation"
    ]
    assert conversation.bases == []  # no mixin
    for path in modules("bot"):  # command-name tuples live only in bot/commands.py
        if path == ROOT / "bot" / "commands.py":
            continue
        text = path.read_text(encoding="utf-8")
        for old in ("DESK_COMMANDS", "STAFF_COMMANDS", "is_staff_command"):
            assert old not in text, f"{path.relative_to(ROOT)} keeps its own {old}"


CORE = ("conversation.py", "escalation.py", "service.py", "replies.py", "threads.py", "commands.py",
        "smalltalk.py", "messages.py", "app.py", "desk/commands.py", "desk/notices.py",
        "cli/chat.py", "cli/tickets.py")


def test_the_core_writes_no_chinese_for_people() -> None:
    """What people read lives in bot/texts (docstrings and comments may say anything)."""
    for name in CORE:
        path = ROOT / "bot" / name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings:
                assert not any("\u4e00" <= c <= "\u9fff" for c in node.value), (
                    f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
                )


RESIDENT_CHANNELS = sorted(
    path
    for pattern in ("telegram*.py", "matrix*.py", "web.py", "web_app.py", "web_store.py",
                    "web_guard.py", "terminal.py")
    for path in (ROOT / "bot" / "channels").glob(pattern)
)
BEHIND_THE_CORE = ("bot.service", "bot.desk.org", "bot.store", "bot.residents", "sqlite_utils")


def test_resident_channels_see_only_the_core_protocol() -> None:
    """Resident channels talk to bot.channel_core.Core, never to the database or the org model.

    The rule: web_store.py alone keeps its own table (the pages' histories), so it alone may
    import sqlite_utils; the composition root builds it on the database and hands it to the
    web channel. The staff console (web_console*.py) is a staff UI, not a resident channel.
    """
    assert len(RESIDENT_CHANNELS) >= 11  # the glob still finds the channel modules
    contract = project_imports(ROOT / "bot" / "channel_core.py")
    assert all(n.startswith("bot.messages") for n in contract), contract  # the protocol stays small
    for path in RESIDENT_CHANNELS:
        allowed = {"sqlite_utils"} if path.name == "web_store.py" else set()
        names = imports_of(path)
        bad = {
            n for n in names
            if any(n == b or n.startswith(b + ".") for b in BEHIND_THE_CORE) and n not in allowed
        }
        assert not bad, f"{path.relative_to(ROOT)} reaches behind the core: {sorted(bad)}"
        if path.name != "web_store.py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            reached = [
                node.lineno for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and node.attr in ("db", "residents")
            ]
            assert not reached, f"{path.relative_to(ROOT)}:{reached[0]} reaches the database"
