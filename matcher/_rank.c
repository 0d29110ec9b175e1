/* The matcher's per-question work in C, two calls:
 *
 * rank: score a question against every document, fold each entry's best phrasing, mix the
 *   layers and keep the best k entries. The same arithmetic, in the same order, as the numpy
 *   path in matcher/index.py (Index.scores and best_k): postings are added feature by feature
 *   in descending global feature id (as scipy's csc_matvec does them there), float32
 *   throughout, so both give the same scores to the bit. At 10,000 entries the numpy path
 *   spent as long in its dozen calls around the postings pass (sorting the features, folding
 *   the phrasing grid, three mixes, five argmax passes) as in the pass itself.
 * weigh: count a question's features and weigh them in both layers (Index._query_python's
 *   arithmetic, to the bit; see below).
 *
 * Both Python paths stay, as the fallback when this module is not built (no C compiler at
 * install) and as the reference the tests hold these to. Arrays come in through the buffer
 * protocol (numpy arrays, array.array; C-contiguous); the index's are int32 (Index keeps
 * int64 indexes on the Python paths).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_K 32

typedef struct {
    Py_ssize_t id; /* global feature id: the row of indptr */
    float weight;
} Feature;

static int descending(const void *a, const void *b) {
    Py_ssize_t x = ((const Feature *)a)->id, y = ((const Feature *)b)->id;
    return (x < y) - (x > y);
}

