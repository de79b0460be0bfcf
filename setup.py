"""The compiled parts, both optional: the lightest-route programme of the fast cut
(``src/backchannel/graph/_timeroutes.c``) and the engine's two hot searches
(``src/backchannel/graph/_search.c``). Where no C compiler is at hand the install goes on
and the same programmes run in numpy and in Python. Everything else is configured in
pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "backchannel.graph._timeroutes",
            ["src/backchannel/graph/_timeroutes.c"],
            optional=True,
        ),
        Extension(
            "backchannel.graph._search",
            ["src/backchannel/graph/_search.c"],
            optional=True,
        ),
    ]
)
