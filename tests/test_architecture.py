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