/* A buffer of ``size``-byte items, C-contiguous; writable when asked. */
static int take(PyObject *obj, Py_buffer *view, Py_ssize_t size, int writable, const char *name) {
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->itemsize != size) {
        PyErr_Format(PyExc_TypeError, "%s: items of %zd bytes expected, got %zd", name, size,
                     view->itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

enum {
    PHRASE_IDS, PHRASE_WEIGHTS, ENTRY_IDS, ENTRY_WEIGHTS, INDPTR, INDICES, DATA, OUT,
    DEEP_ENTRIES, DEEP_START, DEEP_SLOTS, MASK, N_BUFFERS
};

static const Py_ssize_t item_size[N_BUFFERS] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 1};
static const char *const names[N_BUFFERS] = {
    "phrasing ids", "phrasing weights", "entry ids", "entry weights", "indptr", "indices",
    "data", "out", "deep entries", "deep starts", "deep slots", "mask"};

PyDoc_STRVAR(rank_doc,
"rank(phrasing_ids, phrasing_weights, entry_ids, entry_weights, indptr, indices, data, out,\n"
"     deep_entries, deep_start, deep_slots, mask, n_slots, n_documents, n_ranked, grid,\n"
"     width, single_offset, share, k)\n"
"-> (order, scores, confidences, topic, topic_confidence)\n\n"
"See Index._rank_c in matcher/index.py.");

static PyObject *rank(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *objs[N_BUFFERS];
    Py_ssize_t n_slots, n_docs, n_ranked, grid, width, single_offset, k;
    double share_in;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOOOnnnnnndn", &objs[0], &objs[1], &objs[2], &objs[3],
                          &objs[4], &objs[5], &objs[6], &objs[7], &objs[8], &objs[9], &objs[10],
                          &objs[11], &n_slots, &n_docs, &n_ranked, &grid, &width,
                          &single_offset, &share_in, &k))
        return NULL;
    if (k < 0 || k > MAX_K || n_ranked > n_docs || grid * n_docs > n_slots) {
        PyErr_SetString(PyExc_ValueError, "rank: k or the layout is out of range");
        return NULL;
    }
    Py_buffer views[N_BUFFERS];
    int held = 0;
    PyObject *result = NULL;
    Feature *features = NULL;
    float *best = NULL;
    for (; held < N_BUFFERS; held++) {
        if (held == MASK && objs[MASK] == Py_None) break;
        if (take(objs[held], &views[held], item_size[held], held == OUT, names[held]) < 0)
            goto done;
    }
    const int32_t *phrase_ids = views[PHRASE_IDS].buf, *entry_ids = views[ENTRY_IDS].buf;
    const float *phrase_weights = views[PHRASE_WEIGHTS].buf;
    const float *entry_weights = views[ENTRY_WEIGHTS].buf;
    const int32_t *indptr = views[INDPTR].buf, *indices = views[INDICES].buf;
    const float *data = views[DATA].buf;
    float *out = views[OUT].buf;
    const int32_t *deep_entries = views[DEEP_ENTRIES].buf, *deep_start = views[DEEP_START].buf;
    const int32_t *deep_slots = views[DEEP_SLOTS].buf;
    const unsigned char *mask = held > MASK ? views[MASK].buf : NULL;
    Py_ssize_t n_phrase = views[PHRASE_IDS].len / 4, n_entry = views[ENTRY_IDS].len / 4;
    Py_ssize_t n_features = views[INDPTR].len / 4 - 1, n_out = views[OUT].len / 4;
    Py_ssize_t n_deep = views[DEEP_ENTRIES].len / 4;
    Py_ssize_t n_postings = views[INDICES].len / 4;
    if (views[PHRASE_WEIGHTS].len / 4 != n_phrase || views[ENTRY_WEIGHTS].len / 4 != n_entry ||
        n_out != n_slots + 2 * n_docs || views[DATA].len / 4 != n_postings ||
        views[DEEP_START].len / 4 != n_deep + 1 || (mask && views[MASK].len < n_ranked)) {
        PyErr_SetString(PyExc_ValueError, "rank: array sizes do not match the layout");
        goto done;
    }

    /* The question's features in the three blocks, in descending global id. */
    Py_ssize_t m = n_phrase + 2 * n_entry;
    features = PyMem_Malloc((m ? m : 1) * sizeof(Feature));
    best = PyMem_Malloc((n_docs ? n_docs : 1) * sizeof(float));
    if (!features || !best) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t f = 0;
    for (Py_ssize_t j = 0; j < n_phrase; j++, f++) {
        features[f].id = phrase_ids[j];
        features[f].weight = phrase_weights[j];
    }
    for (Py_ssize_t j = 0; j < n_entry; j++, f += 2) {
        features[f].id = entry_ids[j] + width;
        features[f + 1].id = entry_ids[j] + single_offset;
        features[f].weight = features[f + 1].weight = entry_weights[j];
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        if (features[j].id < 0 || features[j].id >= n_features) {
            PyErr_SetString(PyExc_ValueError, "rank: a feature id is outside the index");
            goto done;
        }
    }
    qsort(features, m, sizeof(Feature), descending);

    memset(out, 0, n_out * sizeof(float));
    for (Py_ssize_t j = 0; j < m; j++) {
        const float x = features[j].weight;
        const Py_ssize_t end = indptr[features[j].id + 1];
        for (Py_ssize_t p = indptr[features[j].id]; p < end; p++) out[indices[p]] += data[p] * x;
    }

    /* Each entry's best phrasing: the grid's maximum down its columns, then deep entries'
     * further phrasings. */
    const float *restrict rows = out;
    float *restrict top_row = best;
    if (grid > 0) {
        memcpy(top_row, rows, n_docs * sizeof(float));
        for (Py_ssize_t j = 1; j < grid; j++) {
            const float *restrict row = rows + j * n_docs;
            for (Py_ssize_t e = 0; e < n_docs; e++)
                top_row[e] = row[e] > top_row[e] ? row[e] : top_row[e];
        }
    } else {
        memset(top_row, 0, n_docs * sizeof(float));
    }
    for (Py_ssize_t d = 0; d < n_deep; d++) {
        float value = best[deep_entries[d]];
        for (int32_t s = deep_start[d]; s < deep_start[d + 1]; s++)
            value = rows[deep_slots[s]] > value ? rows[deep_slots[s]] : value;
        best[deep_entries[d]] = value;
    }

    /* Mix, keep the k best entries (ties to the lower index) and the best topic. */
    const float share = (float)share_in;
    const float *whole = out + n_slots, *single = out + n_slots + n_docs;
    Py_ssize_t order[MAX_K];
    float scores[MAX_K], confidences[MAX_K];
    Py_ssize_t filled = 0, topic = -1;
    float topic_confidence = 0.0f;
    for (Py_ssize_t e = 0; e < n_docs; e++) {
        float confidence = best[e] * share;
        confidence += whole[e];
        if (e >= n_ranked) {
            if (topic < 0 || confidence > topic_confidence) {
                topic = e;
                topic_confidence = confidence;
            }
            continue;
        }
        if (k == 0 || (mask && !mask[e])) continue;
        const float score = single[e] + confidence;
        if (filled == k && !(score > scores[k - 1])) continue;
        Py_ssize_t i = filled < k ? filled++ : k - 1;
        for (; i > 0 && scores[i - 1] < score; i--) {
            order[i] = order[i - 1];
            scores[i] = scores[i - 1];
            confidences[i] = confidences[i - 1];
        }
        order[i] = e;
        scores[i] = score;
        confidences[i] = confidence;
    }

    PyObject *order_out = PyList_New(filled), *scores_out = PyList_New(filled);
    PyObject *confidences_out = PyList_New(filled);
    if (!order_out || !scores_out || !confidences_out) goto fail_lists;
    for (Py_ssize_t i = 0; i < filled; i++) {
        PyObject *a = PyLong_FromSsize_t(order[i]), *b = PyFloat_FromDouble(scores[i]);
        PyObject *c = PyFloat_FromDouble(confidences[i]);
        if (!a || !b || !c) {
            Py_XDECREF(a);
            Py_XDECREF(b);
            Py_XDECREF(c);
            goto fail_lists;
        }
        PyList_SET_ITEM(order_out, i, a);
        PyList_SET_ITEM(scores_out, i, b);
        PyList_SET_ITEM(confidences_out, i, c);
    }
    result = Py_BuildValue("NNNnd", order_out, scores_out, confidences_out, topic,
                           (double)topic_confidence);
    goto done;
