"""Match quality: our matcher against plain jieba TF-IDF and rank_bm25, on every eval set.

    .venv/bin/python benchmarks/match_quality.py          # the report table
    .venv/bin/python benchmarks/match_quality.py --tune   # search thresholds on the tuning split

Data: the starter FAQ (knowledge/starter/*.yaml, read directly: the matcher is pure), the
held-out split (eval/heldout_tune.jsonl to tune, eval/heldout_report.jsonl to report) and the
out-of-scope sets in ../shared/data/eval (even lines tune, odd lines report). Until the held-out
set exists, in-scope quality is estimated by leave-one-alternate-out on the starter FAQ.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.faq_index import to_document  # noqa: E402
from knowledge.seed import read_starter  # noqa: E402
from matcher import Document, Matcher, Thresholds  # noqa: E402
from matcher.decide import decide  # noqa: E402
from matcher.index import Weights  # noqa: E402

STARTER = ROOT / "knowledge" / "starter"
HELDOUT = ROOT / "eval"
SHARED_EVAL = ROOT.parent / "shared" / "data" / "eval"
OOS_SETS = ("oos_crosswoz_requests", "oos_chitchat", "oos_encyclopedia", "oos_medical")


def load_starter(folder: Path = STARTER) -> list[Document]:
    """Every starter FAQ entry as a matcher Document, as the bot's index sees it."""
    entries, errors = read_starter(folder)
    if errors:
        raise SystemExit(f"{folder}: {errors[0]}")
    return [to_document(e) for e in entries]


def load_jsonl(path: Path) -> list[dict[str, object]]:
    """The rows of a JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def half(rows: list[dict[str, object]], part: str) -> list[dict[str, object]]:
    """The tuning (even lines) or reporting (odd lines) half of an unlabelled set."""
    return rows[0::2] if part == "tune" else rows[1::2]


@dataclass(frozen=True)
class Labelled:
    """One evaluation question: text and the expected entry id (None: must not be answered)."""

    question: str
    expected: str | None


def leave_one_out(docs: list[Document]) -> list[tuple[list[Document], list[Labelled]]]:
    """Folds: fold j removes every entry's j-th alternate and asks it as a question."""
    folds = []
    width = max((len(d.alternates) for d in docs), default=0)
    for j in range(width):
        kept = [
            replace(d, alternates=tuple(a for i, a in enumerate(d.alternates) if i != j))
            for d in docs
        ]
        asked = [Labelled(d.alternates[j], d.id) for d in docs if len(d.alternates) > j]
        folds.append((kept, asked))
    return folds


def datasets(part: str, docs: list[Document]) -> dict[str, tuple[list[Document], list[Labelled]]]:
    """Evaluation sets by name → (docs to index, questions), for the tune or report part."""
    sets: dict[str, tuple[list[Document], list[Labelled]]] = {}
    heldout = HELDOUT / f"heldout_{part}.jsonl"
    if heldout.exists():
        rows = load_jsonl(heldout)
        qs = [Labelled(str(r["question"]), r.get("expected")) for r in rows]  # type: ignore[arg-type]
        sets["heldout in-scope"] = (docs, [q for q in qs if q.expected])
        sets["heldout uncovered legal"] = (docs, [q for q in qs if not q.expected])
    # the second and third reporting sets, each written later by new authors (eval/README.md)
    for name in ("fresh", "third"):
        later = HELDOUT / f"heldout_{name}.jsonl"
        if part == "report" and later.exists():
            rows = load_jsonl(later)
            qs = [Labelled(str(r["question"]), r.get("expected")) for r in rows]  # type: ignore[arg-type]
            sets[f"{name} uncovered legal"] = (docs, [q for q in qs if not q.expected])
            sets[f"{name} in-scope"] = (docs, [q for q in qs if q.expected])
    for name in OOS_SETS:
        rows = half(load_jsonl(SHARED_EVAL / f"{name}.jsonl"), part)
        sets[name] = (docs, [Labelled(str(r["question"]), None) for r in rows])
    rows = half(load_jsonl(SHARED_EVAL / "legal_user_questions.jsonl"), part)
    sets["legal_user_questions (unlabelled)"] = (
        docs,
        [Labelled(str(r["question"]), None) for r in rows],
    )
    return sets


