/* The matcher's inner loop in C: score a question against every document, fold each entry's
 * best phrasing, mix the layers and keep the best k entries, in one call.
 *
 * The same arithmetic, in the same order, as the numpy path in matcher/index.py (Index.scores
 * and best_k), which stays as the fallback when this module is not built: postings are added
 * feature by feature in descending global feature id (as scipy's csc_matvec does them there),
 * float32 throughout, so both give the same scores to the bit. Why it exists: at 10,000
 * entries the numpy path spends as long in its dozen calls around the postings pass (sorting
 * the features, folding the phrasing grid, three mixes, five argmax passes) as in the pass
 * itself.
 *
 * Arrays come in through the buffer protocol (numpy arrays, C-contiguous); the index's are
 * int32 (Index keeps int64 indexes on the numpy path).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
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

static PyMethodDef methods[] = {
    {"rank", rank, METH_VARARGS, rank_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_rank", "The matcher's scoring pass in C (see matcher/index.py).",
    -1, methods,
};

PyMODINIT_FUNC PyInit__rank(void) { return PyModule_Create(&module); }
