"""The engine's hot searches in C, where they could be built.

``_search.c`` (built by ``pip install`` through ``setup.py``, optional) holds four
searches that the engine runs thousands of times an event on a big world, each the same
search as its Python version, pop for pop, so the answers and the routes do not depend
on whether it is installed:

* ``relax``: :meth:`.incremental.Engine.relax` (distances lowered onward from a heap);
* ``route``: the shortest route within budget of
  :meth:`.incremental_fast.FastPair._route` (without a class bound);
* ``take_apart``: a flow taken apart into routes (``fastcut._take_apart``, the flow
  certificate's routes);
* ``budget_rows``: the links that can lie on a route within budget,
  :func:`.fastcut.adjacency_rows`.

They walk the Python structures the engine keeps (its adjacency: a list of dicts), so
nothing is copied into arrays. :data:`native` is the compiled module or None; the
callers read it when they run (the engine when it is made), so a test can set it to None
to run the Python searches.

>>> native is None or sorted(n for n in dir(native) if not n.startswith("_"))
['budget_rows', 'relax', 'route', 'take_apart']
"""

from __future__ import annotations

from types import ModuleType

native: ModuleType | None
try:  # built by ``pip install`` where a C compiler is at hand
    from . import _search as native
except ImportError:  # pragma: no cover - installed without a compiler: Python does them
    native = None

__all__ = ["COMPILED", "native"]

#: whether the compiled searches are installed
COMPILED = native is not None