# --- systems: each maps docs to a ranker: question -> [(id, score)] best first -----------

Ranker = Callable[[str], list[tuple[str, float]]]


# Our matcher's coverage of each question by its best entry (Index.coverage), by question
# text: the decision needs it beside the scores. Filled as ``ours`` ranks.
COVERAGE: dict[str, float] = {}
# The nearest uncovered topic's confidence for each question (0 without topics), likewise.
TOPIC: dict[str, float] = {}
# The confidences (Candidate.confidence) of our best two entries, which the decision weighs
# (the scores in a run rank the entries).
CONFIDENCE: dict[str, tuple[float, float]] = {}


def ours(weights: Weights | None = None, topics: bool = True) -> Callable[[list[Document]], Ranker]:
    """Our matcher's ranking (decisions are applied separately, with thresholds)."""

    def build(docs: list[Document]) -> Ranker:
        m = Matcher.build(docs, weights=weights, topics=None if topics else ())
        position = {d.id: i for i, d in enumerate(docs)}

        def rank(q: str) -> list[tuple[str, float]]:
            result = m.match(q, k=5)
            top = result.top
            query = m.index.query(q)[1]
            if top and not query.empty:
                COVERAGE[q] = m.index.coverage(position[top[0].id], query)
            TOPIC[q] = result.topic_score
            CONFIDENCE[q] = (
                top[0].confidence if top else 0.0,
                top[1].confidence if len(top) > 1 else 0.0,
            )
            return [(c.id, c.score) for c in top]

        return rank

    return build


@functools.lru_cache(maxsize=1)
def _plain_jieba() -> Callable[[str], list[str]]:
    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return lambda text: [w for w in tok.lcut(text) if w.strip()]


def plain_tfidf(docs: list[Document]) -> Ranker:
    """Baseline: scikit-learn TF-IDF over plain jieba tokens of the canonical questions only."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    cut = _plain_jieba()
    vec = TfidfVectorizer(analyzer=cut)
    matrix = vec.fit_transform([d.question for d in docs])
    ids = [d.id for d in docs]

    def rank(q: str) -> list[tuple[str, float]]:
        scores = (matrix @ vec.transform([q]).T).toarray().ravel()
        top = np.argsort(-scores, kind="stable")[:5]
        return [(ids[i], float(scores[i])) for i in top]

    return rank


def bm25(docs: list[Document]) -> Ranker:
    """Baseline: rank_bm25 BM25Okapi over plain jieba tokens of every phrasing (best wins)."""
    from rank_bm25 import BM25Okapi

    cut = _plain_jieba()
    owner: list[int] = []
    corpus: list[list[str]] = []
    for i, d in enumerate(docs):
        for text in (d.question, *d.alternates):
            owner.append(i)
            corpus.append(cut(text) or [""])
    engine = BM25Okapi(corpus)
    owners = np.asarray(owner)
    ids = [d.id for d in docs]

    def rank(q: str) -> list[tuple[str, float]]:
        rows = engine.get_scores(cut(q))
        best = np.full(len(docs), -np.inf)
        np.maximum.at(best, owners, rows)
        top = np.argsort(-best, kind="stable")[:5]
        return [(ids[i], float(best[i])) for i in top]

    return rank


# --- scoring runs and decisions -----------------------------------------------------------

Run = list[tuple[Labelled, list[tuple[str, float]]]]


def run(
    system: Callable[[list[Document]], Ranker],
    data: tuple[list[Document], list[Labelled]],
    folds: list[tuple[list[Document], list[Labelled]]] | None = None,
) -> Run:
    """Rank every question of a set (or of every leave-one-out fold)."""
    parts = folds if folds is not None else [data]
    out: Run = []
    for docs, questions in parts:
        rank = system(docs)
        out.extend((q, rank(q.question)) for q in questions)
    return out


Decider = Callable[[str, list[tuple[str, float]]], str]


def ours_decider(t: Thresholds) -> Decider:
    """Our decision rule on a ranking."""

    def decider(q: str, top: list[tuple[str, float]]) -> str:
        best, second = CONFIDENCE.get(q, (0.0, 0.0))
        coverage, topic = COVERAGE.get(q, 0.0), TOPIC.get(q, 0.0)
        return (
            decide(best, second, t, coverage, topic).decision
            if top and top[0][1] > 0
            else "escalate"
        )

    return decider


def threshold_decider(answer: float) -> Decider:
    """A baseline's rule: answer at or above one threshold, otherwise escalate."""
    return lambda q, top: "answer" if top and top[0][1] >= answer and top[0][1] > 0 else "escalate"


