"""Every package collabgraph installs allows distribution under its MIT licence.

The licence of each distribution in the runtime dependency closure is read
from its installed metadata (``License-Expression``, else the ``License``
field and the trove classifiers) and must be one of the permissive or
file-level copyleft licences below. A GPL dependency (``fa2`` was one, until
its ForceAtlas2 was replaced by :mod:`collabgraph.views.forceatlas`) fails here.
"""

from __future__ import annotations

import importlib.metadata as md
import re

import pytest
from packaging.requirements import Requirement

#: Licences compatible with distributing collabgraph under MIT.
PERMITTED = ("MIT", "BSD", "0BSD", "Apache", "ISC", "PSF", "Python Software Foundation", "MPL-2.0",
             "Mozilla Public License 2.0", "W3C", "Zlib", "CC0", "Unlicense", "HPND", "Historical Permission")
#: Licences that would oblige collabgraph to change its own licence.
REFUSED = re.compile(r"(?<!L)GPL|GNU General Public|Affero|SSPL|Commons Clause|Non-?Commercial", re.I)


def verdict(expression: str, licence_text: str, classifiers: list[str]) -> str:
    """``"permitted"``, ``"refused"`` or ``"unknown"`` for one distribution's licence metadata.

    >>> verdict("GPL-3.0-only", "", [])
    'refused'
    >>> verdict("", "BSD 3-Clause License ...", ["License :: OSI Approved :: BSD License"])
    'permitted'
    >>> verdict("", "UNKNOWN", ["License :: OSI Approved :: ISC License (ISCL)"])
    'permitted'
    >>> verdict("", "", [])
    'unknown'
    """
    said = " ".join([expression, licence_text.splitlines()[0] if licence_text else "", *classifiers])
    if REFUSED.search(said):
        return "refused"
    if any(name.lower() in said.lower() for name in PERMITTED):
        return "permitted"
    return "unknown"


def runtime_closure(root: str = "collabgraph") -> dict[str, md.Distribution]:
    """Every installed distribution ``root`` needs at run time (no extras)."""
    found: dict[str, md.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        dist = md.distribution(name)
        found[key] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return found


def test_every_runtime_dependency_allows_mit_distribution():
    closure = runtime_closure()
    assert {"rdflib", "pyoxigraph", "networkx", "pyvis", "click"} <= set(closure)
    bad = {}
    for key, dist in closure.items():
        meta = dist.metadata
        what = verdict(meta.get("License-Expression") or "", meta.get("License") or "",
                       [c for c in meta.get_all("Classifier") or [] if c.startswith("License")])
        if what != "permitted" and key != "collabgraph":
            bad[key] = (what, meta.get("License-Expression") or (meta.get("License") or "")[:40])
    assert not bad, f"dependencies whose licence does not allow MIT distribution: {bad}"


@pytest.mark.parametrize("name", ["fa2", "fa2-modified"])
def test_the_gpl_forceatlas2_is_not_a_dependency(name):
    assert re.sub(r"[-_.]+", "-", name) not in runtime_closure()