fail_lists:
    Py_XDECREF(order_out);
    Py_XDECREF(scores_out);
    Py_XDECREF(confidences_out);
done:
    PyMem_Free(features);
    PyMem_Free(best);
    for (int i = 0; i < held; i++) PyBuffer_Release(&views[i]);
    return result;
}


/* ---- weigh: a question's features, weighed in the phrasing and entry layers ---------------
 *
 * Index.query's arithmetic (index._counted, _weigh_both, _normed, _Layer.query), to the bit:
 * sublinear tf (1, or log(tf) + 1) × the layer's idf; each space's weights divided by the
 * norm sqrt(fsum(w²) + unknown occurrences × penalty²), summed exactly as math.fsum does (the
 * correctly rounded sum, so any order gives the same norm). Features come out in ascending id
 * (words, then characters shifted by the word width); Python's path lists characters in the
 * order the question has them, which changes no score: both scoring paths sort them.
 */

typedef struct {
    long long id;
    Py_ssize_t count;
} Counted;

static int ascending_ids(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* ``list`` of ints → distinct ids >= 0 ascending with their counts (into ``out``), and how
 * many items were negative (unknown features); -1 with an exception on bad input. */
static Py_ssize_t count_ids(PyObject *list, Counted **out, Py_ssize_t *unknown) {
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "weigh: feature ids must come as a list");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    long long *ids = PyMem_Malloc((n ? n : 1) * sizeof(long long));
    *out = PyMem_Malloc((n ? n : 1) * sizeof(Counted));
    if (!ids || !*out) {
        PyMem_Free(ids);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t m = 0;
    *unknown = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long long id = PyLong_AsLongLong(PyList_GET_ITEM(list, i));
        if (id == -1 && PyErr_Occurred()) {
            PyMem_Free(ids);
            return -1;
        }
        if (id < 0)
            (*unknown)++;
        else
            ids[m++] = id;
    }
    qsort(ids, m, sizeof(long long), ascending_ids);
    Py_ssize_t runs = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        if (runs && (*out)[runs - 1].id == ids[i]) {
            (*out)[runs - 1].count++;
        } else {
            (*out)[runs].id = ids[i];
            (*out)[runs++].count = 1;
        }
    }
    PyMem_Free(ids);
    return runs;
}

/* math.fsum of ``n`` doubles (CPython's algorithm: Shewchuk's partials, then half-even
 * rounding across them), for finite input. */
