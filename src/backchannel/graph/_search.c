/* The engine's two hot searches (backchannel.graph.incremental and .incremental_fast) in
 * C, over the engine's own adjacency: a list of dicts {(tag, v): latency}, walked with
 * PyDict_Next, so nothing is copied and insertion order (the Python loop's order) holds.
 *
 * relax(adj, dist, heap, cap, banned)
 *   Engine.relax: Dijkstra onward from the (distance, office) entries of heap (a list),
 *   lowering dist (a list of numbers, written as floats) below cap, never through a
 *   channel (tag >= 0) in banned. The result is the least fixpoint, whatever the order.
 * route(adj, src, dst, bound, budget, banned)
 *   FastPair._route without a class bound: the channels (a list) of the shortest route
 *   within budget from any office of src to one of dst (a set) avoiding banned (None:
 *   every channel), pruned with bound (a list: a lower bound on what is left to go), or
 *   None. Entries are popped in (distance, office) order, as heapq pops the Python
 *   search's tuples, so the route is the one the Python search returns.
 * take_apart(flow, tail, head, cost, chan, s, t, units, budget)
 *   fastcut._take_apart: the flow (a dict arc -> units, in arc order; not changed) taken
 *   apart into routes from s to t, the shortest flow-carrying route first (the same pops
 *   and ties as the Python one), one unit at a time while they arrive within budget:
 *   each route's channels (chan: a dict arc -> the channel it spends).
 * budget_rows(adj, dA, dB, budget)
 *   fastcut.budget_rows over the engine's adjacency: the links that can lie on a route
 *   within budget, as rows of (v, latency, channel or -1) tuples in the adjacency's order.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>

typedef struct {
    double d;
    Py_ssize_t v;
} Entry;

typedef struct {
    Entry *a;
    Py_ssize_t len, cap;
} Heap;

static int less(const Entry *x, const Entry *y) {
    return x->d < y->d || (x->d == y->d && x->v < y->v);
}

static int push(Heap *h, double d, Py_ssize_t v) {
    if (h->len == h->cap) {
        Py_ssize_t cap = h->cap ? 2 * h->cap : 64;
        Entry *a = realloc(h->a, (size_t)cap * sizeof(Entry));
        if (!a) return -1;
        h->a = a;
        h->cap = cap;
    }
    Py_ssize_t i = h->len++;
    Entry e = {d, v};
    while (i > 0) {
        Py_ssize_t up = (i - 1) / 2;
        if (!less(&e, &h->a[up])) break;
        h->a[i] = h->a[up];
        i = up;
    }
    h->a[i] = e;
    return 0;
}

static Entry pop(Heap *h) {
    Entry top = h->a[0], last = h->a[--h->len];
    Py_ssize_t i = 0, n = h->len;
    for (;;) {
        Py_ssize_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && less(&h->a[c + 1], &h->a[c])) c++;
        if (!less(&h->a[c], &last)) break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (n) h->a[i] = last;
    return top;
}

static double num(PyObject *o) {
    if (PyFloat_CheckExact(o)) return PyFloat_AS_DOUBLE(o);
    return PyFloat_AsDouble(o);
}

/* 1 if channel tag is banned (banned None: every channel), 0 if not, -1 on error */
static int is_banned(PyObject *banned, PyObject *tag) {
    if (banned == Py_None) return 1;
    if (PyAnySet_Check(banned)) return PySet_Contains(banned, tag);
    return PySequence_Contains(banned, tag);
}

static int check_adj(PyObject *adj) {
    if (!PyList_Check(adj)) {
        PyErr_SetString(PyExc_TypeError, "adj must be a list of dicts");
        return -1;
    }
    return 0;
}

/* adj[u], checked to be a dict (borrowed); NULL with an exception if it is not */
static PyObject *row_of(PyObject *adj, Py_ssize_t u) {
    PyObject *nb = PyList_GET_ITEM(adj, u);
    if (!PyDict_Check(nb)) {
        PyErr_SetString(PyExc_TypeError, "adj must be a list of dicts");
        return NULL;
    }
    return nb;
}