@dataclass(frozen=True)
class Row:
    """Figures of one system on one set (shares; ranking figures only when labelled)."""

    n: int
    top1: float | None
    top3: float | None
    mrr: float | None
    right: float
    wrong: float
    suggested: float
    escalated: float


def figures(results: Run, decider: Decider) -> Row:
    """Ranking and decision shares over a run."""
    n = len(results) or 1
    labelled = any(q.expected for q, _ in results)
    ranks: list[int | None] = []
    right = wrong = suggested = escalated = 0
    for q, top in results:
        ids = [i for i, s in top if s > 0]
        rank = ids.index(q.expected) + 1 if q.expected in ids else None
        ranks.append(rank)
        d = decider(q.question, top)
        if d == "answer":
            if q.expected and rank == 1:
                right += 1
            else:
                wrong += 1
        suggested += d == "suggest"
        escalated += d == "escalate"
    return Row(
        n=len(results),
        top1=sum(r == 1 for r in ranks) / n if labelled else None,
        top3=sum(r is not None and r <= 3 for r in ranks) / n if labelled else None,
        mrr=sum(1 / r for r in ranks if r) / n if labelled else None,
        right=right / n,
        wrong=wrong / n,
        suggested=suggested / n,
        escalated=escalated / n,
    )


def collect(
    part: str, systems: dict[str, Callable[[list[Document]], Ranker]]
) -> dict[str, dict[str, Run]]:
    """Runs of every system on every set of ``part`` (in-scope by held-out or leave-one-out)."""
    docs = load_starter()
    sets = datasets(part, docs)
    if "heldout in-scope" not in sets:
        folds = leave_one_out(docs)
        # Alternates of even / odd position: tune and report never share a question.
        chosen = folds[0::2] if part == "tune" else folds[1::2]
        sets = {"leave-one-alternate-out in-scope": (docs, []), **sets}
    runs: dict[str, dict[str, Run]] = {}
    for sname, system in systems.items():
        runs[sname] = {}
        for dname, data in sets.items():
            if dname.startswith("leave-one"):
                runs[sname][dname] = run(system, data, chosen)
            else:
                runs[sname][dname] = run(system, data)
    return runs


def in_scope_name(runs: dict[str, Run]) -> str:
    """The name of the in-scope set in these runs."""
    return next(n for n in runs if n.endswith("in-scope"))


NON_LEGAL = OOS_SETS


def _above_share(
    runs: dict[str, Run], names: Sequence[str], share: float, ours: bool = False
) -> float:
    """Lowest threshold that leaves at most ``share`` of each set's best scores (with ``ours``:
    our best entries' confidences, which the decision weighs) at or above it."""
    t = 0.0
    for name in names:
        if ours:
            best = sorted((CONFIDENCE[q.question][0] for q, top in runs[name] if top), reverse=True)
        else:
            best = sorted((top[0][1] for _, top in runs[name] if top), reverse=True)
        allowed = int(share * len(runs[name]))
        if allowed < len(best):
            t = max(t, float(np.nextafter(best[allowed], np.inf)))
    return t


def baseline_threshold(runs: dict[str, Run]) -> float:
    """A baseline's answer threshold: at most 1% of every non-legal tuning set answered."""
    return _above_share(runs, NON_LEGAL, 0.01)


@dataclass(frozen=True)
class Tuned:
    """Chosen thresholds and the tuning figures that justify them."""

    setting: float
    thresholds: Thresholds
    in_scope: Row
    notes: list[str]


def _best_two(run: Run) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Best and runner-up confidences, the best entry's coverage and the nearest uncovered
    topic's confidence, of every question of a run."""
    first = np.array([CONFIDENCE.get(q.question, (0.0, 0.0))[0] for q, _ in run])
    second = np.array([CONFIDENCE.get(q.question, (0.0, 0.0))[1] for q, _ in run])
    coverage = np.array([COVERAGE.get(q.question, 0.0) for q, _ in run])
    topic = np.array([TOPIC.get(q.question, 0.0) for q, _ in run])
    return first, second, coverage, topic


