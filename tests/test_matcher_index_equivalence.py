"""The index scores exactly as a plain reference computed from the texts, whatever speed-ups.

The reference below re-derives everything with dicts and plain sparse products: OpenCC on
every text, jieba's cut with our synonyms and stop words, subwords, character bigrams and
single characters, scikit-learn's sublinear TF-IDF with the index's unknown-word norm,
cosines, the best phrasing per entry and the mix. Phrasings have character bigrams; whole
entries bigrams and single characters, the commonest characters left out of the scores but
not of the norms, the others only in the scores (which rank), not in the confidences (which
decide). Confidences and scores must agree to 1e-5, and coverage, the
best phrasing and the matched terms too, for questions made from the starter FAQ's phrasings
(each with a word dropped, some verbatim) and odd inputs, over the starter FAQ, an FAQ with
many phrasings per entry, other weights, and an index rebuilt after an FAQ change with texts
remembered.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pytest
import scipy.sparse as sp
from opencc import OpenCC

from bot.faq_index import to_document
from knowledge.seed import STARTER_DIR, read_starter
from matcher import Document
from matcher.features import Featurizer
from matcher.index import Index, Weights, _add_postings
from matcher.match import shared_tokenizer
from matcher.tokenize import Tokenizer

TOL = 1e-5

ODD = [
    "",
    "   ",
    "？？？！！！",
    "😀😀👍",
    "hello world",
    "HELLO 押金",
    "1234567890",
    "押",
    "押金",
    "押金押金押金押金",
    "離婚後孩子的撫養權歸誰",
    "欠咗三个月人工，老细唔俾",
    "ＡＢＣ全角字符和　全角空格，房东不退押金",
    "火星旅行签证怎么办理",
    "香港杜鹃第一次被发现是在哪里",
    "我想问一下关于那个事情的问题就是那个",
    "房东" * 200,
    "工资\n拖欠\t怎么办\u200b\u0007",
    "The landlord kept my deposit, 怎么办?",
    "离婚协议离婚协议书协议离婚",
]


@lru_cache(maxsize=1)
def starter() -> tuple[Document, ...]:
    entries, errors = read_starter(STARTER_DIR, None)
    assert errors == []
    return tuple(to_document(e) for e in entries)


# --- the reference --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _opencc() -> OpenCC:
    return OpenCC("t2s")


def ref_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _opencc().convert(text)  # always, not only when a convertible character is seen
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def ref_tokens(tok: Tokenizer, text: str) -> list[str]:
    lex = tok.lexicon
    out = []
    for piece in tok._jieba.cut(ref_normalize(text), HMM=False):
        if piece == " " or piece in lex.stopwords:
            continue
        word = lex.synonyms.get(piece, piece)
        if word not in lex.stopwords:
            out.append(word)
    return out


def ref_words(tok: Tokenizer, tokens: list[str]) -> list[str]:
    lex, freq = tok.lexicon, tok._jieba.FREQ
    found = list(tokens)
    for token in tokens:
        for n in (2, 3):
            for i in range(len(token) - n + 1 if len(token) > n else 0):
                part = token[i : i + n]
                if freq.get(part) and part not in lex.stopwords:
                    found.append(lex.synonyms.get(part, part))
    return found


def ref_pairs(tokens: list[str]) -> list[str]:
    text = "".join(tokens)
    return [text[i : i + 2] for i in range(len(text) - 1)]


def ref_singles(tokens: list[str]) -> list[str]:
    return [c for c in "".join(tokens) if not ("0" <= c <= "9" or "a" <= c <= "z")]


class RefSpace:
    """Sublinear TF-IDF, L2-normed, as scikit-learn fits it, with max_df."""

    def __init__(self, docs: list[list[str]], max_df: float) -> None:
        n = len(docs)
        counts = [Counter(d) for d in docs]
        df = Counter(f for c in counts for f in c)
        self.n = n
        self.df = df
        self.idf = {f: math.log((1 + n) / (1 + d)) + 1 for f, d in df.items() if d <= max_df * n}
        self.column = {f: i for i, f in enumerate(self.idf)}
        self.held = [{f for f in c if f in self.idf} for c in counts]
        rows, cols, vals = [], [], []
        for r, c in enumerate(counts):
            w = {f: (math.log(tf) + 1) * self.idf[f] for f, tf in c.items() if f in self.idf}
            norm = math.sqrt(sum(x * x for x in w.values()))
            for f, x in w.items():
                rows.append(r)
                cols.append(self.column[f])
                vals.append(x / norm)
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(self.column)))
        self.by_feature = matrix.tocsc()  # the same matrix, quick to take columns of

    def cosines(
        self, features: list[str], oov: float, scored: Callable[[str], bool] = lambda f: True
    ) -> np.ndarray:
        """Cosines, adding up only the features ``scored`` accepts (all weigh in the norm)."""
        cols: list[int] = []
        vals: list[float] = []
        unknown = 0
        for f, tf in Counter(features).items():
            if f in self.idf:
                cols.append(self.column[f])
                vals.append((math.log(tf) + 1) * self.idf[f])
            else:
                unknown += tf
        if not cols:
            return np.zeros(self.n)
        highest = math.log(1 + self.n) + 1
        v = np.asarray(vals) / math.sqrt(sum(x * x for x in vals) + unknown * (oov * highest) ** 2)
        names = list(self.column)
        v *= [scored(names[c]) for c in cols]
        return np.asarray(self.by_feature[:, cols] @ v)


class Reference:
    """Entry scores, phrasing scores, coverage and matched terms, the plain way."""

    def __init__(
        self, tok: Tokenizer, docs: Sequence[Document], w: Weights, seen: set[str]
    ) -> None:
        self.tok, self.w, self.seen = tok, w, seen  # seen: word features of every text indexed
        self.owner: list[int] = []
        self.texts: list[str] = []
        phr_words, phr_chars, ent_words, ent_chars = [], [], [], []
        for e, doc in enumerate(docs):
            texts = list(dict.fromkeys((doc.question, *doc.alternates)))
            parts = texts + ([doc.answer] if doc.answer else [])
            tokens = [ref_tokens(tok, t) for t in parts]
            words = [ref_words(tok, t) for t in tokens]
            pairs = [ref_pairs(t) for t in tokens]
            singles = [ref_singles(t) for t in tokens]
            self.texts += texts
            self.owner += [e] * len(texts)
            phr_words += words[: len(texts)]
            phr_chars += pairs[: len(texts)]
            ent_words.append([f for p in words for f in p])
            ent_chars.append([f for p in pairs + singles for f in p])
            seen.update(f for p in words for f in p)
        self.n = len(docs)
        self.phr = RefSpace(phr_words, w.max_df), RefSpace(phr_chars, w.max_df)
        self.ent = RefSpace(ent_words, w.max_df), RefSpace(ent_chars, w.max_df)

    def run(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        w = self.w
        tokens = ref_tokens(self.tok, text)
        words, pairs = ref_words(self.tok, tokens), ref_pairs(tokens)
        chars = pairs + ref_singles(tokens)
        rows = w.phrasing_word * self.phr[0].cosines(words, w.oov) + (
            1 - w.phrasing_word
        ) * self.phr[1].cosines(pairs, w.oov)
        best = np.full(self.n, -np.inf)
        np.maximum.at(best, np.asarray(self.owner, dtype=np.int64), rows)
        space = self.ent[1]
        by_char = space.cosines(chars, w.oov, lambda f: len(f) > 1)
        confidence = (1 - w.entry) * best + w.entry * (
            w.word * self.ent[0].cosines(words, w.oov) + (1 - w.word) * by_char
        )
        ranks = space.cosines(
            chars, w.oov, lambda f: len(f) > 1 or space.df[f] <= w.unigram_df * space.n
        )
        singles = (1 - w.word) * (ranks - by_char)  # the single characters not too common
        return confidence + w.entry * singles, confidence, rows, words

    def empty(self, text: str) -> bool:
        """No word or character of the question is in the whole-entry spaces."""
        tokens = ref_tokens(self.tok, text)
        words, chars = ref_words(self.tok, tokens), ref_pairs(tokens) + ref_singles(tokens)
        return not any(f in self.ent[0].idf for f in words) and not any(
            f in self.ent[1].idf for f in chars
        )

    def coverage(self, entry: int, words: list[str]) -> float:
        space = self.ent[0]
        highest = math.log(1 + space.n) + 1
        distinct = list(dict.fromkeys(words))
        items = [(f, space.idf.get(f, highest)) for f in distinct if f in self.seen]
        if any(f not in self.seen for f in distinct):
            items.append(("", highest))  # every word never seen counts once
        total = sum(idf for _, idf in items)
        held = sum(idf for f, idf in items if f in space.held[entry])
        return held / total if total > 0 else 0.0

    def matched(self, entry: int, words: list[str]) -> set[str]:
        return {f for f in words if f in self.ent[0].held[entry]}


# --- questions ------------------------------------------------------------------------------


def questions(tok: Tokenizer, docs: Sequence[Document], every: int = 1) -> list[str]:
    """Each alternate with one word dropped, every 7th phrasing verbatim, and odd inputs."""
    out: list[str] = []
    k = 0
    for doc in docs:
        for i, text in enumerate((doc.question, *doc.alternates)):
            k += 1
            if k % every:
                continue
            if i:
                pieces = tok._jieba.lcut(text, HMM=False)
                drop = (k * 7919) % len(pieces)
                out.append("".join(pieces[:drop] + pieces[drop + 1 :]))
            if k % 7 == 0:
                out.append(text)
    return out + ODD


def check(index: Index, ref: Reference, qs: list[str]) -> None:
    assert index.n_entries == ref.n
    assert index.texts == ref.texts
    names = index.featurizer.words.ids
    for q in qs:
        queries = index.query(q)
        confidences, scores, rows = index.scores(queries)
        expected, confident, ref_rows, words = ref.run(q)
        np.testing.assert_allclose(confidences, confident, atol=TOL, rtol=0, err_msg=q)
        np.testing.assert_allclose(scores, expected, atol=TOL, rtol=0, err_msg=q)
        # the few top entries: coverage, best phrasing and matched terms as the matcher uses them
        for e in np.argsort(-expected, kind="stable")[:3].tolist():
            assert index.coverage(e, queries[1]) == pytest.approx(ref.coverage(e, words), abs=TOL)
            row = index.best_row(e, rows)
            own = [r for r, o in enumerate(ref.owner) if o == e]
            assert ref.owner[row] == e
            assert ref_rows[row] >= max(ref_rows[own]) - TOL, q
            if expected[e] > 0:
                terms = index.matched_terms(e, queries[1])
                assert set(terms) == ref.matched(e, words), q
                assert [names[t] for t in terms] == sorted(names[t] for t in terms)
        assert queries[1].tokens == tuple(ref_tokens(index.featurizer.tokenizer, q))
        assert queries[1].empty == ref.empty(q)


def build(docs: Sequence[Document], w: Weights, featurizer: Featurizer | None = None) -> Index:
    return Index(docs, featurizer or Featurizer(shared_tokenizer()), w)


def test_starter_faq_scores_equal_the_reference() -> None:
    tok, docs = shared_tokenizer(), starter()
    seen: set[str] = set()
    ref = Reference(tok, docs, Weights(), seen)
    check(build(docs, Weights()), ref, questions(tok, docs))


def test_many_phrasings_per_entry_and_no_answers() -> None:
    """Three starter entries in one (13-18 phrasings, past the scoring grid's slots)."""
    tok, base = shared_tokenizer(), starter()
    docs = []
    for g in range(0, len(base) - 2, 3):
        a, b, c = base[g : g + 3]
        phrasings = (a.question, *a.alternates, b.question, *b.alternates, *c.alternates)
        answer = "" if g % 4 == 0 else a.answer
        docs.append(Document(a.id, phrasings[0], (*phrasings[1:], a.question), answer=answer))
    docs.append(Document("one", "押金", ()))
    docs.append(Document("nothing", "？？", ()))  # no feature at all, and last
    seen: set[str] = set()
    ref = Reference(tok, docs, Weights(), seen)
    check(build(docs, Weights()), ref, questions(tok, docs, every=3))


@pytest.mark.parametrize(
    "weights",
    [
        Weights(word=0.3, entry=0.6, max_df=0.05, phrasing_word=1.0, oov=0.0),
        Weights(word=1.0, entry=1.0, phrasing_word=0.0, oov=1.0),
        Weights(unigram_df=1.0),
        Weights(unigram_df=0.1, word=0.2),
    ],
)
def test_other_weights(weights: Weights) -> None:
    tok, docs = shared_tokenizer(), starter()
    seen: set[str] = set()
    ref = Reference(tok, docs, weights, seen)
    check(build(docs, weights), ref, questions(tok, docs, every=5))


def test_numpy_alone_gathers_the_same_scores_as_the_sparse_kernels() -> None:
    """Without scipy's sparse kernels the index gathers postings in numpy: the same scores."""
    tok, docs = shared_tokenizer(), starter()
    index = build(docs, Weights())
    for text in questions(tok, docs, every=5):
        phrasing, entry = index.query(text)
        for layer, query in [
            (index.phrasings, phrasing),
            (index.entries, entry),
            (index.singles, entry),
        ]:
            np.testing.assert_allclose(
                layer._gather(query.ids, query.weights), layer.scores(query), atol=TOL
            )


def test_rebuild_after_an_faq_change_with_texts_remembered() -> None:
    tok, base = shared_tokenizer(), list(starter())
    featurizer = Featurizer(tok)
    seen: set[str] = set()
    first = base[: len(base) * 2 // 3]
    Reference(tok, first, Weights(), seen)
    build(first, Weights(), featurizer)
    changed = [
        Document(d.id, d.question, (*d.alternates[1:], "押金被扣了不退"), answer=d.answer)
        if i % 5 == 0
        else d
        for i, d in enumerate(base)
        if i % 7 != 3
    ]
    ref = Reference(tok, changed, Weights(), seen)
    check(build(changed, Weights(), featurizer), ref, questions(tok, changed, every=3))
    # and once more, with nothing changed: the same scores
    check(build(changed, Weights(), featurizer), ref, questions(tok, changed, every=11))


def test_empty_index() -> None:
    index = build([], Weights())
    confidences, scores, _ = index.scores(index.query("押金"))
    assert len(confidences) == len(scores) == 0


@pytest.mark.parametrize("seed", range(5))
def test_postings_added_in_place_equal_a_sparse_product(seed: int) -> None:
    """The in-place postings pass (matcher.index._add_postings) against scipy's own product:
    features in any order, some without postings, some sharing a start."""
    rng = np.random.default_rng(seed)
    dense = sp.random(40, 300, density=0.05, dtype=np.float32, random_state=seed).toarray()
    dense[:, ::7] = 0  # features no document holds
    matrix = sp.csc_matrix(dense)
    indptr = matrix.indptr.astype(np.int32)
    ids = rng.permutation(300)[:60].astype(np.int32)
    weights = rng.random(60).astype(np.float32)
    query = np.zeros(300, dtype=np.float32)
    query[ids] = weights
    out = np.zeros(40, dtype=np.float32)
    _add_postings(indptr, matrix.indices.astype(np.int32), matrix.data, ids, weights, out)
    np.testing.assert_allclose(out, matrix @ query, atol=TOL)