/* the (tag, v, w) of one adjacency item; -1 with an exception if malformed */
static int item(PyObject *key, PyObject *value, Py_ssize_t n, long *tag, Py_ssize_t *v,
                double *w) {
    if (!PyTuple_Check(key) || PyTuple_GET_SIZE(key) != 2) {
        PyErr_SetString(PyExc_TypeError, "adjacency keys must be (tag, office) tuples");
        return -1;
    }
    *tag = PyLong_AsLong(PyTuple_GET_ITEM(key, 0));
    *v = PyLong_AsSsize_t(PyTuple_GET_ITEM(key, 1));
    *w = num(value);
    if (PyErr_Occurred()) return -1;
    if (*v < 0 || *v >= n) {
        PyErr_SetString(PyExc_IndexError, "adjacency office out of range");
        return -1;
    }
    return 0;
}

static PyObject *relax(PyObject *self, PyObject *args) {
    PyObject *adj, *dist, *start, *banned;
    double cap;
    if (!PyArg_ParseTuple(args, "OO!O!dO", &adj, &PyList_Type, &dist, &PyList_Type, &start,
                          &cap, &banned))
        return NULL;
    if (check_adj(adj) < 0) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(dist);
    if (PyList_GET_SIZE(adj) != n) {
        PyErr_SetString(PyExc_ValueError, "adj and dist differ in length");
        return NULL;
    }
    Heap h = {NULL, 0, 0};
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(start); i++) {
        PyObject *e = PyList_GET_ITEM(start, i);
        if (!PyTuple_Check(e) || PyTuple_GET_SIZE(e) != 2) {
            PyErr_SetString(PyExc_TypeError, "heap entries must be (distance, office)");
            goto fail;
        }
        double d = num(PyTuple_GET_ITEM(e, 0));
        Py_ssize_t u = PyLong_AsSsize_t(PyTuple_GET_ITEM(e, 1));
        if (PyErr_Occurred()) goto fail;
        if (u < 0 || u >= n) {
            PyErr_SetString(PyExc_IndexError, "heap office out of range");
            goto fail;
        }
        if (push(&h, d, u) < 0) goto nomem;
    }
    while (h.len) {
        Entry e = pop(&h);
        double du = num(PyList_GET_ITEM(dist, e.v));
        if (du == -1.0 && PyErr_Occurred()) goto fail;
        if (e.d > du) continue;
        PyObject *nb = row_of(adj, e.v);
        if (!nb) goto fail;
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(nb, &pos, &key, &value)) {
            long tag;
            Py_ssize_t v;
            double w;
            if (item(key, value, n, &tag, &v, &w) < 0) goto fail;
            double nd = e.d + w;
            if (!(nd < cap)) continue;
            double dv = num(PyList_GET_ITEM(dist, v));
            if (dv == -1.0 && PyErr_Occurred()) goto fail;
            if (!(nd < dv)) continue;
            if (tag >= 0) {
                int b = is_banned(banned, PyTuple_GET_ITEM(key, 0));
                if (b < 0) goto fail;
                if (b) continue;
            }
            PyObject *f = PyFloat_FromDouble(nd);
            if (!f) goto fail;
            PyList_SetItem(dist, v, f); /* steals f, releases the old value */
            if (push(&h, nd, v) < 0) goto nomem;
        }
    }
    free(h.a);
    Py_RETURN_NONE;
nomem:
    PyErr_NoMemory();
fail:
    free(h.a);
    return NULL;
}

