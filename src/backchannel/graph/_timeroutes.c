/* The time-layer programme of backchannel.graph.timeroutes in C (one loop per layer
 * instead of a dozen numpy steps). Buffers only: no numpy headers are needed to build.
 *
 * layers(n, top, src, best, pred, tail, w_moving, moving, back, head, upto,
 *        zero, w_zero, zhead, ztail)
 *   best: float64[(top + 1) * n] and pred: int64[(top + 1) * n], any contents.
 *   Fills best[t * n + v], the least weight reaching v within t units, and pred, the arc
 *   giving it (-1: waited, -2: none, -3: start). Candidates of weight >= 1 are not kept (the
 *   caller wants routes lighter than one only; every prefix of one is lighter too).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define EPS 1e-12
#define ONE (1.0 - 1e-9)

static int get(PyObject *o, Py_buffer *b, int writable, Py_ssize_t item) {
    if (PyObject_GetBuffer(o, b, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (b->len % item) {
        PyBuffer_Release(b);
        PyErr_SetString(PyExc_ValueError, "buffer of the wrong item size");
        return -1;
    }
    return 0;
}

static PyObject *layers(PyObject *self, PyObject *args) {
    Py_ssize_t n, top;
    PyObject *o[13];
    Py_buffer b[13];
    /* item sizes: 8 for int64 and float64 alike */
    static const int writable[13] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!PyArg_ParseTuple(args, "nnOOOOOOOOOOOOO", &n, &top, &o[0], &o[1], &o[2], &o[3],
                          &o[4], &o[5], &o[6], &o[7], &o[8], &o[9], &o[10], &o[11], &o[12]))
        return NULL;
    int got = 0;
    for (; got < 13; got++)
        if (get(o[got], &b[got], writable[got], 8) < 0) break;
    if (got < 13) {
        for (int i = 0; i < got; i++) PyBuffer_Release(&b[i]);
        return NULL;
    }
    const int64_t *src = b[0].buf;
    double *best = b[1].buf;
    int64_t *pred = b[2].buf;
    const int64_t *tail = b[3].buf;
    const double *w_moving = b[4].buf;
    const int64_t *moving = b[5].buf;
    const int64_t *back = b[6].buf;
    const int64_t *head = b[7].buf;
    const int64_t *upto = b[8].buf;
    const int64_t *zero = b[9].buf;
    const double *w_zero = b[10].buf;
    const int64_t *zhead = b[11].buf;
    const int64_t *ztail = b[12].buf;
    Py_ssize_t nsrc = b[0].len / 8, nzero = b[9].len / 8;
    Py_ssize_t cells = (top + 1) * n, nup = b[8].len / 8;
    if (b[1].len / 8 < cells || b[2].len / 8 < cells || nup < top + 1) {
        for (int i = 0; i < 13; i++) PyBuffer_Release(&b[i]);
        PyErr_SetString(PyExc_ValueError, "buffers shorter than (top + 1) * n");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t v = 0; v < n; v++) {
        best[v] = Py_HUGE_VAL;
        pred[v] = -2;
    }
    for (Py_ssize_t i = 0; i < nsrc; i++) {
        best[src[i]] = 0.0;
        pred[src[i]] = -3;
    }
    for (Py_ssize_t t = 0; t <= top; t++) {
        double *cur = best + t * n;
        int64_t *via = pred + t * n;
        if (t > 0) {
            const double *prev = cur - n;
            for (Py_ssize_t v = 0; v < n; v++) {  /* waiting keeps what arrived */
                cur[v] = prev[v];
                via[v] = prev[v] < Py_HUGE_VAL ? -1 : -2;
            }
            int64_t m = upto[t];
            for (int64_t i = 0; i < m; i++) {
                double c = best[t * n - back[i]] + w_moving[i];
                int64_t h = head[i];
                if (c < ONE && c < cur[h] - EPS) {
                    cur[h] = c;
                    via[h] = moving[i];
                }
            }
        }
        int changed = nzero > 0;
        while (changed) {
            changed = 0;
            for (Py_ssize_t i = 0; i < nzero; i++) {
                double c = cur[ztail[i]] + w_zero[i];
                int64_t h = zhead[i];
                if (c < ONE && c < cur[h] - EPS) {
                    cur[h] = c;
                    via[h] = zero[i];
                    changed = 1;
                }
            }
        }
    }
    Py_END_ALLOW_THREADS
    for (int i = 0; i < 13; i++) PyBuffer_Release(&b[i]);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"layers", layers, METH_VARARGS, "Fill the time layers of the lightest-route programme."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_timeroutes",
                                    "The lightest-route programme over time layers, in C.",
                                    -1, methods};

PyMODINIT_FUNC PyInit__timeroutes(void) { return PyModule_Create(&module); }
