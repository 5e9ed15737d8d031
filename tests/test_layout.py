"""The package reads as the data flow: each room imports only itself and rooms to its left.

Rooms, in pipeline order (docs/decisions/0260-package-layout.md): a module in room R may
import modules of R, of rooms left of R, and the foundation modules at the top of the
package. Foundations import only foundations. Every import counts — module level, inside
functions (lazy), under ``TYPE_CHECKING`` and ``importlib.import_module("metrokg…")``.
Only the package's face (``metrokg/__init__.py``, ``__main__.py``) reaches every room.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "metrokg"

ROOMS = ["records", "mapping", "checks", "analysis", "outputs", "queries", "web", "cli"]
"""The rooms, left to right: records → mapping → checks → analysis → outputs → queries → web → cli."""

FOUNDATIONS = {"paths", "namespaces", "errors", "http", "safetext", "rdflib_bridge", "forked"}
"""Top-level modules any room may import: no pipeline step, no import of a room."""

FACE = {"metrokg", "metrokg.__main__"}
"""The public API and ``python -m metrokg``: they may import from every room."""


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path) -> set[str]:
    return {_module_name(p, root) for p in root.rglob("*.py")}


def _imports(path: Path, root: Path, known: set[str]) -> list[tuple[int, str]]:
    """(line, absolute module) for every metrokg import in *path*, wherever it sits."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = root.name
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name == top or a.name.startswith(top + ".")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != top and not target.startswith(top + "."):
                continue
            # `from pkg import sub` imports the submodule; `from pkg import name`, pkg itself
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known]
            found += [(node.lineno, s) for s in subs]
            if len(subs) < len(node.names):
                found.append((node.lineno, target))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            text = node.args[0].value
            if text.startswith("."):
                level = len(text) - len(text.lstrip("."))
                base = package.split(".")[: len(package.split(".")) - level + 1]
                text = ".".join([*base, text.lstrip(".")])
            if text == top or text.startswith(top + "."):
                found.append((node.lineno, text))
    return found


def _place(module: str) -> str:
    """``room:<name>``, ``foundation``, ``face``, or ``loose`` (a top-level module in no room)."""
    if module in FACE:
        return "face"
    parts = module.split(".")
    if parts[1] in ROOMS:
        return f"room:{parts[1]}"
    if len(parts) == 2 and parts[1] in FOUNDATIONS:
        return "foundation"
    return "loose"


def _rank(place: str) -> int:
    return ROOMS.index(place.removeprefix("room:"))


def violations(root: Path = PACKAGE) -> list[str]:
    """Every import under *root* that breaks the layout, one line each: who, what, which rule."""
    known = _modules(root)
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        where = path.relative_to(root.parent)
        place = _place(module)
        if place == "face":
            continue
        if place == "loose":
            out.append(f"{where}: {module} sits at the top but is no foundation: move it into a "
                       f"room ({' → '.join(ROOMS)}) or add it to FOUNDATIONS with a reason")
            continue
        for line, target in _imports(path, root, known):
            goal = _place(target)
            if goal == "foundation":
                continue
            if place == "foundation":
                out.append(f"{where}:{line}: foundation {module} imports {target} "
                           "(foundations import only foundations)")
            elif goal == "face":
                out.append(f"{where}:{line}: {module} imports the package face {target} "
                           "(it reaches every room): import the module itself")
            elif goal == "loose":
                out.append(f"{where}:{line}: {module} imports {target}, which is in no room")
            elif _rank(goal) > _rank(place):
                out.append(f"{where}:{line}: {module} (room {place[5:]}) imports {target} "
                           f"(room {goal[5:]}, to its right): a room imports only itself and "
                           "rooms to its left")
    return out


def test_every_room_is_a_package() -> None:
    missing = [room for room in ROOMS if not (PACKAGE / room / "__init__.py").is_file()]
    assert not missing, f"rooms without a package: {missing}"


def test_imports_follow_the_pipeline() -> None:
    broken = violations()
    assert not broken, "imports against the layout:\n" + "\n".join(broken)


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("mapping/kinds.py", "from ..web import app\n", "(room web, to its right)"),
    ("records/load.py", "def f():\n    from metrokg.cli.query import x\n", "(room cli, to its right)"),
    ("checks/x.py", "if 1:\n    from ..analysis.network import View\n", "(room analysis, to its right)"),
    ("analysis/x.py", "import importlib\nimportlib.import_module('metrokg.outputs.build')\n",
     "(room outputs, to its right)"),
    ("errors.py", "from .records import Record\n", "foundations import only foundations"),
    ("mapping/y.py", "from metrokg import query\n", "the package face"),
    ("stray.py", "", "is no foundation"),
])
def test_the_check_names_the_broken_rule(tmp_path: Path, module: str, source: str,
                                         expected: str) -> None:
    """On a copy of the package's skeleton, each planted import is reported with its rule."""
    root = tmp_path / "metrokg"
    for room in ROOMS:
        (root / room).mkdir(parents=True)
        (root / room / "__init__.py").write_text("")
    for name in [*FOUNDATIONS, "__init__"]:
        (root / f"{name}.py").write_text("")
    (root / "web" / "app.py").write_text("")
    assert violations(root) == []
    (root / module).write_text(source)
    broken = violations(root)
    assert len(broken) == 1 and expected in broken[0], broken
    assert broken[0].startswith(f"metrokg/{module}"), broken
