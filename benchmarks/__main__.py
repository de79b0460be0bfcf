"""Run every benchmark in turn: `python -m benchmarks [--quick] [NAME ...]`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ORDER = [
    "impact",
    "flow",
    "asof",
    "engagement",
    "ingest",
    "world",
    "web_load",
    "draft",
    "reliability",
]


def main(argv: list[str]) -> int:
    """Run the named benchmarks (default: all that exist), passing flags through."""
    flags = [a for a in argv if a.startswith("-")]
    names = [a for a in argv if not a.startswith("-")] or [
        n for n in ORDER if (HERE / f"{n}.py").exists()
    ]
    failed = []
    for name in names:
        if importlib.util.find_spec(f"benchmarks.{name}") is None:
            print(f"no benchmark named {name!r}", file=sys.stderr)
            return 2
        print(f"\n=== benchmarks.{name} {' '.join(flags)}", flush=True)
        rc = subprocess.call([sys.executable, "-m", f"benchmarks.{name}", *flags])
        if rc:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