def _answered(
    first: np.ndarray,
    second: np.ndarray,
    coverage: np.ndarray,
    topic: np.ndarray,
    answer: float,
    margin: float,
    least: float,
    topic_margin: float,
) -> np.ndarray:
    """The same rule as matcher.decide, on every question at once."""
    uncovered = (topic > 0) & (topic >= first + topic_margin)
    return (
        (first > 0)
        & (first >= answer)
        & (first - second >= margin)
        & (coverage >= least)
        & ~uncovered
    )


FOLDS = 2  # cross-validation folds inside the tuning split
# Each fold must meet half of every limit (wrong <= 1%, non-legal <= 0.5%, uncovered legal
# <= 2.5%). A fold holds 42 uncovered and ~97 in-scope questions, so one question is 1-2.4
# points; and the last round, tuned at the full limits, went from 2.4% uncovered legal
# answered on the tuning folds to 13.1% on the reporting split. Half the limit leaves room.
SAFETY = 0.5
MARGINS = (0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.2, 0.25, 0.3)
# Lead of the nearest uncovered topic over the best entry that escalates (9.99: never).
TOPIC_MARGINS = (-0.10, -0.06, -0.04, -0.02, 0.0, 0.02, 0.04, 0.08, 9.99)


def _fold_of(run: Run) -> np.ndarray:
    """Fold of each question: labelled ones by expected id (one entry, one fold), others by
    position."""
    return np.array(
        [
            zlib.crc32(q.expected.encode()) % FOLDS if q.expected else i % FOLDS
            for i, (q, _) in enumerate(run)
        ]
    )


def tune(runs_by_share: dict[float, dict[str, Run]]) -> Tuned:
    """Search word share, answer threshold, margin and coverage; then the suggest threshold.

    Constraints, on each of 2 folds of the held-out tuning split (split by expected id; the
    non-legal sets whole in both): wrong direct answers <= 2% of in-scope questions; every
    non-legal set answered <= 1%; uncovered legal questions (when labelled) answered <= 5%;
    each limit times SAFETY.
    Objective: most in-scope questions answered correctly, averaged over the folds. The
    suggest threshold is then the lowest that keeps every non-legal set's suggestions +
    answers <= 5%.
    """
    best: tuple[float, float, Thresholds, Row] | None = None
    for share, runs in runs_by_share.items():
        inside = runs[in_scope_name(runs)]
        tops = {name: _best_two(run) for name, run in runs.items()}
        limits = {name: 0.01 * SAFETY for name in NON_LEGAL}
        folds = {name: np.zeros(len(run), dtype=int) - 1 for name, run in runs.items()}
        if "heldout uncovered legal" in runs:
            limits["heldout uncovered legal"] = 0.05 * SAFETY
            folds["heldout uncovered legal"] = _fold_of(runs["heldout uncovered legal"])
        if in_scope_name(runs) == "heldout in-scope":
            folds["heldout in-scope"] = _fold_of(inside)
        fold_ids = sorted({int(f) for f in folds[in_scope_name(runs)]})
        hit = np.array([bool(top) and top[0][0] == q.expected for q, top in inside])
        for answer, margin, least, topic_margin in itertools.product(
            np.arange(0.10, 0.90, 0.01),
            # Margins from 0.04: the margin rule (close pairs get suggestions) is a requirement,
            # not a free parameter. Margin 0.0 would win on the folds (72.2% right against
            # 69.1%) but leaves the whole split's uncovered legal answered at 4.8%, the edge.
            MARGINS,
            np.arange(0.0, 0.9, 0.05),
            TOPIC_MARGINS,
        ):
            answer, least = round(float(answer), 2), round(float(least), 2)
            said = {
                name: _answered(*tops[name], answer, margin, least, topic_margin) for name in tops
            }
            rights: list[float] = []
            for fold in fold_ids:
                chosen = {name: (folds[name] == fold) | (folds[name] < 0) for name in tops}
                if any(said[name][chosen[name]].mean() > limit for name, limit in limits.items()):
                    break
                mine = chosen[in_scope_name(runs)]
                answered = said[in_scope_name(runs)][mine]
                if (answered & ~hit[mine]).mean() > 0.02 * SAFETY:
                    break
                rights.append(float((answered & hit[mine]).mean()))
            else:
                right = float(np.mean(rights))
                if best is None or (right, -answer) > (best[0], -best[2].answer):
                    t = Thresholds(
                        answer=answer,
                        suggest=0.0,
                        margin=margin,
                        coverage=least,
                        topic_margin=topic_margin,
                    )
                    best = (right, share, t, figures(inside, ours_decider(t)))
    assert best is not None, "no thresholds meet the constraints"
    _, share, t, _ = best
    runs = runs_by_share[share]
    suggest = min(_above_share(runs, NON_LEGAL, 0.05, ours=True), t.answer)
    t = replace(t, suggest=round(math.ceil(suggest * 100) / 100, 2))
    chosen_row = figures(runs[in_scope_name(runs)], ours_decider(t))
    notes = [
        f"{name}: answered {figures(runs[name], ours_decider(t)).wrong:.1%}, suggested "
        f"{figures(runs[name], ours_decider(t)).suggested:.1%}"
        for name in runs
        if not name.endswith("in-scope")
    ]
    return Tuned(share, t, chosen_row, notes)


