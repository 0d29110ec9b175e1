"""Our TF-IDF fit equals scikit-learn's TfidfVectorizer, and query vectors match its transform."""

from __future__ import annotations

from array import array

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.tfidf import Space, Vocabulary, char_ngrams, fit, weigh

DOCS = [
    ["房东", "不退", "押金", "押金"],
    ["单位", "解雇", "经济补偿金"],
    ["离婚", "孩子", "抚养权"],
    ["单位", "拖欠", "工资"],
    [],
]


def sklearn_fit(docs: list[list[str]]) -> tuple[TfidfVectorizer, np.ndarray]:
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)
    return vec, vec.fit_transform(docs).toarray()


def test_fit_equals_scikit_learn() -> None:
    vocab = Vocabulary()
    space, matrix = fit([[vocab.intern(d)] for d in DOCS], len(vocab))
    vec, expected = sklearn_fit(DOCS)
    order = [vocab.ids[f] for f in vec.get_feature_names_out()]
    np.testing.assert_allclose(matrix.toarray()[:, order], expected, rtol=1e-6)
    np.testing.assert_allclose(space.idf[order], vec.idf_)


def test_parts_of_a_document_count_together() -> None:
    vocab = Vocabulary()
    split = [
        [vocab.intern(["房东", "押金"]), vocab.intern(["押金", "不退"])],
        [vocab.intern(["工资"])],
    ]
    _, matrix = fit(split, len(vocab))
    whole = [["房东", "押金", "押金", "不退"], ["工资"]]
    vec, expected = sklearn_fit(whole)
    order = [vocab.ids[f] for f in vec.get_feature_names_out()]
    np.testing.assert_allclose(matrix.toarray()[:, order], expected, rtol=1e-6)


def _weights(space: Space, vocab: Vocabulary, query: list[str], penalty: float = 0.0):
    ids, tf = vocab.lookup(query)
    idf = array("d", space.idf.astype(np.float64).tobytes())
    return weigh(dict(zip(ids.tolist(), tf.astype(int).tolist(), strict=True)), idf, penalty)


def test_question_weights_equal_scikit_learn_transform() -> None:
    """The one reference test of a question's weighing (matcher.index scores with these)."""
    vocab = Vocabulary()
    space, _ = fit([[vocab.intern(d)] for d in DOCS], len(vocab))
    vec, _ = sklearn_fit(DOCS)
    query = ["押金", "押金", "单位", "未知词"]
    ids, weights = _weights(space, vocab, query)
    dense = np.zeros(len(vocab))
    dense[ids] = weights
    order = [vocab.ids[f] for f in vec.get_feature_names_out()]
    np.testing.assert_allclose(dense[order], vec.transform([query]).toarray()[0], rtol=1e-6)


def test_unknown_words_count_in_the_norm() -> None:
    vocab = Vocabulary()
    space, _ = fit([[vocab.intern(d)] for d in DOCS], len(vocab))
    _, alone = _weights(space, vocab, ["押金"], penalty=2.0)
    _, diluted = _weights(space, vocab, ["押金", "天气"], penalty=2.0)
    assert alone == [1.0]
    assert 0 < diluted[0] < 1.0


def test_features_of_other_indexes_do_not_count() -> None:
    """Ids are shared by every index of a process: a fit ignores ids its documents lack."""
    vocab = Vocabulary()
    vocab.intern(["旧词"])
    space, _ = fit([[vocab.intern(["押金"])]], len(vocab))
    vocab.intern(["新词"])
    ids, _ = _weights(space, vocab, ["旧词", "新词", "押金"])
    assert ids == [vocab.ids["押金"]]


def test_unknown_features_give_an_empty_vector() -> None:
    vocab = Vocabulary()
    space, _ = fit([[vocab.intern(d)] for d in DOCS], len(vocab))
    ids, weights = _weights(space, vocab, ["天气", "旅游"])
    assert ids == weights == []


def test_empty_fit() -> None:
    space, matrix = fit([], 0)
    assert matrix.shape == (0, 0)
    assert _weights(space, Vocabulary(), ["押金"]) == ([], [])


def test_char_ngrams_span_tokens() -> None:
    assert char_ngrams(("离婚", "协议")) == ["离婚", "婚协", "协议", "离婚协", "婚协议"]
    assert char_ngrams(("房",)) == []
