"""The layers of docs/architecture.md, enforced: no module imports from a layer above its
own, nothing below the command line imports Typer or Rich or prints, and every module
of the package sits in a known layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "backchannel"

#: layer of each top-level package (same number: may import each other)
LAYERS = {
    "core": 0,
    "record": 1,
    "graph": 2,
    "judge": 3,
    "draft": 3,
    "formats": 4,
    "sources": 4,
    "testing": 4,
    "eventdata": 5,
    "present": 6,
    "cli": 7,
    "web": 7,
}
PRESENTING = {"cli"}  # the only layer that prints or imports Typer and Rich


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


def imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import of backchannel code, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("backchannel")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("backchannel"):
                if target.count(".") == 0 or (node.level and not node.module):
                    out += [(node.lineno, f"{target}.{a.name}") for a in node.names]
                else:
                    out.append((node.lineno, target))
    return out


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package's own __init__: the public facade, above every layer
    return LAYERS.get(parts[1])


@pytest.mark.parametrize("module,path", modules(), ids=[m for m, _ in modules()])
def test_no_module_imports_from_a_layer_above_it(module: str, path: Path) -> None:
    own = layer_of(module)
    if module == "backchannel":
        return
    assert own is not None, f"{module} is in no layer of docs/architecture.md"
    bad = []
    for line, target in imports(module, path):
        theirs = layer_of(target)
        if target == "backchannel" or theirs is None:
            bad.append(f"{path.name}:{line} imports the package facade ({target})")
        elif theirs > own:
            bad.append(f"{path.name}:{line} imports {target} (layer {theirs} > {own})")
    assert not bad, "; ".join(bad)


@pytest.mark.parametrize("module,path", modules(), ids=[m for m, _ in modules()])
def test_nothing_below_the_command_line_prints(module: str, path: Path) -> None:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in PRESENTING:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            mod = getattr(node, "module", None) or ""
            for name in [*names, mod]:
                assert name.split(".")[0] not in ("typer", "rich", "click"), (
                    f"{module}:{node.lineno} imports {name}"
                )
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
            pytest.fail(f"{module}:{node.lineno} calls print()")


def test_the_layer_table_is_the_one_in_the_docs() -> None:
    doc = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in LAYERS:
        if (SRC / package).is_dir():
            assert f"`{package}`" in doc, f"docs/architecture.md does not describe {package}/"
    for package in (p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        assert package in LAYERS, f"{package}/ is in no layer"