# --- output ----------------------------------------------------------------------------------


def pct(x: float | None) -> str:
    """A share as a percentage, or a dash."""
    return "-" if x is None else f"{x:.1%}"


def table(rows: list[tuple[str, str, Row]]) -> str:
    """A Markdown table of figures."""
    head = (
        "| set | system | n | top-1 | top-3 | MRR | answered right | answered wrong "
        "| suggested | escalated |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for dname, sname, r in rows:
        mrr = "-" if r.mrr is None else f"{r.mrr:.3f}"
        lines.append(
            f"| {dname} | {sname} | {r.n} | {pct(r.top1)} | {pct(r.top3)} | {mrr} | "
            f"{pct(r.right)} | {pct(r.wrong)} | {pct(r.suggested)} | {pct(r.escalated)} |"
        )
    return "\n".join(lines)


# Values of Weights.oov to compare (add more to search; the default is the chosen one).
OOV_SETTINGS = (Weights().oov,)


def main() -> None:
    """Print the tuning search (with --tune) or the report table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune", action="store_true", help="search thresholds on the tuning split")
    args = parser.parse_args()
    if args.tune:
        runs_by_share = {
            s: collect("tune", {"ours": ours(Weights(oov=s))})["ours"] for s in OOV_SETTINGS
        }
        for share, runs in runs_by_share.items():
            one = tune({share: runs})
            print(
                f"oov {share}: {one.thresholds}, in-scope right "
                f"{pct(one.in_scope.right)} wrong {pct(one.in_scope.wrong)} "
                f"top-1 {pct(one.in_scope.top1)}"
            )
        tuned = tune(runs_by_share)
        print(f"tuning split, in-scope set: {in_scope_name(runs_by_share[OOV_SETTINGS[0]])}")
        print(f"chosen: oov {tuned.setting}; {tuned.thresholds}")
        r = tuned.in_scope
        print(
            f"in-scope n={r.n}: top-1 {pct(r.top1)}, answered right {pct(r.right)}, "
            f"wrong {pct(r.wrong)}, suggested {pct(r.suggested)}, escalated {pct(r.escalated)}"
        )
        print("\n".join(tuned.notes))
        return
    systems = {
        "ours": ours(),
        "plain jieba TF-IDF (canonical only)": plain_tfidf,
        "rank_bm25 BM25Okapi": bm25,
    }
    tune_runs = collect("tune", {k: v for k, v in systems.items() if k != "ours"})
    deciders: dict[str, Decider] = {"ours": ours_decider(Thresholds())}
    for name, runs in tune_runs.items():
        deciders[name] = threshold_decider(baseline_threshold(runs))
    report = collect("report", systems)
    rows = [(d, s, figures(report[s][d], deciders[s])) for d in report["ours"] for s in systems]
    print("Reporting split (thresholds from the tuning split; baselines answer at or above the")
    print("lowest score that answers <= 1% of each non-legal tuning set, otherwise escalate).")
    print(f"Ours: {Thresholds()}\n")
    print(table(rows))


if __name__ == "__main__":
    main()