static double exact_sum(const double *values, Py_ssize_t n) {
    double partials[128];
    Py_ssize_t count = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        double x = values[k];
        Py_ssize_t i = 0;
        for (Py_ssize_t j = 0; j < count; j++) {
            double y = partials[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) partials[i++] = lo;
            x = hi;
        }
        count = i;
        if (x != 0.0 && count < 128) partials[count++] = x;
    }
    double hi = 0.0;
    if (count > 0) {
        double lo = 0.0;
        hi = partials[--count];
        while (count > 0) {
            double x = hi, y = partials[--count];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) break;
        }
        if (count > 0 && ((lo < 0.0 && partials[count - 1] < 0.0) ||
                          (lo > 0.0 && partials[count - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y, yr = x - hi;
            if (y == yr) hi = x;
        }
    }
    return hi;
}

typedef struct {
    const double *idf;
    Py_ssize_t width;
} Idf;

/* Weigh ``n`` counted features in one space of a layer: known ones (idf > 0) appended to
 * ``ids`` (shifted by ``offset``) and ``weights`` (unnormed, at ``*m``); returns how many
 * occurrences the layer does not know. */
static Py_ssize_t weigh_space(const Counted *features, Py_ssize_t n, Idf idf, long long offset,
                              long long *ids, double *weights, Py_ssize_t *m) {
    Py_ssize_t unknown = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = features[i].id < idf.width ? idf.idf[features[i].id] : 0.0;
        if (x > 0.0) {
            double tf = features[i].count == 1 ? 1.0 : log((double)features[i].count) + 1.0;
            ids[*m] = features[i].id + offset;
            weights[(*m)++] = tf * x;
        } else {
            unknown += features[i].count;
        }
    }
    return unknown;
}

/* Divide weights[from:to] by their norm with ``unknown`` occurrences of weight ``penalty``. */
static void norm_space(double *weights, Py_ssize_t from, Py_ssize_t to, Py_ssize_t unknown,
                       double penalty, double *scratch) {
    if (to == from) return;
    for (Py_ssize_t i = from; i < to; i++) scratch[i - from] = weights[i] * weights[i];
    double norm = sqrt(exact_sum(scratch, to - from) + (double)unknown * penalty * penalty);
    for (Py_ssize_t i = from; i < to; i++) weights[i] = weights[i] / norm;
}

/* (words, known, ids, weights[, informative]) of one layer: the known word ids as a tuple,
 * how many word and character features it knows, int32 ids and float32 weights as bytes.
 * Steals ``informative`` (NULL: left out). */
static PyObject *layer_result(const long long *ids, const double *weights, Py_ssize_t n_words,
                              Py_ssize_t n, Py_ssize_t n_scored, PyObject *informative) {
    PyObject *words = PyTuple_New(n_words);
    PyObject *id_bytes = PyBytes_FromStringAndSize(NULL, n_scored * 4);
    PyObject *weight_bytes = PyBytes_FromStringAndSize(NULL, n_scored * 4);
    if (!words || !id_bytes || !weight_bytes) goto fail;
    for (Py_ssize_t i = 0; i < n_words; i++) {
        PyObject *id = PyLong_FromLongLong(ids[i]);
        if (!id) goto fail;
        PyTuple_SET_ITEM(words, i, id);
    }
    int32_t *id_out = (int32_t *)PyBytes_AS_STRING(id_bytes);
    float *weight_out = (float *)PyBytes_AS_STRING(weight_bytes);
    for (Py_ssize_t i = 0; i < n_scored; i++) {
        id_out[i] = (int32_t)ids[i];
        weight_out[i] = (float)weights[i];
    }
    if (informative) return Py_BuildValue("NnNNN", words, n, id_bytes, weight_bytes, informative);
    return Py_BuildValue("NnNN", words, n, id_bytes, weight_bytes);
fail:
    Py_XDECREF(words);
    Py_XDECREF(id_bytes);
    Py_XDECREF(weight_bytes);
    Py_XDECREF(informative);
    return NULL;
}

/* Every distinct word of the question (the unknown ones as one, id -1, first) with its idf in
 * the entry layer, or ``highest`` when that layer lacks it: what coverage weighs. */
