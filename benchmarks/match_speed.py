"""Match speed: latency, build time and memory at 1,000 / 10,000 / 100,000 entries.

    .venv/bin/python benchmarks/match_speed.py [--sizes 1000,10000,100000]

Synthetic entries are built from the starter FAQ: each phrasing is a starter phrasing with
about a third of its words swapped for words of other starter phrasings (so phrasings are
distinct, of realistic length and vocabulary), and each answer is four sentences of starter
answers. Queries are the starter alternates and real residents' questions (legal_user_questions).
Everything runs on one core (BLAS threads pinned to 1). Baselines in the same run:
plain jieba + scikit-learn TF-IDF over canonical questions, and rank_bm25 BM25Okapi over jieba
tokens of every phrasing.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "eval"))

from match_quality import SHARED_EVAL, _plain_jieba, load_jsonl, load_starter  # noqa: E402

from matcher import Document, Matcher  # noqa: E402
from matcher.match import featurizer_for, shared_tokenizer  # noqa: E402
from matcher.normalize import normalize  # noqa: E402


def synthetic(n: int, seed: int = 7) -> list[Document]:
    """``n`` realistic entries recombined from the starter FAQ."""
    rng = random.Random(seed)
    starter = load_starter()
    cut = functools.lru_cache(maxsize=None)(lambda text: tuple(_plain_jieba()(text)))
    phrasings = [cut(p) for d in starter for p in (d.question, *d.alternates)]
    pool = [w for p in phrasings for w in p]
    sentences = [s + "。" for d in starter for s in d.answer.split("。") if s]
    docs = []
    for i in range(n):
        base = starter[i % len(starter)]
        texts = []
        for text in (base.question, *base.alternates):
            words = cut(text)
            texts.append("".join(rng.choice(pool) if rng.random() < 0.33 else w for w in words))
        answer = "".join(rng.sample(sentences, 4))
        docs.append(Document(f"s{i}", texts[0], tuple(texts[1:]), answer=answer))
    return docs


def queries(k: int = 400, seed: int = 11) -> list[str]:
    """Half starter alternates, half real residents' legal questions."""
    rng = random.Random(seed)
    alternates = [a for d in load_starter() for a in d.alternates]
    legal = [str(r["question"]) for r in load_jsonl(SHARED_EVAL / "legal_user_questions.jsonl")]
    return rng.sample(alternates, min(k // 2, len(alternates))) + rng.sample(legal, k // 2)


def latencies(fn: Callable[[str], object], qs: list[str], warmup: list[str]) -> tuple[float, float]:
    """(p50, p99) in milliseconds over ``qs``, after running the ``warmup`` queries."""
    for q in warmup:
        fn(q)
    times = []
    for q in qs:
        t0 = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - t0)
    ms = np.asarray(times) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def interleaved(
    systems: dict[str, Callable[[str], object]],
    qs: list[str],
    warm: list[str],
    rounds: int,
    before: Callable[[], object],
) -> dict[str, list[tuple[float, float]]]:
    """Each system's (p50, p99) in each of ``rounds`` rounds, the systems taking turns (the
    order flipping every round), ``before`` called before each pass.

    The machine's speed drifts: the same matcher's p50 at 10,000 entries ranged over
    0.27–0.42 ms in eight passes of one process, slowest first and last. A single pass is a
    sample of that drift; the median round, with the baseline measured in the same rounds, is
    what the table reports (the spread is printed under it).
    """
    names = list(systems)
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            before()
            out[name].append(latencies(systems[name], qs, warm))
    return out


def median_round(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median of the rounds' p50s and of their p99s."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def stages(m: Matcher, qs: list[str]) -> list[float]:
    """Median µs a question spends in each stage of ``Matcher.match``: normalising and
    tokenising; turning the tokens into weighted features (``Index.query``); the postings
    pass, the mix and the best five entries (``Index.rank``); the rest (candidates, coverage,
    domain and unknown-word shares, decision).

    Four passes over the questions, each cut after one more stage; a stage is the difference
    of two passes' medians, so the four add up to the median match. The first two passes run
    without the postings pass between questions, which in a real match pushes jieba's and the
    vocabulary's dictionaries out of the processor's caches: that cost shows in "the rest".
    """
    tokenizer = m.index.featurizer.tokenizer

    def tokenise(q: str) -> object:
        return tokenizer.tokens(normalize(q))

    def score(q: str) -> object:
        return m.index.rank(m.index.query(q), 5)

    medians = []
    for cut in (tokenise, m.index.query, score, m.match):
        times = []
        for q in qs:
            tokenizer.forget()
            t0 = time.perf_counter()
            cut(q)
            times.append(time.perf_counter() - t0)
        medians.append(statistics.median(times) * 1e6)
    return [medians[0], *(b - a for a, b in itertools.pairwise(medians))]


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    """The result of ``fn`` and its wall time in seconds."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak memory allocated while ``fn`` runs (tracemalloc sees numpy's buffers too)."""
    tracemalloc.start()
    kept = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak / 2**20


def plain_build(docs: list[Document]) -> Callable[[str], object]:
    """Baseline: jieba + scikit-learn TfidfVectorizer over the canonical questions."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    cut = _plain_jieba()
    vec = TfidfVectorizer(analyzer=cut)
    matrix = vec.fit_transform([d.question for d in docs])
    return lambda q: int(np.argmax((matrix @ vec.transform([q]).T).toarray()))


def bm25_build(docs: list[Document]) -> Callable[[str], object]:
    """Baseline: rank_bm25 BM25Okapi over jieba tokens of every phrasing."""
    from rank_bm25 import BM25Okapi

    cut = _plain_jieba()
    engine = BM25Okapi([cut(t) or [""] for d in docs for t in (d.question, *d.alternates)])
    return lambda q: int(np.argmax(engine.get_scores(cut(q))))


def startup_seconds(runs: int = 5) -> float:
    """Median wall time of `lawbot ask` on a database holding the starter FAQ."""
    from bot.app import open_database
    from knowledge.faq import FaqEntry, FaqStore

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lawbot.db"
        db = open_database(path)
        store = FaqStore(db)
        for d in load_starter():
            store.write(
                FaqEntry(
                    id=d.id,
                    category=d.category,
                    question=d.question,
                    answer=d.answer,
                    alternates=tuple(d.alternates),
                    status="published",
                ),
                by="bench",
                previous=None,
            )
        db.conn.commit()
        db.close()
        lawbot = Path(sys.executable).parent / "lawbot"
        command = [str(lawbot), "ask", "房东不退押金怎么办", "--db", str(path)]
        subprocess.run(command, check=True, capture_output=True)  # fills the tokenizer cache
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)


def measure(n: int, qs: list[str], rounds: int) -> tuple[list[str], str, str]:
    """Table rows for one size, a row of where our question's time goes, and a row of how
    far the rounds' p50s spread."""
    docs = synthetic(n)
    tokenizer = shared_tokenizer()
    featurizer_for(tokenizer).forget()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    matcher, cold = timed(lambda: Matcher.build(docs, tokenizer=tokenizer))
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    _, rebuild = timed(lambda: Matcher.build(docs, tokenizer=tokenizer))
    small = n <= 10_000
    # tracemalloc slows a 100,000-entry build several-fold: there, the growth of the
    # process's peak resident memory over the cold build stands in (an upper bound).
    memory = peak_mib(lambda: Matcher.build(docs, tokenizer=tokenizer)) if small else rss_growth
    m = matcher  # typed for the lambda below
    assert isinstance(m, Matcher)
    warm, measured = qs[:20], qs[20:]
    plain, plain_time = timed(lambda: plain_build(docs))
    assert callable(plain)
    plain_mem = peak_mib(lambda: plain_build(docs)) if small else float("nan")
    runs = interleaved(
        {"ours": lambda q: m.match(q), "plain": plain}, measured, warm, rounds, tokenizer.forget
    )
    ours, plain_lat = median_round(runs["ours"]), median_round(runs["plain"])
    vs_plain = statistics.median(
        p[0] / o[0] for o, p in zip(runs["ours"], runs["plain"], strict=True)
    )
    p50s = [r[0] for r in runs["ours"]]
    spread = (
        f"| {n:,} | {min(p50s):.3f}–{max(p50s):.3f} | "
        f"{min(r[0] for r in runs['plain']):.3f}–{max(r[0] for r in runs['plain']):.3f} |"
    )
    tokenise, weigh, score, rest = stages(m, measured)
    stage_row = f"| {n:,} | {tokenise:.0f} | {weigh:.0f} | {score:.0f} | {rest:.0f} |"

    bm25_qs = measured if small else measured[:: len(measured) // 10][:10]
    bm25, bm25_time = timed(lambda: bm25_build(docs))
    assert callable(bm25)
    bm25_lat = latencies(bm25, bm25_qs, warm if small else warm[:1])
    bm25_note = "" if small else f" (sampled: {len(bm25_qs)} queries)"

    rows = len(m.index.texts)

    def row(name: str, lat: tuple[float, float], build: str, mem: float, vs: str) -> str:
        return f"| {n:,} | {name} | {lat[0]:.3f} | {lat[1]:.3f} | {build} | {mem:,.0f} | {vs} |"

    return (
        [
            row(
                f"ours ({rows:,} phrasings)",
                ours,
                f"{cold:.2f} cold / {rebuild:.2f} rebuild",
                memory,
                f"p50 {vs_plain:.1f}× plain's speed, "
                f"{bm25_lat[0] / ours[0]:.0f}× faster than BM25",
            ),
            row(
                "plain jieba TF-IDF (canonical only)",
                plain_lat,
                f"{plain_time:.2f}",
                plain_mem,
                "1.0 (baseline)",
            ),
            row(
                f"rank_bm25 BM25Okapi{bm25_note}",
                bm25_lat,
                f"{bm25_time:.2f}",
                float("nan"),
                f"p50 {bm25_lat[0] / plain_lat[0]:.1f}× plain",
            ),
        ],
        stage_row,
        spread,
    )


def main() -> None:
    """Print the speed table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved rounds (see interleaved)"
    )
    args = parser.parse_args()
    qs = queries()
    print(
        f"{len(qs) - 20} queries (20 more to warm up); one core; ms per question; ours and the"
        f" plain baseline: the median of {args.rounds} interleaved rounds (BM25: one pass).\n"
    )
    print("| entries | system | p50 ms | p99 ms | build s | peak MiB | vs plain baseline |")
    print("|---:|---|---:|---:|---|---:|---|")
    stage_rows, spreads = [], []
    for n in (int(s) for s in args.sizes.split(",")):
        lines, stage_row, spread = measure(n, qs, args.rounds)
        for line in lines:
            print(line, flush=True)
        stage_rows.append(stage_row)
        spreads.append(spread)
    print("\nbuild: 'cold' tokenises every phrasing and answer (first start); 'rebuild' is what")
    print("a live FAQ change costs: the same full index rebuild with tokens remembered.")
    print("\np50 of the fastest and the slowest round (ms):\n")
    print("| entries | ours | plain baseline |")
    print("|---:|---:|---:|")
    print("\n".join(spreads))
    print("\nWhere our question's time goes (µs, medians; how they are measured: see stages()):")
    print("\n| entries | tokenise | features, weighed | postings, mix, best 5 | the rest |")
    print("|---:|---:|---:|---:|---:|")
    print("\n".join(stage_rows))
    if not args.no_startup:
        print(f"\n`lawbot ask` start-up (median of 5, starter FAQ): {startup_seconds():.2f} s")


if __name__ == "__main__":
    main()
