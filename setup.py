"""The one compiled part: the lightest-route programme of the fast cut
(``src/backchannel/graph/_timeroutes.c``). Optional: where no C compiler is at hand the
install goes on and ``backchannel.graph.timeroutes`` runs the same programme in numpy.
Everything else is configured in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "backchannel.graph._timeroutes",
            ["src/backchannel/graph/_timeroutes.c"],
            optional=True,
        )
    ]
)
