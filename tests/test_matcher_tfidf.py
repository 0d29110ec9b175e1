"""Our TF-IDF fit equals scikit-learn's TfidfVectorizer, and query vectors match its transform."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.tfidf import TfidfSpace, char_ngrams

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
    space, matrix = TfidfSpace.fit(DOCS)
    vec, expected = sklearn_fit(DOCS)
    order = [space.vocabulary[f] for f in vec.get_feature_names_out()]
    np.testing.assert_allclose(matrix.toarray()[:, order], expected)
    np.testing.assert_allclose(space.idf[order], vec.idf_)


def test_query_vector_equals_scikit_learn_transform() -> None:
    space, _ = TfidfSpace.fit(DOCS)
    vec, _ = sklearn_fit(DOCS)
    query = ["押金", "押金", "单位", "未知词"]
    columns, weights = space.vector(query)
    dense = np.zeros(len(space.vocabulary))
    dense[columns] = weights
    order = [space.vocabulary[f] for f in vec.get_feature_names_out()]
    np.testing.assert_allclose(dense[order], vec.transform([query]).toarray()[0])


def test_unknown_features_give_an_empty_vector() -> None:
    space, _ = TfidfSpace.fit(DOCS)
    columns, weights = space.vector(["天气", "旅游"])
    assert len(columns) == len(weights) == 0


def test_char_ngrams_span_tokens() -> None:
    assert char_ngrams(("离婚", "协议")) == ["离婚", "婚协", "协议", "离婚协", "婚协议"]
    assert char_ngrams(("房",)) == []
