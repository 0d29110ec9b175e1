"""Split the held-out questions into a tuning part and a reporting part, deterministically.

Reads eval/heldout_all.jsonl and writes eval/heldout_tune.jsonl and eval/heldout_report.jsonl.
Stratified by expected entry: every entry with two or more questions has at least one in each
part; uncovered questions (expected null) are split evenly. The order inside a group comes
from a hash of the question text, so re-running gives the same split.

    .venv/bin/python eval/split.py
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
RELABELLED = HERE / "relabelled.jsonl"


def labels_at_split(path: Path = RELABELLED) -> dict[str, object]:
    """Question → the label it had when the split was made, for relabelled questions."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {str(row["question"]): row["was"] for row in rows}


def stable_key(question: str) -> str:
    """A stable pseudo-random order for questions."""
    return hashlib.sha256(question.encode("utf-8")).hexdigest()


def split(rows: list[dict[str, object]]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Return (tune, report), alternating inside each expected-entry group."""
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    earlier = labels_at_split()
    for row in rows:
        question = str(row["question"])
        groups[str(earlier[question] if question in earlier else row["expected"])].append(row)
    tune: list[dict[str, object]] = []
    report: list[dict[str, object]] = []
    flip = 0
    for expected in sorted(groups):
        members = sorted(groups[expected], key=lambda r: stable_key(str(r["question"])))
        for i, row in enumerate(members):
            (tune if (i + flip) % 2 == 0 else report).append(row)
        flip += len(members) % 2  # odd groups alternate which side gets the extra one
    return tune, report


def write(path: Path, rows: list[dict[str, object]]) -> None:
    """Write rows as JSONL, keeping Chinese readable."""
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    """Split heldout_all.jsonl and print the counts."""
    with (HERE / "heldout_all.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    tune, report = split(rows)
    write(HERE / "heldout_tune.jsonl", tune)
    write(HERE / "heldout_report.jsonl", report)
    for name, part in (("tune", tune), ("report", report)):
        nulls = sum(r["expected"] is None for r in part)
        print(f"{name}: {len(part)} questions, {nulls} uncovered (expected null)")


if __name__ == "__main__":
    main()
