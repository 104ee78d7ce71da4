"""The code's shape: data flows one way, and the packages show it.

    core < store < views < build < importers < ingest < api < web, cli

A module's layer is its package's (``collabgraph.store.remote`` is in
``store``), so a module dropped into a package is in that package's layer
with nothing to register. No module imports one of a higher layer, nothing
imports in a circle (inside a package either), and no module reaches for
another's private names. The entry points (``web``, ``cli``, the package's
``__init__`` and ``__main__``) are the only users of the facade ``api``.

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

#: The layers, bottom first: the top-level packages (and modules) of collabgraph.
#: A module may import modules of its own layer or below.
LAYERS: list[set[str]] = [
    {"core"},        # errors, namespaces, names, terms, formats, durable writing, SPARQL text, guards
    {"store"},       # the local and remote stores, generations, snapshot, SHACL validation, quotes
    {"views"},       # the read side: entities, facts, paths, projections, analytics, explorer, plots
    {"build"},       # sources -> validated, inferred store; analytics written back
    {"importers"},   # structured sources (Wikidata, MusicBrainz, CSV) -> source files, identity
    {"ingest"},      # articles -> candidate facts -> review -> source files
    {"api"},         # the facade, CollabGraph
    {"web", "cli", "__init__", "__main__"},  # the entry points
]
_NAMED = {name: i for i, names in enumerate(LAYERS) for name in names}


class _Layers(dict):
    """Layer of a module name relative to ``collabgraph``: its first component's."""

    def __missing__(self, module: str) -> int:
        return _NAMED[module.split(".", 1)[0]]

    def __contains__(self, module: object) -> bool:
        return isinstance(module, str) and module.split(".", 1)[0] in _NAMED


LAYER = _Layers()


def modules() -> list[str]:
    found = ["__init__"]
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="collabgraph."):
        found.append(info.name[len("collabgraph."):])
    return sorted(found)


def _is_module(name: str) -> bool:
    path = PACKAGE / name.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


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
                    out.append((sub if _is_module(sub) else (".".join(base) or "__init__"), [name], node.lineno))
                continue
            out.append((target or "__init__", names, node.lineno))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("collabgraph."):
                    out.append((a.name[len("collabgraph."):], [], node.lineno))
    return out


def test_every_module_has_a_layer():
    assert [m for m in modules() if m not in LAYER] == []


def test_the_layers_are_the_packages():
    """Each layer's name is a top-level package or module of collabgraph and each of
    those is in a layer: a new top-level module must be placed, a layer cannot go stale."""
    top = {m.split(".", 1)[0] for m in modules()}
    assert top == set(_NAMED), (sorted(top - set(_NAMED)), sorted(set(_NAMED) - top))
    packages = {name for name in top if (PACKAGE / name / "__init__.py").is_file()}
    assert {"core", "store", "views", "build", "importers", "ingest", "web"} <= packages


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
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")
