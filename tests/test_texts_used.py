"""Every text in bot/texts and knowledge/texts.py is said by some code: none is left behind.

A name counts as used when the code (bot/, knowledge/, the web pages' templates and scripts,
tests excluded) mentions it outside its own definition. Names are matched as words, so a text
whose name another module also defines can hide; a missing one never passes unnoticed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_MODULES = [*sorted((ROOT / "bot" / "texts").glob("*.py")), ROOT / "knowledge" / "texts.py"]


def defined(path: Path) -> dict[str, tuple[int, int]]:
    """Top-level names of a texts module with the lines (first, last) defining them."""
    found: dict[str, tuple[int, int]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.FunctionDef):
            found[node.name] = (node.lineno, node.end_lineno or node.lineno)
        for target in targets:
            if isinstance(target, ast.Name):
                found[target.id] = (node.lineno, node.end_lineno or node.lineno)
    return found


def code_except(path: Path) -> str:
    """Every source text that may say a text, but ``path`` itself."""
    sources = [
        *(ROOT / "bot").rglob("*.py"), *(ROOT / "knowledge").rglob("*.py"),
        *(ROOT / "bot").rglob("*.html"), *(ROOT / "bot").rglob("*.js"),
    ]
    return "\n".join(p.read_text(encoding="utf-8") for p in sources if p != path)


def unused_names(path: Path, elsewhere: str) -> list[str]:
    """Names ``path`` defines that neither ``elsewhere`` nor its other definitions mention."""
    lines = path.read_text(encoding="utf-8").split("\n")
    unused = []
    for name, (first, last) in defined(path).items():
        rest = "\n".join(lines[: first - 1] + lines[last:])
        word = re.compile(rf"\b{re.escape(name)}\b")
        if not word.search(elsewhere) and not word.search(rest):
            unused.append(name)
    return unused


def test_every_text_is_used_somewhere() -> None:
    unused = {
        f"{path.relative_to(ROOT)}:{name}"
        for path in TEXT_MODULES
        for name in unused_names(path, code_except(path))
    }
    assert not unused, f"texts nothing says: {sorted(unused)}"


def test_the_check_sees_an_unused_text(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text('USED = "用"\nLEFT = "剩"\nBOTH = USED + "！"\n', encoding="utf-8")
    assert unused_names(module, "print(t.BOTH)") == ["LEFT"]