static PyObject *route(PyObject *self, PyObject *args) {
    PyObject *adj, *src, *dst, *bound, *banned;
    double budget;
    if (!PyArg_ParseTuple(args, "OOOO!dO", &adj, &src, &dst, &PyList_Type, &bound, &budget,
                          &banned))
        return NULL;
    if (check_adj(adj) < 0) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(adj);
    if (PyList_GET_SIZE(bound) != n) {
        PyErr_SetString(PyExc_ValueError, "adj and bound differ in length");
        return NULL;
    }
    double *best = malloc((size_t)(n ? n : 1) * sizeof(double));
    Py_ssize_t *pred_u = malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    PyObject **pred_c = malloc((size_t)(n ? n : 1) * sizeof(PyObject *));
    char *flag = calloc((size_t)(n ? n : 1), 1); /* 1: a target, 2: done */
    Heap h = {NULL, 0, 0};
    PyObject *out = NULL, *it = NULL, *x;
    if (!best || !pred_u || !pred_c || !flag) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        best[i] = INFINITY;
        pred_u[i] = -1;
        pred_c[i] = NULL;
    }
    if (!(it = PyObject_GetIter(dst))) goto done;
    while ((x = PyIter_Next(it))) {
        Py_ssize_t t = PyLong_AsSsize_t(x);
        Py_DECREF(x);
        if (PyErr_Occurred()) goto done;
        if (t >= 0 && t < n) flag[t] |= 1;
    }
    Py_CLEAR(it);
    if (PyErr_Occurred()) goto done;
    if (!(it = PyObject_GetIter(src))) goto done;
    while ((x = PyIter_Next(it))) {
        Py_ssize_t s = PyLong_AsSsize_t(x);
        Py_DECREF(x);
        if (PyErr_Occurred()) goto done;
        if (s < 0 || s >= n) {
            PyErr_SetString(PyExc_IndexError, "source office out of range");
            goto done;
        }
        best[s] = 0.0;
        if (push(&h, 0.0, s) < 0) {
            PyErr_NoMemory();
            goto done;
        }
    }
    Py_CLEAR(it);
    if (PyErr_Occurred()) goto done;
    while (h.len) {
        Entry e = pop(&h);
        Py_ssize_t u = e.v;
        if (flag[u] & 2) continue;
        flag[u] |= 2;
        if (flag[u] & 1) {
            if (!(out = PyList_New(0))) goto done;
            while (pred_u[u] >= 0) {
                PyObject *c = pred_c[u];
                if (PyLong_AsLong(c) >= 0 && PyList_Append(out, c) < 0) {
                    Py_CLEAR(out);
                    goto done;
                }
                u = pred_u[u];
            }
            if (PyList_Reverse(out) < 0) Py_CLEAR(out);
            goto done;
        }
        PyObject *nb = row_of(adj, u);
        if (!nb) goto done;
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(nb, &pos, &key, &value)) {
            long tag;
            Py_ssize_t v;
            double w;
            if (item(key, value, n, &tag, &v, &w) < 0) goto done;
            if (flag[v] & 2) continue;
            if (tag >= 0) {
                int b = is_banned(banned, PyTuple_GET_ITEM(key, 0));
                if (b < 0) goto done;
                if (b) continue;
            }
            double nd = e.d + w;
            double bv = num(PyList_GET_ITEM(bound, v));
            if (bv == -1.0 && PyErr_Occurred()) goto done;
            if (nd + bv <= budget && nd < best[v]) {
                best[v] = nd;
                pred_u[v] = u;
                pred_c[v] = PyTuple_GET_ITEM(key, 0); /* borrowed: adj outlives the call */
                if (push(&h, nd, v) < 0) {
                    PyErr_NoMemory();
                    goto done;
                }
            }
        }
    }
    out = Py_None;
    Py_INCREF(out);
done:
    Py_XDECREF(it);
    free(best);
    free(pred_u);
    free(pred_c);
    free(flag);
    free(h.a);
    if (PyErr_Occurred()) {
        Py_XDECREF(out);
        return NULL;
    }
    return out;
}


static Py_ssize_t index_of(PyObject *list, Py_ssize_t a) {
    return PyLong_AsSsize_t(PyList_GET_ITEM(list, a));
}

