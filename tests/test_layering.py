"""The code's shape: data flows one way (sources -> store -> views -> facade ->
CLI and server), so no module imports one above it, nothing imports in a
circle, and no module reaches for another's private names.

Every import counts, including those inside functions: a lazy import is
still a dependency."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import collabgraph

PACKAGE = Path(collabgraph.__file__).parent

#: The layers, bottom first. A module may import modules of its own layer or below.
LAYERS: list[set[str]] = [
    {"errors", "namespaces", "names", "formats", "terms", "queries", "output", "version", "generate", "sparqltext", "sparqlguard", "sandbox", "packaged", "sourcecheck", "pagepolicy", "forceatlas", "durable"},
    {"store", "shacl", "generations", "snapshot"},
    {"validation", "remote", "quotes"},
    {"views", "views.records", "views.reader", "views.nameindex", "views.entities", "views.facts",
     "views.paths", "views.projections", "views.summary", "views.results", "views.analytics",
     "views.vocabulary"},
    {"saved", "explore", "plots"},
    {"build", "sources", "writeback"},
    {"api"},
    {"server", "querypool", "httpguard", "cli", "__init__", "__main__"},
]
_NAMED = {name: i for i, names in enumerate(LAYERS) for name in names}
#: Packages whose modules all sit in the package's layer (one module per kind of source; one per family of commands).
PACKAGE_LAYERS = ("sources", "cli")


class _Layers(dict):
    def __missing__(self, module: str) -> int:
        for package in PACKAGE_LAYERS:
            if module.startswith(package + "."):
                return _NAMED[package]
        raise KeyError(module)

    def __contains__(self, module: object) -> bool:
        try:
            self[module]
        except KeyError:
            return False
        return True


LAYER = _Layers(_NAMED)


def modules() -> list[str]:
    found = ["__init__"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="collabgraph."):
        found.append(info.name[len("collabgraph."):])
    return sorted(found)


def imports_of(module: str) -> list[tuple[str, list[str], int]]:
    """``(imported module, names, line)`` for every collabgraph import in ``module``."""
    path = PACKAGE / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE / module.replace(".", "/") / "__init__.py"
    package = module.rsplit(".", 1)[0] if "." in module else ""
    if path.name == "__init__.py" and module != "__init__":
        package = module
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names]
            if node.level == 0:
                if node.module and node.module.startswith("collabgraph"):
                    target = node.module[len("collabgraph."):] if node.module != "collabgraph" else "__init__"
                    out.append((target, names, node.lineno))
                continue
            base = package.split(".") if package else []
            base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if not node.module:  # "from . import x": x is a submodule or a name of the package
                for name in names:
                    sub = ".".join([*base, name])
                    out.append((sub if sub in LAYER else (".".join(base) or "__init__"), [name], node.lineno))
                continue
            out.append((target or "__init__", names, node.lineno))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("collabgraph."):
                    out.append((a.name[len("collabgraph."):], [], node.lineno))
    return out


def test_every_module_has_a_layer():
    assert [m for m in modules() if m not in LAYER] == []


def test_no_module_imports_upward():
    wrong = [f"{m}:{line} imports {target} (layer {LAYER[target]} > {LAYER[m]})"
             for m in modules() for target, _, line in imports_of(m) if LAYER[target] > LAYER[m]]
    assert wrong == []


def test_no_import_cycles():
    graph = {m: {t for t, _, _ in imports_of(m) if t != m} for m in modules()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else nxt)
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_private_names_cross_modules():
    private = [f"{m}:{line} takes {n} from {target}" for m in modules()
               for target, names, line in imports_of(m) for n in names
               if n.startswith("_") and n != "__version__"]
    assert private == []


def test_the_facade_is_used_only_by_the_entry_points():
    users = sorted({m for m in modules() for target, _, _ in imports_of(m) if target == "api"})
    assert users and all(LAYER[m] == len(LAYERS) - 1 for m in users), users


def test_each_module_imports_first_without_a_cycle():
    """``python -c "import collabgraph.X"`` for every module, each as the first
    collabgraph module imported (fresh package state per module)."""
    script = (
        "import importlib, sys\n"
        f"names = {[m for m in modules() if m not in ('__init__', '__main__')]!r}\n"
        "for name in names:\n"
        "    for k in [k for k in sys.modules if k == 'collabgraph' or k.startswith('collabgraph.')]:\n"
        "        del sys.modules[k]\n"
        "    importlib.import_module('collabgraph.' + name)\n"
        "print('ok', len(names))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")