static PyObject *informative_words(const Counted *words, Py_ssize_t n, Py_ssize_t unknown,
                                   Idf idf, double highest) {
    Py_ssize_t size = n + (unknown > 0), at = 0;
    PyObject *out = PyTuple_New(size);
    if (!out) return NULL;
    if (unknown > 0) {
        PyObject *pair = Py_BuildValue("(Ld)", -1LL, highest);
        if (!pair) goto fail;
        PyTuple_SET_ITEM(out, at++, pair);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = words[i].id < idf.width ? idf.idf[words[i].id] : 0.0;
        PyObject *pair = Py_BuildValue("(Ld)", words[i].id, x > 0.0 ? x : highest);
        if (!pair) goto fail;
        PyTuple_SET_ITEM(out, at++, pair);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static int take_idf(PyObject *obj, Py_buffer *view, Idf *idf) {
    if (take(obj, view, 8, 0, "idf") < 0) return -1;
    idf->idf = view->buf;
    idf->width = view->len / 8;
    return 0;
}

PyDoc_STRVAR(weigh_doc,
"weigh(word_ids, pair_ids, single_ids, phrasing_word_idf, phrasing_char_idf,\n"
"      entry_word_idf, entry_char_idf, phrasing_penalty, entry_penalty, entry_highest,\n"
"      word_width, phrasing_chars, entry_chars)\n"
"-> ((words, known, ids, weights), (words, known, ids, weights, informative))\n\n"
"See Index.query in matcher/index.py.");

static PyObject *weigh(PyObject *self, PyObject *args) {
    PyObject *lists[3], *idf_objs[4];
    double penalty[2], highest;
    Py_ssize_t word_width;
    int chars[2];
    (void)self;
    if (!PyArg_ParseTuple(args, "O!O!O!OOOOdddnpp", &PyList_Type, &lists[0], &PyList_Type,
                          &lists[1], &PyList_Type, &lists[2], &idf_objs[0], &idf_objs[1],
                          &idf_objs[2], &idf_objs[3], &penalty[0], &penalty[1], &highest,
                          &word_width, &chars[0], &chars[1]))
        return NULL;
    Py_buffer views[4];
    Idf idf[4];
    int held = 0;
    Counted *counted[3] = {NULL, NULL, NULL};
    Py_ssize_t n_counted[3], unknown[3];
    long long *ids = NULL;
    double *weights = NULL, *scratch = NULL;
    PyObject *layers[2] = {NULL, NULL}, *result = NULL;
    for (; held < 4; held++)
        if (take_idf(idf_objs[held], &views[held], &idf[held]) < 0) goto done;
    for (int k = 0; k < 3; k++)
        if ((n_counted[k] = count_ids(lists[k], &counted[k], &unknown[k])) < 0) goto done;
    Py_ssize_t most = n_counted[0] + n_counted[1] + n_counted[2];
    ids = PyMem_Malloc((most ? most : 1) * sizeof(long long));
    weights = PyMem_Malloc((most ? most : 1) * sizeof(double));
    scratch = PyMem_Malloc((most ? most : 1) * sizeof(double));
    if (!ids || !weights || !scratch) {
        PyErr_NoMemory();
        goto done;
    }
    for (int layer = 0; layer < 2; layer++) {
        Idf word_idf = idf[2 * layer], char_idf = idf[2 * layer + 1];
        Py_ssize_t m = 0;
        Py_ssize_t word_unknown =
            unknown[0] + weigh_space(counted[0], n_counted[0], word_idf, 0, ids, weights, &m);
        Py_ssize_t n_words = m;
        /* bigrams in both layers; single characters only in the entry layer */
        Py_ssize_t char_unknown = unknown[1] + weigh_space(counted[1], n_counted[1], char_idf,
                                                           word_width, ids, weights, &m);
        if (layer == 1)
            char_unknown += unknown[2] + weigh_space(counted[2], n_counted[2], char_idf,
                                                     word_width, ids, weights, &m);
        norm_space(weights, 0, n_words, word_unknown, penalty[layer], scratch);
        Py_ssize_t scored = n_words;
        if (chars[layer]) {
            norm_space(weights, n_words, m, char_unknown, penalty[layer], scratch);
            scored = m;
        }
        PyObject *informative = NULL;
        if (layer == 1) {
            informative = informative_words(counted[0], n_counted[0], unknown[0], idf[2], highest);
            if (!informative) goto done;
        }
        layers[layer] = layer_result(ids, weights, n_words, m, scored, informative);
        if (!layers[layer]) goto done;
    }
    result = Py_BuildValue("(NN)", layers[0], layers[1]);
    layers[0] = layers[1] = NULL;
done:
    Py_XDECREF(layers[0]);
    Py_XDECREF(layers[1]);
    for (int k = 0; k < 3; k++) PyMem_Free(counted[k]);
    PyMem_Free(ids);
    PyMem_Free(weights);
    PyMem_Free(scratch);
    for (int i = 0; i < held; i++) PyBuffer_Release(&views[i]);
    return result;
}

static PyMethodDef methods[] = {
    {"rank", rank, METH_VARARGS, rank_doc},
    {"weigh", weigh, METH_VARARGS, weigh_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_rank", "The matcher's scoring pass in C (see matcher/index.py).",
    -1, methods,
};

PyMODINIT_FUNC PyInit__rank(void) {
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddIntConstant(m, "MAX_K", MAX_K) < 0) Py_CLEAR(m);
    return m;
}