static PyObject *take_apart(PyObject *self, PyObject *args) {
    PyObject *flowd, *tail, *head, *cost, *chan;
    Py_ssize_t s, t, units;
    double budget;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!nnnd", &PyDict_Type, &flowd, &PyList_Type, &tail,
                          &PyList_Type, &head, &PyList_Type, &cost, &PyDict_Type, &chan, &s,
                          &t, &units, &budget))
        return NULL;
    Py_ssize_t m = PyDict_GET_SIZE(flowd), narcs = PyList_GET_SIZE(tail);
    if (PyList_GET_SIZE(head) != narcs || PyList_GET_SIZE(cost) != narcs) {
        PyErr_SetString(PyExc_ValueError, "tail, head and cost differ in length");
        return NULL;
    }
    Py_ssize_t *arc = malloc((size_t)(m ? m : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *from = malloc((size_t)(m ? m : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *to = malloc((size_t)(m ? m : 1) * sizeof(Py_ssize_t));
    double *units_on = malloc((size_t)(m ? m : 1) * sizeof(double));
    double *len = malloc((size_t)(m ? m : 1) * sizeof(double));
    Py_ssize_t *start = NULL, *order = NULL, *via = NULL, *touched = NULL;
    double *dist = NULL;
    char *done = NULL;
    Heap h = {NULL, 0, 0};
    PyObject *routes = NULL;
    if (!arc || !from || !to || !units_on || !len) goto nomem;
    Py_ssize_t pos = 0, i = 0, nv = (s > t ? s : t) + 1;
    PyObject *key, *value;
    while (PyDict_Next(flowd, &pos, &key, &value)) {
        Py_ssize_t a = PyLong_AsSsize_t(key);
        double f = num(value);
        if (PyErr_Occurred()) goto fail;
        if (a < 0 || a >= narcs) {
            PyErr_SetString(PyExc_IndexError, "flow arc out of range");
            goto fail;
        }
        arc[i] = a;
        from[i] = index_of(tail, a);
        to[i] = index_of(head, a);
        len[i] = num(PyList_GET_ITEM(cost, a));
        units_on[i] = f;
        if (PyErr_Occurred()) goto fail;
        if (from[i] < 0 || to[i] < 0) {
            PyErr_SetString(PyExc_IndexError, "negative vertex");
            goto fail;
        }
        if (from[i] + 1 > nv) nv = from[i] + 1;
        if (to[i] + 1 > nv) nv = to[i] + 1;
        i++;
    }
    /* the flow's arcs by tail, each tail's in arc order (the Python lists' order) */
    start = calloc((size_t)nv + 1, sizeof(Py_ssize_t));
    order = malloc((size_t)(m ? m : 1) * sizeof(Py_ssize_t));
    via = malloc((size_t)nv * sizeof(Py_ssize_t));
    touched = malloc((size_t)nv * sizeof(Py_ssize_t));
    dist = malloc((size_t)nv * sizeof(double));
    done = calloc((size_t)nv, 1);
    if (!start || !order || !via || !touched || !dist || !done) goto nomem;
    for (i = 0; i < m; i++) start[from[i] + 1]++;
    for (Py_ssize_t v = 0; v < nv; v++) start[v + 1] += start[v];
    {
        Py_ssize_t *fill = malloc((size_t)nv * sizeof(Py_ssize_t));
        if (!fill) goto nomem;
        for (Py_ssize_t v = 0; v < nv; v++) fill[v] = start[v];
        for (i = 0; i < m; i++) order[fill[from[i]]++] = i;
        free(fill);
    }
    for (Py_ssize_t v = 0; v < nv; v++) dist[v] = INFINITY;
    if (!(routes = PyList_New(0))) goto fail;
    for (Py_ssize_t u = 0; u < units; u++) {
        Py_ssize_t ntouched = 0;
        dist[s] = 0.0;
        touched[ntouched++] = s;
        h.len = 0;
        if (push(&h, 0.0, s) < 0) goto nomem;
        int reached = 0;
        while (h.len) {
            Entry e = pop(&h);
            Py_ssize_t x = e.v;
            if (done[x]) continue;
            done[x] = 1;
            if (x == t) {
                reached = e.d <= budget;
                break;
            }
            if (e.d > budget) break;
            for (Py_ssize_t k = start[x]; k < start[x + 1]; k++) {
                Py_ssize_t j = order[k];
                if (units_on[j] <= 0) continue;
                Py_ssize_t y = to[j];
                double nd = e.d + len[j];
                if (nd < dist[y]) {
                    if (dist[y] == INFINITY) touched[ntouched++] = y;
                    dist[y] = nd;
                    via[y] = j;
                    if (push(&h, nd, y) < 0) goto nomem;
                }
            }
        }
        if (reached) {
            PyObject *chans = PyList_New(0);
            if (!chans) goto fail;
            Py_ssize_t x = t;
            while (x != s) {
                Py_ssize_t j = via[x];
                units_on[j] -= 1;
                PyObject *ak = PyLong_FromSsize_t(arc[j]);
                if (!ak) {
                    Py_DECREF(chans);
                    goto fail;
                }
                PyObject *c = PyDict_GetItemWithError(chan, ak);
                Py_DECREF(ak);
                if (c && PyList_Append(chans, c) < 0) {
                    Py_DECREF(chans);
                    goto fail;
                }
                if (!c && PyErr_Occurred()) {
                    Py_DECREF(chans);
                    goto fail;
                }
                x = from[j];
            }
            if (PyList_Reverse(chans) < 0 || PyList_Append(routes, chans) < 0) {
                Py_DECREF(chans);
                goto fail;
            }
            Py_DECREF(chans);
        }
        for (Py_ssize_t k = 0; k < ntouched; k++) {
            dist[touched[k]] = INFINITY;
            done[touched[k]] = 0;
        }
        if (!reached) break;
    }
    goto out;
nomem:
    PyErr_NoMemory();
fail:
    Py_CLEAR(routes);
out:
    free(arc);
    free(from);
    free(to);
    free(units_on);
    free(len);
    free(start);
    free(order);
    free(via);
    free(touched);
    free(dist);
    free(done);
    free(h.a);
    return routes;
}

static double *doubles(PyObject *list, Py_ssize_t n) {
    if (!PyList_Check(list) || PyList_GET_SIZE(list) != n) {
        PyErr_SetString(PyExc_ValueError, "distances must be lists as long as adj");
        return NULL;
    }
    double *out = malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!out) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = num(PyList_GET_ITEM(list, i));
        if (out[i] == -1.0 && PyErr_Occurred()) {
            free(out);
            return NULL;
        }
    }
    return out;
}

static PyObject *budget_rows(PyObject *self, PyObject *args) {
    PyObject *adj, *la, *lb;
    double budget;
    if (!PyArg_ParseTuple(args, "OOOd", &adj, &la, &lb, &budget)) return NULL;
    if (check_adj(adj) < 0) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(adj);
    double *dA = doubles(la, n), *dB = dA ? doubles(lb, n) : NULL;
    char *near = malloc((size_t)(n ? n : 1));
    PyObject *keep = PySet_New(NULL), *out = NULL;
    if (!dA || !dB || !near || !keep) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t u = 0; u < n; u++) near[u] = dA[u] + dB[u] <= budget;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && !(out = PyList_New(n))) goto fail;
        for (Py_ssize_t u = 0; u < n; u++) {
            PyObject *row = NULL;
            if (pass == 1) {
                if (!(row = PyList_New(0))) goto fail;
                PyList_SET_ITEM(out, u, row);
            }
            if (!near[u]) continue;
            PyObject *nb = row_of(adj, u);
            if (!nb) goto fail;
            Py_ssize_t pos = 0;
            PyObject *key, *value;
            while (PyDict_Next(nb, &pos, &key, &value)) {
                long tag;
                Py_ssize_t v;
                double w;
                if (item(key, value, n, &tag, &v, &w) < 0) goto fail;
                if (!near[v]) continue;
                PyObject *c = PyTuple_GET_ITEM(key, 0);
                if (pass == 0) {
                    if (tag >= 0 && dA[u] + w + dB[v] <= budget && PySet_Add(keep, c) < 0)
                        goto fail;
                    continue;
                }
                int take;
                if (tag >= 0) {
                    take = PySet_Contains(keep, c);
                    if (take < 0) goto fail;
                } else {
                    take = dA[u] + w + dB[v] <= budget || dA[v] + w + dB[u] <= budget;
                }
                if (take) {
                    PyObject *t = PyTuple_Pack(3, PyTuple_GET_ITEM(key, 1), value, c);
                    if (!t) goto fail;
                    int bad = PyList_Append(row, t);
                    Py_DECREF(t);
                    if (bad < 0) goto fail;
                }
            }
        }
    }
    free(dA);
    free(dB);
    free(near);
    Py_DECREF(keep);
    return out;
fail:
    free(dA);
    free(dB);
    free(near);
    Py_XDECREF(keep);
    Py_XDECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"relax", relax, METH_VARARGS, "Engine.relax in C (see the module comment)."},
    {"route", route, METH_VARARGS, "FastPair._route without a class bound, in C."},
    {"take_apart", take_apart, METH_VARARGS, "fastcut._take_apart in C."},
    {"budget_rows", budget_rows, METH_VARARGS, "fastcut.budget_rows over an adjacency, in C."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_search", "The engine's hot searches in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__search(void) { return PyModule_Create(&module); }
